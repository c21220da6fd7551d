#include "sim/viva/viva_orders.hpp"

namespace fiscpos::sim::viva {

namespace {
constexpr int eventPaymentCreated = 1796, eventFailed = 1798;
constexpr int typeCardCharge = 5;
} // namespace

OrderBook::OrderBook(Timing timing, const core::Clock& clock, Ledger& ledger, WebhookSink webhooks,
                     std::string merchantId, bool autoPickup)
    : SimRecordBook(timing, clock)
    , ledger_(ledger)
    , webhooks_(std::move(webhooks))
    , merchantId_(std::move(merchantId))
    , autoPickup_(autoPickup) {}

std::int64_t OrderBook::create(OrderRequest request) {
    const auto [lock, now] = upToDate();
    Order order;
    order.code = ledger_.newOrderCode();
    order.request = std::move(request);
    order.createdAt = now;
    order.pressAt = now + timing_.pickupAfter;
    const std::int64_t code = order.code;
    orders_.emplace(code, std::move(order));
    catchUp(now);
    return code;
}

std::optional<std::int64_t> OrderBook::press(const std::string& serial, core::TimePoint at) {
    ++presses_;
    Order* latest = nullptr;
    for (auto& [code, order] : orders_) {
        if (order.request.terminal.serial != serial || order.createdAt > at) {
            continue;
        }
        if (order.state == State::Paying) {
            return std::nullopt; // the POS is taking a card already
        }
        latest = &order; // codes grow with creation: the last one seen is the latest
    }
    if (!latest || latest->state != State::Waiting) {
        return std::nullopt;
    }
    latest->state = State::Paying;
    latest->steps = scenarioSteps(latest->request.amount.cents(), at, timing_);
    ++pickedUp_;
    return latest->code;
}

std::optional<std::int64_t> OrderBook::pressF1(const std::string& serial) {
    const auto [lock, now] = upToDate();
    const auto code = press(serial, now);
    catchUp(now);
    return code;
}

void OrderBook::apply(Order& order, const Step& step) {
    if (step.kind == Step::Kind::Finish) {
        order.state = step.success ? State::Paid : State::Failed;
        ++(step.success ? paid_ : failed_);
        return;
    }
    const OrderRequest& r = order.request;
    // An order is paid at its POS, whose serial is the order's source.
    const Transaction recorded = ledger_.add(Transaction::attempt(step, order.code, typeCardCharge,
                                                                  Charge{r.amount,
                                                                         {},
                                                                         r.merchantTrns,
                                                                         r.customerTrns,
                                                                         r.terminal.serial,
                                                                         r.terminal.terminalId}));
    webhooks_(WebhookEvent{step.success ? eventPaymentCreated : eventFailed,
                           recorded.eventData(merchantId_)});
}

void OrderBook::catchUp(core::TimePoint now) {
    const bool autoPickup = autoPickup_.get();
    for (;;) {
        Order* next = nullptr;
        bool isPress = false;
        core::TimePoint at{};
        for (auto& [code, order] : orders_) {
            if (autoPickup && !order.pressed && order.pressAt <= now &&
                (!next || order.pressAt < at)) {
                next = &order;
                isPress = true;
                at = order.pressAt;
            }
            if (!order.steps.empty() && order.steps.front().at <= now &&
                (!next || order.steps.front().at < at)) {
                next = &order;
                isPress = false;
                at = order.steps.front().at;
            }
        }
        if (!next) {
            return;
        }
        if (isPress) {
            next->pressed = true;
            press(next->request.terminal.serial, at);
        } else {
            const Step step = next->steps.front();
            next->steps.pop_front();
            apply(*next, step);
        }
    }
}

std::optional<core::TimePoint> OrderBook::nextChange() const {
    const bool autoPickup = autoPickup_.get();
    std::lock_guard lock(mutex_);
    std::optional<core::TimePoint> next;
    const auto consider = [&next](core::TimePoint at) {
        if (!next || at < *next) {
            next = at;
        }
    };
    for (const auto& [code, order] : orders_) {
        if (autoPickup && !order.pressed) {
            consider(order.pressAt);
        }
        if (!order.steps.empty()) {
            consider(order.steps.front().at);
        }
    }
    return next;
}

void OrderBook::reset() {
    autoPickup_.reset();
    std::lock_guard lock(mutex_);
    orders_.clear();
    presses_ = pickedUp_ = paid_ = failed_ = 0;
}

core::Json OrderBook::stats() {
    const auto current = upToDate();
    return core::Json{{"orders_created", orders_.size()},
                      {"f1_presses", presses_},
                      {"orders_picked_up", pickedUp_},
                      {"orders_paid", paid_},
                      {"orders_failed", failed_}};
}

} // namespace fiscpos::sim::viva
