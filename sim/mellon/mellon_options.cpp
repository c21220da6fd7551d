// fiscpos-sim's Mellon WebECR options.
#include "sim/mellon/mellon_options.hpp"

#include "core/errors.hpp"
#include "sim/mellon/mellon_party.hpp"

#include <utility>

namespace fiscpos::sim {

namespace {

MellonPartyOptions mellonPartyOptions(const SimOptionValues& values) {
    MellonPartyOptions mellon;
    mellon.username = values.text("mellon-username", mellon.username);
    mellon.password = values.text("mellon-password", mellon.password);
    mellon.apiKey = values.text("mellon-api-key", mellon.apiKey);
    mellon.pairCode = values.text("mellon-pair-code", mellon.pairCode);
    if (values.has("mellon-terminals")) {
        mellon.terminals =
            mellon::parseTerminals(values.text("mellon-terminals", ""), "mellon-terminals");
    }
    mellon.pathPrefix = values.text("mellon-path-prefix", mellon.pathPrefix);
    mellon.apiVersions = values.list("mellon-api-versions", mellon.apiVersions);
    mellon.pageSize = values.count("mellon-page-size", mellon.pageSize, 100);
    mellon.terminalPageSize =
        values.count("mellon-terminal-page-size", mellon.terminalPageSize, 100);
    auto& timing = mellon.timing;
    timing.sentAfter = values.seconds("mellon-sent-after", timing.sentAfter);
    timing.completeAfter = values.seconds("mellon-complete-after", timing.completeAfter);
    timing.lateApproval = values.seconds("mellon-late-approval", timing.lateApproval);
    timing.deviceTimeout = values.seconds("mellon-device-timeout", timing.deviceTimeout);
    mellon.accessLifetime = values.seconds("mellon-access-lifetime", mellon.accessLifetime);
    mellon.revokedKeyStatus =
        std::stoi(values.choice("mellon-revoked-key-status", "403", {"401", "403"}));
    mellon.presentation.transactionAsObject = values.flag("mellon-transaction-object");
    return mellon;
}

} // namespace

namespace mellon {

void registerNetwork(SimNetworkRegistry& registry) {
    SimNetworkModule module;
    module.name = "mellon";
    module.where = "Mellon WebECR at /mellon";
    module.options = {
        {"mellon-username", "WebECR integrator username (default sim-user)", "NAME"},
        {"mellon-password", "WebECR integrator password (default sim-password)", "SECRET"},
        {"mellon-api-key", "API key a redeem issues (default c2ltLXdlYmVjci1rZXktMQ)", "KEY"},
        {"mellon-pair-code", "the one pair code redeem accepts (default: any 6-10 digits)", "CODE"},
        {"mellon-terminals",
         "terminals as ID:TID[:NAME],... (default 358046:99000031,358047:99000032,"
         "358048:64999964)",
         "LIST"},
        providerKeyOption("mellon", "PEM public key ProviderData signatures are verified with"),
        {"mellon-path-prefix", "path prefix of the API under /mellon (default /api)", "PATH"},
        {"mellon-api-versions", "versions served side by side (default v2.1,v2.2)", "LIST"},
        {"mellon-page-size", "intents and transactions per page (default 20)", "N"},
        {"mellon-terminal-page-size", "terminals per page (default 2)", "N"},
        {"mellon-sent-after", "simulated seconds until an intent is SENT (default 1)", "S"},
        {"mellon-complete-after", "simulated seconds until it completes (default 4)", "S"},
        {"mellon-late-approval", "simulated seconds of the 22.22 scenario (default 150)", "S"},
        {"mellon-device-timeout", "simulated seconds until a 13.13 intent is UNKNOWN (default 180)",
         "S"},
        {"mellon-access-lifetime", "simulated seconds an access token lives (default 28800)", "S"},
        {"mellon-revoked-key-status", "status of a revoked API key, 401 or 403 (default 403)",
         "CODE"},
        {"mellon-transaction-object",
         "serve an intent's Transaction as an object instead of its int id", ""},
    };
    module.help = "Mellon (API root /mellon/api/v2.2): POST /mellon/_control/expire-tokens, "
                  "POST /mellon/_control/revoke-key, GET|POST /mellon/_control/settings; amounts "
                  "9.99 declined, 22.22 late approval, 13.13 communication lost (UNKNOWN), 33.33 "
                  "cancelled, 66.66 busy, 77.77 max transactions.";
    module.add = [](SimServer& server, const SimOptionValues& values,
                    signing::PublicKey providerKey) {
        server.addParty(std::make_shared<MellonParty>(std::move(providerKey),
                                                      mellonPartyOptions(values), server.clock()));
    };
    registry.add(std::move(module));
}

} // namespace mellon

} // namespace fiscpos::sim
