// fiscpos-sim's Viva options.
#include "sim/viva/viva_options.hpp"

#include "core/errors.hpp"
#include "core/text.hpp"
#include "sim/viva/viva_parties.hpp"

#include <utility>

namespace fiscpos::sim {

namespace {

VivaSimOptions vivaSimOptions(const SimOptionValues& values) {
    VivaSimOptions options;
    viva::MerchantOptions& m = options.merchant;
    m.clientId = values.text("viva-client-id", m.clientId);
    m.clientSecret = values.text("viva-client-secret", m.clientSecret);
    m.tokenLifetime = values.seconds("viva-token-lifetime", m.tokenLifetime);
    if (m.tokenLifetime < std::chrono::seconds(1)) {
        throw core::ConfigError("viva-token-lifetime", "must be at least 1 second");
    }
    m.merchantId = values.text("viva-merchant-id", m.merchantId);
    m.apiKey = values.text("viva-api-key", m.apiKey);
    m.webhookKey = values.text("viva-webhook-key", m.webhookKey);
    if (values.has("viva-terminals")) {
        m.terminals = viva::parseTerminals(values.text("viva-terminals", ""), "viva-terminals");
    }
    viva::Timing& t = m.timing;
    t.reachAfter = values.seconds("viva-reach-after", t.reachAfter);
    t.completeAfter = values.seconds("viva-complete-after", t.completeAfter);
    t.pinRetryAfter = values.seconds("viva-pin-retry-after", t.pinRetryAfter);
    t.lateSuccessAfter = values.seconds("viva-late-success-after", t.lateSuccessAfter);
    t.expireAfter = values.seconds("viva-expire-after", t.expireAfter);
    t.abortAfter = values.seconds("viva-abort-after", t.abortAfter);
    t.pickupAfter = values.seconds("viva-pickup-after", t.pickupAfter);
    m.webhooks.url = values.text("viva-webhook-url", "");
    viva::checkWebhookUrl(m.webhooks.url, "viva-webhook-url");
    m.webhooks.retryAfter = values.seconds("viva-webhook-retry-after", m.webhooks.retryAfter);
    if (m.webhooks.retryAfter < std::chrono::seconds(1)) {
        throw core::ConfigError("viva-webhook-retry-after", "must be at least 1 second");
    }
    m.webhooks.maxRetries = static_cast<int>(values.count(
        "viva-webhook-retries", static_cast<std::size_t>(m.webhooks.maxRetries), 1000));
    m.autoPickup = !values.flag("viva-manual-pickup");
    m.sessions.codesAsNumbers = values.flag("viva-codes-as-numbers");
    m.sessions.sessionEvents = !values.flag("viva-no-session-events");
    m.sessions.unregisteredFor =
        values.seconds("viva-unregistered-for", m.sessions.unregisteredFor);

    for (const std::string& id : values.list("viva-provider-ids", {})) {
        if (!core::allDigits(id)) {
            throw core::ConfigError("viva-provider-ids", "\"" + id + "\" is not digits");
        }
        options.api.providerIds.insert(id);
    }
    options.api.requireAade = !values.flag("viva-aade-optional");
    options.api.emptyUnauthorized =
        values.choice("viva-expired-token-answer", "detail", {"detail", "empty"}) == "empty";
    return options;
}

} // namespace

namespace viva {

void registerNetwork(SimNetworkRegistry& registry) {
    SimNetworkModule module;
    module.name = "viva";
    module.where = "Viva at /viva-accounts, /viva-api and /viva-legacy";
    module.options = {
        {"viva-client-id", "POS APIs client id (default sim-viva-client)", "ID"},
        {"viva-client-secret", "POS APIs client secret (default sim-viva-secret)", "SECRET"},
        {"viva-token-lifetime",
         "simulated seconds an access token lives, expires_in (default "
         "3600)",
         "S"},
        {"viva-merchant-id",
         "Merchant ID of the legacy API's Basic auth (default "
         "6f3b1c2e-5a47-4d8e-9b21-0c5d7e8f9a10)",
         "ID"},
        {"viva-api-key", "API Key of the legacy API's Basic auth (default sim-viva-api-key)",
         "KEY"},
        {"viva-webhook-key", "webhook verification key of /api/messages/config/token", "KEY"},
        {"viva-terminals",
         "terminals as TID[:SOURCECODE[:SERIAL]],... (default 16000010:1234:0820160010,"
         "16000011:1234:0820160011); the serial is the POS's legacy payment source",
         "LIST"},
        providerKeyOption("viva", "PEM public key aadeProviderSignature is verified with"),
        {"viva-provider-ids", "aadeProviderId values accepted (default: any digits)", "LIST"},
        {"viva-aade-optional", "accept sales and refunds without the aade* fields", ""},
        {"viva-reach-after",
         "simulated seconds until a request reaches the terminal: AADE check, busy (default 1)",
         "S"},
        {"viva-complete-after", "simulated seconds until a payment completes (default 4)", "S"},
        {"viva-pin-retry-after",
         "simulated seconds from the failed tap to the PIN, 17.98 "
         "(default 6)",
         "S"},
        {"viva-late-success-after",
         "simulated seconds from the failed result to the late success, 17.96 (default 20)", "S"},
        {"viva-expire-after",
         "simulated seconds until an unpaid 60.60 session expires (default "
         "60)",
         "S"},
        {"viva-abort-after", "simulated seconds from an abort to the aborted result (default 2)",
         "S"},
        {"viva-pickup-after", "simulated seconds from a legacy order to F1 on its POS (default 5)",
         "S"},
        {"viva-manual-pickup", "legacy orders wait for POST /viva-legacy/_control/press-f1", ""},
        {"viva-webhook-url", "where payment webhooks are POSTed (default: none)", "URL"},
        {"viva-webhook-retry-after", "simulated seconds between webhook retries (default 3600)",
         "S"},
        {"viva-webhook-retries", "retries of an unanswered webhook (default 23)", "N"},
        {"viva-no-session-events", "send no 1802/1803 ECR session webhooks", ""},
        {"viva-unregistered-for",
         "simulated seconds a new session answers 404 before it is registered (default 0)", "S"},
        {"viva-codes-as-numbers",
         "sessions carry retrievalReferenceNumber and orderCode as JSON numbers", ""},
        {"viva-expired-token-answer",
         "401 body for a bad token: detail ({\"detail\": \"Could not validate credentials\"}, "
         "default) or empty",
         "STYLE"},
    };
    module.help =
        "Viva (accounts_url /viva-accounts, api_url /viva-api, legacy /viva-legacy): POST "
        "/viva-accounts/_control/expire-tokens, GET|POST /viva-api/_control/settings, POST "
        "/viva-api/_control/finish, GET|POST /viva-api/_control/webhooks, POST "
        "/viva-legacy/_control/press-f1, GET|POST /viva-legacy/_control/settings; amounts 9.99 "
        "declined, 17.98 PIN retry (1798 then 1796), 17.96 failed then late success, 33.33 "
        "cancelled, 60.60 expires after 60 s, 50.50 abort too late, 88.88 never finishes.";
    module.add = [](SimServer& server, const SimOptionValues& values,
                    signing::PublicKey providerKey) {
        addVivaParties(server, std::move(providerKey), vivaSimOptions(values));
    };
    registry.add(std::move(module));
}

} // namespace viva

} // namespace fiscpos::sim
