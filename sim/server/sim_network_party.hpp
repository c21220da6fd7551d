// What the parties of the card networks that log their clients in share: the provider's public
// key they verify signatures with, their options and the simulator's clock, the tokens they have
// issued, their book of records, and the counters of refused requests.
#pragma once

#include "signing/ecdsa.hpp"
#include "sim/server/sim_clock.hpp"
#include "sim/server/sim_party.hpp"
#include "sim/server/sim_text.hpp"
#include "sim/server/sim_tokens.hpp"

#include <string>
#include <utility>

namespace fiscpos::sim {

// `Options` has the party's path prefix as `prefix`; `Book` is its book of records, with reset()
// and stats(). `challenge` is the WWW-Authenticate challenge of its 401 answers.
template <class Options, class Book> class SimNetworkParty : public SimPartyBase {
public:
    // route()'s answer; a refusal it throws is answered and counted (refusals_), a 401 with the
    // party's WWW-Authenticate challenge.
    SimResponse handle(const SimRequest& request) final {
        try {
            return route(request);
        } catch (const SimAnswerError& e) {
            return refusals_.answer(e, challenge_);
        }
    }

protected:
    // The book of records is made as Book(options.*bookSettings..., clock), e.g. with
    // &AcmeOptions::timing: Book(options.timing, clock).
    template <class... BookSettings>
    SimNetworkParty(std::string name, std::string challenge, signing::PublicKey providerKey,
                    Options options, const SimClock& clock, BookSettings... bookSettings)
        : SimPartyBase(std::move(name), options.prefix)
        , providerKey_(std::move(providerKey))
        , options_(std::move(options))
        , clock_(clock)
        , book_(options_.*bookSettings..., clock)
        , challenge_(std::move(challenge)) {}

    // The answer to a request below the party's prefix; throws a SimAnswerError to refuse it.
    virtual SimResponse route(const SimRequest& request) = 0;
    // Puts back what the control endpoints changed.
    virtual void resetSettings() = 0;

    const signing::PublicKey providerKey_;
    const Options options_;
    const SimClock& clock_;
    mutable Book book_; // stats() brings it up to date
    SimTokenStore tokens_;
    SimRefusalCounters refusals_{counters_, SimRefusalCounters::Forbidden::Counted};

private:
    // The book, the tokens and the settings, back to how the party started.
    void resetRecords() final {
        book_.reset();
        tokens_.clear();
        resetSettings();
    }
    // The book's counters.
    core::Json recordStats() const final { return book_.stats(); }

    const std::string challenge_;
};

} // namespace fiscpos::sim
