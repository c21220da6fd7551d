// Every simulated network's sample, as fiscpos-demo and fiscpos-bench use it without naming the
// network: its options set the network up, its [terminal.NAME] sections load through
// plugin::terminalsFromConfig, and a payment on each terminal is approved; its long-wait setting
// is one the network reads.
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/errors.hpp"
#include "einvoice/invoice.hpp"
#include "plugin/journal/cash_journal.hpp"
#include "plugin/payment_service.hpp"
#include "plugin/terminal_settings.hpp"
#include "signing/ecdsa.hpp"
#include "sim/server/sim_options.hpp"
#include "sim/sim_networks.hpp"
#include "tests/support/shared_dir.hpp"
#include "tests/support/sim_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <string>

using namespace fiscpos;

namespace {

// The sample of `module` for terminals A and B on `server`, payments taking a second.
sim::SimSample sampleOn(const sim::SimNetworkModule& module, const sim::SimServer& server) {
    sim::SimSampleRequest request;
    request.baseUrl = server.baseUrl();
    request.terminals = {"A", "B"};
    request.paymentTakes = std::chrono::seconds(1);
    return module.sample->make(request);
}

} // namespace

BOOST_AUTO_TEST_SUITE(sim_samples)

BOOST_AUTO_TEST_CASE(every_sample_pays_on_each_of_its_terminals) {
    int sampled = 0;
    for (const sim::SimNetworkModule& module : sim::simNetworks().modules()) {
        if (!module.sample) {
            continue;
        }
        ++sampled;
        BOOST_TEST_CONTEXT("network " << module.name) {
            test::SimFixture fixture({}, 20);
            const sim::SimSample sample = sampleOn(module, fixture.server);
            module.add(fixture.server, sample.values,
                       signing::PrivateKey::fromPemFile(test::mellonPrivateKey()).publicKey());
            BOOST_TEST_REQUIRE(sample.sections.size() == 2u);
            const core::SystemClock clock;
            const auto terminals = plugin::terminalsFromConfig(
                core::Config::fromText(sample.sections[0] + sample.sections[1]), clock);
            BOOST_TEST_REQUIRE(terminals.size() == 2u);
            BOOST_TEST(terminals.at("A").tid != terminals.at("B").tid);

            const auto dir = test::freshTempDir("sim-samples");
            auto journal =
                plugin::CashJournal::open("sqlite:" + (dir / "journal.db").string(), clock);
            auto provider = fixture.client();
            plugin::PaymentService service(journal, provider, terminals, clock);
            for (const std::string name : {"A", "B"}) {
                terminals.at(name).requireUsable();
                plugin::PayRequest pay;
                pay.terminal = name;
                pay.invoice = einvoice::loadInvoiceFile(test::sourceDir() /
                                                        "samples/invoices/sale-1.24.json");
                pay.invoice.aa = module.name + name; // an invoice of its own
                pay.invoiceJson = "(samples/invoices/sale-1.24.json as " + pay.invoice.aa + ")";
                const plugin::JournalEntry entry = service.pay(pay);
                BOOST_TEST(std::string(plugin::stateName(entry.state)) == "APPROVED",
                           name << ": " << entry.outcome.value_or(""));
                BOOST_TEST(entry.tid == terminals.at(name).tid);
            }
        }
    }
    BOOST_TEST(sampled > 0);
}

BOOST_AUTO_TEST_CASE(a_long_wait_setting_is_read_by_its_network) {
    for (const sim::SimNetworkModule& module : sim::simNetworks().modules()) {
        if (!module.sample || !module.sample->longWait) {
            continue;
        }
        BOOST_TEST_CONTEXT("network " << module.name) {
            const sim::SimLongWait& wait = *module.sample->longWait;
            BOOST_TEST(wait.defaultSeconds > 0);
            test::SimFixture fixture;
            const std::string section = sampleOn(module, fixture.server).sections[0];
            const core::SystemClock clock;
            const auto withWait = [&](int seconds) {
                return plugin::terminalsFromConfig(
                           core::Config::fromText(section + wait.setting + " = " +
                                                  std::to_string(seconds) + "\n"),
                           clock)
                    .at("A");
            };
            BOOST_CHECK_NO_THROW(withWait(0).requireUsable());
            BOOST_CHECK_NO_THROW(withWait(wait.defaultSeconds).requireUsable());
            // Far beyond any network's limit: refused, naming the setting.
            try {
                withWait(1000000).requireUsable();
                BOOST_FAIL("a wait of 1000000 s was taken");
            } catch (const core::ConfigError& e) {
                BOOST_TEST(std::string(e.what()).find("terminal.A." + wait.setting) !=
                               std::string::npos,
                           e.what());
            }
        }
    }
}

BOOST_AUTO_TEST_SUITE_END()
