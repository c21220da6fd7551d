// The payment orders of the simulated legacy Viva flow (contract §19): the ERP creates an order
// for the payment source of one POS (its serial number); the cashier presses F1 on that POS,
// which shows the latest order of its source and takes the card. F1 is pressed by itself
// `pickupAfter` (5 s) after each order while automatic pick-up is on, and on demand through
// pressF1(). Only the latest order of a source is ever shown: an older order still waiting when a
// newer one is made is never paid. A POS paying an order ignores F1. Once picked up, the order
// follows the scenario amounts (viva_records.hpp) from the moment F1 was pressed; every card
// attempt is a transaction of the ledger with the order's OrderCode and a 1796 / 1798 webhook.
#pragma once

#include "sim/server/sim_records.hpp"
#include "sim/viva/viva_records.hpp"

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace fiscpos::sim::viva {

struct OrderRequest {
    core::Money amount;
    Terminal terminal; // the POS whose serial is the order's SourceCode
    std::optional<std::string> merchantTrns, customerTrns;
};

// The orders. Thread-safe.
class OrderBook final : public SimRecordBook<Timing> {
public:
    OrderBook(Timing timing, const core::Clock& clock, Ledger& ledger, WebhookSink webhooks,
              std::string merchantId, bool autoPickup);

    // Records the order and returns its 16-digit OrderCode.
    std::int64_t create(OrderRequest request);
    // The cashier presses F1 on the POS of `serial` now: the code of the order it takes, or
    // nullopt when the latest order of the source is not waiting or the POS is busy.
    std::optional<std::int64_t> pressF1(const std::string& serial);

    // Whether F1 is pressed by itself `pickupAfter` after each order.
    SimSetting<bool>& autoPickup() { return autoPickup_; }

    std::optional<core::TimePoint> nextChange() const;
    void reset();
    // orders_created, f1_presses, orders_picked_up, orders_paid, orders_failed
    core::Json stats();

private:
    enum class State { Waiting, Paying, Paid, Failed };
    struct Order {
        std::int64_t code = 0;
        OrderRequest request;
        core::TimePoint createdAt, pressAt;
        bool pressed = false; // its automatic F1 happened
        State state = State::Waiting;
        std::deque<Step> steps;
    };

    // The earliest due action first, until none is due by `now`: an automatic F1 or a step of a
    // payment.
    void catchUp(core::TimePoint now) override;
    std::optional<std::int64_t> press(const std::string& serial, core::TimePoint at);
    void apply(Order& order, const Step& step);

    Ledger& ledger_;
    WebhookSink webhooks_;
    std::string merchantId_;
    SimSetting<bool> autoPickup_;

    // Guarded by mutex_.
    std::map<std::int64_t, Order> orders_; // by code, which grows with creation
    std::int64_t presses_ = 0, pickedUp_ = 0, paid_ = 0, failed_ = 0;
};

} // namespace fiscpos::sim::viva
