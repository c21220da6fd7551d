// e-timologiera as [provider] kind = etimologiera. The createSimSign body built from a signature
// request, then whole payments through the payment runtime (a configuration file, the provider
// registry, the cash journal) against the simulated e-timologiera (signing with Mellon's test
// key) and every simulated network that has a sample (verifying with its public half), over
// loopback HTTP: what travels, what is refused and why, and that the credentials stay out of the
// journal and the messages.
#include "core/basic_authorization.hpp"
#include "core/config.hpp"
#include "core/errors.hpp"
#include "core/files.hpp"
#include "core/http_client.hpp"
#include "einvoice/invoice.hpp"
#include "etimologiera/etimologiera_provider.hpp"
#include "etimologiera/provisional_api.hpp"
#include "network/network_module.hpp"
#include "plugin/payment_runtime.hpp"
#include "plugin/provider_settings.hpp"
#include "signing/provider_error.hpp"
#include "signing/provider_module.hpp"
#include "sim/etimologiera/etimologiera_party.hpp"
#include "sim/server/sim_options.hpp"
#include "sim/server/sim_server.hpp"
#include "sim/sim_networks.hpp"
#include "tests/support/field_error.hpp"
#include "tests/support/shared_dir.hpp"
#include "tests/support/sim_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

using namespace fiscpos;

