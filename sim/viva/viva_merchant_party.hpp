// What the three Viva parties share: the one merchant account they serve, whose records reset()
// forgets.
#pragma once

#include "sim/server/sim_party.hpp"
#include "sim/viva/viva_error.hpp"
#include "sim/viva/viva_merchant.hpp"

#include <memory>
#include <string>
#include <utility>

namespace fiscpos::sim {

class VivaMerchantParty : public SimPartyBase {
protected:
    VivaMerchantParty(std::string name, std::string prefix,
                      std::shared_ptr<viva::Merchant> merchant)
        : SimPartyBase(std::move(name), std::move(prefix))
        , merchant_(std::move(merchant)) {}

    void resetRecords() override { merchant_->reset(); }

    // The answer of a refused request, counted as invalid (400) or unauthenticated (401).
    static SimResponse refusal(const viva::HttpError& error, SimCounter& invalid,
                               SimCounter& unauthenticated) {
        if (error.status() == 400) {
            ++invalid;
        }
        if (error.status() == 401) {
            ++unauthenticated;
        }
        return error.response();
    }

    std::shared_ptr<viva::Merchant> merchant_;
};

} // namespace fiscpos::sim
