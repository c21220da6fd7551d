// The Viva Local Terminal API client (nsp = viva-local, contract viva-local-terminal.md): the
// terminal's own HTTPS server on the shop's LAN, no authentication. POST /pos/v1/sale, /refund,
// /preauth-completion and /abort answer at once with a `state`; GET /pos/v1/sessions/{sessionId}
// reports the session until it is final.
//
// An answer is read by its `state` whatever its HTTP status (local_provisional_api.hpp). A POST
// that reached the terminal but got no answer, or one without a readable `state`, is a
// core::TransportError with an unknown outcome: the caller asks session(sessionId) and never posts
// the same request again.
#pragma once

#include "core/config.hpp"
#include "core/http_client.hpp"
#include "viva/local_records.hpp"
#include "viva/viva_settings.hpp"

#include <string>

namespace fiscpos::viva::local {

// [terminal.NAME] with nsp = viva-local: url (https://IP:PORT, the port named), tid, provider_id,
// and optionally customer_text, currency, the TLS settings of core::httpOptions and the HTTP
// timeouts. The Viva settings in `viva` carry what the Cloud API's bodies share.
struct LocalSettings {
    VivaSettings viva;
    std::string url;

    // ConfigError naming the setting: url missing, without a port, or plain http to another
    // machine; https without certificate_sha256 or ca_file (the terminal's certificate is
    // self-signed); with `payments`, the tid too (what the provider signs).
    const LocalSettings& validate(bool payments) const;
};

LocalSettings localSettings(const core::Config& config, const std::string& name);

class LocalClient {
public:
    // Checks the settings (url; ConfigError naming the setting).
    explicit LocalClient(LocalSettings settings);

    const LocalSettings& settings() const { return settings_; }

    Immediate sale(const core::Json& body, const core::HttpObserver& record = {});
    Immediate refund(const core::Json& body, const core::HttpObserver& record = {});
    Immediate preauthCompletion(const core::Json& body, const core::HttpObserver& record = {});
    Immediate abort(const std::string& sessionId, const core::HttpObserver& record = {});
    // GET /pos/v1/sessions/{sessionId}: a 404 without a `state` reads as SESSION_NOT_FOUND_ERROR,
    // any other answer without one as state "HTTP <status>" (not final).
    LocalSession session(const std::string& sessionId, const core::HttpObserver& record = {});

private:
    Immediate post(const char* path, const core::Json& body, const core::HttpObserver& record);

    LocalSettings settings_;
    core::HttpClient http_;
};

} // namespace fiscpos::viva::local
