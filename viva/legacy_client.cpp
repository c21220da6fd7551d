#include "viva/legacy_client.hpp"

#include "core/body_quote.hpp"

#include "viva/viva_http.hpp"
#include "viva/viva_records.hpp"

namespace fiscpos::viva {

namespace {

using core::HttpRequest;
using core::HttpResponse;
using core::Json;

} // namespace

std::string orderForm(const OrderRequest& request) {
    Parameters form{{"Amount", std::to_string(request.amount.cents())},
                    {"SourceCode", request.sourceCode},
                    {"MerchantTrns", request.merchantTrns},
                    {"PaymentTimeOut", std::to_string(request.paymentTimeout.count())}};
    if (!request.customerTrns.empty()) {
        form.emplace_back("CustomerTrns", request.customerTrns);
    }
    if (request.maxInstallments > 0) {
        form.emplace_back("MaxInstallments", std::to_string(request.maxInstallments));
    }
    return formEncoded(form);
}

LegacyClient::LegacyClient(VivaSettings settings)
    : settings_(settings.validate(VivaSettings::Need::Legacy))
    , http_(settings_.legacyUrl, settings_.http, settings_.settingName("legacy_url")) {}

HttpResponse LegacyClient::send(HttpRequest request, const core::HttpObserver& record) {
    request.header("Authorization", basicAuthorization(settings_.merchantId, settings_.apiKey));
    request.header("Accept", "application/json");
    return http_.send(request, record);
}

void LegacyClient::refusedCredentials(const HttpResponse& response) const {
    throw core::ConfigError(settings_.settingName("api_key"),
                            "Viva refused merchant_id and api_key (" + answerSummary(response) +
                                "); use the Merchant ID and API Key under Settings > API Access");
}

std::string LegacyClient::webhookKey(const core::HttpObserver& record) {
    const HttpResponse response = send(HttpRequest::get("/api/messages/config/token"), record);
    if (response.status == 401 || response.status == 403) {
        refusedCredentials(response);
    }
    if (!response.ok()) {
        throw core::HttpStatusError(response.status, response.body,
                                    "Viva answered the webhook key request with " +
                                        core::credentialAnswerSummary(response));
    }
    const Json body = core::parseCredentialJson(response.body, "webhook key");
    if (!body.is_object()) {
        throw core::ResponseError("webhook key", "expected a JSON object");
    }
    std::string key = scalarField(body, "Key", "webhook key").value_or("");
    if (key.empty()) {
        key = scalarField(body, "key", "webhook key").value_or("");
    }
    if (key.empty()) {
        throw core::ResponseError("webhook key.Key", "is missing");
    }
    return key;
}

OrderCreated LegacyClient::createOrder(const OrderRequest& request,
                                       const core::HttpObserver& record) {
    if (request.amount.cents() <= 0) {
        throw core::InputError("amount", request.amount.toString() + " is not a positive amount");
    }
    HttpRequest post;
    post.method = "POST";
    post.target = "/api/orders";
    post.contentType = "application/x-www-form-urlencoded";
    post.body = orderForm(request);
    const HttpResponse response = send(post, record);
    const auto unknown = [&](const std::string& why) {
        return core::TransportError(core::TransportError::Stage::Exchange,
                                    "POST /api/orders: " + why +
                                        "; the order may or may not have been created: look for "
                                        "its transactions by MerchantTrns before anything else");
    };
    if (response.status == 401 || response.status == 403) {
        refusedCredentials(response);
    }
    if (response.status >= 500 || response.status == 408 || response.status == 409) {
        throw unknown("Viva answered " + answerSummary(response));
    }
    if (!response.ok()) {
        throw OrderRefused(0, "Viva refused the order (" + answerSummary(response) +
                                  "); nothing was created, nothing was charged");
    }
    OrderCreated order;
    try {
        order = OrderCreated::fromJson(response.json("order"), "order");
    } catch (const core::ResponseError& e) {
        throw unknown(std::string("the answer could not be read (") + e.what() + ")");
    }
    if (order.errorCode != 0) {
        throw OrderRefused(order.errorCode,
                           "Viva refused the order (ErrorCode " + std::to_string(order.errorCode) +
                               (order.errorText.empty() ? std::string() : ": " + order.errorText) +
                               "); nothing was created, nothing was charged");
    }
    return order;
}

std::vector<LegacyTransaction> LegacyClient::transactions(const std::string& query,
                                                          const core::HttpObserver& record) {
    const std::string target = "/api/transactions?" + query;
    const HttpResponse response = send(HttpRequest::get(target), record);
    if (response.status == 401 || response.status == 403) {
        refusedCredentials(response);
    }
    if (response.status == 404) {
        return {};
    }
    if (!response.ok()) {
        throw core::HttpStatusError(response.status, response.body,
                                    "Viva answered GET " + target + " with " +
                                        answerSummary(response));
    }
    TransactionList list = TransactionList::fromJson(response.json("transactions"), "transactions");
    if (list.errorCode != 0) {
        throw core::HttpStatusError(response.status, response.body,
                                    "Viva answered GET " + target + " with ErrorCode " +
                                        std::to_string(list.errorCode) +
                                        (list.errorText.empty() ? "" : ": " + list.errorText));
    }
    return std::move(list.transactions);
}

std::vector<LegacyTransaction> LegacyClient::transactionsOfOrder(const std::string& orderCode,
                                                                 const core::HttpObserver& record) {
    return transactions(formEncoded({{"ordercode", orderCode}}), record);
}

std::vector<LegacyTransaction> LegacyClient::transactionsOfDay(const std::string& date,
                                                               const core::HttpObserver& record) {
    return transactions(formEncoded({{"date", date}}), record);
}

} // namespace fiscpos::viva
