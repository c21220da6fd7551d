// The PaymentService end to end against the simulator over loopback HTTP: the simulated provider
// signs with Mellon's test key, the simulated Mellon WebECR network runs the intents (at 50 times
// real speed), and the cash journal is a SQLite file.
#include "core/errors.hpp"
#include "core/http_client.hpp"
#include "core/ids.hpp"
#include "einvoice/invoice.hpp"
#include "einvoice/mydata_xml.hpp"
#include "einvoice/xsd_validator.hpp"
#include "mellon/webecr_terminal.hpp"
#include "plugin/journal/cash_journal.hpp"
#include "plugin/mydata_payment.hpp"
#include "plugin/payment_runtime.hpp"
#include "plugin/payment_service.hpp"
#include "signing/provider_client.hpp"
#include "sim/mellon/mellon_party.hpp"
#include "sim/provider/provider_party.hpp"
#include "sim/server/sim_server.hpp"
#include "tests/support/payment_sim.hpp"
#include "tests/support/shared_dir.hpp"
#include "tests/support/test_journal.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <fstream>
#include <map>

using namespace fiscpos;
using plugin::EntryState;

namespace {

std::string invoiceJson(const std::string& gross, const std::string& net, const std::string& vat) {
    return R"({"issuer": {"vat": "999999999", "branch": 0, "country": "GR"},
               "series": "A", "aa": "7", "type": "11.1", "issued_at": ")" +
           core::athensIso8601(std::chrono::system_clock::now()) + R"(",
               "totals": {"net": ")" +
           net + R"(", "vat": ")" + vat + R"(", "gross": ")" + gross +
           R"("},
               "lines": [{"net": ")" +
           net + R"(", "vat_category": 1, "vat": ")" + vat + R"(",
                          "income": {"type": "E3_561_003", "category": "category1_1"}}]})";
}

// A signer that signs another amount than asked: what a confused provider would do.
class WrongAmountSigner final : public signing::Signer {
public:
    explicit WrongAmountSigner(signing::Signer& inner)
        : inner_(inner) {}
    signing::ProviderSignature sign(const signing::SignatureRequest& request) override {
        auto changed = request;
        changed.payment = changed.payment - core::Money::fromCents(1);
        return inner_.sign(changed);
    }
    signing::ProviderSignature find(const std::string& id) override { return inner_.find(id); }
    signing::ProviderSignature cancel(const std::string& id) override { return inner_.cancel(id); }
    std::vector<signing::ProviderSignature> listPending() override { return inner_.listPending(); }

private:
    signing::Signer& inner_;
};

struct World {
    core::SystemClock clock;
    sim::SimServer server{[] {
        sim::SimServerOptions options;
        options.timeScale = 50;
        return options;
    }()};
    std::filesystem::path dir = test::freshTempDir("payments");
    plugin::CashJournal journal = plugin::CashJournal::open(test::testJournalUrl(dir), clock);
    std::unique_ptr<signing::MydataProviderClient> provider;
    std::shared_ptr<mellon::WebEcrTerminal> terminal;
    std::unique_ptr<plugin::PaymentService> service;

    explicit World(std::chrono::milliseconds deadline = std::chrono::seconds(20)) {
        test::addPaymentParties(server, "test-token");
        server.start();

        signing::ProviderClientOptions clientOptions;
        clientOptions.baseUrl = server.baseUrl() + "/provider";
        clientOptions.token = "test-token";
        clientOptions.providerId = "999";
        provider = std::make_unique<signing::MydataProviderClient>(clientOptions);

        mellon::WebEcrSettings settings;
        settings.section = "terminal.A3";
        settings.url = server.baseUrl() + "/mellon";
        settings.username = "sim-user";
        settings.password = "sim-password";
        settings.apiKey = "c2ltLXdlYmVjci1rZXktMQ";
        settings.posId = "358046";
        settings.tid = "99000031";
        settings.providerId = "999";
        terminal = std::make_shared<mellon::WebEcrTerminal>(settings);

        plugin::TerminalBinding binding{"A3",     "mellon", "99000031", "999", signing::Nsp::WebEcr,
                                        terminal, nullptr};
        plugin::PaymentServiceOptions options;
        options.schedule = plugin::PollSchedule(deadline);
        service = std::make_unique<plugin::PaymentService>(
            journal, *provider, std::map<std::string, plugin::TerminalBinding>{{"A3", binding}},
            clock, options);
    }

