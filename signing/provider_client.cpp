#include "signing/provider_client.hpp"

#include "core/body_quote.hpp"

#include "core/clock.hpp"
#include "core/invoice_uid.hpp"

#include <cctype>

namespace fiscpos::signing {

namespace {

constexpr int maxPendingPages = 1000;

std::string percentEncode(std::string_view text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
            out += c;
        } else {
            out += '%';
            out += hex[byte >> 4];
            out += hex[byte & 0x0F];
        }
    }
    return out;
}

std::string signaturePath(const std::string& id) {
    if (id.empty()) {
        throw core::InputError("id", "the provider's signature id is empty");
    }
    return "/v2/signatures/" + percentEncode(id);
}

// The provider's refusal, with its `message` and (on 422) its `errors` per field. The body of an
// error need not be JSON; what can be read of it is kept, redacted (it ends in error messages).
[[noreturn]] void throwProviderError(const core::HttpResponse& response) {
    std::string message;
    std::map<std::string, std::vector<std::string>> fieldErrors;
    core::Json body;
    try {
        body = core::parseJson(response.body, "provider error", core::JsonOrigin::Response);
    } catch (const core::Error&) {
        body = nullptr;
    }
    if (body.is_object()) {
        if (auto it = body.find("message"); it != body.end() && it->is_string()) {
            message = core::redactSecrets(it->get<std::string>());
        }
        if (auto it = body.find("errors"); it != body.end() && it->is_object()) {
            for (const auto& [field, messages] : it->items()) {
                auto& list = fieldErrors[field];
                if (messages.is_array()) {
                    for (const auto& m : messages) {
                        list.push_back(core::redactSecrets(m.is_string() ? m.get<std::string>()
                                                                         : core::dumpJson(m)));
                    }
                } else {
                    list.push_back(core::redactSecrets(messages.is_string()
                                                           ? messages.get<std::string>()
                                                           : core::dumpJson(messages)));
                }
            }
        }
    }
    if (message.empty() && !response.reason.empty()) {
        message = response.reason;
    }
    throw ProviderError(response.status, message, std::move(fieldErrors));
}

std::string upper(std::string text) {
    for (char& c : text) {
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return text;
}

} // namespace

MydataProviderClient::MydataProviderClient(ProviderClientOptions options)
    : options_(std::move(options))
    , http_(std::make_unique<core::HttpClient>(options_.baseUrl, options_.http, "provider.url")) {
    if (options_.token.empty()) {
        throw core::ConfigError("provider.token", "the provider's API token is empty");
    }
}

void MydataProviderClient::onEvent(std::function<void(const std::string&)> listener) {
    listener_ = std::move(listener);
}

void MydataProviderClient::notify(const std::string& line) const {
    if (listener_) {
        listener_(line);
    }
}

core::HttpResponse MydataProviderClient::send(core::HttpRequest request) {
    std::string client = options_.clientName;
    if (client.find('/') == std::string::npos) {
        client += "/" FISCPOS_VERSION;
    }
    request.header("Authorization", "Bearer " + options_.token)
        .header("Accept", "application/json")
        .header("X-Client", client);
    return http_->send(request);
}

ProviderSignature MydataProviderClient::withProviderId(ProviderSignature sig) const {
    if (sig.providerId.empty()) {
        sig.providerId = options_.providerId;
    }
    return sig;
}

ProviderSignature MydataProviderClient::accept(const core::HttpResponse& response) const {
    if (!response.ok()) {
        throwProviderError(response);
    }
    const core::Json record = response.json("provider signature");
    return withProviderId(ProviderSignature::fromProviderJson(record, "signature"));
}

