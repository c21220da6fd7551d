// fiscpos-sim's Viva options.
#include "sim/viva/viva_options.hpp"

#include "core/errors.hpp"
#include "core/text.hpp"
#include "sim/server/sim_option_table.hpp"
#include "sim/viva/viva_parties.hpp"

#include <memory>
#include <string>
#include <utility>

namespace fiscpos::sim::viva {

namespace {

using Options = VivaSimOptions;
using Table = SimOptionTable<Options>;

// The aadeProviderId values accepted: digits each.
void readProviderIds(const SimOptionValues& values, const std::string& name, Options& options) {
    for (const std::string& id : values.list(name, {})) {
        if (!core::allDigits(id)) {
            throw core::ConfigError(name, "\"" + id + "\" is not digits");
        }
        options.api.providerIds.insert(id);
    }
}

void readWebhookUrl(const SimOptionValues& values, const std::string& name, Options& options) {
    options.merchant.webhooks.url = values.text(name, "");
    checkWebhookUrl(options.merchant.webhooks.url, name);
}

void readExpiredTokenAnswer(const SimOptionValues& values, const std::string& name,
                            Options& options) {
    options.api.emptyUnauthorized = values.choice(name, "detail", {"detail", "empty"}) == "empty";
}

std::shared_ptr<const Table> optionTable() {
    constexpr auto merchant = &Options::merchant;
    constexpr auto timing = &MerchantOptions::timing;
    constexpr auto webhooks = &MerchantOptions::webhooks;
    constexpr auto sessions = &MerchantOptions::sessions;
    const Millis second = std::chrono::seconds(1);
    return std::make_shared<const Table>(std::vector<Table::Row>{
        Table::text({"viva-client-id", "POS APIs client id (default sim-viva-client)", "ID"},
                    merchant, &MerchantOptions::clientId),
        Table::text(
            {"viva-client-secret", "POS APIs client secret (default sim-viva-secret)", "SECRET"},
            merchant, &MerchantOptions::clientSecret),
        Table::secondsAtLeast(
            {"viva-token-lifetime",
             "simulated seconds an access token lives, expires_in (default 3600)", "S"},
            second, "must be at least 1 second", merchant, &MerchantOptions::tokenLifetime),
        Table::text({"viva-merchant-id",
                     "Merchant ID of the legacy API's Basic auth (default "
                     "6f3b1c2e-5a47-4d8e-9b21-0c5d7e8f9a10)",
                     "ID"},
                    merchant, &MerchantOptions::merchantId),
        Table::text({"viva-api-key",
                     "API Key of the legacy API's Basic auth (default sim-viva-api-key)", "KEY"},
                    merchant, &MerchantOptions::apiKey),
        Table::text(
            {"viva-webhook-key", "webhook verification key of /api/messages/config/token", "KEY"},
            merchant, &MerchantOptions::webhookKey),
        Table::parsed({"viva-terminals",
                       "terminals as TID[:SOURCECODE[:SERIAL]],... (default "
                       "16000010:1234:0820160010,16000011:1234:0820160011); the serial is the "
                       "POS's legacy payment source",
                       "LIST"},
                      parseTerminals, merchant, &MerchantOptions::terminals),
        Table::listed(
            providerKeyOption("viva", "PEM public key aadeProviderSignature is verified with")),
        Table::custom(
            {"viva-provider-ids", "aadeProviderId values accepted (default: any digits)", "LIST"},
            readProviderIds),
        Table::flag({"viva-aade-optional", "accept sales and refunds without the aade* fields", ""},
                    false, &Options::api, &VivaApiOptions::requireAade),
        Table::seconds({"viva-reach-after",
                        "simulated seconds until a request reaches the terminal: AADE check, "
                        "busy (default 1)",
                        "S"},
                       merchant, timing, &Timing::reachAfter),
        Table::seconds(
            {"viva-complete-after", "simulated seconds until a payment completes (default 4)", "S"},
            merchant, timing, &Timing::completeAfter),
        Table::seconds({"viva-pin-retry-after",
                        "simulated seconds from the failed tap to the PIN, 17.98 (default 6)", "S"},
                       merchant, timing, &Timing::pinRetryAfter),
        Table::seconds({"viva-late-success-after",
                        "simulated seconds from the failed result to the late success, 17.96 "
                        "(default 20)",
                        "S"},
                       merchant, timing, &Timing::lateSuccessAfter),
        Table::seconds({"viva-expire-after",
                        "simulated seconds until an unpaid 60.60 session expires (default 60)",
                        "S"},
                       merchant, timing, &Timing::expireAfter),
        Table::seconds({"viva-abort-after",
                        "simulated seconds from an abort to the aborted result (default 2)", "S"},
                       merchant, timing, &Timing::abortAfter),
        Table::seconds({"viva-pickup-after",
                        "simulated seconds from a legacy order to F1 on its POS (default 5)", "S"},
                       merchant, timing, &Timing::pickupAfter),
        Table::flag({"viva-manual-pickup",
                     "legacy orders wait for POST /viva-legacy/_control/press-f1", ""},
                    false, merchant, &MerchantOptions::autoPickup),
        Table::custom(
            {"viva-webhook-url", "where payment webhooks are POSTed (default: none)", "URL"},
            readWebhookUrl),
        Table::secondsAtLeast({"viva-webhook-retry-after",
                               "simulated seconds between webhook retries (default 3600)", "S"},
                              second, "must be at least 1 second", merchant, webhooks,
                              &WebhookSettings::retryAfter),
        Table::count({"viva-webhook-retries", "retries of an unanswered webhook (default 23)", "N"},
                     1000, merchant, webhooks, &WebhookSettings::maxRetries),
        Table::flag({"viva-no-session-events", "send no 1802/1803 ECR session webhooks", ""}, false,
                    merchant, sessions, &SessionSettings::sessionEvents),
        Table::seconds({"viva-unregistered-for",
                        "simulated seconds a new session answers 404 before it is registered "
                        "(default 0)",
                        "S"},
                       merchant, sessions, &SessionSettings::unregisteredFor),
        Table::flag({"viva-codes-as-numbers",
                     "sessions carry retrievalReferenceNumber and orderCode as JSON numbers", ""},
                    true, merchant, sessions, &SessionSettings::codesAsNumbers),
        Table::custom({"viva-expired-token-answer",
                       "401 body for a bad token: detail ({\"detail\": \"Could not validate "
                       "credentials\"}, default) or empty",
                       "STYLE"},
                      readExpiredTokenAnswer),
    });
}

// N terminals of TIDs 16000010, 16000011, ... (the simulator's defaults first) on the Cloud
// Terminal API (nsp viva), reached with the default POS APIs credentials, each its own cash
// register. A request reaches the terminal after a second at most and the session completes when
// the payment took its time; Viva tells the ERP by webhook that it did.
SimNetworkSample sample() {
    SimNetworkSample sample;
    sample.make = [](const SimSampleRequest& request) {
        const MerchantOptions account;
        SimSample made =
            sampleTerminals(request, "viva-terminals", [&](std::size_t i, const std::string& name) {
                const std::string tid = std::to_string(16000010 + i);
                return SimSampleTerminal{tid,
                                         {{"nsp", "viva"},
                                          {"accounts_url", request.baseUrl + "/viva-accounts"},
                                          {"api_url", request.baseUrl + "/viva-api"},
                                          {"legacy_url", request.baseUrl + "/viva-legacy"},
                                          {"client_id", account.clientId},
                                          {"client_secret", account.clientSecret},
                                          {"merchant_id", account.merchantId},
                                          {"api_key", account.apiKey},
                                          {"tid", tid},
                                          {"cash_register", name},
                                          {"provider_id", request.providerId}}};
            });
        made.values.setSeconds("viva-reach-after", request.onTerminalAfter());
        made.values.setSeconds("viva-complete-after", request.paymentTakes);
        return made;
    };
    sample.webhookOnFinish = true;
    return sample;
}

} // namespace

void registerNetwork(SimNetworkRegistry& registry) {
    const auto table = optionTable();
    SimNetworkModule module{
        "viva",
        "Viva at /viva-accounts, /viva-api, /viva-legacy and /viva-local",
        table->specs(),
        "Viva (accounts_url /viva-accounts, api_url /viva-api, legacy /viva-legacy): POST "
        "/viva-accounts/_control/expire-tokens, GET|POST /viva-api/_control/settings, POST "
        "/viva-api/_control/finish, GET|POST /viva-api/_control/webhooks, POST "
        "/viva-legacy/_control/press-f1, GET|POST /viva-legacy/_control/settings, POST "
        "/viva-local/_control/reboot; amounts 9.99 "
        "declined, 17.98 PIN retry (1798 then 1796), 17.96 failed then late success, 33.33 "
        "cancelled, 60.60 expires after 60 s, 50.50 abort too late, 88.88 never finishes; "
        "/viva-local: 70.70 and 71.71 approved offline (Store-and-Forward).",
        {},
        sample()};
    module.add = [table](SimServer& server, const SimOptionValues& values,
                         signing::PublicKey providerKey) {
        addVivaParties(server, std::move(providerKey), table->read(values));
    };
    registry.add(std::move(module));
}

} // namespace fiscpos::sim::viva
