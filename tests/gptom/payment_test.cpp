// GP tom payments through the PaymentService, as a configuration makes them: the simulated
// provider signs in the layout signature_nsp names (AADE's DEFAULT by default), the journal keeps
// the signature, the sale task carries it, a lost create answer is found by our reference, a sale
// is voided by a cancellation task, and no sale starts until GP has confirmed A.1155.
#include "core/config.hpp"
#include "core/http_client.hpp"
#include "einvoice/invoice.hpp"
#include "plugin/journal/cash_journal.hpp"
#include "plugin/payment_service.hpp"
#include "plugin/terminal_settings.hpp"
#include "signing/provider_client.hpp"
#include "sim/server/sim_server.hpp"
#include "tests/support/gptom_sim.hpp"
#include "tests/support/shared_dir.hpp"

#include <boost/test/unit_test.hpp>

using namespace fiscpos;

namespace {

// A whole-invoice card payment of `gross` (24% VAT), issued now.
std::string invoiceJson(const std::string& gross, const std::string& net, const std::string& vat) {
    return core::dumpJson(core::Json{
        {"issuer", {{"vat", "999999999"}, {"branch", 0}, {"country", "GR"}}},
        {"series", "G"},
        {"aa", "11"},
        {"type", "11.1"},
        {"issued_at", core::athensIso8601(std::chrono::system_clock::now())},
        {"totals", {{"net", net}, {"vat", vat}, {"gross", gross}}},
        {"lines", core::Json::array(
                      {{{"net", net},
                        {"vat_category", 1},
                        {"vat", vat},
                        {"income", {{"type", "E3_561_003"}, {"category", "category1_1"}}}}})}});
}

struct Payments {
    explicit Payments(bool confirmed = true)
        : server(test::fastSimOptions(50)) {
        test::addGptomParties(server, "test-token");
        server.start();
        signing::ProviderClientOptions providerOptions;
        providerOptions.baseUrl = server.baseUrl() + "/provider";
        providerOptions.token = "test-token";
        providerOptions.providerId = "999";
        provider = std::make_unique<signing::MydataProviderClient>(providerOptions);
        const core::Config config = core::Config::fromText(
            "[terminal.G1]\nnsp = gptom\nurl = " + server.baseUrl() +
            "/gptom\nusername = sim-user\npassword = sim-password\n"
            "client_credential = Z3B0b20tc2ltOnNpbS1zZWNyZXQ=\ntid = 12345678\n"
            "provider_id = 999\na1155_confirmed = " +
            (confirmed ? "true" : "false") + "\n");
        plugin::PaymentServiceOptions options;
        options.schedule = plugin::PollSchedule(std::chrono::seconds(60));
        service = std::make_unique<plugin::PaymentService>(
            journal, *provider, plugin::terminalsFromConfig(config, server.clock()), server.clock(),
            options);
    }

    plugin::PayRequest sale(const std::string& gross, const std::string& net,
                            const std::string& vat) const {
        plugin::PayRequest request;
        request.terminal = "G1";
        request.invoiceJson = invoiceJson(gross, net, vat);
        request.invoice = einvoice::parseInvoice(request.invoiceJson);
        return request;
    }
    core::Json stats() { return server.stats()["gptom"]; }
    void fault(const core::Json& rule) {
        core::HttpClient http(server.baseUrl());
        BOOST_TEST_REQUIRE(http.send(core::HttpRequest::json("POST", "/_sim/faults", rule)).ok());
    }

    sim::SimServer server;
    std::filesystem::path dir = test::freshTempDir("gptom-payments");
    plugin::CashJournal journal =
        plugin::CashJournal::open("sqlite:" + (dir / "journal.db").string(), server.clock());
    std::unique_ptr<signing::MydataProviderClient> provider;
    std::unique_ptr<plugin::PaymentService> service;
};

} // namespace

BOOST_AUTO_TEST_SUITE(gptom_payments)

