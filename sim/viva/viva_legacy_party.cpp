#include "sim/viva/viva_legacy_party.hpp"

#include "core/errors.hpp"
#include "core/text.hpp"
#include "sim/server/sim_text.hpp"
#include "sim/viva/viva_http.hpp"

#include <Poco/String.h>

namespace fiscpos::sim {

namespace {

using core::Json;
using viva::HttpError;

constexpr std::int64_t maxCents = 99999999999;

// The envelope every legacy answer shares.
Json envelope(const viva::Merchant& merchant, int errorCode, const std::string& errorText) {
    return Json{{"ErrorCode", errorCode},
                {"ErrorText", textOrNull(errorText)},
                {"TimeStamp", core::athensIso8601(merchant.clock().now())},
                {"CorrelationId", nullptr},
                {"EventId", 0},
                {"Success", errorCode == 0}};
}

HttpError legacyError(const viva::Merchant& merchant, int status, const std::string& text) {
    SimResponse response = SimResponse::json(status, envelope(merchant, status, text));
    if (status == 401) {
        response.headers.emplace_back("WWW-Authenticate", "Basic realm=\"Viva\"");
    }
    return HttpError(std::move(response));
}

// A field of an order as text, whether the body was a form or JSON; nullopt when absent.
std::optional<std::string> orderField(const Json& body, const std::string& key) {
    for (const auto& [name, value] : body.items()) {
        if (Poco::icompare(name, key) != 0 || value.is_null()) {
            continue;
        }
        if (value.is_string()) {
            return value.get<std::string>();
        }
        if (value.is_number_integer() || value.is_boolean()) {
            return core::dumpJson(value);
        }
        return core::isDecimal(value) ? core::decimalText(value) : core::dumpJson(value);
    }
    return std::nullopt;
}

} // namespace

VivaLegacyParty::VivaLegacyParty(std::shared_ptr<viva::Merchant> merchant, std::string prefix)
    : VivaMerchantParty("viva_legacy", std::move(prefix), std::move(merchant), Refusals::Counted) {}

SimResponse VivaLegacyParty::route(const SimRequest& request) {
    const std::string& sub = request.subpath;
    constexpr std::string_view controlPrefix = "/_control/";
    if (sub.rfind(controlPrefix, 0) == 0) {
        return control(request, sub.substr(controlPrefix.size()));
    }
    const auto allow = [this, &request](const char* method) {
        if (request.method != method) {
            throw legacyError(*merchant_, 405,
                              request.subpath + " takes " + method + ", not " + request.method);
        }
    };
    if (sub == "/api/messages/config/token") {
        authenticate(request);
        allow("GET");
        ++keyRequests_;
        return SimResponse::json(200, Json{{"Key", merchant_->options().webhookKey}});
    }
    if (sub == "/api/orders" || sub == "/api/orders/") {
        authenticate(request);
        allow("POST");
        return createOrder(request);
    }
    constexpr std::string_view transactionsPath = "/api/transactions";
    if (sub.rfind(transactionsPath, 0) == 0) {
        std::string rest = sub.substr(transactionsPath.size());
        if (!rest.empty() && rest.front() == '/') {
            rest.erase(0, 1);
        }
        if (!rest.empty() && rest.back() == '/') {
            rest.pop_back();
        }
        if (rest.find('/') == std::string::npos) {
            authenticate(request);
            allow("GET");
            return transactions(request, rest);
        }
    }
    throw legacyError(*merchant_, 404, "No legacy API endpoint at " + sub);
}

void VivaLegacyParty::authenticate(const SimRequest& request) {
    const viva::MerchantOptions& options = merchant_->options();
    const auto credentials = request.basicCredentials();
    const bool idMatches =
        credentials && core::secretEquals(credentials->first, options.merchantId);
    const bool keyMatches = credentials && core::secretEquals(credentials->second, options.apiKey);
    if (!idMatches || !keyMatches) {
        throw legacyError(*merchant_, 401,
                          "Authorization has been denied for this request (Basic "
                          "MerchantID:APIKey).");
    }
}

SimResponse VivaLegacyParty::createOrder(const SimRequest& request) {
    Json body;
    if (viva::hasContentType(request, "application/json")) {
        try {
            body = viva::readObject(request, false);
        } catch (const HttpError&) {
            throw legacyError(*merchant_, 400, "The request body is not a JSON object.");
        }
    } else {
        body = Json::object();
        for (const auto& [key, value] : parseForm(request.body).fields) {
            body[key] = value;
        }
    }
    const auto fail = [this](const std::string& text) {
        return legacyError(*merchant_, 400, text);
    };
    const auto amount = orderField(body, "Amount");
    if (!amount || !core::allDigits(*amount) || amount->size() > 11 || std::stoll(*amount) < 1) {
        throw fail("Amount: must be a whole number of cents above 0");
    }
    if (std::stoll(*amount) > maxCents) {
        throw fail("Amount: too large");
    }
    const auto source = orderField(body, "SourceCode");
    if (!source) {
        throw fail("SourceCode: is required (the payment source of the POS)");
    }
    const viva::Terminal* terminal = merchant_->terminalBySerial(*source);
    if (!terminal) {
        throw fail("SourceCode: " + *source + " is not a payment source of this account");
    }
    for (const char* key : {"PaymentTimeOut", "MaxInstallments"}) {
        if (const auto value = orderField(body, key); value && !core::allDigits(*value)) {
            throw fail(std::string(key) + ": must be a whole number");
        }
    }
    if (const auto value = orderField(body, "DisableCash");
        value && Poco::icompare(*value, "true") != 0 && Poco::icompare(*value, "false") != 0) {
        throw fail("DisableCash: must be true or false");
    }
    viva::OrderRequest order;
    order.amount = core::Money::fromCents(std::stoll(*amount));
    order.terminal = *terminal;
    order.merchantTrns = orderField(body, "MerchantTrns");
    order.customerTrns = orderField(body, "CustomerTrns");
    const std::int64_t code = merchant_->orders().create(std::move(order));
    merchant_->wake();
    Json json = envelope(*merchant_, 0, "");
    json["OrderCode"] = code;
    return SimResponse::json(200, json);
}

SimResponse VivaLegacyParty::transactions(const SimRequest& request,
                                          const std::string& transactionId) {
    ++queries_;
    // Payments move on simulated time; bring them up to date before listing.
    merchant_->sessions().advance(merchant_->clock().now());
    merchant_->orders().advance(merchant_->clock().now());
    const viva::Ledger& ledger = merchant_->ledger();
    std::vector<viva::Transaction> found;
    if (!transactionId.empty()) {
        if (const auto transaction = ledger.find(transactionId)) {
            found.push_back(*transaction);
        }
    } else if (const auto orderCode = request.queryParam("ordercode")) {
        if (!core::allDigits(*orderCode) || orderCode->size() > 18) {
            throw legacyError(*merchant_, 400, "ordercode: must be the digits of an OrderCode");
        }
        found = ledger.byOrderCode(std::stoll(*orderCode));
    } else if (const auto date = request.queryParam("date")) {
        if (date->size() != 10) {
            throw legacyError(*merchant_, 400, "date: must be YYYY-MM-DD");
        }
        found = ledger.byAthensDate(*date);
    } else {
        throw legacyError(*merchant_, 400,
                          "Give a transaction id, ?ordercode= or ?date=YYYY-MM-DD.");
    }
    Json list = Json::array();
    for (const viva::Transaction& transaction : found) {
        list.push_back(transaction.legacyJson(merchant_->options().merchantId));
    }
    Json json = envelope(*merchant_, 0, "");
    json["Transactions"] = list;
    return SimResponse::json(200, json);
}

SimResponse VivaLegacyParty::control(const SimRequest& request, const std::string& action) {
    if (action == "webhooks" || action == "webhooks/verify") {
        return viva::webhookControl(*merchant_, request, action);
    }
    if (action == "press-f1") {
        viva::requirePost(request, "/_control/press-f1");
        const Json body = viva::readObject(request, false);
        const auto source = orderField(body, "source_code");
        if (!source || !merchant_->terminalBySerial(*source)) {
            throw HttpError::problem(400, "source_code: must be the serial of one of the "
                                          "account's terminals");
        }
        const auto code = merchant_->orders().pressF1(*source);
        merchant_->wake();
        return SimResponse::json(200, Json{{"order_code", code ? Json(*code) : Json(nullptr)}});
    }
    if (action == "settings") {
        SimSetting<bool>& autoPickup = merchant_->orders().autoPickup();
        if (request.method == "POST") {
            const Json body = viva::readObject(request, true);
            autoPickup.set(viva::booleanSetting(body, "auto_pickup", autoPickup.get()));
            merchant_->wake();
        } else if (request.method != "GET") {
            throw HttpError::problem(405, "/_control/settings takes GET and POST");
        }
        return SimResponse::json(200, Json{{"auto_pickup", autoPickup.get()}});
    }
    throw HttpError::problem(404, "No legacy control endpoint \"" + action +
                                      "\" (press-f1, settings, webhooks, webhooks/verify)");
}

Json VivaLegacyParty::recordStats() const {
    return merchant_->orders().stats();
}

} // namespace fiscpos::sim