    plugin::PayRequest sale(const std::string& gross, const std::string& net,
                            const std::string& vat) const {
        plugin::PayRequest request;
        request.terminal = "A3";
        request.invoiceJson = invoiceJson(gross, net, vat);
        request.invoice = einvoice::parseInvoice(request.invoiceJson);
        return request;
    }

    // A refund of the 1.24 sale `sale` with its own credit note (A/8).
    static plugin::RefundRequest refundOf(const plugin::JournalEntry& sale) {
        plugin::RefundRequest request;
        request.originalEntry = sale.id;
        request.creditNoteJson = invoiceJson("1.24", "1.00", "0.24");
        request.creditNote = einvoice::parseInvoice(request.creditNoteJson);
        request.creditNote.type = "11.4";
        request.creditNote.aa = "8";
        return request;
    }

    core::Json mellonStats() { return server.stats()["mellon"]; }
    int intentsFor(const plugin::JournalEntry& entry) {
        const auto stats = mellonStats();
        if (!entry.networkReference ||
            !stats["intents_by_reference"].contains(*entry.networkReference)) {
            return 0;
        }
        return stats["intents_by_reference"][*entry.networkReference].get<int>();
    }
    void fault(const core::Json& rule) {
        core::HttpClient http(server.baseUrl());
        const auto response = http.send(core::HttpRequest::json("POST", "/_sim/faults", rule));
        BOOST_TEST_REQUIRE(response.ok(), response.body);
    }
};

} // namespace

BOOST_AUTO_TEST_SUITE(payment_service)

BOOST_AUTO_TEST_CASE(an_approved_sale_is_journaled_step_by_step) {
    World world;
    std::vector<std::string> steps;
    const auto entry = world.service->pay(world.sale("1.24", "1.00", "0.24"),
                                          [&](const std::string&, const std::string& step,
                                              const std::string&) { steps.push_back(step); });
    BOOST_TEST(plugin::stateName(entry.state) == "APPROVED");
    BOOST_TEST(entry.transactionId.has_value());
    BOOST_TEST(entry.transactionId->size() == 21u);
    BOOST_TEST(entry.signatureInput->find(";100;24;124;124;99000031") != std::string::npos);
    BOOST_TEST(world.intentsFor(entry) == 1);
    BOOST_TEST(steps.front() == "signing");
    BOOST_TEST(steps.back() == "APPROVED");

    // The reference was journaled before any exchange with the network.
    const auto events = world.journal.events(entry.id);
    std::size_t referenceAt = events.size();
    std::size_t firstNetworkAt = events.size();
    for (std::size_t i = 0; i < events.size(); ++i) {
        if (events[i].record.kind == plugin::event_kind::ReferenceChosen &&
            referenceAt == events.size()) {
            referenceAt = i;
        }
        if (events[i].record.kind == plugin::event_kind::NetworkResponse &&
            firstNetworkAt == events.size()) {
            firstNetworkAt = i;
        }
    }
    BOOST_TEST(referenceAt < firstNetworkAt);
    BOOST_TEST(firstNetworkAt < events.size());
    BOOST_TEST(world.journal.verify().ok);
}

BOOST_AUTO_TEST_CASE(a_declined_card_is_not_charged) {
    World world;
    const auto entry = world.service->pay(world.sale("9.99", "8.06", "1.93"));
    BOOST_TEST(plugin::stateName(entry.state) == "DECLINED");
    BOOST_TEST(entry.outcome.has_value());
}

BOOST_AUTO_TEST_CASE(the_same_idempotency_key_never_makes_a_second_intent) {
    World world;
    auto request = world.sale("1.24", "1.00", "0.24");
    request.idempotencyKey = "erp-invoice-A-7";
    const auto first = world.service->pay(request);
    const auto second = world.service->pay(request);
    BOOST_TEST(first.id == second.id);
    BOOST_TEST(plugin::stateName(second.state) == "APPROVED");
    BOOST_TEST(world.mellonStats()["intents_created"].get<int>() == 1);
}

