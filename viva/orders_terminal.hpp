// core::Terminal over Viva's legacy Orders per Source flow (network "viva-orders", contract §19),
// for ERPs that already use it: each POS is a payment source; start() creates a payment order for
// the terminal's source (POST /api/orders, Amount in cents, MerchantTrns "fiscpos:<reference>",
// PaymentTimeOut = order_timeout_seconds); the cashier fetches it on the POS (F1) and the
// cardholder pays; query() reads the order's transactions (GET /api/transactions?ordercode=).
//
// Viva now points card-present payments to the Cloud Terminal API (nsp = viva), and this flow
// documents no provider-signature fields: the signature is checked against the charge but not
// sent, and no aadeTransactionId comes back.
//
// query(reference): a transaction with StatusId F or A is an approval. Only failed attempts (E,
// X) or none: the order may still be paid until its PaymentTimeOut has passed (from the order's
// creation, or from the last attempt when this process did not create it), so the payment stays
// OnDevice until then; after it, a failed attempt is Declined (E) or Cancelled (X), and an order
// with no attempt at all expired unpaid (Cancelled). An order whose creation answer was lost, or a
// reference this object never sent (another process may have created its order just before it
// stopped), is looked for by MerchantTrns in the day's transactions; with none found it is
// Pending until order_timeout_seconds (and a margin) have passed since it was sent or first asked
// about here, and NotFound after that.
#pragma once

#include "core/clock.hpp"
#include "core/terminal.hpp"
#include "viva/legacy_client.hpp"
#include "viva/sent_references.hpp"
#include "viva/viva_client.hpp"

#include <optional>
#include <string>
#include <vector>

namespace fiscpos::viva {

// The report of the transactions found for an order, as their statuses say at `now`;
// `payableUntil` is when the order stops being payable (nullopt: unknown).
core::TerminalReport reportOfOrder(const std::vector<LegacyTransaction>& transactions,
                                   const std::string& orderCode, core::TimePoint now,
                                   std::optional<core::TimePoint> payableUntil);

class OrdersTerminal final : public core::Terminal {
public:
    // ConfigError naming the setting unless legacy_url, merchant_id, api_key, tid and source_code
    // are usable.
    explicit OrdersTerminal(VivaSettings settings, const core::Clock& clock = core::systemClock());

    // Sales only: no refund, completion or pre-authorisation (NotSupportedError), no tip.
    void admit(const core::PaymentRequest& request) const override;

    LegacyClient& client() { return client_; }

private:
    // A sale becomes an order (Final/Failed when Viva refuses it); refunds, completions and
    // pre-authorisations are NotSupportedError.
    core::TerminalReport doStart(const core::PaymentRequest& request,
                                 const core::HttpObserver& record) override;
    core::TerminalReport doQuery(const std::string& reference,
                                 std::optional<core::TimePoint> sentNoEarlierThan,
                                 const core::HttpObserver& record) override;
    // NotSupportedError: this flow has no void; refund on the terminal or void on the portal.
    core::TerminalReport doVoid(const core::VoidRequest& request,
                                const core::HttpObserver& record) override;
    // NotSupportedError: the legacy API lists no devices (the POS is the payment source).
    std::vector<core::TerminalDevice> doDevices(const core::HttpObserver& record) override;

    // The order code of each reference sent from here (empty until Viva answered).
    using SentOrders = SentReferences<std::string>;

    std::vector<LegacyTransaction> findByMerchantTrns(const std::string& reference,
                                                      const std::optional<SentOrders::Sent>& ours,
                                                      const core::HttpObserver& record);

    const core::Clock& clock_;
    LegacyClient client_;
    SentOrders sent_;
};

} // namespace fiscpos::viva
