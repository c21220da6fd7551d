#include "signing/provider_client.hpp"

#include "core/body_quote.hpp"

#include "core/clock.hpp"
#include "core/invoice_uid.hpp"

#include <Poco/String.h>

namespace fiscpos::signing {

namespace {

constexpr int maxPendingPages = 1000;

std::string signaturePath(const std::string& id) {
    return "/v2/signatures/" + ProviderApi::segment(id, "id");
}

} // namespace

MydataProviderClient::MydataProviderClient(ProviderClientOptions options)
    : options_(std::move(options))
    , api_(options_) {}

void MydataProviderClient::onEvent(std::function<void(const std::string&)> listener) {
    listener_ = std::move(listener);
}

void MydataProviderClient::notify(const std::string& line) const {
    if (listener_) {
        listener_(line);
    }
}

core::HttpResponse MydataProviderClient::send(core::HttpRequest request) {
    return api_.send(std::move(request));
}

ProviderSignature MydataProviderClient::withProviderId(ProviderSignature sig) const {
    if (sig.providerId.empty()) {
        sig.providerId = options_.providerId;
    }
    return sig;
}

ProviderSignature MydataProviderClient::accept(const core::HttpResponse& response) const {
    if (!response.ok()) {
        ProviderApi::refuse(response);
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
        const std::string uid = Poco::toUpper(sig.uid);
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
            ProviderApi::refuse(response);
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
