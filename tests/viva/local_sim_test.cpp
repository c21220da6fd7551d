// The Viva Local Terminal API terminal (nsp = viva-local) against the simulated terminal under
// /viva-local over real HTTP on loopback: a sale approved, declined, cancelled, a busy terminal, a
// terminal that cannot be reached, an answer lost after the POST, a reboot that forgets a session,
// a Store-and-Forward approval with and without its myDATA ids, the AADE check, refunds, voids,
// aborts, and a whole payment through the PaymentService from a configuration file. Simulated
// time runs fast; waits poll on the simulator's clock with a bound.
#include "core/errors.hpp"
#include "core/files.hpp"
#include "core/http_client.hpp"
#include "core/ids.hpp"
#include "einvoice/invoice.hpp"
#include "network/network_module.hpp"
#include "plugin/mydata_payment.hpp"
#include "plugin/payment_runtime.hpp"
#include "plugin/payment_service.hpp"
#include "sim/server/sim_server.hpp"
#include "tests/support/shared_dir.hpp"
#include "tests/support/viva_sim.hpp"
#include "tests/viva/viva_test_support.hpp"
#include "viva/local_provisional_api.hpp"
#include "viva/local_terminal.hpp"
#include "viva/viva_client.hpp"

#include <boost/test/unit_test.hpp>

#include <functional>

using namespace fiscpos;
using namespace fiscpos::viva;
using namespace fiscpos::viva::test;
using core::Json;
using core::Money;
using core::PaymentOutcome;
using core::TerminalReport;
using core::TerminalStage;
using std::chrono::milliseconds;
using std::chrono::seconds;
using viva::local::LocalTerminal;

namespace {

constexpr const char* salePath = "/viva-local/pos/v1/sale";

struct LocalWorld {
    explicit LocalWorld(sim::VivaSimOptions options = {}, double timeScale = 100.0)
        : server(sim::SimServerOptions{.timeScale = timeScale})
        , clock(server.clock()) {
        fiscpos::test::addVivaParties(server, std::move(options));
        server.start();
        http = std::make_unique<core::HttpClient>(server.baseUrl());
        terminal = std::make_unique<LocalTerminal>(settings(), clock);
    }

    local::LocalSettings settings() const {
        local::LocalSettings settings;
        settings.viva.section = "terminal.L1";
        settings.viva.tid = testTid;
        settings.viva.providerId = testProviderId;
        settings.url = server.baseUrl() + "/viva-local";
        return settings;
    }

    Json post(const std::string& target, const Json& body = Json::object()) {
        const core::HttpResponse response =
            http->send(core::HttpRequest::json("POST", target, body));
        BOOST_TEST_REQUIRE(response.ok(),
                           target << ": " << response.status << " " << response.body);
        return response.json(target);
    }
    Json stats() {
        return http->send(core::HttpRequest::get("/_sim/stats")).json("stats")["viva_local"];
    }
    std::int64_t stat(const char* name) { return stats()[name].get<std::int64_t>(); }
    std::int64_t posts(const std::string& reference) {
        const Json counted = stats()["session_posts"];
        return counted.contains(reference) ? counted[reference].get<std::int64_t>() : 0;
    }

    TerminalReport waitFinal(const std::string& reference, milliseconds bound = seconds(90)) {
        return viva::test::waitFinal(*terminal, server.clock(), reference, bound);
    }

    core::PaymentRequest sale(std::int64_t cents) {
        return saleRequest(sign(Money::fromCents(cents), testTid, std::to_string(++invoice)),
                           core::newUuid());
    }

    TerminalReport pay(const core::PaymentRequest& request) {
        const TerminalReport started = terminal->start(request);
        BOOST_TEST(started.stage == TerminalStage::Pending);
        BOOST_TEST(started.networkStatus == "PROCESSING");
        BOOST_TEST(started.ids.intentId == request.reference);
        return waitFinal(request.reference);
    }