namespace {

constexpr const char* kUser = "sim-etimologiera";
constexpr const char* kPassword = "sim-etimologiera-password";

signing::SignatureRequest request(signing::Nsp nsp = signing::Nsp::WebEcr) {
    signing::SignatureRequest r;
    r.nsp = nsp;
    r.issuerVat = "999999999";
    r.branch = 3;
    r.series = "A";
    r.number = "17";
    r.issuedAt = "2024-05-10T13:43:40Z"; // 16:43:40 in Athens (summer time)
    r.invoiceType = "11.1";
    r.net = core::Money::fromCents(1000);
    r.vat = core::Money::fromCents(10);
    r.total = core::Money::fromCents(1010);
    r.payment = core::Money::fromCents(505);
    r.terminalId = "99000031";
    return r;
}

std::string fileText(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// The simulated e-timologiera and one terminal on every network with a sample.
struct World {
    sim::SimServer server{[] {
        sim::SimServerOptions options;
        options.timeScale = 20;
        return options;
    }()};
    signing::PrivateKey key = signing::PrivateKey::fromPemFile(test::mellonPrivateKey());
    std::filesystem::path dir = test::freshTempDir("etimologiera");
    std::string terminalSections;
    std::vector<std::string> terminals; // their names, one per network
    int invoices = 0;

    World() {
        server.addParty(std::make_shared<sim::EtimologieraParty>(
            key, sim::EtimologieraPartyOptions{}, server.clock()));
        server.start();
        for (const sim::SimNetworkModule& module : sim::simNetworks().modules()) {
            if (!module.sample) {
                continue;
            }
            sim::SimSampleRequest sampleRequest;
            sampleRequest.baseUrl = server.baseUrl();
            sampleRequest.terminals = {"on-" + module.name};
            sampleRequest.paymentTakes = std::chrono::seconds(1);
            const sim::SimSample sample = module.sample->make(sampleRequest);
            module.add(server, sample.values, key.publicKey());
            terminalSections += sample.sections.at(0);
            terminals.push_back("on-" + module.name);
        }
    }

    std::string url() const { return server.baseUrl() + "/etimologiera"; }

    // The [provider] section of kind etimologiera with `changes` (an empty value leaves the
    // setting out).
    std::string providerSection(const std::map<std::string, std::string>& changes = {}) const {
        std::map<std::string, std::string> settings{{"kind", "etimologiera"},
                                                    {"url", url()},
                                                    {"username", kUser},
                                                    {"password", kPassword},
                                                    {"provider_id", "021"}};
        for (const auto& [name, value] : changes) {
            settings[name] = value;
        }
        std::string text = "[provider]\n";
        for (const auto& [name, value] : settings) {
            text += value.empty() ? "" : name + " = " + value + "\n";
        }
        return text;
    }

    std::filesystem::path configFile(const std::string& provider) const {
        const auto file = dir / "fiscpos.ini";
        core::writePrivateFile(
            file, "[journal]\nurl = sqlite:journal.db\n\n" + provider + "\n" + terminalSections,
            "config");
        return file;
    }

    plugin::PayRequest sale(const std::string& terminal) {
        plugin::PayRequest pay;
        pay.terminal = terminal;
        pay.invoice =
            einvoice::loadInvoiceFile(test::sourceDir() / "samples/invoices/sale-1.24.json");
        pay.invoice.aa = std::to_string(100 + ++invoices);
        pay.invoiceJson = "(samples/invoices/sale-1.24.json as " + pay.invoice.aa + ")";
        return pay;
    }

    core::Json stats() const { return server.stats()["etimologiera"]; }
    core::Json control(const std::string& target, const core::Json& body) const {
        core::HttpClient http(server.baseUrl());
        const auto response = http.send(core::HttpRequest::json("POST", target, body));
        BOOST_TEST_REQUIRE(response.ok(), response.body);
        return response.json("control");
    }
    // Charges the networks' records show, over all of them.
    long long intents() const {
        long long total = 0;
        const core::Json all = server.stats();
        for (const sim::SimNetworkModule& module : sim::simNetworks().modules()) {
            if (module.sample && module.sample->charges && all.contains(module.name)) {
                for (const auto& [reference, count] :
                     module.sample->charges(all).requestsByReference) {
                    total += count;
                }
            }
        }
        return total;
    }
};

// Everything a payment left in the journal file, with its write-ahead log.
std::string journalBytes(const World& world) {
    return fileText(world.dir / "journal.db") + fileText(world.dir / "journal.db-wal");
}

} // namespace

BOOST_AUTO_TEST_SUITE(etimologiera_provider)

BOOST_AUTO_TEST_CASE(the_body_carries_the_verified_fields_in_exact_decimals_and_athens_time) {
    const core::Json body = fiscpos::etimologiera::provisional::createSimSignBody(request());
    BOOST_TEST(body.at("externalSystemId") == "17");
    BOOST_TEST(body.at("issuerVatNumber") == "999999999");
    BOOST_TEST(body.at("invoiceIssueDate") == "2024-05-10");
    BOOST_TEST(body.at("invoiceIssueTime") == "16:43:40");
    BOOST_TEST(body.at("companyBranch") == 3);
    BOOST_TEST(body.at("invoiceType") == "11.1");
    BOOST_TEST(body.at("invoiceSeries") == "A");
    BOOST_TEST(core::dumpJson(body.at("netValue")) == "10.00");
    BOOST_TEST(core::dumpJson(body.at("vatAmount")) == "0.10");
    BOOST_TEST(core::dumpJson(body.at("totalValue")) == "10.10");
    BOOST_TEST(core::dumpJson(body.at("paymentAmount")) == "5.05");
    BOOST_TEST(body.at("terminalId") == "99000031");
    BOOST_TEST(body.at("nspCode") == "01");
    BOOST_TEST(body.size() == 13u);
}

BOOST_AUTO_TEST_CASE(each_network_has_its_nsp_code_and_the_others_are_refused_by_name) {
    namespace p = fiscpos::etimologiera::provisional;
    BOOST_TEST(p::createSimSignBody(request(signing::Nsp::WebEcr)).at("nspCode") == "01");
    BOOST_TEST(p::createSimSignBody(request(signing::Nsp::Viva)).at("nspCode") == "02");
    BOOST_TEST(p::createSimSignBody(request(signing::Nsp::EpaySoftPos)).at("nspCode") == "03");
    test::requireFieldError<core::InputError>(
        [] { p::createSimSignBody(request(signing::Nsp::Worldline)); }, "nspCode", "worldline");
    test::requireFieldError<core::InputError>(
        [] { p::createSimSignBody(request(signing::Nsp::Edps)); }, "nspCode", "edps");
    auto deferred = request();
    deferred.mark = "400001234567890";
    test::requireFieldError<core::InputError>([&] { p::createSimSignBody(deferred); }, "mark");
}

BOOST_AUTO_TEST_CASE(a_paroxos_error_is_read_with_the_field_it_names) {
    namespace p = fiscpos::etimologiera::provisional;
    const auto error = p::paroxosError(core::parseJson(
        R"({"response": {"paroxosError": {"code": 102, "description": "Invalid field",
            "details": "terminalId: the field is required"}}})",
        "answer", core::JsonOrigin::Response));
    BOOST_TEST_REQUIRE(error.has_value());
    BOOST_TEST(error->code == "102");
    BOOST_TEST(p::fieldOf(*error) == "terminalId");
    BOOST_TEST(!p::paroxosError(core::parseJson(R"({"response": {"paroxosError": null}})", "answer",
                                                core::JsonOrigin::Response)));
    // A word that only contains a field's name is not that field.
    BOOST_TEST(p::fieldOf({"1", "the xterminalIdx is odd", ""}).empty());
}