BOOST_AUTO_TEST_CASE(a_lost_answer_to_the_intent_is_asked_for_not_resent) {
    World world;
    world.fault({{"method", "POST"},
                 {"path", "/mellon/api/v2.2/terminal/358046/txninit/"},
                 {"kind", "drop_after"}});
    const auto entry = world.service->pay(world.sale("1.24", "1.00", "0.24"));
    BOOST_TEST(plugin::stateName(entry.state) == "APPROVED");
    BOOST_TEST(world.intentsFor(entry) == 1);
    BOOST_TEST(world.mellonStats()["intents_created"].get<int>() == 1);
}

BOOST_AUTO_TEST_CASE(an_input_that_does_not_match_the_charge_stops_before_the_terminal) {
    World world;
    WrongAmountSigner wrong(*world.provider);
    plugin::TerminalBinding binding{
        "A3", "mellon", "99000031", "999", signing::Nsp::WebEcr, world.terminal, nullptr};
    plugin::PaymentService service(world.journal, wrong, {{"A3", binding}}, world.clock);
    const auto entry = service.pay(world.sale("1.24", "1.00", "0.24"));
    BOOST_TEST(plugin::stateName(entry.state) == "FAILED");
    BOOST_TEST(entry.outcome->find("input.payable") != std::string::npos, *entry.outcome);
    BOOST_TEST(!entry.networkReference.has_value());
    BOOST_TEST(world.mellonStats()["intents_created"].get<int>() == 0);
}

BOOST_AUTO_TEST_CASE(past_the_deadline_it_is_in_doubt_until_status_settles_it) {
    World world(std::chrono::milliseconds(300)); // the sim approves after 4 s simulated = 80 ms
    auto request = world.sale("22.22", "17.92", "4.30"); // approved after 150 s simulated = 3 s
    const auto entry = world.service->pay(request);
    BOOST_TEST(plugin::stateName(entry.state) == "IN_DOUBT");
    // Later, a status refresh finds the approval (poll with a bound instead of one long sleep).
    plugin::JournalEntry settled = entry;
    for (int i = 0; i < 100 && settled.state != EntryState::Approved; ++i) {
        world.clock.waitFor(std::chrono::milliseconds(100));
        settled = world.service->status(entry.id);
    }
    BOOST_TEST(plugin::stateName(settled.state) == "APPROVED");
    BOOST_TEST(world.intentsFor(settled) == 1);
}

BOOST_AUTO_TEST_CASE(reconcile_closes_what_never_reached_the_network) {
    World world;
    // A payment whose process stopped right after journaling its reference.
    plugin::NewEntry crashed;
    crashed.terminal = "A3";
    crashed.network = "mellon";
    crashed.tid = "99000031";
    crashed.amount = core::Money::fromCents(124);
    const auto opened = world.journal.openEntry(crashed);
    auto changes = plugin::EntryChanges::to(EntryState::Sending);
    changes.networkReference = "5f0c3a52-0000-4000-8000-000000000001";
    world.journal.append(opened.entry.id,
                         plugin::EventRecord::make(plugin::event_kind::ReferenceChosen), changes);
    // And one that stopped while signing.
    crashed.amount = core::Money::fromCents(200);
    const auto signing = world.journal.openEntry(crashed);

    const auto settled = world.service->reconcile();
    BOOST_TEST(settled.size() == 2u);
    BOOST_TEST(plugin::stateName(world.journal.get(opened.entry.id).state) == "NOT_CHARGED");
    BOOST_TEST(plugin::stateName(world.journal.get(signing.entry.id).state) == "NOT_CHARGED");
    BOOST_TEST(world.mellonStats()["intents_created"].get<int>() == 0);
    BOOST_TEST(world.journal.verify().ok);
}