    sim::SimServer server;
    const sim::SimClock& clock;
    std::unique_ptr<core::HttpClient> http;
    std::unique_ptr<LocalTerminal> terminal;
    int invoice = 0;
};

} // namespace

BOOST_AUTO_TEST_SUITE(viva_local_sim)

BOOST_AUTO_TEST_CASE(an_approved_sale_carries_every_id) {
    LocalWorld world;
    const auto request = world.sale(1240);
    const TerminalReport report = world.pay(request);
    BOOST_TEST(report.outcome == PaymentOutcome::Approved);
    BOOST_TEST(report.networkStatus == "SUCCESS");
    BOOST_TEST(report.ids.intentId == request.reference);
    BOOST_TEST(allDigits(report.ids.transactionId), report.ids.transactionId);
    BOOST_TEST(report.ids.networkTransactionRef.size() == 36U);
    BOOST_TEST(report.tid == testTid);
    BOOST_TEST(!report.rrn.empty());
    BOOST_TEST(!report.authCode.empty());
    BOOST_TEST(!report.maskedPan.empty());
    BOOST_TEST(report.amount.value().cents() == 1240);
    BOOST_TEST(world.stat("sales") == 1);
    BOOST_TEST(world.posts(request.reference) == 1);
    BOOST_TEST(world.terminal->network() == "viva-local");
}

BOOST_AUTO_TEST_CASE(success_with_is_success_false_is_a_decline) {
    LocalWorld world;
    const auto request = world.sale(999);
    world.terminal->start(request);
    // The terminal's own words: SUCCESS, isSuccess false, eventId 1006.
    TerminalReport report = world.waitFinal(request.reference);
    const Json raw =
        world.http->send(core::HttpRequest::get("/viva-local/pos/v1/sessions/" + request.reference))
            .json("session");
    BOOST_TEST(raw["state"] == "SUCCESS");
    BOOST_TEST(raw["payloadData"]["saleResponse"]["isSuccess"] == false);
    BOOST_TEST(raw["payloadData"]["saleResponse"]["retrievalReferenceNumber"].is_string());
    BOOST_TEST(report.outcome == PaymentOutcome::Declined);
    BOOST_TEST(report.message.find("1006") != std::string::npos, report.message);
    BOOST_TEST(report.ids.transactionId.empty());
}

BOOST_AUTO_TEST_CASE(failures_mean_what_the_cloud_event_ids_mean) {
    LocalWorld world;
    const TerminalReport cancelled = world.pay(world.sale(3333));
    BOOST_TEST(cancelled.outcome == PaymentOutcome::Cancelled);
    BOOST_TEST(cancelled.networkStatus == "FAILURE, eventId 1000");
}

BOOST_AUTO_TEST_CASE(a_busy_terminal_starts_nothing_and_the_sale_is_never_posted_again) {
    LocalWorld world;
    const auto first = world.sale(8888); // never finishes: the terminal stays busy
    world.terminal->start(first);
    const auto second = world.sale(1240);
    const TerminalReport refused = world.terminal->start(second);
    BOOST_TEST(refused.stage == TerminalStage::Final);
    BOOST_TEST(refused.outcome == PaymentOutcome::Failed);
    BOOST_TEST(refused.networkStatus == "BUSY_ERROR");
    BOOST_TEST(refused.message.find("nothing was charged") != std::string::npos);
    BOOST_TEST(world.stat("busy_answers") == 1);
    BOOST_TEST(world.posts(second.reference) == 1);
    // Asked about, the refused sale is one the terminal never had: nothing was charged.
    BOOST_TEST(world.terminal->query(second.reference).stage == TerminalStage::NotFound);
    BOOST_TEST(world.posts(second.reference) == 1);
    BOOST_TEST(world.terminal->query(first.reference).stage == TerminalStage::OnDevice);
}

