#include "sim/provider/provider_party.hpp"

#include "core/errors.hpp"
#include "core/json.hpp"
#include "core/money.hpp"
#include "core/text.hpp"
#include "signing/nsp.hpp"
#include "signing/signature.hpp"
#include "sim/server/sim_text.hpp"

#include <algorithm>
#include <map>
#include <vector>

namespace fiscpos::sim {

namespace {

using core::allDigits;
using core::Json;

// The provider's validation messages use the field name with spaces ("terminal id").
std::string attribute(std::string_view field) {
    std::string text(field);
    std::replace(text.begin(), text.end(), '_', ' ');
    return text;
}

// Collects field errors the way the provider reports them: every failing field, with messages.
class Validation {
public:
    explicit Validation(const Json& body)
        : body_(body.is_object() ? body : Json::object()) {}

    void fail(const std::string& field, std::string message) {
        errors_[field].push_back(std::move(message));
    }
    bool ok() const { return errors_.empty(); }

    SimResponse response() const {
        Json errors = Json::object();
        for (const auto& [field, messages] : errors_) {
            errors[field] = messages;
        }
        return SimResponse::json(
            422, Json{{"message", "The given data was invalid."}, {"errors", errors}});
    }

    // A field with a value: present, not null, not an empty string.
    const Json* value(const std::string& field) const {
        const auto it = body_.find(field);
        if (it == body_.end() || it->is_null() || (it->is_string() && it->empty())) {
            return nullptr;
        }
        return &*it;
    }

    // The field's value; nullptr when it has none, failing it with "required" when `required`.
    const Json* present(const std::string& field, bool required) {
        const Json* v = value(field);
        if (!v && required) {
            fail(field, "The " + attribute(field) + " field is required.");
        }
        return v;
    }

    std::optional<std::string> string(const std::string& field, bool required,
                                      std::size_t maxLength = 255) {
        const Json* v = ofJsonType(present(field, required), &Json::is_string, [&] {
            fail(field, "The " + attribute(field) + " must be a string.");
        });
        if (!v) {
            return std::nullopt;
        }
        std::string text = v->get<std::string>();
        if (text.size() > maxLength) {
            fail(field, "The " + attribute(field) + " must not be greater than " +
                            std::to_string(maxLength) + " characters.");
            return std::nullopt;
        }
        return text;
    }

    std::optional<std::int64_t> integer(const std::string& field, bool required) {
        const Json* v = ofJsonType(present(field, required), &Json::is_number_integer, [&] {
            fail(field, "The " + attribute(field) + " must be an integer.");
        });
        if (!v) {
            return std::nullopt;
        }
        if (v->is_number_unsigned()) {
            const auto u = v->get<std::uint64_t>();
            if (u > static_cast<std::uint64_t>(INT64_MAX)) {
                fail(field, "The " + attribute(field) + " is too large.");
                return std::nullopt;
            }
            return static_cast<std::int64_t>(u);
        }
        return v->get<std::int64_t>();
    }

