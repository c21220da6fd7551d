#include "sim/etimologiera/etimologiera_party.hpp"

#include "core/basic_authorization.hpp"
#include "core/errors.hpp"
#include "core/money.hpp"
#include "core/text.hpp"
#include "signing/nsp.hpp"
#include "signing/signature.hpp"

#include <algorithm>
#include <map>

namespace fiscpos::sim {

namespace {

using core::Json;

constexpr std::size_t keptRequests = 100;

// The first field of a createSimSign that cannot be signed, and why.
struct Refusal {
    std::string field;
    std::string reason;
};

SimResponse paroxosError(int status, const std::string& code, const std::string& description,
                         const std::string& details) {
    return SimResponse::json(
        status, Json{{"response",
                      {{"paroxosError",
                        {{"code", code}, {"description", description}, {"details", details}}}}}});
}

class Fields {
public:
    explicit Fields(const Json& body)
        : body_(body) {}

    [[noreturn]] static void refuse(const std::string& field, const std::string& reason) {
        throw Refusal{field, reason};
    }

    const Json& value(const std::string& field) const {
        const auto it = body_.find(field);
        if (it == body_.end() || it->is_null() || (it->is_string() && it->empty())) {
            refuse(field, "the field is required");
        }
        return *it;
    }

    std::string text(const std::string& field, std::size_t maxLength = 200) const {
        const Json& v = value(field);
        if (!v.is_string()) {
            refuse(field, "must be a string");
        }
        std::string s = v.get<std::string>();
        if (s.size() > maxLength) {
            refuse(field, "must be at most " + std::to_string(maxLength) + " characters");
        }
        return s;
    }