BOOST_AUTO_TEST_CASE(a_payment_signed_by_etimologiera_is_approved_on_every_sampled_network) {
    World world;
    BOOST_TEST_REQUIRE(!world.terminals.empty());
    std::vector<std::string> said;
    std::set<std::string> codes; // the nspCodes sent
    {
        plugin::PaymentRuntime runtime(world.configFile(world.providerSection()));
        const core::Config& config = runtime.config();
        for (const std::string& terminal : world.terminals) {
            BOOST_TEST_CONTEXT("terminal " << terminal) {
                const plugin::PayRequest pay = world.sale(terminal);
                const plugin::JournalEntry entry = runtime.service().pay(
                    pay, [&](const std::string&, const std::string& step, const std::string& text) {
                        said.push_back(step + ": " + text);
                    });
                BOOST_TEST(std::string(plugin::stateName(entry.state)) == "APPROVED",
                           entry.outcome.value_or(""));

                // What travelled to e-timologiera for it.
                const core::Json sent = world.stats().at("received").back();
                BOOST_TEST(sent.at("externalSystemId") == pay.invoice.aa);
                BOOST_TEST(sent.at("issuerVatNumber") == "999999999");
                BOOST_TEST(sent.at("invoiceIssueDate") == "2024-05-10");
                BOOST_TEST(sent.at("invoiceIssueTime") == "16:43:40");
                BOOST_TEST(sent.at("companyBranch") == 0);
                BOOST_TEST(sent.at("invoiceType") == "11.1");
                BOOST_TEST(sent.at("invoiceSeries") == "A");
                BOOST_TEST(core::dumpJson(sent.at("netValue")) == "1.00");
                BOOST_TEST(core::dumpJson(sent.at("vatAmount")) == "0.24");
                BOOST_TEST(core::dumpJson(sent.at("totalValue")) == "1.24");
                BOOST_TEST(core::dumpJson(sent.at("paymentAmount")) == "1.24");
                BOOST_TEST(sent.at("terminalId") == entry.tid);
                const signing::Nsp nsp =
                    network::builtinNetworks().of(config, terminal).signatureNsp(config, terminal);
                BOOST_TEST(sent.at("nspCode") ==
                           (nsp == signing::Nsp::Viva ? std::string("02") : std::string("01")));
                codes.insert(sent.at("nspCode").get<std::string>());

                // The signature fiscpos kept is e-timologiera's, for this invoice.
                BOOST_TEST(entry.invoiceUid.value_or("") == pay.invoice.uid());
                BOOST_TEST(entry.signatureInput->starts_with(pay.invoice.uid() + ";;"));
            }
        }
    }
    BOOST_TEST((codes == std::set<std::string>{"01", "02"})); // Mellon's and Viva's
    BOOST_TEST(world.stats().at("signatures_created").get<int>() ==
               static_cast<int>(world.terminals.size()));
    BOOST_TEST(world.stats().at("unauthenticated").get<int>() == 0);

    // The password and the Basic credential are nowhere in the journal or the messages.
    const std::string credential = core::basicAuthorization(kUser, kPassword).substr(6);
    const std::string journal = journalBytes(world);
    BOOST_TEST(journal.find(kPassword) == std::string::npos);
    BOOST_TEST(journal.find(credential) == std::string::npos);
    for (const std::string& line : said) {
        BOOST_TEST(line.find(kPassword) == std::string::npos, line);
        BOOST_TEST(line.find(credential) == std::string::npos, line);
    }
}