BOOST_AUTO_TEST_CASE(an_unreachable_terminal_gets_nothing) {
    LocalWorld world;
    local::LocalSettings settings = world.settings();
    settings.url = "http://127.0.0.1:1"; // nothing listens there
    settings.viva.http.connectAttempts = 1;
    LocalTerminal unreachable(settings, world.clock);
    const auto request = world.sale(1240);
    const auto error = requireThrows<core::TransportError>([&] { unreachable.start(request); });
    BOOST_TEST(!error.outcomeUnknown());
    // This process knows the request never left: the sale is one the terminal never had.
    BOOST_TEST(world.stat("sales") == 0);
}

BOOST_AUTO_TEST_CASE(a_lost_answer_is_asked_about_never_posted_again) {
    LocalWorld world;
    world.post("/_sim/faults",
               Json{{"method", "POST"}, {"path", salePath}, {"kind", "drop_after"}});
    const auto request = world.sale(1240);
    const auto error = requireThrows<core::TransportError>([&] { world.terminal->start(request); });
    BOOST_TEST(error.outcomeUnknown());
    const TerminalReport report = world.waitFinal(request.reference);
    BOOST_TEST(report.outcome == PaymentOutcome::Approved);
    BOOST_TEST(world.posts(request.reference) == 1);
}

BOOST_AUTO_TEST_CASE(a_lost_request_is_one_the_terminal_never_had) {
    LocalWorld world;
    world.post("/_sim/faults",
               Json{{"method", "POST"}, {"path", salePath}, {"kind", "drop_before"}});
    const auto request = world.sale(1240);
    requireThrows<core::TransportError>([&] { world.terminal->start(request); });
    BOOST_TEST(world.terminal->query(request.reference).stage == TerminalStage::NotFound);
    BOOST_TEST(world.stat("sales") == 0);
}

BOOST_AUTO_TEST_CASE(a_reboot_after_the_terminal_took_the_sale_leaves_it_in_doubt) {
    sim::VivaSimOptions options;
    options.merchant.timing.completeAfter = seconds(300);
    LocalWorld world(options);
    const auto request = world.sale(1240);
    BOOST_TEST(world.terminal->start(request).stage == TerminalStage::Pending);
    BOOST_TEST(world.post("/viva-local/_control/reboot")["forgotten"] == 1);
    const TerminalReport report = world.terminal->query(request.reference);
    BOOST_TEST(report.stage == TerminalStage::Final);
    BOOST_TEST(report.outcome == PaymentOutcome::InDoubt);
    BOOST_TEST(report.networkStatus == "SESSION_NOT_FOUND_ERROR");
    BOOST_TEST(report.message.find("fiscpos:" + request.reference) != std::string::npos,
               report.message);
    // Another process (a restart) cannot tell when it was sent: in doubt as well.
    LocalTerminal restarted(world.settings(), world.clock);
    BOOST_TEST(restarted.query(request.reference).outcome == PaymentOutcome::InDoubt);
}

// A process that did not send it is told the earliest the request can have left (the entry's
// opening): a session the terminal does not know is never arrived within 30 s of it, in doubt
// after, and a moment in the future tells nothing.
BOOST_AUTO_TEST_CASE(a_restarted_process_reads_a_missing_session_by_the_entrys_opening) {
    LocalWorld world;
    const std::string reference = core::newUuid();
    const core::TimePoint now = world.clock.now();
    const auto askedBy = [&](core::TimePoint opened) {
        LocalTerminal restarted(world.settings(), world.clock);
        return restarted.query(reference, {}, opened);
    };
    BOOST_TEST(askedBy(now - seconds(5)).stage == TerminalStage::NotFound);
    const TerminalReport late = askedBy(now - seconds(40));
    BOOST_TEST(late.stage == TerminalStage::Final);
    BOOST_TEST(late.outcome == PaymentOutcome::InDoubt);
    BOOST_TEST(askedBy(now + seconds(60)).outcome == PaymentOutcome::InDoubt);
    BOOST_TEST(world.stat("sales") == 0);
}

