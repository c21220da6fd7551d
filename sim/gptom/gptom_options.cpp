// fiscpos-sim's GP tom options.
#include "sim/gptom/gptom_options.hpp"

#include "core/errors.hpp"
#include "sim/gptom/gptom_party.hpp"
#include "sim/server/sim_option_table.hpp"

#include <memory>
#include <string>
#include <utility>

namespace fiscpos::sim::gptom {

namespace {

using Options = GptomPartyOptions;
using Table = SimOptionTable<Options>;

// Where a refresh is accepted: each of the two token paths, and no other.
void readRefreshPaths(const SimOptionValues& values, const std::string& name, Options& options) {
    options.refreshPaths = values.list(name, options.refreshPaths);
    for (const auto& path : options.refreshPaths) {
        if (path != "/cloud/oauth/token" && path != "/api/oauth/token") {
            throw core::ConfigError(name, "\"" + path +
                                              "\" is neither /cloud/oauth/token nor "
                                              "/api/oauth/token");
        }
    }
}

std::shared_ptr<const Table> optionTable() {
    return std::make_shared<const Table>(std::vector<Table::Row>{
        Table::text({"gptom-client-credential",
                     "Basic credential of the token calls (default Z3B0b20tc2ltOnNpbS1zZWNyZXQ=)",
                     "TEXT"},
                    &Options::clientCredential),
        Table::text({"gptom-username", "per-terminal GP tom login (default sim-user)", "NAME"},
                    &Options::username),
        Table::text({"gptom-password", "its password (default sim-password)", "SECRET"},
                    &Options::password),
        Table::text({"gptom-master-username", "master API account (default sim-master)", "NAME"},
                    &Options::masterUsername),
        Table::text(
            {"gptom-master-password", "its password (default sim-master-password)", "SECRET"},
            &Options::masterPassword),
        Table::parsed({"gptom-terminals",
                       "devices as TID[:automatic|assisted],... (default 12345678:automatic,"
                       "12345679:assisted)",
                       "LIST"},
                      parseDevices, &Options::devices),
        Table::listed(
            providerKeyOption("gptom", "PEM public key aadeProviderSignature is verified with")),
        Table::seconds({"gptom-start-after",
                        "simulated seconds until an automatic device starts a task (default 1)",
                        "S"},
                       &Options::timing, &Timing::startAfter),
        Table::seconds(
            {"gptom-run-for", "simulated seconds a task runs on the device (default 3)", "S"},
            &Options::timing, &Timing::runFor),
        Table::seconds({"gptom-timeout-after",
                        "simulated seconds an 11.23 task stays IN_PROGRESS before it fails "
                        "(default 600)",
                        "S"},
                       &Options::timing, &Timing::timeoutAfter),
        Table::secondsAtLeast(
            {"gptom-access-lifetime",
             "simulated seconds a per-terminal access token lives (default 3600)", "S"},
            std::chrono::seconds(1), "must be at least one second", &Options::accessLifetime),
        Table::custom({"gptom-refresh-paths",
                       "where a refresh is accepted (default /cloud/oauth/token,/api/oauth/token)",
                       "LIST"},
                      readRefreshPaths),
        Table::flag({"gptom-separate-transaction",
                     "a finished task's view leaves its transaction to GET .../transaction", ""},
                    false, &Options::embedTransaction),
    });
}

// N automatic devices of TIDs 12345678, 12345679, ..., each logged in with the per-terminal
// account, confirmed for A.1155. A task starts on its device after a second at most and ends when
// the payment took its time.
SimNetworkSample sample() {
    SimNetworkSample sample;
    sample.make = [](const SimSampleRequest& request) {
        const Options defaults;
        SimSample made =
            sampleTerminals(request, "gptom-terminals", [&](std::size_t i, const std::string&) {
                const std::string tid = std::to_string(12345678 + i);
                return SimSampleTerminal{tid + ":automatic",
                                         {{"nsp", "gptom"},
                                          {"url", request.baseUrl + defaults.prefix},
                                          {"username", defaults.username},
                                          {"password", defaults.password},
                                          {"client_credential", defaults.clientCredential},
                                          {"tid", tid},
                                          {"provider_id", request.providerId},
                                          {"a1155_confirmed", "true"}}};
            });
        made.values.setSeconds("gptom-start-after", request.onTerminalAfter());
        made.values.setSeconds("gptom-run-for", request.paymentTakes - request.onTerminalAfter());
        return made;
    };
    return sample;
}

} // namespace

void registerNetwork(SimNetworkRegistry& registry) {
    registry.add(partyModule<GptomParty>(
        "gptom", "GP tom Cloud API (provisional) at /gptom",
        "GP tom (provisional API at /gptom/v1/tasks): POST /gptom/_control/tap, POST "
        "/gptom/_control/expire-tokens, POST /gptom/_control/backdate, GET|POST "
        "/gptom/_control/settings; amounts 11.11 approved, 11.22 declined, 11.23 timeout, 11.24 "
        "exception, 11.25 task failed after the card was charged.",
        optionTable(), sample()));
}

} // namespace fiscpos::sim::gptom