BOOST_AUTO_TEST_CASE(a_refund_is_a_new_entry_with_the_credit_notes_own_signature) {
    World world;
    const auto sale = world.service->pay(world.sale("1.24", "1.00", "0.24"));
    BOOST_TEST_REQUIRE(plugin::stateName(sale.state) == "APPROVED");
    plugin::RefundRequest request = World::refundOf(sale);
    request.amount = core::Money::fromCents(100);
    const auto refund = world.service->refund(request);
    BOOST_TEST(plugin::stateName(refund.state) == "APPROVED");
    BOOST_TEST(plugin::kindName(refund.kind) == "refund");
    BOOST_TEST(*refund.originalEntry == sale.id);
    BOOST_TEST(*refund.signatureInput != *sale.signatureInput);
    BOOST_TEST(refund.signatureInput->find(";124;100;99000031") != std::string::npos);
    BOOST_TEST(world.mellonStats()["refunds"].get<int>() == 1);
    // More than what is left of the sale is refused before anything is sent.
    request.amount = core::Money::fromCents(25);
    BOOST_CHECK_THROW(world.service->refund(request), core::InputError);
    BOOST_TEST(world.mellonStats()["refunds"].get<int>() == 1);
}

BOOST_AUTO_TEST_CASE(a_void_marks_the_sale_and_books_nothing) {
    World world;
    const auto sale = world.service->pay(world.sale("1.24", "1.00", "0.24"));
    BOOST_TEST_REQUIRE(plugin::stateName(sale.state) == "APPROVED");
    const auto voided = world.service->voidSale(sale.id);
    BOOST_TEST(plugin::stateName(voided.state) == "APPROVED");
    BOOST_TEST(plugin::kindName(voided.kind) == "void");
    BOOST_TEST(!voided.signatureInput.has_value());
    BOOST_TEST(world.journal.get(sale.id).voided());
    BOOST_TEST(world.mellonStats()["voids"].get<int>() == 1);
    // A voided sale can be neither voided nor refunded again.
    BOOST_CHECK_THROW(world.service->voidSale(sale.id), core::InputError);
    BOOST_TEST(world.mellonStats()["voids"].get<int>() == 1);
    BOOST_TEST(world.journal.verify().ok);
}

// IRIS asked of a WebECR terminal (PaymentType 1): the network reports it (CardType IRIS), the
// journal keeps that, and the myDATA line is type 8, valid against AADE's XSD. WebECR gives IRIS
// payments back through the bank, so a refund or a void is refused before anything is signed,
// journaled or sent. A card payment beside it stays type 7.
BOOST_AUTO_TEST_CASE(an_iris_payment_is_type_8_and_goes_back_through_the_bank) {
    World world;
    auto request = world.sale("1.24", "1.00", "0.24");
    request.iris = true;
    const auto sale = world.service->pay(request);
    BOOST_TEST_REQUIRE(plugin::stateName(sale.state) == "APPROVED");
    BOOST_TEST(sale.cardType.value_or("") == "IRIS");
    const auto line = plugin::mydataPaymentLine(sale, "entry");
    BOOST_TEST(line.type == einvoice::payment_type::iris);
    BOOST_TEST((line.transactionId == sale.transactionId));
    BOOST_TEST(line.providersSignature.has_value());
    const einvoice::XsdValidator xsd(test::mydataXsdDir());
    const std::string xml = einvoice::invoicesDoc(request.invoice, {line});
    BOOST_CHECK_NO_THROW(xsd.validate(xml));
    BOOST_TEST(xml.find("<type>8</type>") != std::string::npos, xml);

    const std::size_t entries = world.journal.list().size();
    const plugin::RefundRequest refund = World::refundOf(sale);
    try {
        world.service->refund(refund);
        BOOST_FAIL("an IRIS payment was refunded through a WebECR terminal");
    } catch (const core::InputError& e) {
        BOOST_TEST(e.field() == "original_entry");
        BOOST_TEST(std::string(e.what()).find("bank transfer") != std::string::npos, e.what());
    }
    BOOST_CHECK_THROW(world.service->voidSale(sale.id), core::InputError);
    BOOST_TEST(world.journal.list().size() == entries);
    BOOST_TEST(world.mellonStats()["refunds"].get<int>() == 0);
    BOOST_TEST(world.mellonStats()["voids"].get<int>() == 0);

    auto other = world.sale("2.00", "1.61", "0.39");
    other.invoice.aa = "9";
    const auto card = world.service->pay(other);
    BOOST_TEST_REQUIRE(plugin::stateName(card.state) == "APPROVED");
    BOOST_TEST(card.cardType.value_or("") != "IRIS");
    BOOST_TEST(plugin::mydataPaymentLine(card, "entry").type == einvoice::payment_type::pos);
}