BOOST_AUTO_TEST_CASE(store_and_forward_is_approved_offline) {
    LocalWorld world;
    const TerminalReport withIds = world.pay(world.sale(sim::viva::local_amounts::offlineApproved));
    BOOST_TEST(withIds.outcome == PaymentOutcome::Approved);
    BOOST_TEST(withIds.networkStatus == "approved-offline");
    BOOST_TEST(allDigits(withIds.ids.transactionId));      // the myDATA line can be made
    BOOST_TEST(withIds.ids.networkTransactionRef.empty()); // Viva's id comes online
    BOOST_TEST(withIds.message.find("Store-and-Forward") != std::string::npos);

    const TerminalReport withoutIds =
        world.pay(world.sale(sim::viva::local_amounts::offlineWithoutAade));
    BOOST_TEST(withoutIds.outcome == PaymentOutcome::Approved);
    BOOST_TEST(withoutIds.networkStatus == "approved-offline");
    BOOST_TEST(withoutIds.ids.transactionId.empty()); // no myDATA line before reconciliation
    BOOST_TEST(withoutIds.message.find("reconciliation") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_terminal_checks_the_providers_signature) {
    LocalWorld world;
    auto request = world.sale(1240);
    request.signature.signatureBase64 = world.sale(1250).signature.signatureBase64;
    const TerminalReport report = world.pay(request);
    BOOST_TEST(report.outcome == PaymentOutcome::Failed);
    BOOST_TEST(report.networkStatus == "FAILURE, eventId 1076");
}

BOOST_AUTO_TEST_CASE(a_refund_names_the_sales_viva_transaction) {
    LocalWorld world;
    const TerminalReport sale = world.pay(world.sale(1240));
    BOOST_TEST_REQUIRE(sale.outcome == PaymentOutcome::Approved);
    auto refund = world.sale(500);
    refund.kind = core::PaymentKind::Refund;
    refund.original = sale.ids;
    const TerminalReport refunded = world.pay(refund);
    BOOST_TEST(refunded.outcome == PaymentOutcome::Approved);
    BOOST_TEST(world.stat("refunds") == 1);

    // Without the sale's Viva transactionId there is nothing to name.
    auto orphan = world.sale(500);
    orphan.kind = core::PaymentKind::Refund;
    orphan.original =
        core::NetworkPaymentIds{.intentId = "x", .transactionId = "1", .networkTransactionRef = ""};
    requireFieldError<core::InputError>([&] { world.terminal->admit(orphan); },
                                        "original.networkTransactionRef");
    // A refund of a transaction the terminal does not know ends 1101.
    auto unknown = world.sale(500);
    unknown.kind = core::PaymentKind::Refund;
    unknown.original = core::NetworkPaymentIds{
        .intentId = "x", .transactionId = "1", .networkTransactionRef = core::newUuid()};
    BOOST_TEST(world.pay(unknown).outcome == PaymentOutcome::Failed);
}

BOOST_AUTO_TEST_CASE(a_void_refunds_the_whole_sale) {
    LocalWorld world;
    const auto request = world.sale(1240);
    const TerminalReport sale = world.pay(request);
    BOOST_TEST_REQUIRE(sale.outcome == PaymentOutcome::Approved);
    core::VoidRequest voiding;
    voiding.reference = core::newUuid();
    voiding.original = sale.ids;
    voiding.amount = Money::fromCents(1240);
    voiding.originalSignature = request.signature;
    BOOST_TEST(world.terminal->voidPayment(voiding).stage == TerminalStage::Pending);
    BOOST_TEST(world.waitFinal(voiding.reference).outcome == PaymentOutcome::Approved);
}

BOOST_AUTO_TEST_CASE(an_abort_is_a_request_and_the_session_gives_the_outcome) {
    sim::VivaSimOptions options;
    options.merchant.timing.completeAfter = seconds(300);
    LocalWorld world(options);
    const auto request = world.sale(1240);
    world.terminal->start(request);
    const TerminalReport aborted = world.terminal->abort(request.reference);
    BOOST_TEST(aborted.stage == TerminalStage::OnDevice);
    BOOST_TEST(aborted.networkStatus == "ABORT_PROCESSING");
    const TerminalReport report = world.waitFinal(request.reference);
    BOOST_TEST(report.outcome == PaymentOutcome::Cancelled);
    BOOST_TEST(report.networkStatus == "FAILURE, eventId 1016");
    requireThrows<AbortRefused>([&] { world.terminal->abort(core::newUuid()); });
}

BOOST_AUTO_TEST_CASE(the_devices_call_probes_the_terminal) {
    LocalWorld world;
    const auto devices = world.terminal->devices();
    BOOST_TEST_REQUIRE(devices.size() == 1U);
    BOOST_TEST(devices[0].tid == testTid);
    BOOST_TEST(devices[0].status == "reachable");
}

BOOST_AUTO_TEST_CASE(settings_name_what_is_wrong) {
    const auto config = core::Config::fromText(
        "[terminal.L1]\nnsp = viva-local\nurl = https://192.168.1.50\ntid = 16000010\n"
        "certificate_sha256 = " +
        std::string(64, 'a') + "\n");
    const auto& module = network::builtinNetworks().of(config, "L1");
    BOOST_TEST(module.title == "Viva Local Terminal API");
    requireFieldError<core::ConfigError>(
        [&] { module.terminal(config, "L1", core::systemClock(), network::TerminalUse::Payments); },
        "terminal.L1.url");
    const auto plain = core::Config::fromText("[terminal.L1]\nnsp = viva-local\n"
                                              "url = http://192.168.1.50:8080\ntid = 16000010\n");
    requireFieldError<core::ConfigError>(
        [&] { module.terminal(plain, "L1", core::systemClock(), network::TerminalUse::Payments); },
        "terminal.L1.url");
    const auto unpinned = core::Config::fromText("[terminal.L1]\nnsp = viva-local\n"
                                                 "url = https://192.168.1.50:8080\ntid = 1\n");
    requireFieldError<core::ConfigError>(
        [&] {
            module.terminal(unpinned, "L1", core::systemClock(), network::TerminalUse::Payments);
        },
        "terminal.L1.certificate_sha256");
    const auto badPin = core::Config::fromText("[terminal.L1]\nnsp = viva-local\n"
                                               "url = https://192.168.1.50:8080\ntid = 1\n"
                                               "certificate_sha256 = 12:34\n");
    requireFieldError<core::ConfigError>(
        [&] { module.terminal(badPin, "L1", core::systemClock(), network::TerminalUse::Payments); },
        "terminal.L1.certificate_sha256");
    const auto pinned = core::Config::fromText("[terminal.L1]\nnsp = viva-local\n"
                                               "url = https://192.168.1.50:8080\ntid = 1\n"
                                               "certificate_sha256 = " +
                                               std::string(64, 'A') + "\n");
    BOOST_TEST(module.terminal(pinned, "L1", core::systemClock(), network::TerminalUse::Payments)
                   ->network() == "viva-local");
    const auto noTid = core::Config::fromText("[terminal.L1]\nnsp = viva-local\n"
                                              "url = http://127.0.0.1:8080\n");
    requireFieldError<core::ConfigError>(
        [&] { module.terminal(noTid, "L1", core::systemClock(), network::TerminalUse::Payments); },
        "terminal.L1.tid");
}

BOOST_AUTO_TEST_CASE(session_not_found_means_in_doubt_unless_the_request_never_left) {
    using local::NotFoundMeaning;
    using local::SendRecord;
    BOOST_TEST((local::notFoundMeaning(SendRecord::NeverLeft, seconds(600)) ==
                NotFoundMeaning::NeverArrived));
    BOOST_TEST((local::notFoundMeaning(SendRecord::Unacknowledged, seconds(5)) ==
                NotFoundMeaning::NeverArrived));
    BOOST_TEST((local::notFoundMeaning(SendRecord::Unacknowledged, seconds(600)) ==
                NotFoundMeaning::InDoubt));
    BOOST_TEST(
        (local::notFoundMeaning(SendRecord::Acknowledged, seconds(1)) == NotFoundMeaning::InDoubt));
    BOOST_TEST(
        (local::notFoundMeaning(SendRecord::Unknown, seconds(0)) == NotFoundMeaning::InDoubt));
}

// A configuration file with nsp = viva-local, the simulated provider signing and the simulated
// terminal answering: the PaymentService takes the payment to APPROVED with its myDATA line, and
// a busy terminal ends the next one FAILED without posting it twice.
BOOST_AUTO_TEST_CASE(a_payment_runs_through_the_payment_service_from_a_configuration_file) {
    sim::SimServer server(sim::SimServerOptions{.timeScale = 100.0});
    fiscpos::test::addVivaPaymentParties(server, "local-token");
    server.start();
    const auto dir = fiscpos::test::freshTempDir("viva-local-pay");
    const auto file = dir / "fiscpos.ini";
    core::writePrivateFile(
        file,
        "[journal]\nurl = sqlite:journal.db\n\n[provider]\nurl = " + server.baseUrl() +
            "/provider\ntoken = local-token\nprovider_id = 999\n\n"
            "[terminal.L1]\nnsp = viva-local\nurl = " +
            server.baseUrl() + "/viva-local\ntid = " + testTid + "\nprovider_id = 999\n",
        "config");
    plugin::PaymentRuntime runtime(file);
    const auto pay = [](const std::string& number) {
        plugin::PayRequest request;
        request.terminal = "L1";
        request.invoice = einvoice::loadInvoiceFile(fiscpos::test::sourceDir() /
                                                    "samples/invoices/sale-1.24.json");
        request.invoice.aa = number;
        request.invoiceJson = "(samples/invoices/sale-1.24.json as " + number + ")";
        return request;
    };
    const plugin::JournalEntry paid = runtime.service().pay(pay("501"));
    BOOST_TEST(std::string(plugin::stateName(paid.state)) == "APPROVED", paid.outcome.value_or(""));
    BOOST_TEST(paid.network == "viva-local");
    BOOST_TEST(paid.tid == testTid);
    BOOST_TEST_REQUIRE(paid.transactionId.has_value());
    BOOST_TEST(plugin::mydataPaymentLine(paid, "entry").transactionId.value_or("") ==
               *paid.transactionId);
    const Json stats = server.stats()["viva_local"];
    BOOST_TEST(stats["sales"] == 1);

    // 88.88 keeps the terminal busy; the next sale is refused by the terminal, FAILED.
    sim::SimServer& sim = server;
    auto busy = saleRequest(sign(Money::fromCents(8888), testTid, "busy"), core::newUuid());
    LocalTerminal other(
        [&] {
            local::LocalSettings settings;
            settings.viva.section = "terminal.L1";
            settings.viva.tid = testTid;
            settings.viva.providerId = testProviderId;
            settings.url = sim.baseUrl() + "/viva-local";
            return settings;
        }(),
        sim.clock());
    BOOST_TEST(other.start(busy).stage == TerminalStage::Pending);
    const plugin::JournalEntry refused = runtime.service().pay(pay("502"));
    BOOST_TEST(std::string(plugin::stateName(refused.state)) == "FAILED",
               refused.outcome.value_or(""));
    BOOST_TEST(server.stats()["viva_local"]["busy_answers"] == 1);
    BOOST_TEST(server.stats()["viva_local"]["sales"] == 2);
}

BOOST_AUTO_TEST_SUITE_END()
