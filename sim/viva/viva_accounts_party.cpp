#include "sim/viva/viva_accounts_party.hpp"

#include "sim/viva/viva_http.hpp"

namespace fiscpos::sim {

namespace {

using core::Json;
using viva::HttpError;

constexpr const char* defaultScope = "urn:viva:payments:core:api:redirectcheckout";

HttpError oauthError(const std::string& error, const std::string& description) {
    return HttpError(400, Json{{"error", error}, {"error_description", description}});
}

} // namespace

VivaAccountsParty::VivaAccountsParty(std::shared_ptr<viva::Merchant> merchant, std::string prefix)
    : VivaMerchantParty("viva_accounts", std::move(prefix), std::move(merchant),
                        Refusals::NotCounted) {}

SimResponse VivaAccountsParty::route(const SimRequest& request) {
    if (request.subpath == "/connect/token") {
        viva::requirePost(request, "/connect/token");
        return token(request);
    }
    if (request.subpath == "/_control/expire-tokens") {
        viva::requirePost(request, "/_control/expire-tokens");
        const std::int64_t expired =
            merchant_->tokens().expireAll(merchant_->clock().now(), false).wereValid;
        expired_ += expired;
        return SimResponse::json(200, Json{{"expired", expired}});
    }
    throw HttpError::problem(404, "No Viva accounts endpoint at " + request.subpath +
                                      " (POST /connect/token, POST /_control/expire-tokens)");
}

SimResponse VivaAccountsParty::token(const SimRequest& request) {
    const viva::MerchantOptions& options = merchant_->options();
    const auto credentials = request.basicCredentials();
    // Both compared whatever the first gives, so the time does not tell which one was wrong.
    const bool idMatches = credentials && core::secretEquals(credentials->first, options.clientId);
    const bool secretMatches =
        credentials && core::secretEquals(credentials->second, options.clientSecret);
    if (!idMatches || !secretMatches) {
        ++failures_;
        throw oauthError("invalid_client",
                         "the client is authenticated with HTTP Basic client_id:client_secret");
    }
    if (!viva::hasContentType(request, "application/x-www-form-urlencoded")) {
        ++failures_;
        throw oauthError("invalid_request", "the body must be application/x-www-form-urlencoded");
    }
    const SimForm form = parseForm(request.body);
    const auto grant = form.first("grant_type");
    if (!grant || grant->empty()) {
        ++failures_;
        throw oauthError("invalid_request", "grant_type is missing");
    }
    if (*grant != "client_credentials") {
        ++failures_;
        throw oauthError("unsupported_grant_type", "only client_credentials is granted");
    }
    const std::string scope = form.first("scope").value_or(defaultScope);
    const std::string token = merchant_->tokens().issue(
        merchant_->clock().now(), options.tokenLifetime, options.clientId, scope);
    SimResponse response =
        SimResponse::json(200, Json{{"access_token", token},
                                    {"expires_in", options.tokenLifetime.count() / 1000},
                                    {"token_type", "Bearer"},
                                    {"scope", scope}});
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
}

Json VivaAccountsParty::recordStats() const {
    return Json{{"tokens_issued", merchant_->tokens().issued()}};
}

} // namespace fiscpos::sim