// A preloaded sale on WebECR: txninit carries PreloadTransaction and PreloadExpiration (minutes)
// and does not wait for the card (Timeout 0); pay() returns it SENT, and status finds it APPROVED
// once the customer paid at the terminal. One nobody pays lapses at the network (FAILED in the
// simulator: the lapsed result is provisional) and status releases its signature.
BOOST_AUTO_TEST_CASE(a_preloaded_sale_is_paid_later_at_the_terminal_or_lapses) {
    World world;
    std::vector<core::Json> bodies;
    world.terminal->observe([&](const core::HttpExchange& exchange) {
        if (exchange.url.find("/txninit/") != std::string::npos) {
            bodies.push_back(
                core::parseJson(exchange.requestBody, "txninit", core::JsonOrigin::Input));
        }
    });
    auto request = world.sale("1.24", "1.00", "0.24");
    request.preload = std::chrono::minutes(90);
    const auto sent = world.service->pay(request);
    BOOST_TEST_REQUIRE(plugin::stateName(sent.state) == "SENT");
    BOOST_TEST(sent.preloadUntil.has_value());
    BOOST_TEST_REQUIRE(bodies.size() == 1u);
    BOOST_TEST(bodies[0]["PreloadTransaction"] == true);
    BOOST_TEST(bodies[0]["PreloadExpiration"] == 90);
    BOOST_TEST(bodies[0]["Timeout"] == 0);
    BOOST_TEST(world.mellonStats()["preloads"].get<int>() == 1);
    BOOST_TEST(plugin::stateName(world.service->status(sent.id).state) == "SENT");

    core::HttpClient http(world.server.baseUrl());
    const auto paid = http.send(core::HttpRequest::json(
        "POST", "/mellon/_control/customer-pays",
        core::Json{{"CustomerReference", sent.networkReference.value_or("")}}));
    BOOST_TEST_REQUIRE(paid.ok(), paid.body);
    const auto approved = world.service->status(sent.id);
    BOOST_TEST(plugin::stateName(approved.state) == "APPROVED");
    BOOST_TEST(approved.transactionId.has_value());
    BOOST_TEST(world.intentsFor(approved) == 1);

    // One minute of simulated time is 1.2 s here; the waits pass on the simulator's clock.
    auto other = world.sale("2.00", "1.61", "0.39");
    other.invoice.aa = "9";
    other.preload = std::chrono::minutes(1);
    const auto held = world.service->pay(other);
    BOOST_TEST_REQUIRE(plugin::stateName(held.state) == "SENT");
    plugin::JournalEntry lapsed = held;
    for (int i = 0; i < 100 && lapsed.open(); ++i) {
        world.server.clock().sleepFor(std::chrono::seconds(5));
        lapsed = world.service->status(held.id);
    }
    BOOST_TEST(plugin::stateName(lapsed.state) == "FAILED");
    BOOST_TEST(!lapsed.transactionId.has_value());
    const auto events = world.journal.events(held.id);
    BOOST_TEST(std::any_of(events.begin(), events.end(), [](const plugin::JournalEvent& e) {
        return e.record.kind == plugin::event_kind::ProviderCancelled;
    }));
}

