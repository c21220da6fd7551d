// The PaymentService's operations beyond a plain sale, driven through a scripted terminal so that
// each step happens exactly when the test says: a cancel before and during a payment, a webhook's
// nudge, a batch close, a network that queues requests on one terminal, a pre-authorisation and
// its capture, an unreferenced refund. The journal is a real SQLite file and the signatures are
// real (the provider's key is Mellon's published test key).
#include "core/errors.hpp"
#include "einvoice/invoice.hpp"
#include "plugin/journal/cash_journal.hpp"
#include "plugin/payment_service.hpp"
#include "signing/local_signer.hpp"
#include "tests/support/shared_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

using namespace fiscpos;
using plugin::EntryKind;
using plugin::EntryState;

namespace {

const core::TimePoint start = core::toTimePoint(core::parseIso8601("2026-11-24T10:00:00Z", "t"));

std::string invoiceJson(const std::string& aa = "7") {
    return R"({"issuer": {"vat": "999999999", "branch": 0, "country": "GR"},
               "series": "A", "aa": ")" +
           aa + R"(", "type": "11.1", "issued_at": "2026-11-24T12:00:00+02:00",
               "totals": {"net": "10.00", "vat": "2.40", "gross": "12.40"},
               "lines": [{"net": "10.00", "vat_category": 1, "vat": "2.40",
                          "income": {"type": "E3_561_003", "category": "category1_1"}}]})";
}

core::TerminalReport report(core::TerminalStage stage,
                            std::optional<core::PaymentOutcome> outcome = std::nullopt) {
    core::TerminalReport r;
    r.stage = stage;
    r.outcome = outcome;
    return r;
}

// A terminal whose every answer the test scripts. It reports one exchange per call, as a real
// adapter would, so the test can see which entry it was journaled under.
class ScriptedTerminal final : public core::Terminal {
public:
    std::function<core::TerminalReport(const core::PaymentRequest&)> onStart =
        [](const core::PaymentRequest&) {
            return report(core::TerminalStage::Pending);
        };
    std::function<core::TerminalReport(const std::string&, int)> onQuery = [](const std::string&,
                                                                              int) {
        return report(core::TerminalStage::Final, core::PaymentOutcome::Approved);
    };
    std::function<core::TerminalReport(const std::string&)> onAbort;
    std::function<core::TerminalReport(const std::string&)> onCloseBatch;
    bool queues = false;

    std::mutex mutex;
    std::vector<core::PaymentRequest> started;
    std::vector<std::string> aborted;
    std::map<std::string, int> queries;

    std::string network() const override { return "scripted"; }
    core::TerminalReport start(const core::PaymentRequest& request) override {
        {
            std::lock_guard lock(mutex);
            started.push_back(request);
        }
        exchange("POST", "/start/" + request.reference);
        return onStart(request);
    }
    core::TerminalReport query(const std::string& reference) override {
        int n = 0;
        {
            std::lock_guard lock(mutex);
            n = ++queries[reference];
        }
        exchange("GET", "/query/" + reference);
        return onQuery(reference, n);
    }
    core::TerminalReport voidPayment(const core::VoidRequest&) override {
        return report(core::TerminalStage::Final, core::PaymentOutcome::Approved);
    }
    std::vector<core::TerminalDevice> devices() override { return {}; }
    core::TerminalReport abort(const std::string& reference) override {
        if (!onAbort) {
            return core::Terminal::abort(reference);
        }
        {
            std::lock_guard lock(mutex);
            aborted.push_back(reference);
        }
        exchange("DELETE", "/abort/" + reference);
        return onAbort(reference);
    }
    core::TerminalReport closeBatch(const std::string& reference) override {
        exchange("POST", "/batch/" + reference);
        return onCloseBatch(reference);
    }
    bool closesBatchOnRequest() const override { return static_cast<bool>(onCloseBatch); }
    bool queuesRequests() const override { return queues; }
    void observe(core::HttpObserver observer) override { observer_ = std::move(observer); }

private:
    void exchange(const std::string& method, const std::string& path) {
        if (observer_) {
            core::HttpExchange e;
            e.method = method;
            e.url = "https://scripted.example" + path;
            e.status = 200;
            e.responseBody = "{}";
            observer_(e);
        }
    }
    core::HttpObserver observer_;
};

struct World {
    core::ManualClock clock{start};
    std::filesystem::path dir = test::freshTempDir("operations");
    plugin::CashJournal journal =
        plugin::CashJournal::open("sqlite:" + (dir / "journal.db").string(), clock);
    signing::LocalSigner signer{signing::PrivateKey::fromPemFile(test::mellonPrivateKey()), "999",
                                clock};
    std::shared_ptr<ScriptedTerminal> terminal = std::make_shared<ScriptedTerminal>();
    std::unique_ptr<plugin::PaymentService> service;

    World() {
        plugin::TerminalBinding binding{"T1",  "scripted",           "99000031",
                                        "999", signing::Nsp::WebEcr, terminal};
        plugin::PaymentServiceOptions options;
        options.schedule = plugin::PollSchedule(std::chrono::seconds(60));
        service = std::make_unique<plugin::PaymentService>(
            journal, signer, std::map<std::string, plugin::TerminalBinding>{{"T1", binding}}, clock,
            options);
    }

    plugin::PayRequest sale(const std::string& aa = "7") const {
        plugin::PayRequest request;
        request.terminal = "T1";
        request.invoiceJson = invoiceJson(aa);
        request.invoice = einvoice::parseInvoice(request.invoiceJson);
        return request;
    }

    // The journaled exchanges of an entry, as "METHOD path".
    std::vector<std::string> exchangesOf(const std::string& entryId) const {
        std::vector<std::string> seen;
        for (const auto& event : journal.events(entryId)) {
            if (event.record.httpMethod && event.record.url) {
                seen.push_back(
                    *event.record.httpMethod + " " +
                    event.record.url->substr(std::string("https://scripted.example").size()));
            }
        }
        return seen;
    }
};

template <typename E, typename F> std::string codeOf(F&& f) {
    try {
        f();
    } catch (const E& e) {
        return e.code();
    }
    return "no error";
}

} // namespace

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
    a_batch_close_is_refused_before_anything_is_written_where_the_network_closes_itself) {
    World world;
    BOOST_TEST(codeOf<core::Error>([&] { world.service->closeBatch("T1"); }) == "not_supported");
    BOOST_TEST(world.journal.list().empty());
}

BOOST_AUTO_TEST_CASE(a_batch_close_keeps_the_networks_totals) {
    World world;
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
    // The same key again is the same close.
    BOOST_TEST(world.service->closeBatch("T1", std::string("close-1")).id == entry.id);
    BOOST_TEST(world.journal.list().size() == 1U);
}

BOOST_AUTO_TEST_CASE(a_network_that_queues_requests_runs_two_payments_on_one_terminal_at_once) {
    World world;
    world.terminal->queues = true;
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
    // Each payment's exchanges are journaled under its own entry.
    for (const auto& entry : {first, second}) {
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
