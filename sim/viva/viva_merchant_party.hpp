// What the three Viva parties share: the one merchant account they serve, whose records reset()
// forgets.
#pragma once

#include "sim/server/sim_party.hpp"
#include "sim/viva/viva_error.hpp"
#include "sim/viva/viva_merchant.hpp"

#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace fiscpos::sim {

class VivaMerchantParty : public SimPartyBase {
public:
    // route()'s answer, or the refusal it threw: counted as invalid (400) or unauthenticated (401)
    // by a party that counts its refusals.
    SimResponse handle(const SimRequest& request) override {
        try {
            return route(request);
        } catch (const viva::HttpError& e) {
            if (refusals_) {
                refusals_->count(e.status());
            }
            return e.response();
        }
    }

protected:
    enum class Refusals { Counted, NotCounted };

    VivaMerchantParty(std::string name, std::string prefix,
                      std::shared_ptr<viva::Merchant> merchant, Refusals refusals)
        : SimPartyBase(std::move(name), std::move(prefix))
        , merchant_(std::move(merchant)) {
        if (refusals == Refusals::Counted) {
            refusals_.emplace(counters_, SimRefusalCounters::Forbidden::NotCounted);
        }
    }

    void resetRecords() override { merchant_->reset(); }

    // The answer to a request below the party's prefix; throws a viva::HttpError to refuse it.
    virtual SimResponse route(const SimRequest& request) = 0;

    std::shared_ptr<viva::Merchant> merchant_;

private:
    std::optional<SimRefusalCounters> refusals_;
};

} // namespace fiscpos::sim
