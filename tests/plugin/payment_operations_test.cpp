// The PaymentService's operations beyond a plain sale, driven through a scripted terminal so that
// each step happens exactly when the test says: a cancel before and during a payment, a webhook's
// nudge, a batch close, a network that queues requests on one terminal, a pre-authorisation and
// its capture, an unreferenced refund. The journal is a real SQLite file and the signatures are
// real (the provider's key is Mellon's published test key).
#include "plugin/journal/journal_accounting.hpp"
#include "plugin/mydata_payment.hpp"
#include "signing/provider_error.hpp"
#include "tests/support/field_error.hpp"
#include "tests/support/scripted_world.hpp"

#include <boost/test/unit_test.hpp>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

using namespace fiscpos;
using plugin::EntryKind;
using plugin::EntryState;

using namespace fiscpos::test;

BOOST_AUTO_TEST_CASE(a_cancel_while_the_provider_signs_stops_the_payment_before_the_terminal) {
    World world;
    std::string entryId;
    const auto entry = world.service->pay(
        world.sale(), [&](const std::string& id, const std::string& step, const std::string&) {
            if (step == "signing") {
                entryId = id;
                world.service->cancel(id);
            }
        });
    BOOST_TEST(entry.id == entryId);
    BOOST_TEST(stateName(entry.state) == "CANCELLED");
    BOOST_TEST(world.terminal->started.empty()); // nothing reached the terminal
    BOOST_TEST(entry.outcome.value().find("before it reached the terminal") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_cancel_during_the_payment_aborts_it_and_the_outcome_comes_from_the_network) {
    World world;
    std::string entryId;
    bool abortAsked = false;
    world.terminal->onAbort = [&](const std::string&) {
        abortAsked = true;
        return report(core::TerminalStage::OnDevice);
    };
    world.terminal->onQuery = [&](const std::string&, int n) {
        if (n == 2) {
            // The cashier presses "cancel" while the card is awaited, from another thread.
            std::thread cashier([&] { world.service->cancel(entryId); });
            cashier.join();
        }
        return abortAsked ? report(core::TerminalStage::Final, core::PaymentOutcome::Cancelled)
                          : report(core::TerminalStage::OnDevice);
    };
    const auto entry =
        world.service->pay(world.sale(), [&](const std::string& id, const std::string&,
                                             const std::string&) { entryId = id; });
    BOOST_TEST(stateName(entry.state) == "CANCELLED");
    BOOST_TEST(world.terminal->aborted.size() == 1U);
    BOOST_TEST(world.terminal->aborted.front() == entry.networkReference.value());
    // The abort's own exchange is journaled under the payment, between its queries.
    const auto seen = world.exchangesOf(entry.id);
    BOOST_TEST(std::count(seen.begin(), seen.end(), "DELETE /abort/" + *entry.networkReference) ==
               1);
}

BOOST_AUTO_TEST_CASE(an_aborted_payment_that_the_card_still_paid_is_recorded_approved) {
    World world;
    std::string entryId;
    world.terminal->onAbort = [](const std::string&) {
        return report(core::TerminalStage::OnDevice);
    };
    world.terminal->onQuery = [&](const std::string&, int n) {
        if (n == 1) {
            std::thread cashier([&] { world.service->cancel(entryId); });
            cashier.join();
            return report(core::TerminalStage::OnDevice);
        }
        return report(core::TerminalStage::Final, core::PaymentOutcome::Approved);
    };
    const auto entry =
        world.service->pay(world.sale(), [&](const std::string& id, const std::string&,
                                             const std::string&) { entryId = id; });
    BOOST_TEST(stateName(entry.state) == "APPROVED"); // an abort request proves nothing
}

BOOST_AUTO_TEST_CASE(a_network_without_abort_says_so_and_the_payment_goes_on) {
    World world;
    std::string entryId;
    std::string refusal;
    world.terminal->onQuery = [&](const std::string&, int n) {
        if (n == 1) {
            refusal = codeOf<core::Error>([&] { world.service->cancel(entryId); });
            return report(core::TerminalStage::OnDevice);
        }
        return report(core::TerminalStage::Final, core::PaymentOutcome::Approved);
    };
    const auto entry =
        world.service->pay(world.sale(), [&](const std::string& id, const std::string&,
                                             const std::string&) { entryId = id; });
    BOOST_TEST(refusal == "not_supported");
    BOOST_TEST(stateName(entry.state) == "APPROVED");
}

BOOST_AUTO_TEST_CASE(a_nudge_ends_the_wait_before_the_next_poll) {
    World world;
    std::vector<core::TimePoint> askedAt;
    world.terminal->onQuery = [&](const std::string& reference, int n) {
        askedAt.push_back(world.clock.now());
        if (n == 1) {
            // A webhook arrives: the next question is asked without waiting.
            BOOST_TEST(world.service->nudge(reference));
            return report(core::TerminalStage::OnDevice);
        }
        return report(core::TerminalStage::Final, core::PaymentOutcome::Approved);
    };
    const auto entry = world.service->pay(world.sale());
    BOOST_TEST(stateName(entry.state) == "APPROVED");
    BOOST_TEST_REQUIRE(askedAt.size() == 2U);
    BOOST_TEST((askedAt[1] == askedAt[0])); // no poll interval between the two questions
    BOOST_TEST(!world.service->nudge(*entry.networkReference)); // nothing waits on it any more
}

BOOST_AUTO_TEST_CASE(
    where_webhooks_are_heard_the_poll_is_a_slow_fallback_and_a_nudge_asks_at_once) {
    World world;
    world.service->expectNudges("scripted", std::chrono::seconds(5));
    std::vector<core::TimePoint> askedAt;
    world.terminal->onQuery = [&](const std::string& reference, int n) {
        askedAt.push_back(world.clock.now());
        if (n == 3) {
            BOOST_TEST(world.service->nudge(reference)); // a webhook arrives
        }
        return n < 5 ? report(core::TerminalStage::OnDevice)
                     : report(core::TerminalStage::Final, core::PaymentOutcome::Approved);
    };
    const core::TimePoint sent = world.clock.now();
    const auto entry = world.service->pay(world.sale());
    BOOST_TEST(stateName(entry.state) == "APPROVED");
    BOOST_TEST_REQUIRE(askedAt.size() == 5U);
    using std::chrono::seconds;
    BOOST_TEST((askedAt[0] - sent == seconds(5)));
    BOOST_TEST((askedAt[1] - askedAt[0] == seconds(5)));
    BOOST_TEST((askedAt[2] - askedAt[1] == seconds(5)));
    BOOST_TEST((askedAt[3] == askedAt[2])); // nudged: asked without waiting
    BOOST_TEST((askedAt[4] - askedAt[3] == seconds(5)));
}

BOOST_AUTO_TEST_CASE(
    a_batch_close_is_refused_before_anything_is_written_where_the_network_closes_itself) {
    World world;
    BOOST_TEST(codeOf<core::Error>([&] { world.service->closeBatch("T1"); }) == "not_supported");
    BOOST_TEST(world.journal.list().empty());
}

BOOST_AUTO_TEST_CASE(a_batch_close_keeps_the_networks_totals) {
    World world;
    world.terminal->traits().closesBatchOnRequest = true;
    world.terminal->onCloseBatch = [](const std::string&) {
        return report(core::TerminalStage::Pending);
    };
    world.terminal->onQuery = [](const std::string&, int) {
        auto r = report(core::TerminalStage::Final, core::PaymentOutcome::Approved);
        core::BatchTotals totals;
        totals.batchId = "17";
        totals.saleCount = 3;
        totals.saleTotal = core::Money::parse("30.00", "t");
        totals.refundCount = 1;
        totals.refundTotal = core::Money::parse("5.00", "t");
        r.batch = totals;
        return r;
    };
    const auto entry = world.service->closeBatch("T1", std::string("close-1"));
    BOOST_TEST(kindName(entry.kind) == "batch_close");
    BOOST_TEST(stateName(entry.state) == "APPROVED");
    BOOST_TEST(entry.outcome.value() == "batch 17 closed: 3 sales 30.00, 1 refunds 5.00");
    // The daily summary reads the network's totals back from what the service wrote.
    const auto totals = plugin::batchTotalsOf(entry);
    BOOST_TEST_REQUIRE(totals.has_value());
    BOOST_TEST(totals->batchId == "17");
    BOOST_TEST(totals->saleTotal.cents() == 3000);
    BOOST_TEST(totals->refundCount == 1);
    // The same key again is the same close.
    BOOST_TEST(world.service->closeBatch("T1", std::string("close-1")).id == entry.id);
    BOOST_TEST(world.journal.list().size() == 1U);
}

BOOST_AUTO_TEST_CASE(a_network_that_queues_requests_runs_two_payments_on_one_terminal_at_once) {
    World world;
    world.terminal->traits().queuesRequests = true;
    std::mutex mutex;
    std::condition_variable changed;
    int started = 0;
    bool bothRan = false;
    world.terminal->onStart = [&](const core::PaymentRequest&) {
        std::unique_lock lock(mutex);
        ++started;
        changed.notify_all();
        // Each payment waits until the other one has reached the terminal too.
        bothRan = changed.wait_for(lock, std::chrono::seconds(20), [&] { return started == 2; });
        return report(core::TerminalStage::Pending);
    };
    plugin::JournalEntry first;
    std::thread other([&] { first = world.service->pay(world.sale("8")); });
    const auto second = world.service->pay(world.sale("9"));
    other.join();
    BOOST_TEST(bothRan);
    BOOST_TEST(stateName(first.state) == "APPROVED");
    BOOST_TEST(stateName(second.state) == "APPROVED");
    // Each payment's exchanges (handed to each terminal call) are journaled under its own entry.
    for (const auto& entry : {first, second}) {
        BOOST_TEST(!world.exchangesOf(entry.id).empty());
        for (const auto& exchange : world.exchangesOf(entry.id)) {
            BOOST_TEST(exchange.find(*entry.networkReference) != std::string::npos, exchange);
        }
    }
}

BOOST_AUTO_TEST_CASE(a_preauthorisation_books_nothing_until_its_capture) {
    World world;
    auto hold = world.sale();
    hold.preauth = true;
    const auto preauth = world.service->pay(hold);
    BOOST_TEST(kindName(preauth.kind) == "preauth");
    BOOST_TEST(stateName(preauth.state) == "APPROVED");
    BOOST_TEST(world.terminal->started.back().preauth);

    plugin::CaptureRequest capture;
    capture.preauthEntry = preauth.id;
    capture.invoiceJson = invoiceJson("8");
    capture.invoice = einvoice::parseInvoice(capture.invoiceJson);
    capture.amount = core::Money::parse("12.41", "t");
    BOOST_TEST(codeOf<core::InputError>([&] { world.service->capture(capture); }) == "input");
    capture.amount.reset();
    const auto completion = world.service->capture(capture);
    BOOST_TEST(kindName(completion.kind) == "completion");
    BOOST_TEST(completion.originalEntry.value() == preauth.id);
    BOOST_TEST(stateName(completion.state) == "APPROVED");
    BOOST_TEST((world.terminal->started.back().kind == core::PaymentKind::PreauthCompletion));
    BOOST_TEST(world.terminal->started.back().original.has_value());
    // A sale is not a pre-authorisation.
    capture.preauthEntry = world.service->pay(world.sale("9")).id;
    BOOST_TEST(codeOf<core::InputError>([&] { world.service->capture(capture); }) == "input");
}

BOOST_AUTO_TEST_CASE(an_unreferenced_refund_names_its_terminal_and_no_sale) {
    World world;
    plugin::RefundRequest refund;
    refund.creditNoteJson = invoiceJson("9");
    refund.creditNote = einvoice::parseInvoice(refund.creditNoteJson);
    BOOST_TEST(codeOf<core::InputError>([&] { world.service->refund(refund); }) == "input");
    refund.terminal = "T1";
    const auto entry = world.service->refund(refund);
    BOOST_TEST(kindName(entry.kind) == "refund");
    BOOST_TEST(!entry.originalEntry.has_value());
    BOOST_TEST(stateName(entry.state) == "APPROVED");
    BOOST_TEST(!world.terminal->started.back().original.has_value());
}

BOOST_AUTO_TEST_CASE(instalments_beyond_what_cards_offer_are_refused_before_anything_is_written) {
    World world;
    auto request = world.sale();
    request.instalments = 37;
    BOOST_TEST(codeOf<core::InputError>([&] { world.service->pay(request); }) == "input");
    BOOST_TEST(world.journal.list().empty());
    request.instalments = 12;
    world.service->pay(request);
    BOOST_TEST(world.terminal->started.back().instalments == 12);
}

// A preload is checked before anything is signed or written: the network must hold one, for whole
// steps up to its longest, and the provider's signature (2 hours here) must outlive it by 10
// minutes. Each refusal names "preload".
BOOST_AUTO_TEST_CASE(a_preload_the_network_or_the_signature_cannot_carry_is_refused_first) {
    World world;
    auto request = world.sale();
    request.preload = std::chrono::minutes(30);
    const auto refusal = [&](const plugin::PayRequest& r) {
        try {
            world.service->pay(r);
        } catch (const core::InputError& e) {
            BOOST_TEST(e.field() == "preload");
            return std::string(e.what());
        }
        return std::string("accepted");
    };
    BOOST_TEST(refusal(request).find("cannot hold a payment") != std::string::npos);

    world.terminal->traits().preload =
        core::PreloadLimits{.step = std::chrono::hours(1), .longest = std::chrono::hours(24)};
    request.preload = std::chrono::minutes(90);
    BOOST_TEST(refusal(request).find("whole steps of 1 hour") != std::string::npos);
    request.preload = std::chrono::hours(25);
    BOOST_TEST(refusal(request).find("24 hours at most") != std::string::npos);
    request.preload = std::chrono::hours(2);
    BOOST_TEST(refusal(request).find("at most 110 minutes") != std::string::npos);

    world.terminal->traits().preload =
        core::PreloadLimits{.step = std::chrono::minutes(1), .longest = std::chrono::hours(60)};
    request.preload = std::chrono::minutes(111);
    BOOST_TEST(refusal(request).find("duration = 1") != std::string::npos);
    request.preload = std::chrono::minutes(30);
    request.preauth = true;
    BOOST_TEST(refusal(request).find("pre-authorisation") != std::string::npos);
    BOOST_TEST(world.journal.list().empty());
    BOOST_TEST(world.terminal->started.empty());
}

// A preloaded sale goes to the terminal with its lifetime and pay() returns it SENT without
// waiting for a card; repeated with its key it comes back at once. status asks the network:
// still waiting keeps it SENT, paid makes it APPROVED; one the network still holds 10 minutes
// after it lapsed is IN_DOUBT.
BOOST_AUTO_TEST_CASE(a_preloaded_sale_waits_at_the_terminal_until_status_finds_it_paid) {
    World world;
    world.terminal->traits().preload =
        core::PreloadLimits{.step = std::chrono::minutes(1), .longest = std::chrono::hours(60)};
    bool paid = false;
    world.terminal->onQuery = [&](const std::string&, int) {
        return paid ? report(core::TerminalStage::Final, core::PaymentOutcome::Approved)
                    : report(core::TerminalStage::OnDevice);
    };
    auto request = world.sale();
    request.preload = std::chrono::minutes(45);
    request.idempotencyKey = "preload-1";
    std::vector<std::string> steps;
    const auto sent =
        world.service->pay(request, [&](const std::string&, const std::string& step,
                                        const std::string&) { steps.push_back(step); });
    BOOST_TEST(stateName(sent.state) == "SENT");
    BOOST_TEST(sent.preloadUntil.value_or("") == "2026-11-24T10:45:00Z");
    BOOST_TEST_REQUIRE(world.terminal->started.size() == 1u);
    BOOST_TEST(world.terminal->started[0].preload.value_or(std::chrono::minutes(0)).count() == 45);
    BOOST_TEST(world.terminal->queries.empty()); // nobody waits for the card
    BOOST_TEST(steps.back() == "preloaded");

    const auto again = world.service->pay(request);
    BOOST_TEST(again.id == sent.id);
    BOOST_TEST(stateName(again.state) == "SENT");
    BOOST_TEST(world.terminal->started.size() == 1u);

    world.clock.advance(std::chrono::minutes(20));
    BOOST_TEST(stateName(world.service->status(sent.id).state) == "SENT");
    paid = true;
    const auto approved = world.service->status(sent.id);
    BOOST_TEST(stateName(approved.state) == "APPROVED");

    // Another, which the network still holds long after it lapsed.
    paid = false;
    auto other = world.sale("8");
    other.preload = std::chrono::minutes(30);
    const auto held = world.service->pay(other);
    BOOST_TEST(stateName(held.state) == "SENT");
    world.clock.advance(std::chrono::minutes(39));
    BOOST_TEST(stateName(world.service->status(held.id).state) == "SENT");
    world.clock.advance(std::chrono::minutes(2));
    const auto lapsed = world.service->status(held.id);
    BOOST_TEST(stateName(lapsed.state) == "IN_DOUBT");
    BOOST_TEST(lapsed.outcome.value_or("").find("preload lapsed") != std::string::npos);
}

// The signature is checked again after signing: one that lapses less than 10 minutes after the
// preload would is released and nothing goes to the terminal.
BOOST_AUTO_TEST_CASE(a_signature_that_would_lapse_before_the_preload_sends_nothing) {
    World world;
    world.terminal->traits().preload =
        core::PreloadLimits{.step = std::chrono::minutes(1), .longest = std::chrono::hours(60)};
    // The invoice was issued at 10:00Z; its 2-hour signature lapses at 12:00Z.
    world.clock.advance(std::chrono::minutes(5));
    auto request = world.sale();
    request.preload = std::chrono::minutes(110);
    const auto entry = world.service->pay(request);
    BOOST_TEST(stateName(entry.state) == "FAILED");
    BOOST_TEST(entry.outcome.value_or("").find("expires at") != std::string::npos);
    BOOST_TEST(world.terminal->started.empty());
    BOOST_TEST(!entry.networkReference.has_value());
}

// Autonomous mode is refused before anything is written unless the operator allows it on the
// terminal and the network has the form, and only for a plain sale; each refusal names
// "autonomous".
BOOST_AUTO_TEST_CASE(autonomous_mode_needs_the_operator_and_the_network) {
    auto request = World().sale();
    request.autonomous = core::AutonomousReason::InterconnectionLoss;
    {
        World world;
        requireFieldError<core::InputError>([&] { world.service->pay(request); }, "autonomous",
                                            "autonomous = allow");
        BOOST_TEST(world.journal.list().empty());
    }
    World world({}, [](plugin::TerminalBinding& binding) { binding.autonomousAllowed = true; });
    requireFieldError<core::InputError>([&] { world.service->pay(request); }, "autonomous",
                                        "publishes no request");
    world.terminal->traits().autonomous = true;
    auto preauth = request;
    preauth.preauth = true;
    requireFieldError<core::InputError>([&] { world.service->pay(preauth); }, "autonomous",
                                        "plain card sale");
    BOOST_TEST(world.journal.list().empty());
    BOOST_TEST(world.terminal->started.empty());
}

// With autonomous mode allowed and offered, a sale goes ahead without the provider's signature
// only when the provider cannot be reached (a transport failure or its 5xx), with the reason in
// the entry and no signature in its myDATA line; the provider's refusal (4xx) still stops it, and
// a provider that answers signs as usual. 48 hours after the first autonomous payment with no
// signature since, autonomous mode is over: the sale fails, nothing sent.
BOOST_AUTO_TEST_CASE(a_sale_goes_ahead_without_the_provider_only_while_it_cannot_be_reached) {
    World world({}, [](plugin::TerminalBinding& binding) { binding.autonomousAllowed = true; });
    world.terminal->traits().autonomous = true;
    world.provider.before = [] {
        throw core::TransportError(core::TransportError::Stage::Connect,
                                   "connection refused by provider.example");
    };
    world.terminal->onQuery = [](const std::string&, int) {
        auto approved = report(core::TerminalStage::Final, core::PaymentOutcome::Approved);
        approved.ids.transactionId = "075000001000001123456";
        return approved;
    };
    auto request = world.sale();
    request.autonomous = core::AutonomousReason::InterconnectionLoss;
    const auto taken = world.service->pay(request);
    BOOST_TEST(stateName(taken.state) == "APPROVED");
    BOOST_TEST(taken.autonomousReason.value_or("") == "interconnection_loss");
    BOOST_TEST(!taken.signatureId.has_value());
    BOOST_TEST_REQUIRE(world.terminal->started.size() == 1u);
    BOOST_TEST(world.terminal->started[0].autonomous.has_value());
    BOOST_TEST(world.terminal->started[0].signature.input.empty());
    const auto line = plugin::mydataPaymentLine(taken, "entry");
    BOOST_TEST(!line.providersSignature.has_value());
    BOOST_TEST(line.transactionId.value_or("") == "075000001000001123456");

    // Its refusal is no outage: nothing goes ahead.
    world.provider.before = [] {
        throw signing::ProviderError(422, "terminal_id is not registered",
                                     {{"terminal_id", {"not registered"}}});
    };
    auto refused = world.sale("8");
    refused.autonomous = core::AutonomousReason::InterconnectionLoss;
    BOOST_CHECK_THROW(world.service->pay(refused), signing::ProviderError);
    BOOST_TEST(world.terminal->started.size() == 1u);

    // 49 hours on, with nothing signed since, the period is over.
    world.clock.advance(std::chrono::hours(49));
    world.provider.before = [] {
        throw signing::ProviderError(503, "maintenance", {});
    };
    auto late = world.sale("9");
    late.autonomous = core::AutonomousReason::InterconnectionLoss;
    const auto over = world.service->pay(late);
    BOOST_TEST(stateName(over.state) == "FAILED");
    BOOST_TEST(over.outcome.value_or("").find("more than 48 hours") != std::string::npos);
    BOOST_TEST(!over.autonomous());
    BOOST_TEST(world.terminal->started.size() == 1u);

    // The provider answers again: an ordinary signed payment, even when autonomous was asked.
    world.provider.before = {};
    auto back = world.sale("10");
    back.autonomous = core::AutonomousReason::InterconnectionLoss;
    const auto signedSale = world.service->pay(back);
    BOOST_TEST(stateName(signedSale.state) == "APPROVED");
    BOOST_TEST(signedSale.signatureId.has_value());
    BOOST_TEST(!signedSale.autonomous());
    BOOST_TEST(!world.terminal->started.back().autonomous.has_value());
}