// Payments taken in autonomous mode (written into the journal as the payment service leaves
// them: no network fiscpos speaks offers the mode yet) get their invoices when reconcile runs,
// with transmissionFailure 1 and no signature, which the provider accepts; one taken more than 48
// hours ago is listed OVERDUE for the accountant and not sent. A Mellon terminal, even with
// autonomous = allow, refuses the mode naming "autonomous".
BOOST_AUTO_TEST_CASE(reconcile_issues_the_invoices_of_payments_taken_without_the_provider) {
    World world;
    const auto config = world.dir / "fiscpos.ini";
    std::ofstream(config) << "[journal]\nurl = sqlite:autonomous.db\n[provider]\nurl = "
                          << world.server.baseUrl()
                          << "/provider\ntoken = test-token\nprovider_id = 999\n"
                          << "[terminal.A3]\nnsp = mellon\nurl = " << world.server.baseUrl()
                          << "/mellon\nusername = sim-user\npassword = sim-password\n"
                             "api_key = c2ltLXdlYmVjci1rZXktMQ\npos_id = 358046\ntid = 99000031\n"
                             "provider_id = 999\nautonomous = allow\n";
    const auto now = std::chrono::system_clock::now();
    std::string old;
    std::string recent;
    {
        core::ManualClock clock{now - std::chrono::hours(50)};
        auto journal =
            plugin::CashJournal::open("sqlite:" + (world.dir / "autonomous.db").string(), clock);
        const auto write = [&](const std::string& aa) {
            std::string json = invoiceJson("1.24", "1.00", "0.24");
            json.replace(json.find(R"("aa": "7")"), 9, R"("aa": ")" + aa + "\"");
            const auto invoice = einvoice::parseInvoice(json);
            plugin::NewEntry entry;
            entry.terminal = "A3";
            entry.network = "mellon";
            entry.tid = "99000031";
            entry.amount = invoice.totals.gross;
            entry.invoiceUid = invoice.uid();
            entry.invoiceSeries = invoice.series;
            entry.invoiceAa = aa;
            entry.invoiceType = invoice.type;
            entry.invoiceIssuedAt = invoice.issuedAt;
            entry.request = json;
            const auto opened = journal.openEntry(entry).entry;
            auto changes = plugin::EntryChanges::to(EntryState::Approved);
            changes.autonomousReason = "interconnection_loss";
            changes.transactionId = "07500000100000" + aa + "12345";
            changes.networkReference = core::newUuid();
            journal.append(opened.id, plugin::EventRecord::make(plugin::event_kind::State),
                           changes);
            return opened.id;
        };
        old = write("61");
        clock.set(now - std::chrono::hours(1));
        recent = write("62");
    }
    plugin::PaymentRuntime runtime(config);
    std::map<std::string, core::Json> byEntry;
    for (const auto& done : runtime.completeAutonomous({})) {
        byEntry[done["entry"].get<std::string>()] = done;
    }
    BOOST_TEST_REQUIRE(byEntry.size() == 2u);
    BOOST_TEST(byEntry[old]["state"] == "OVERDUE");
    BOOST_TEST(byEntry[recent]["state"] == "ISSUED", core::dumpJson(byEntry[recent]));
    BOOST_TEST(byEntry[recent].contains("mark"));
    const auto provider = world.server.stats()["provider"];
    BOOST_TEST(provider["unsigned_card_payments"].get<int>() == 1, core::dumpJson(provider));
    BOOST_TEST(provider["invoices_issued"].get<int>() == 1);
    // Once issued, it is left alone; the overdue one stays listed.
    BOOST_TEST(runtime.completeAutonomous({}).size() == 1u);

    auto request = world.sale("1.24", "1.00", "0.24");
    request.invoice.aa = "63";
    request.autonomous = core::AutonomousReason::InterconnectionLoss;
    try {
        runtime.service().pay(request);
        BOOST_FAIL("a Mellon terminal took a payment in autonomous mode");
    } catch (const core::InputError& e) {
        BOOST_TEST(e.field() == "autonomous");
        BOOST_TEST(std::string(e.what()).find("publishes no request") != std::string::npos,
                   e.what());
    }
}

BOOST_AUTO_TEST_CASE(an_unknown_terminal_is_bad_input_before_anything_is_written) {
    World world;
    auto request = world.sale("1.24", "1.00", "0.24");
    request.terminal = "Z9";
    BOOST_CHECK_THROW(world.service->pay(request), core::InputError);
    BOOST_TEST(world.journal.list().empty());
}

BOOST_AUTO_TEST_SUITE_END()
