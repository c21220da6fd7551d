// The request bodies of the Cloud Terminal API's transactions (sale, refund, unreferenced refund,
// pre-authorisation completion), and the merchantReference format that ties Viva's answers and
// webhooks back to our reference.
//
// merchantReference = "fiscpos:" + our reference (the sessionId), e.g.
// "fiscpos:1b4e28ba-2fa1-41d2-883f-0016d3cca427". Viva echoes it in the session and as
// MerchantTrns in the payment webhooks (1796/1797/1798), so an event names our payment without
// any lookup table.
#pragma once

#include "core/json.hpp"
#include "core/money.hpp"
#include "viva/viva_settings.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace fiscpos::viva {

// "fiscpos:<reference>".
std::string merchantReferenceFor(const std::string& reference);
// Our reference out of a merchantReference / MerchantTrns in that format; nullopt for anything
// else (a payment someone else started).
std::optional<std::string> referenceFromMerchantReference(std::string_view merchantReference);
// True when `reference` may serve as a sessionId: 1 to 64 of A-Z a-z 0-9 '-' '_' '.' (it travels
// in a URL path and a query).
bool isSessionId(std::string_view reference);
// InputError naming `field` unless isSessionId(reference).
void requireSessionId(const std::string& reference, const std::string& field);

// The provider's signature in Viva's fields (contract §6).
struct AadeSignature {
    std::string providerId;    // aadeProviderId: digits (999 on demo)
    std::string signatureData; // aadeProviderSignatureData: the provider's Input, verbatim
    std::string signature;     // aadeProviderSignature: base64 DER
};

// One transaction request; which fields a body carries depends on the endpoint.
struct TransactionRequest {
    std::string sessionId;           // ours, new for every operation, journaled before the call
    core::Money amount;              // cents; always positive, the endpoint carries the direction
    core::Money tip;                 // sale only; not with preauth
    std::string parentSessionId;     // refund, completion: the sale's sessionId
    int maxInstalments = 0;          // sale: 0 = no instalments offered
    bool preauth = false;            // sale: reserve only
    bool iris = false;               // sale: paymentMethod IRIS, the terminal offers IRIS first
    std::optional<int> preloadHours; // sale: aadePreloaded, held this many hours
    std::optional<AadeSignature> aade;
    std::string merchantReference; // empty: merchantReferenceFor(sessionId)
    std::string customerTrns;      // empty: the settings' customer_text, or not sent
};

// POST /ecr/v1/transactions:sale
core::Json saleBody(const TransactionRequest& request, const VivaSettings& settings);
// POST /ecr/v1/transactions:refund (parentSessionId required; aade* when given)
core::Json refundBody(const TransactionRequest& request, const VivaSettings& settings);
// POST /ecr/v1/transactions:unreferenced-refund: the refund's body without parentSessionId (the
// credit document's aade* fields when given; never ISV details)
core::Json unreferencedRefundBody(const TransactionRequest& request, const VivaSettings& settings);
// POST /ecr/v1/transactions:preauth-completion (parentSessionId required; aade* when given)
core::Json preauthCompletionBody(const TransactionRequest& request, const VivaSettings& settings);

} // namespace fiscpos::viva
