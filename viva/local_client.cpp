#include "viva/local_client.hpp"

#include "core/section_check.hpp"
#include "core/text.hpp"
#include "viva/local_provisional_api.hpp"
#include "viva/viva_network.hpp"

namespace fiscpos::viva::local {

const LocalSettings& LocalSettings::validate(bool payments) const {
    const core::SectionCheck check(viva.section);
    check.serverUrl("url", url,
                    "(the terminal's address and the port its app shows, e.g. "
                    "https://192.168.1.50:PORT)");
    requireExplicitPort(url, viva.settingName("url"));
    if (url.rfind("https://", 0) == 0 && viva.http.certificateSha256.empty() &&
        viva.http.caFile.empty()) {
        check.fail("certificate_sha256",
                   "is missing: the terminal serves a self-signed certificate; pin its SHA-256 "
                   "fingerprint (or set ca_file to the certificate that signs it)");
    }
    check.terminalId("tid", viva.tid);
    if (payments) {
        check.required("tid", viva.tid, "the terminal's TID (Viva app: More > About)");
    }
    if (!viva.providerId.empty() && !core::allDigits(viva.providerId)) {
        check.fail("provider_id", "\"" + viva.providerId +
                                      "\" is not the provider's numeric id on Viva (999 on demo)");
    }
    if (viva.customerText.size() > 2048) {
        check.fail("customer_text", "must be at most 2048 characters");
    }
    check.currencyNumber("currency", viva.currencyCode);
    return *this;
}

LocalSettings localSettings(const core::Config& config, const std::string& name) {
    LocalSettings settings;
    settings.viva = vivaSettings(config, name);
    settings.url = config.getOr(settings.viva.section + ".url", "");
    return settings;
}

LocalClient::LocalClient(LocalSettings settings)
    : settings_(std::move(settings))
    , http_(settings_.validate(false).url, settings_.viva.http, settings_.viva.settingName("url")) {
}

Immediate LocalClient::post(const char* path, const core::Json& body,
                            const core::HttpObserver& record) {
    const core::HttpResponse response =
        http_.send(core::HttpRequest::json("POST", path, body), record);
    if (!stateOfAnswer(response)) {
        throw core::TransportError(core::TransportError::Stage::Exchange,
                                   std::string("the terminal answered ") + path + " with " +
                                       std::to_string(response.status) +
                                       " and no state: whether it started a session is unknown");
    }
    return Immediate::fromJson(response.json(path), path);
}

Immediate LocalClient::sale(const core::Json& body, const core::HttpObserver& record) {
    return post(salePath, body, record);
}

Immediate LocalClient::refund(const core::Json& body, const core::HttpObserver& record) {
    return post(refundPath, body, record);
}

Immediate LocalClient::preauthCompletion(const core::Json& body, const core::HttpObserver& record) {
    return post(preauthCompletionPath, body, record);
}

Immediate LocalClient::abort(const std::string& sessionId, const core::HttpObserver& record) {
    return post(abortPath, abortBody(sessionId), record);
}

LocalSession LocalClient::session(const std::string& sessionId, const core::HttpObserver& record) {
    requireSessionId(sessionId, "reference");
    const core::HttpResponse response =
        http_.send(core::HttpRequest::get(sessionPath(sessionId)), record);
    if (stateOfAnswer(response)) {
        return LocalSession::fromJson(response.json("session"), "session");
    }
    LocalSession session;
    session.sessionId = sessionId;
    session.state = response.status == 404 ? std::string("SESSION_NOT_FOUND_ERROR")
                                           : "HTTP " + std::to_string(response.status);
    return session;
}

} // namespace fiscpos::viva::local