    // Decimal euros as a JSON number with at most two decimals, read without binary floating
    // point; more than zero when `positive`.
    core::Money amount(const std::string& field, bool positive) const {
        const Json& v = value(field);
        std::string digits;
        if (v.is_number_integer()) {
            digits = v.is_number_unsigned() ? std::to_string(v.get<std::uint64_t>())
                                            : std::to_string(v.get<std::int64_t>());
        } else if (core::isDecimal(v)) {
            digits = core::decimalText(v);
        } else {
            refuse(field, "must be a number");
        }
        core::Money money;
        try {
            money = core::Money::parse(digits, field);
        } catch (const core::InputError&) {
            refuse(field, "must be a number of at least 0 with up to 2 decimals");
        }
        if (positive && money.cents() <= 0) {
            refuse(field, "must be more than 0");
        }
        return money;
    }

private:
    const Json& body_;
};

bool shaped(const std::string& text, std::string_view shape) {
    if (text.size() != shape.size()) {
        return false;
    }
    for (std::size_t i = 0; i < shape.size(); ++i) {
        const bool digit = text[i] >= '0' && text[i] <= '9';
        if (shape[i] == '9' ? !digit : text[i] != shape[i]) {
            return false;
        }
    }
    return true;
}

// The signature request a createSimSign body asks for; throws Refusal.
signing::SignatureRequest readCreateSimSign(const Json& body) {
    if (!body.is_object()) {
        Fields::refuse("request", "the body must be a JSON object");
    }
    const Fields fields(body);
    signing::SignatureRequest request;
    request.number = fields.text("externalSystemId", 50);
    request.issuerVat = fields.text("issuerVatNumber");
    if (request.issuerVat.size() != 9 || !core::allDigits(request.issuerVat)) {
        Fields::refuse("issuerVatNumber", "must be 9 digits");
    }
    const std::string date = fields.text("invoiceIssueDate");
    if (!shaped(date, "9999-99-99")) {
        Fields::refuse("invoiceIssueDate", "must be YYYY-MM-DD");
    }
    const std::string time = fields.text("invoiceIssueTime");
    if (!shaped(time, "99:99:99")) {
        Fields::refuse("invoiceIssueTime", "must be hh:mm:ss");
    }
    std::string stamp = date + time;
    std::erase_if(stamp, [](char c) { return c == '-' || c == ':'; });
    try {
        request.issuedAt = core::athensIso8601(core::parseAthensTimestamp(stamp, "issued"));
    } catch (const core::InputError&) {
        Fields::refuse("invoiceIssueDate", "is not a real date and time in Athens");
    }
    const Json& branch = fields.value("companyBranch");
    if (!branch.is_number_integer() || branch.get<std::int64_t>() < 0 ||
        branch.get<std::int64_t>() > 1000000) {
        Fields::refuse("companyBranch", "must be a whole number from 0 to 1000000");
    }
    request.branch = branch.get<int>();
    request.invoiceType = fields.text("invoiceType", 10);
    request.series = fields.text("invoiceSeries", 50);
    request.net = fields.amount("netValue", false);
    request.vat = fields.amount("vatAmount", false);
    request.total = fields.amount("totalValue", false);
    request.payment = fields.amount("paymentAmount", true);
    request.terminalId = fields.text("terminalId");
    if (!std::all_of(request.terminalId.begin(), request.terminalId.end(),
                     [](char c) { return c != ';' && c >= 0x21 && c <= 0x7E; })) {
        Fields::refuse("terminalId", "must be printable, without blanks or ';'");
    }
    static const std::map<std::string, signing::Nsp> codes{{"01", signing::Nsp::WebEcr},
                                                           {"02", signing::Nsp::Viva},
                                                           {"03", signing::Nsp::EpaySoftPos}};
    const std::string code = fields.text("nspCode");
    const auto nsp = codes.find(code);
    if (nsp == codes.end()) {
        Fields::refuse("nspCode", "\"" + code + "\" is not 01 (Mellon), 02 (Viva) or 03 (epay)");
    }
    request.nsp = nsp->second;
    return request;
}

// The local signer's names for the fields it checks, in e-timologiera's words.
std::string requestFieldName(const std::string& signerField) {
    static const std::map<std::string, std::string> names{{"issuer_vat", "issuerVatNumber"},
                                                          {"branch", "companyBranch"},
                                                          {"series", "invoiceSeries"},
                                                          {"number", "externalSystemId"},
                                                          {"issued_at", "invoiceIssueDate"},
                                                          {"net", "netValue"},
                                                          {"vat", "vatAmount"},
                                                          {"total", "totalValue"},
                                                          {"payment", "paymentAmount"},
                                                          {"terminal_id", "terminalId"},
                                                          {"invoice_type", "invoiceType"}};
    const auto it = names.find(signerField);
    return it == names.end() ? signerField : it->second;
}

} // namespace

EtimologieraParty::EtimologieraParty(signing::PrivateKey key, EtimologieraPartyOptions options,
                                     const core::Clock& clock)
    : SimPartyBase("etimologiera", options.prefix)
    , key_(std::move(key))
    , options_(std::move(options))
    , clock_(clock) {
    if (options_.username.empty()) {
        throw core::ConfigError("etimologiera.username", "the simulated provider needs a user");
    }
    if (options_.password.empty()) {
        throw core::ConfigError("etimologiera.password", "the simulated provider needs a password");
    }
    resetRecords();
}

void EtimologieraParty::resetRecords() {
    std::lock_guard lock(mutex_);
    signer_ = std::make_unique<signing::LocalSigner>(key_, "", clock_, options_.uidEncoding);
    requests_.clear();
    skew_ = Skew{};
}

Json EtimologieraParty::recordStats() const {
    std::lock_guard lock(mutex_);
    Json requests = Json::array();
    for (const auto& body : requests_) {
        requests.push_back(body);
    }
    return Json{{"received", requests}};
}

SimResponse EtimologieraParty::handle(const SimRequest& request) {
    const std::vector<std::string> path = request.segments();
    if (path.size() == 2 && path[0] == "_control" && path[1] == "skew") {
        return request.method == "POST" ? skew(request) : SimResponse::message(405, "POST only");
    }
    if (path.size() != 2 || path[0] != "v4" || path[1] != "createSimSign") {
        return paroxosError(404, "404", "Not found", "no call at " + request.subpath);
    }
    if (request.method != "POST") {
        return paroxosError(405, "405", "Method not allowed", "createSimSign takes POST");
    }
    // The whole header against the one the credentials make: one constant-time comparison.
    const std::string expected = core::basicAuthorization(options_.username, options_.password);
    if (!core::secretEquals(request.header("Authorization"), expected)) {
        ++unauthenticated_;
        SimResponse answer =
            paroxosError(401, "101", "Unauthorized", "wrong or missing user name or password");
        answer.headers.emplace_back("WWW-Authenticate", "Basic realm=\"etimologiera\"");
        return answer;
    }
    return createSimSign(request);
}

SimResponse EtimologieraParty::createSimSign(const SimRequest& request) {
    Json body;
    try {
        body = core::parseJson(request.body, "request", core::JsonOrigin::Input);
    } catch (const core::InputError&) {
        body = request.body; // kept as text; refused below as not an object
    }
    std::lock_guard lock(mutex_);
    requests_.push_back(body);
    if (requests_.size() > keptRequests) {
        requests_.pop_front();
    }
    try {
        signing::SignatureRequest signatureRequest = readCreateSimSign(body);
        if (skew_.number) {
            signatureRequest.number = *skew_.number;
        }
        if (skew_.paymentCents != 0) {
            signatureRequest.payment =
                signatureRequest.payment + core::Money::fromCents(skew_.paymentCents);
        }
        const signing::ProviderSignature signature = signer_->sign(signatureRequest);
        ++created_;
        return SimResponse::json(200, Json{{"response",
                                            {{"tempUid", signature.uid},
                                             {"signatureMessage", signature.input},
                                             {"bSignature", signature.signatureBase64},
                                             {"hSignature", signature.signatureHex},
                                             {"paroxosError", nullptr}}}});
    } catch (const Refusal& refusal) {
        ++invalid_;
        return paroxosError(200, "102", "Invalid field " + refusal.field,
                            refusal.field + ": " + refusal.reason);
    } catch (const core::InputError& e) {
        ++invalid_;
        const std::string field = requestFieldName(e.field());
        return paroxosError(200, "102", "Invalid field " + field, field + ": " + e.what());
    }
}

SimResponse EtimologieraParty::skew(const SimRequest& request) {
    Json body;
    try {
        body = core::parseJson(request.body.empty() ? "{}" : request.body, "skew",
                               core::JsonOrigin::Input);
    } catch (const core::InputError& e) {
        return SimResponse::message(400, e.what());
    }
    Skew skew;
    if (!body.is_object()) {
        return SimResponse::message(400,
                                    "expected {\"payment_cents\": N, \"external_system_id\": X}");
    }
    if (const auto it = body.find("payment_cents"); it != body.end()) {
        if (!it->is_number_integer()) {
            return SimResponse::message(400, "payment_cents: expected a whole number");
        }
        skew.paymentCents = it->get<std::int64_t>();
    }
    if (const auto it = body.find("external_system_id"); it != body.end()) {
        if (!it->is_string() || it->get<std::string>().empty()) {
            return SimResponse::message(400, "external_system_id: expected a non-empty string");
        }
        skew.number = it->get<std::string>();
    }
    std::lock_guard lock(mutex_);
    skew_ = skew;
    return SimResponse::json(
        200, Json{{"payment_cents", skew_.paymentCents},
                  {"external_system_id", skew_.number ? Json(*skew_.number) : Json(nullptr)}});
}

} // namespace fiscpos::sim