ProviderSignature MydataProviderClient::sign(const SignatureRequest& request) {
    const core::Json body = request.toProviderJson();
    const auto create = [&] {
        return send(core::HttpRequest::json("POST", "/v2/signatures", body));
    };

    notify("create a provider signature");
    std::string lost;
    try {
        core::HttpResponse response = create();
        if (response.status < 500) {
            return accept(response);
        }
        lost = "the provider answered HTTP " + std::to_string(response.status);
    } catch (const core::TransportError& e) {
        if (!e.outcomeUnknown()) {
            throw; // no connection was made: nothing reached the provider
        }
        lost = e.what();
    }

    // The request may have created a signature whose answer was lost: never create blindly.
    notify("look for a lost provider signature (" + lost + ")");
    std::optional<ProviderSignature> found;
    try {
        found = findLost(request);
    } catch (const core::Error& e) {
        throw core::TransportError(
            core::TransportError::Stage::Exchange,
            "the provider's answer to the signature request was lost (" + lost +
                ") and looking for the signature among the pending ones failed: " + e.what());
    }
    if (found) {
        notify("reuse provider signature " + found->id);
        return *found;
    }
    notify("create the provider signature again");
    return accept(create());
}

std::optional<ProviderSignature> MydataProviderClient::findLost(const SignatureRequest& request) {
    // The provider's uid of the same invoice; a Greek series may be hashed either way.
    const core::CivilTime issued = core::parseIso8601(request.issuedAt, "issued_at");
    const core::InvoiceIdentity identity{request.issuerVat, core::isoDate(issued),
                                         request.branch,    request.invoiceType,
                                         request.series,    request.number};
    std::vector<std::string> uids{core::invoiceUid(identity, core::UidSeriesEncoding::Utf8)};
    try {
        uids.push_back(core::invoiceUid(identity, core::UidSeriesEncoding::Iso8859_7));
    } catch (const core::InputError&) {
        // The series has a character ISO-8859-7 cannot hold: only the UTF-8 form exists.
    }

    std::optional<ProviderSignature> found;
    forEachPending([&](ProviderSignature& sig) {
        const std::string uid = upper(sig.uid);
        const bool sameUid = uid == uids.front() || uid == uids.back();
        if (sameUid && sig.terminalId == request.terminalId &&
            sig.paymentAmount == request.payment && sig.nsp == request.nsp) {
            found = std::move(sig);
            return true;
        }
        return false;
    });
    return found;
}

void MydataProviderClient::forEachPending(const std::function<bool(ProviderSignature&)>& visit) {
    for (int page = 1; page <= maxPendingPages; ++page) {
        const core::HttpResponse response = send(
            core::HttpRequest::get("/v2/signatures?status=pending&page=" + std::to_string(page)));
        if (!response.ok()) {
            throwProviderError(response);
        }
        const core::Json body = response.json("provider pending signatures");
        const core::JsonFields fields(body, "signatures", core::JsonOrigin::Response);
        const core::Json& data = fields.require("data");
        if (!data.is_array()) {
            fields.fail("data", "expected an array of signatures");
        }
        if (data.empty()) {
            return;
        }
        for (std::size_t i = 0; i < data.size(); ++i) {
            ProviderSignature sig = withProviderId(ProviderSignature::fromProviderJson(
                data[i], "signatures.data[" + std::to_string(i) + "]"));
            if (visit(sig)) {
                return;
            }
        }
    }
    throw core::ResponseError("signatures.data", "more than " + std::to_string(maxPendingPages) +
                                                     " pages of pending signatures");
}

ProviderSignature MydataProviderClient::find(const std::string& id) {
    notify("read provider signature " + id);
    return accept(send(core::HttpRequest::get(signaturePath(id))));
}

ProviderSignature MydataProviderClient::cancel(const std::string& id) {
    notify("cancel provider signature " + id);
    return accept(send(core::HttpRequest::del(signaturePath(id))));
}

std::vector<ProviderSignature> MydataProviderClient::listPending() {
    notify("list pending provider signatures");
    std::vector<ProviderSignature> out;
    forEachPending([&out](ProviderSignature& sig) {
        out.push_back(std::move(sig));
        return false;
    });
    return out;
}

} // namespace fiscpos::signing