BOOST_AUTO_TEST_CASE(a_wrong_password_is_refused_naming_the_login_settings) {
    World world;
    plugin::PaymentRuntime runtime(
        world.configFile(world.providerSection({{"password", "not-the-password"}})));
    const auto error =
        test::providerError([&] { runtime.service().pay(world.sale(world.terminals[0])); });
    BOOST_TEST(error.status() == 401);
    BOOST_TEST(error.code() == "provider_auth");
    const std::string text = error.what();
    BOOST_TEST(text.find("provider.username") != std::string::npos, text);
    BOOST_TEST(text.find("provider.password") != std::string::npos, text);
    BOOST_TEST(text.find("not-the-password") == std::string::npos, text);
    BOOST_TEST(world.stats().at("unauthenticated").get<int>() == 1);
    BOOST_TEST(world.stats().at("signatures_created").get<int>() == 0);
    BOOST_TEST(world.intents() == 0);
    BOOST_TEST(journalBytes(world).find("not-the-password") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_paroxos_error_from_the_provider_names_the_field) {
    World world;
    const core::SystemClock clock;
    const auto config = core::Config::fromText(world.providerSection());
    const auto signer = plugin::makeSigner(config, clock);
    auto bad = request();
    bad.invoiceType = "";
    const auto error = test::providerError([&] { signer->sign(bad); });
    BOOST_TEST(error.field() == "invoiceType");
    BOOST_TEST(error.code() == "provider_validation");
    BOOST_TEST(!error.retryable());
    BOOST_TEST(std::string(error.what()).find("invoiceType") != std::string::npos, error.what());
    BOOST_TEST(world.stats().at("invalid").get<int>() == 1);

    // What fiscpos cannot ask for is refused before anything travels.
    test::requireFieldError<core::InputError>(
        [&] { signer->sign(request(signing::Nsp::Worldline)); }, "nspCode");
    BOOST_TEST(world.stats().at("received").size() == 1u);

    // And what the API does not have is said, not pretended.
    BOOST_CHECK_THROW(signer->find("x"), signing::CallNotOffered);
    BOOST_CHECK_THROW(signer->cancel("x"), signing::CallNotOffered);
    BOOST_CHECK_THROW(signer->listPending(), signing::CallNotOffered);
}

BOOST_AUTO_TEST_CASE(an_input_for_another_amount_is_refused_and_kept_in_the_journal) {
    World world;
    world.control("/etimologiera/_control/skew", {{"payment_cents", -1}});
    plugin::PaymentRuntime runtime(world.configFile(world.providerSection()));
    const auto entry = runtime.service().pay(world.sale(world.terminals[0]));
    BOOST_TEST(std::string(plugin::stateName(entry.state)) == "FAILED");
    BOOST_TEST(entry.outcome->find("payable amount") != std::string::npos, *entry.outcome);
    BOOST_TEST(!entry.networkReference.has_value());
    BOOST_TEST(world.intents() == 0);
    // The answer as received is the evidence, on the provider's response event.
    bool kept = false;
    for (const auto& event : runtime.journal().events(entry.id)) {
        if (event.record.kind == plugin::event_kind::ProviderResponse &&
            event.record.responseBody &&
            event.record.responseBody->find("signatureMessage") != std::string::npos &&
            event.record.responseBody->find(";123;") != std::string::npos) {
            kept = true;
        }
    }
    BOOST_TEST(kept);
}

BOOST_AUTO_TEST_CASE(an_input_for_another_invoice_is_refused_and_its_signature_lapses) {
    World world;
    world.control("/etimologiera/_control/skew", {{"external_system_id", "999"}});
    plugin::PaymentRuntime runtime(world.configFile(world.providerSection()));
    const auto entry = runtime.service().pay(world.sale(world.terminals[0]));
    BOOST_TEST(std::string(plugin::stateName(entry.state)) == "FAILED");
    BOOST_TEST(entry.outcome->find("input.uid") != std::string::npos, *entry.outcome);
    BOOST_TEST(world.intents() == 0);
    bool answerKept = false;
    std::string release;
    for (const auto& event : runtime.journal().events(entry.id)) {
        if (event.record.kind == plugin::event_kind::ProviderResponse &&
            event.record.responseBody &&
            event.record.responseBody->find("tempUid") != std::string::npos) {
            answerKept = true;
        }
        if (event.record.kind == plugin::event_kind::ProviderCancelled) {
            release = event.record.note.value_or("");
        }
    }
    BOOST_TEST(answerKept);
    // No cancel call exists: the journal says so once, and reconcile does not try again.
    BOOST_TEST(release.find("no call to cancel") != std::string::npos, release);
    runtime.service().reconcile(std::nullopt, {});
    int releases = 0;
    for (const auto& event : runtime.journal().events(entry.id)) {
        releases += event.record.kind == plugin::event_kind::ProviderCancelled ? 1 : 0;
    }
    BOOST_TEST(releases == 1);
}

BOOST_AUTO_TEST_CASE(a_lost_answer_fails_the_payment_without_charging_or_asking_again) {
    World world;
    core::HttpClient http(world.server.baseUrl());
    const auto fault = http.send(core::HttpRequest::json(
        "POST", "/_sim/faults",
        {{"method", "POST"}, {"path", "/etimologiera/v4/createSimSign"}, {"kind", "drop_after"}}));
    BOOST_TEST_REQUIRE(fault.ok(), fault.body);
    plugin::PaymentRuntime runtime(world.configFile(world.providerSection()));
    const auto entry = runtime.service().pay(world.sale(world.terminals[0]));
    BOOST_TEST(std::string(plugin::stateName(entry.state)) == "FAILED");
    BOOST_TEST(entry.outcome->find("nothing was charged") != std::string::npos, *entry.outcome);
    BOOST_TEST(world.stats().at("received").size() == 1u); // sent once, never again
    BOOST_TEST(world.intents() == 0);
}

BOOST_AUTO_TEST_CASE(bad_settings_are_config_errors_naming_the_setting) {
    World world;
    const core::SystemClock clock;
    const auto refused = [&](const std::map<std::string, std::string>& changes,
                             const std::string& setting) {
        test::requireFieldError<core::ConfigError>(
            [&] {
                plugin::makeSigner(core::Config::fromText(world.providerSection(changes)), clock);
            },
            setting);
    };
    refused({{"url", ""}}, "provider.url");
    refused({{"url", "http://example.gr/api"}}, "provider.url");
    refused({{"url", "ftp://example.gr"}}, "provider.url");
    refused({{"username", ""}}, "provider.username");
    refused({{"username", "a:b"}}, "provider.username");
    refused({{"password", ""}}, "provider.password");
    refused({{"provider_id", ""}}, "provider.provider_id");
    // Plain http to this machine is fine (the simulator).
    BOOST_TEST(plugin::makeSigner(core::Config::fromText(world.providerSection()), clock) !=
               nullptr);
    try {
        plugin::makeSigner(core::Config::fromText("[provider]\nkind = other\n"), clock);
        BOOST_FAIL("an unknown kind was taken");
    } catch (const core::ConfigError& e) {
        BOOST_TEST(e.field() == "provider.kind");
        BOOST_TEST(std::string(e.what()).find("mydataprovider, local, etimologiera") !=
                       std::string::npos,
                   e.what());
    }
    // The secret is never quoted back.
    try {
        plugin::makeSigner(
            core::Config::fromText(world.providerSection({{"url", "http://example.gr/api"}})),
            clock);
    } catch (const core::ConfigError& e) {
        BOOST_TEST(std::string(e.what()).find(kPassword) == std::string::npos, e.what());
    }
}

BOOST_AUTO_TEST_CASE(issuing_invoices_through_etimologiera_is_a_config_error_naming_the_kind) {
    World world;
    test::requireFieldError<core::ConfigError>(
        [&] {
            signing::builtinProviders().invoices(core::Config::fromText(world.providerSection()));
        },
        "provider.kind", "only signs card payments");
    test::requireFieldError<core::ConfigError>(
        [&] {
            plugin::PaymentRuntime runtime(
                world.configFile(world.providerSection({{"issue", "on_approval"}})));
        },
        "provider.kind", "mydataprovider");
}

BOOST_AUTO_TEST_SUITE_END()
