// fiscpos-sim's Mellon WebECR options.
#include "sim/mellon/mellon_options.hpp"

#include "sim/mellon/mellon_party.hpp"
#include "sim/server/sim_option_table.hpp"

#include <memory>
#include <string>

namespace fiscpos::sim::mellon {

namespace {

using Options = MellonPartyOptions;
using Table = SimOptionTable<Options>;

std::shared_ptr<const Table> optionTable() {
    return std::make_shared<const Table>(std::vector<Table::Row>{
        Table::text({"mellon-username", "WebECR integrator username (default sim-user)", "NAME"},
                    &Options::username),
        Table::text(
            {"mellon-password", "WebECR integrator password (default sim-password)", "SECRET"},
            &Options::password),
        Table::text(
            {"mellon-api-key", "API key a redeem issues (default c2ltLXdlYmVjci1rZXktMQ)", "KEY"},
            &Options::apiKey),
        Table::text({"mellon-pair-code",
                     "the one pair code redeem accepts (default: any 6-10 digits)", "CODE"},
                    &Options::pairCode),
        Table::parsed({"mellon-terminals",
                       "terminals as ID:TID[:NAME],... (default 358046:99000031,358047:99000032,"
                       "358048:64999964)",
                       "LIST"},
                      parseTerminals, &Options::terminals),
        Table::listed(providerKeyOption(
            "mellon", "PEM public key ProviderData signatures are verified with")),
        Table::text(
            {"mellon-path-prefix", "path prefix of the API under /mellon (default /api)", "PATH"},
            &Options::pathPrefix),
        Table::list(
            {"mellon-api-versions", "versions served side by side (default v2.1,v2.2)", "LIST"},
            &Options::apiVersions),
        Table::count({"mellon-page-size", "intents and transactions per page (default 20)", "N"},
                     100, &Options::pageSize),
        Table::count({"mellon-terminal-page-size", "terminals per page (default 2)", "N"}, 100,
                     &Options::terminalPageSize),
        Table::seconds(
            {"mellon-sent-after", "simulated seconds until an intent is SENT (default 1)", "S"},
            &Options::timing, &Timing::sentAfter),
        Table::seconds(
            {"mellon-complete-after", "simulated seconds until it completes (default 4)", "S"},
            &Options::timing, &Timing::completeAfter),
        Table::seconds(
            {"mellon-late-approval", "simulated seconds of the 22.22 scenario (default 150)", "S"},
            &Options::timing, &Timing::lateApproval),
        Table::seconds({"mellon-device-timeout",
                        "simulated seconds until a 13.13 intent is UNKNOWN (default 180)", "S"},
                       &Options::timing, &Timing::deviceTimeout),
        Table::seconds({"mellon-access-lifetime",
                        "simulated seconds an access token lives (default 28800)", "S"},
                       &Options::accessLifetime),
        Table::custom(
            {"mellon-revoked-key-status", "status of a revoked API key, 401 or 403 (default 403)",
             "CODE"},
            [](const SimOptionValues& values, const std::string& name, Options& o) {
                o.revokedKeyStatus = std::stoi(values.choice(name, "403", {"401", "403"}));
            }),
        Table::flag({"mellon-transaction-object",
                     "serve an intent's Transaction as an object instead of its int id", ""},
                    true, &Options::presentation, &Presentation::transactionAsObject),
    });
}

// N terminals of ids 358046, 358047, ... and TIDs 99000031, 99000032, ... (the first is the
// simulator's default), reached with the default integrator account and API key. A request
// is SENT to the terminal after a second at most and completes when the payment took its time.
SimNetworkSample sample() {
    SimNetworkSample sample;
    sample.make = [](const SimSampleRequest& request) {
        const Options defaults;
        SimSample made =
            sampleTerminals(request, "mellon-terminals", [&](std::size_t i, const std::string&) {
                const std::string posId = std::to_string(358046 + i);
                const std::string tid = std::to_string(99000031 + i);
                return SimSampleTerminal{posId + ":" + tid,
                                         {{"nsp", "mellon"},
                                          {"url", request.baseUrl + defaults.prefix},
                                          {"username", defaults.username},
                                          {"password", defaults.password},
                                          {"api_key", defaults.apiKey},
                                          {"pos_id", posId},
                                          {"tid", tid},
                                          {"provider_id", request.providerId}}};
            });
        made.values.setSeconds("mellon-sent-after", request.onTerminalAfter());
        made.values.setSeconds("mellon-complete-after", request.paymentTakes);
        return made;
    };
    // txninit's Timeout: WebECR holds its answer up to that long for the terminal's result
    // (fiscpos's default, mellon/webecr_settings.hpp).
    sample.longWait = SimLongWait{"wait_seconds", 50};
    sample.charges = [](const core::Json& stats) {
        SimCharges charges;
        const core::Json& mellon = stats.at("mellon");
        for (const auto& [reference, count] : mellon.at("intents_by_reference").items()) {
            charges.requestsByReference[reference] = count.get<int>();
        }
        charges.approved = mellon.at("results").value("1", 0LL); // ResultCode 1: approved
        return charges;
    };
    return sample;
}

} // namespace

void registerNetwork(SimNetworkRegistry& registry) {
    registry.add(partyModule<MellonParty>(
        "mellon", "Mellon WebECR at /mellon",
        "Mellon (API root /mellon/api/v2.2): POST /mellon/_control/expire-tokens, POST "
        "/mellon/_control/revoke-key, GET|POST /mellon/_control/settings, POST "
        "/mellon/_control/customer-pays {CustomerReference} (a preloaded sale is paid); amounts "
        "9.99 declined, "
        "22.22 late approval, 13.13 communication lost (UNKNOWN), 33.33 cancelled, 66.66 busy, "
        "77.77 max transactions.",
        optionTable(), sample()));
}

} // namespace fiscpos::sim::mellon