BOOST_AUTO_TEST_CASE(an_approved_sale_carries_the_journaled_signature) {
    Payments payments;
    const auto entry = payments.service->pay(payments.sale("11.11", "8.96", "2.15"));
    BOOST_TEST(plugin::stateName(entry.state) == "APPROVED", entry.outcome.value_or(""));
    BOOST_TEST(entry.network == "gptom");
    // DEFAULT layout: UID;MARK;timestamp;Payable;Net;VAT;Total;TID
    BOOST_TEST_REQUIRE(entry.signatureInput.has_value());
    BOOST_TEST(entry.signatureInput->find(";1111;896;215;1111;12345678") != std::string::npos,
               *entry.signatureInput);
    BOOST_TEST(entry.signature.has_value());
    BOOST_TEST(entry.networkIntentId.has_value());
    BOOST_TEST(entry.authCode.has_value());
    BOOST_TEST(payments.stats()["tasks_by_kind"]["sale"] == 1);
    // The device verified the provider's signature it was sent.
    BOOST_TEST(payments.stats()["signature_failures"] == 0);
    BOOST_TEST(payments.journal.verify().ok);
}

BOOST_AUTO_TEST_CASE(a_declined_sale_is_not_charged) {
    Payments payments;
    const auto entry = payments.service->pay(payments.sale("11.22", "9.05", "2.17"));
    BOOST_TEST(plugin::stateName(entry.state) == "DECLINED");
}

BOOST_AUTO_TEST_CASE(a_lost_create_answer_is_found_and_never_sent_twice) {
    Payments payments;
    payments.fault(
        {{"method", "POST"}, {"path", "/gptom/v1/tasks/TRANSACTION"}, {"kind", "drop_after"}});
    const auto entry = payments.service->pay(payments.sale("12.40", "10.00", "2.40"));
    BOOST_TEST(plugin::stateName(entry.state) == "APPROVED", entry.outcome.value_or(""));
    BOOST_TEST(payments.stats()["tasks_created"] == 1);
}

BOOST_AUTO_TEST_CASE(a_sale_is_voided_by_a_cancellation_task) {
    Payments payments;
    const auto sale = payments.service->pay(payments.sale("20.00", "16.13", "3.87"));
    BOOST_TEST_REQUIRE(plugin::stateName(sale.state) == "APPROVED");
    const auto voided = payments.service->voidSale(sale.id);
    BOOST_TEST(plugin::stateName(voided.state) == "APPROVED", voided.outcome.value_or(""));
    BOOST_TEST(payments.journal.get(sale.id).voided());
    BOOST_TEST(payments.stats()["tasks_by_kind"]["storno"] == 1);
}

BOOST_AUTO_TEST_CASE(no_sale_starts_until_gp_confirms_a1155) {
    // Refused by the terminal's admit(), before the provider signs or the journal records it.
    Payments payments(false);
    try {
        payments.service->pay(payments.sale("11.11", "8.96", "2.15"));
        BOOST_FAIL("an unconfirmed GP tom terminal took a sale");
    } catch (const core::ConfigError& e) {
        BOOST_TEST(e.field() == "terminal.G1.a1155_confirmed", e.what());
    }
    BOOST_TEST(payments.stats()["tasks_created"] == 0);
}

BOOST_AUTO_TEST_CASE(iris_is_not_asked_of_a_gptom_terminal) {
    // GP tom has no public IRIS request: refused before the provider signs or the journal records.
    Payments payments;
    auto request = payments.sale("11.11", "8.96", "2.15");
    request.iris = true;
    try {
        payments.service->pay(request);
        BOOST_FAIL("a GP tom terminal was asked for IRIS");
    } catch (const core::InputError& e) {
        BOOST_TEST(e.field() == "iris", e.what());
    }
    BOOST_TEST(payments.journal.list().empty());
    BOOST_TEST(payments.stats()["tasks_created"] == 0);
}

BOOST_AUTO_TEST_SUITE_END()
