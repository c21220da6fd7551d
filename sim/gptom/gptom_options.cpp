// fiscpos-sim's GP tom options.
#include "sim/gptom/gptom_options.hpp"

#include "core/errors.hpp"
#include "sim/gptom/gptom_party.hpp"

#include <utility>

namespace fiscpos::sim {

namespace {

GptomPartyOptions gptomPartyOptions(const SimOptionValues& values) {
    GptomPartyOptions gptom;
    gptom.clientCredential = values.text("gptom-client-credential", gptom.clientCredential);
    gptom.username = values.text("gptom-username", gptom.username);
    gptom.password = values.text("gptom-password", gptom.password);
    gptom.masterUsername = values.text("gptom-master-username", gptom.masterUsername);
    gptom.masterPassword = values.text("gptom-master-password", gptom.masterPassword);
    if (values.has("gptom-terminals")) {
        gptom.devices = gptom::parseDevices(values.text("gptom-terminals", ""), "gptom-terminals");
    }
    auto& timing = gptom.timing;
    timing.startAfter = values.seconds("gptom-start-after", timing.startAfter);
    timing.runFor = values.seconds("gptom-run-for", timing.runFor);
    timing.timeoutAfter = values.seconds("gptom-timeout-after", timing.timeoutAfter);
    gptom.accessLifetime = values.seconds("gptom-access-lifetime", gptom.accessLifetime);
    if (gptom.accessLifetime < std::chrono::seconds(1)) {
        throw core::ConfigError("gptom-access-lifetime", "must be at least one second");
    }
    gptom.refreshPaths = values.list("gptom-refresh-paths", gptom.refreshPaths);
    for (const auto& path : gptom.refreshPaths) {
        if (path != "/cloud/oauth/token" && path != "/api/oauth/token") {
            throw core::ConfigError("gptom-refresh-paths",
                                    "\"" + path +
                                        "\" is neither /cloud/oauth/token nor /api/oauth/token");
        }
    }
    gptom.embedTransaction = !values.flag("gptom-separate-transaction");
    return gptom;
}

} // namespace

namespace gptom {

void registerNetwork(SimNetworkRegistry& registry) {
    SimNetworkModule module;
    module.name = "gptom";
    module.where = "GP tom Cloud API (provisional) at /gptom";
    module.options = {
        {"gptom-client-credential",
         "Basic credential of the token calls (default Z3B0b20tc2ltOnNpbS1zZWNyZXQ=)", "TEXT"},
        {"gptom-username", "per-terminal GP tom login (default sim-user)", "NAME"},
        {"gptom-password", "its password (default sim-password)", "SECRET"},
        {"gptom-master-username", "master API account (default sim-master)", "NAME"},
        {"gptom-master-password", "its password (default sim-master-password)", "SECRET"},
        {"gptom-terminals",
         "devices as TID[:automatic|assisted],... (default 12345678:automatic,"
         "12345679:assisted)",
         "LIST"},
        providerKeyOption("gptom", "PEM public key aadeProviderSignature is verified with"),
        {"gptom-start-after",
         "simulated seconds until an automatic device starts a task "
         "(default 1)",
         "S"},
        {"gptom-run-for", "simulated seconds a task runs on the device (default 3)", "S"},
        {"gptom-timeout-after",
         "simulated seconds an 11.23 task stays IN_PROGRESS before it fails (default 600)", "S"},
        {"gptom-access-lifetime",
         "simulated seconds a per-terminal access token lives "
         "(default 3600)",
         "S"},
        {"gptom-refresh-paths",
         "where a refresh is accepted (default /cloud/oauth/token,/api/oauth/token)", "LIST"},
        {"gptom-separate-transaction",
         "a finished task's view leaves its transaction to GET .../transaction", ""},
    };
    module.help = "GP tom (provisional API at /gptom/v1/tasks): POST /gptom/_control/tap, POST "
                  "/gptom/_control/expire-tokens, POST /gptom/_control/backdate, GET|POST "
                  "/gptom/_control/settings; amounts 11.11 approved, 11.22 declined, 11.23 "
                  "timeout, 11.24 exception, 11.25 task failed after the card was charged.";
    module.add = [](SimServer& server, const SimOptionValues& values,
                    signing::PublicKey providerKey) {
        server.addParty(std::make_shared<GptomParty>(std::move(providerKey),
                                                     gptomPartyOptions(values), server.clock()));
    };
    registry.add(std::move(module));
}

} // namespace gptom

} // namespace fiscpos::sim
