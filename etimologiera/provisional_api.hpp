// PROVISIONAL: e-timologiera.gr's createSimSign as far as the contract (provider-signatures.md §8,
// the e-timologiera row) does not say it. Every wire detail of this provider lives in this file
// (and provisional_api.cpp) and nowhere else, so e-timologiera's own API reference replaces it
// without touching the signer, the settings or the payment flow. What the contract verifies is
// marked [verified]: the call POST {url}/v4/createSimSign with HTTP Basic auth, the request's
// field names, the answer's response{tempUid, signatureMessage, bSignature, hSignature}, errors
// as response.paroxosError{code, description, details}, and the nspCode values 01 Mellon, 02 Viva,
// 03 epay. Everything else is PROVISIONAL and must be confirmed with e-timologiera before
// production use:
//   - the live host (only the dev host einvoicing-dev-api.etimologiera.gr is known): provider.url
//     is always configured, there is no default;
//   - what externalSystemId must hold and whether the provider de-duplicates on it: fiscpos sends
//     the invoice's number (aa), as one public client does, because no other field carries the
//     number the invoice's UID is made of;
//   - that tempUid (the UID inside the Input) is the invoice's UID: fiscpos's Input check refuses
//     a signature whose UID is not, so nothing is charged if it is not;
//   - which of our networks "03 epay" is (taken as epay-softpos);
//   - the HTTP status of errors (read whatever the status; a paroxosError on a 2xx is a refusal);
//   - which request field a paroxosError is about (read from its description and details);
//   - the signature's lifetime (the answer has no expiry: taken as 2 hours from the issue time);
//   - that there is no look-up, cancel or list of pending signatures (none is known; a public
//     third-party client names a cancelSimSign route, whose fields are not known);
//   - hSignature's meaning (probably the same signature in hex): kept, not relied on.
#pragma once

#include "core/json.hpp"
#include "signing/nsp.hpp"
#include "signing/signature.hpp"

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fiscpos::etimologiera::provisional {

// POST below the configured base URL. [verified]
std::string createSimSignPath();

// The nspCode of the network a payment runs on: webecr "01" (Mellon), viva "02" [verified];
// epay-softpos "03" (epay) PROVISIONAL; none for the others.
std::optional<std::string> nspCode(signing::Nsp nsp);
// "webecr (01), viva (02), epay-softpos (03)", for messages.
std::string nspCodes();

// The createSimSign body of a signature request: externalSystemId, issuerVatNumber,
// invoiceIssueDate (YYYY-MM-DD, Athens), invoiceIssueTime (hh:mm:ss, Athens), companyBranch,
// invoiceType, invoiceSeries, netValue, vatAmount, totalValue, paymentAmount (decimal euros, exact,
// from the integer cents), terminalId, nspCode [verified names]. InputError naming "nspCode" for a
// network without a code, "mark" for a payment on an invoice already transmitted (createSimSign
// signs simultaneous payments only; the deferred call is not spoken), "number" when the invoice
// has no number to send as externalSystemId, "issued_at" when the issue time cannot be read.
core::Json createSimSignBody(const signing::SignatureRequest& request);

// The fields of a successful answer. [verified names]
struct SimSignAnswer {
    std::string tempUid;
    std::string signatureMessage; // the Input, verbatim
    std::string bSignature;       // base64 DER
    std::string hSignature;       // kept as given ("" when absent)
};
// Reads response{...}: ResponseError naming "response.<field>" when a required one is missing,
// not a string or empty.
SimSignAnswer readSimSign(const core::Json& body);

// response.paroxosError. [verified names]
struct ParoxosError {
    std::string code; // a string or a number on the wire, kept as text
    std::string description;
    std::string details;
};
// The paroxosError of an answer, when it carries one (a string or number code, texts that may be
// absent).
std::optional<ParoxosError> paroxosError(const core::Json& body);
// The request field a paroxosError is about: the first field name of the createSimSign body that
// its description or details mention as a word; "" when none.
std::string fieldOf(const ParoxosError& error);

// The status a refusal is treated as: the HTTP status when it is not 2xx, 422 (a refusal of the
// request's content) for a paroxosError on a 2xx.
int refusalStatus(int httpStatus);

// The answer names no record: its tempUid is the id fiscpos keeps (in the journal and the audit
// pages); no call takes it back.
std::string recordId(const SimSignAnswer& answer);
// How long a signature is taken to last from the invoice's issue time (the answer has none).
std::chrono::hours signatureLifetime();

} // namespace fiscpos::etimologiera::provisional