    // A JSON number of decimal euros with at most two decimals, read without binary floating
    // point.
    std::optional<core::Money> amount(const std::string& field, bool positive) {
        const Json* v = present(field, true);
        if (!v) {
            return std::nullopt;
        }
        std::string text;
        if (v->is_number_integer()) {
            text = v->is_number_unsigned() ? std::to_string(v->get<std::uint64_t>())
                                           : std::to_string(v->get<std::int64_t>());
        } else if (core::isDecimal(*v)) {
            text = core::decimalText(*v);
        } else {
            fail(field, "The " + attribute(field) + " must be a number.");
            return std::nullopt;
        }
        core::Money money;
        try {
            money = core::Money::parse(text, field, core::Money::Sign::AllowNegative);
        } catch (const core::InputError&) {
            fail(field, "The " + attribute(field) +
                            " must be a number with 0-2 decimal places and at most 13 digits "
                            "before the point.");
            return std::nullopt;
        }
        if (positive && money.cents() <= 0) {
            fail(field, "The " + attribute(field) + " must be greater than 0.");
            return std::nullopt;
        }
        if (money.cents() < 0) {
            fail(field, "The " + attribute(field) + " must be at least 0.");
            return std::nullopt;
        }
        return money;
    }

private:
    Json body_;
    std::map<std::string, std::vector<std::string>> errors_;
};

// The local signer's names for the fields it checks, in the provider's words.
std::string providerFieldName(const std::string& signerField) {
    static const std::map<std::string, std::string> names{
        {"issuer_vat", "issuer_vat_number"}, {"branch", "branch_code"},
        {"series", "invoice_series"},        {"number", "invoice_number"},
        {"issued_at", "invoice_issued_at"},  {"net", "invoice_net_amount"},
        {"vat", "invoice_vat_amount"},       {"total", "invoice_total_amount"},
        {"payment", "payment_amount"}};
    const auto it = names.find(signerField);
    return it == names.end() ? signerField : it->second;
}

// Reads and validates a create body; on failure `validation` holds every field error.
std::optional<signing::SignatureRequest> readCreate(Validation& validation) {
    signing::SignatureRequest request;

    if (const auto nsp = validation.integer("nsp", true)) {
        if (*nsp < 1 || *nsp > 5) {
            validation.fail("nsp", "The selected nsp is invalid.");
        } else {
            request.nsp = static_cast<signing::Nsp>(*nsp);
        }
    }
    if (const Json* mark = validation.value("mark")) {
        if (mark->is_string() && allDigits(mark->get<std::string>())) {
            request.mark = mark->get<std::string>();
        } else if (mark->is_number_unsigned()) {
            request.mark = std::to_string(mark->get<std::uint64_t>());
        } else {
            validation.fail("mark", "The mark format is invalid.");
        }
    }
    if (const auto vat = validation.string("issuer_vat_number", true)) {
        if (vat->size() != 9 || !allDigits(*vat)) {
            validation.fail("issuer_vat_number", "The issuer vat number must be 9 digits.");
        }
        request.issuerVat = *vat;
    }
    if (const auto branch = validation.integer("branch_code", false)) {
        if (*branch < 0 || *branch > 1000000) {
            validation.fail("branch_code", "The branch code must be between 0 and 1000000.");
        } else {
            request.branch = static_cast<int>(*branch);
        }
    }
    request.series = validation.string("invoice_series", false, 50).value_or("0");
    request.number = validation.string("invoice_number", true, 50).value_or("");
    if (const auto issuedAt = validation.string("invoice_issued_at", true)) {
        try {
            core::parseIso8601(*issuedAt, "invoice_issued_at");
            request.issuedAt = *issuedAt;
        } catch (const core::InputError&) {
            validation.fail("invoice_issued_at",
                            "The invoice issued at does not match the format Y-m-d\\TH:i:sP.");
        }
    }
    request.invoiceType = validation.string("invoice_type", true, 10).value_or("");
    request.net = validation.amount("invoice_net_amount", false).value_or(core::Money());
    request.vat = validation.amount("invoice_vat_amount", false).value_or(core::Money());
    request.total = validation.amount("invoice_total_amount", false).value_or(core::Money());
    request.payment = validation.amount("payment_amount", true).value_or(core::Money());
    if (const auto duration = validation.integer("duration", true)) {
        if (*duration != 1 && *duration != 2) {
            validation.fail("duration", "The selected duration is invalid.");
        } else {
            request.duration = static_cast<signing::SignatureDuration>(*duration);
        }
    }
    if (const auto tid = validation.string("terminal_id", true, 200)) {
        const bool printable = std::all_of(
            tid->begin(), tid->end(), [](char c) { return c != ';' && c >= 0x21 && c <= 0x7E; });
        if (!printable) {
            validation.fail("terminal_id", "The terminal id format is invalid.");
        }
        request.terminalId = *tid;
    }
    if (!validation.ok()) {
        return std::nullopt;
    }
    return request;
}

Json record(const signing::ProviderSignature& signature, const std::string& providerId) {
    Json json = signature.toProviderJson();
    json["signing_author"] = providerId;
    return json;
}

} // namespace

ProviderParty::ProviderParty(signing::PrivateKey key, ProviderPartyOptions options,
                             const core::Clock& clock)
    : SimPartyBase("provider", options.prefix)
    , key_(std::move(key))
    , options_(std::move(options))
    , clock_(clock) {
    if (options_.token.empty()) {
        throw core::ConfigError("provider.token", "the simulated provider needs a token");
    }
    if (options_.pageSize == 0) {
        throw core::ConfigError("provider.page_size", "must be at least 1");
    }
    signer_ = std::make_unique<signing::LocalSigner>(key_, options_.providerId, clock_,
                                                     options_.uidEncoding);
}

SimResponse ProviderParty::handle(const SimRequest& request) {
    const std::vector<std::string> path = request.segments();
    if (ProviderInvoiceBook::serves(path)) {
        if (path[0] != "_control" && !core::secretEquals(request.bearerToken(), options_.token)) {
            ++unauthenticated_;
            return SimResponse::message(401, "Unauthenticated.");
        }
        const std::lock_guard lock(mutex_);
        return invoices_.handle(request, *signer_);
    }
    const bool collection = path.size() == 2 && path[0] == "v2" && path[1] == "signatures";
    const bool item = path.size() == 3 && path[0] == "v2" && path[1] == "signatures";
    if (!collection && !item) {
        return SimResponse::message(404, "The route " + request.subpath + " could not be found.");
    }
    const std::string& method = request.method;
    const bool allowed = collection ? (method == "GET" || method == "POST")
                                    : (method == "GET" || method == "DELETE");
    if (!allowed) {
        return SimResponse::message(405, "The " + method +
                                             " method is not supported for this route. "
                                             "Supported methods: " +
                                             (collection ? "GET, POST." : "GET, DELETE."));
    }
    if (!core::secretEquals(request.bearerToken(), options_.token)) {
        ++unauthenticated_;
        return SimResponse::message(401, "Unauthenticated.");
    }
    if (collection) {
        return method == "POST" ? create(request) : listPending(request);
    }
    return method == "GET" ? find(path[2]) : cancel(path[2]);
}

SimResponse ProviderParty::create(const SimRequest& request) {
    Json body;
    try {
        body = core::parseJson(request.body, "request", core::JsonOrigin::Input);
    } catch (const core::InputError&) {
        body = Json::object(); // an unreadable body validates as an empty one
    }
    // The token's company is checked before the fields.
    if (options_.companyVat && body.is_object()) {
        const auto vat = body.find("issuer_vat_number");
        if (vat != body.end() && vat->is_string() && !vat->get<std::string>().empty() &&
            !core::secretEquals(vat->get<std::string>(), *options_.companyVat)) {
            ++forbidden_;
            return SimResponse::message(403, "This action is unauthorized.");
        }
    }
    Validation validation(body);
    const auto signatureRequest = readCreate(validation);
    if (!signatureRequest) {
        ++invalid_;
        return validation.response();
    }
    try {
        std::lock_guard lock(mutex_);
        const signing::ProviderSignature signature = signer_->sign(*signatureRequest);
        ++created_;
        return SimResponse::json(201, record(signature, options_.providerId));
    } catch (const core::InputError& e) {
        ++invalid_;
        Validation refused(body);
        refused.fail(providerFieldName(e.field()), e.what());
        return refused.response();
    }
}

SimResponse ProviderParty::find(const std::string& id) {
    try {
        std::lock_guard lock(mutex_);
        return SimResponse::json(200, record(signer_->find(id), options_.providerId));
    } catch (const core::InputError&) {
        return SimResponse::message(404, "No query results for signature " + id + ".");
    }
}

SimResponse ProviderParty::cancel(const std::string& id) {
    std::lock_guard lock(mutex_);
    signing::ProviderSignature signature;
    try {
        signature = signer_->find(id);
    } catch (const core::InputError&) {
        return SimResponse::message(404, "No query results for signature " + id + ".");
    }
    if (signature.cancelledAt) {
        return SimResponse::message(409, "The signature has already been cancelled.");
    }
    signature = signer_->cancel(id);
    ++cancelled_;
    return SimResponse::json(200, record(signature, options_.providerId));
}

SimResponse ProviderParty::listPending(const SimRequest& request) {
    if (request.queryParam("status").value_or("") != "pending") {
        Validation validation(Json::object());
        validation.fail("status", "The selected status is invalid.");
        return validation.response();
    }
    // Like the provider's paginator: a page that is not a positive number is page 1.
    std::size_t page = 1;
    const std::string pageText = request.queryParam("page").value_or("1");
    if (allDigits(pageText) && pageText.size() < 10) {
        page = std::max<std::size_t>(1, std::stoul(pageText));
    }

    std::vector<signing::ProviderSignature> pending;
    {
        std::lock_guard lock(mutex_);
        pending = signer_->listPending();
    }
    // Pending means unreferenced: a signature an invoice or a payment carries is no longer listed.
    std::erase_if(pending, [this](const signing::ProviderSignature& signature) {
        return invoices_.referenced(signature.signatureBase64);
    });
    const std::size_t perPage = options_.pageSize;
    const std::size_t total = pending.size();
    const std::size_t lastPage = std::max<std::size_t>(1, (total + perPage - 1) / perPage);
    const std::size_t first = (page - 1) * perPage;

    Json data = Json::array();
    for (std::size_t i = first; i < total && i < first + perPage; ++i) {
        data.push_back(record(pending[i], options_.providerId));
    }

    const std::string base = "http://" + (request.host.empty() ? "localhost" : request.host) +
                             options_.prefix + "/v2/signatures";
    const auto pageUrl = [&base](std::size_t n) {
        return Json(base + "?status=pending&page=" + std::to_string(n));
    };
    const bool empty = data.empty();
    Json links{{"first", pageUrl(1)},
               {"last", pageUrl(lastPage)},
               {"prev", page > 1 ? pageUrl(std::min(page - 1, lastPage)) : Json(nullptr)},
               {"next", page < lastPage ? pageUrl(page + 1) : Json(nullptr)}};
    Json meta{{"current_page", page},
              {"from", empty ? Json(nullptr) : Json(first + 1)},
              {"to", empty ? Json(nullptr) : Json(first + data.size())},
              {"last_page", lastPage},
              {"path", base},
              {"per_page", perPage},
              {"total", total}};
    return SimResponse::json(200, Json{{"data", data}, {"links", links}, {"meta", meta}});
}

void ProviderParty::resetRecords() {
    invoices_.reset();
    std::lock_guard lock(mutex_);
    signer_ = std::make_unique<signing::LocalSigner>(key_, options_.providerId, clock_,
                                                     options_.uidEncoding);
}

} // namespace fiscpos::sim
