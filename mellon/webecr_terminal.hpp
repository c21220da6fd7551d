// core::Terminal over WebECR (network "mellon"): a sale or refund becomes a transaction intent
// carrying the provider's signature as ProviderData, our reference travels as CustomerReference,
// and query() reads the intent back by it.
#pragma once

#include "core/terminal.hpp"
#include "mellon/webecr_client.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace fiscpos::mellon {

// ProviderData from the signature the PaymentService checked: Uid, Mark (null when empty),
// SignatureTimestamp, NetAmount/VatAmount/TotalAmount in cents, ProviderId, Signature (base64
// DER). InputError naming "signature.<part>" when a part cannot be sent.
core::Json providerData(const core::SignedPayment& signature, const std::string& providerId);

// Checks, before anything is signed or written, that WebECR can carry the request: a sale or a
// refund naming its sale (no pre-authorisation or completion, no instalments: NotSupportedError
// naming the field), a positive amount, a tip that is not negative (InputError naming the
// field). The reference may not exist yet: checkPaymentRequest checks it.
void admitPaymentRequest(const core::PaymentRequest& request, const WebEcrSettings& settings);
// admitPaymentRequest, the reference (it fits CustomerReference) and the signature: the amount is
// the signed payable, the signed TID is this terminal's. InputError naming the field.
void checkPaymentRequest(const core::PaymentRequest& request, const WebEcrSettings& settings);

// The report of an intent as the network wrote it, without any further look-up.
core::TerminalReport reportOf(const Intent& intent);

class WebEcrTerminal final : public core::Terminal {
public:
    // ConfigError naming the setting when the account settings are unusable; what payments need
    // beyond them (api_key, pos_id, tid, provider_id) is checked when a payment starts.
    explicit WebEcrTerminal(WebEcrSettings settings,
                            const core::Clock& clock = core::systemClock());

    // txninit with Timeout = wait_seconds: the network holds the answer until the terminal
    // finishes or the wait runs out. A final answer is reported Final (nothing left to poll);
    void admit(const core::PaymentRequest& request) const override;

    WebEcrClient& client() { return client_; }

private:
    // otherwise the intent's stage, and the caller polls query(). With wait_seconds 0 the answer
    // comes at once. A connection dropped during the wait is a TransportError with an unknown
    // outcome: ask query(reference). An intent the network refuses outright (4xx) is reported
    // Final/Failed: nothing was charged.
    core::TerminalReport doStart(const core::PaymentRequest& request,
                                 const core::HttpObserver& record) override;
    // The intent under our CustomerReference; on an approval, the card details from its
    // transaction. A Result 5 (UNKNOWN) intent is final: the transaction record is asked about
    // our reference a few times over a few seconds (on the clock), and the intent is reported
    // Approved when it shows the charge, otherwise Final/InDoubt at once.
    core::TerminalReport doQuery(const std::string& reference,
                                 std::optional<core::TimePoint> sentNoEarlierThan,
                                 const core::HttpObserver& record) override;
    // txnvoid by the original's intent Id (type 1), else its TransactionId (type 2), with the
    // same wait as start().
    core::TerminalReport doVoid(const core::VoidRequest& request,
                                const core::HttpObserver& record) override;
    std::vector<core::TerminalDevice> doDevices(const core::HttpObserver& record) override;

    core::TerminalReport describe(const Intent& intent, const std::string& reference,
                                  const core::HttpObserver& record);
    core::TerminalReport settleUnknown(const Intent& intent, const std::string& reference,
                                       core::TerminalReport report,
                                       const core::HttpObserver& record);
    // The first transaction of this terminal around the intent's creation that `wanted`
    // accepts, looked for among those under our reference (one short page where the network
    // filters by it) and, with `wholePeriodToo`, then among all of the period (for networks whose
    // records do not carry our reference).
    std::optional<Transaction>
    findTransaction(const Intent& intent, const std::string& reference,
                    const std::function<bool(const Transaction&)>& wanted, bool wholePeriodToo,
                    const core::HttpObserver& record);

    const core::Clock& clock_;
    WebEcrClient client_;
};

} // namespace fiscpos::mellon
