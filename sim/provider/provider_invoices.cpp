#include "sim/provider/provider_invoices.hpp"

#include "core/errors.hpp"
#include "core/json.hpp"
#include "core/money.hpp"
#include "core/secret_compare.hpp"
#include "core/text.hpp"
#include "signing/signature.hpp"

#include <algorithm>
#include <cstdio>

namespace fiscpos::sim {

namespace {

using core::Json;
using core::Money;

// Field errors by path, answered as the provider does: 422 {"message", "errors": {path: [...]}}.
class Refusal {
public:
    void fail(const std::string& path, std::string message) {
        errors_[path].push_back(std::move(message));
    }
    bool ok() const { return errors_.empty(); }
    SimResponse response() const {
        Json errors = Json::object();
        std::string first;
        for (const auto& [path, messages] : errors_) {
            errors[path] = messages;
            if (first.empty()) {
                first = messages.front();
            }
        }
        return SimResponse::json(422, Json{{"message", first}, {"errors", errors}});
    }

private:
    std::map<std::string, std::vector<std::string>> errors_;
};

const Json* member(const Json& object, const std::string& key) {
    if (!object.is_object()) {
        return nullptr;
    }
    const auto it = object.find(key);
    return it == object.end() || it->is_null() ? nullptr : &*it;
}

std::optional<std::string> text(const Json& object, const std::string& key, const std::string& path,
                                Refusal& refusal) {
    const Json* value = member(object, key);
    if (value == nullptr || !value->is_string() || value->get<std::string>().empty()) {
        refusal.fail(path, "The " + path + " field is required.");
        return std::nullopt;
    }
    return value->get<std::string>();
}

// The exact text of a JSON number (integer or decimal); nullopt after a refusal.
std::optional<std::string> number(const Json& object, const std::string& key,
                                  const std::string& path, Refusal& refusal) {
    const Json* value = member(object, key);
    if (value != nullptr && value->is_number_integer()) {
        return core::dumpJson(*value);
    }
    if (value != nullptr && core::isDecimal(*value)) {
        return core::decimalText(*value);
    }
    refusal.fail(path, "The " + path + " field is required and must be a number.");
    return std::nullopt;
}

// A JSON number of euros (or an integer), exact; nullopt after a refusal.
std::optional<Money> amount(const Json& object, const std::string& key, const std::string& path,
                            Refusal& refusal) {
    const auto exact = number(object, key, path, refusal);
    if (!exact) {
        return std::nullopt;
    }
    try {
        return Money::parse(*exact, path);
    } catch (const core::InputError&) {
        refusal.fail(path, "The " + path + " must have at most 2 decimal places.");
        return std::nullopt;
    }
}

// A quantity in thousandths (at most 3 decimals); nullopt after a refusal.
std::optional<std::int64_t> thousandths(const Json& object, const std::string& path,
                                        Refusal& refusal) {
    const auto number_ = number(object, "quantity", path, refusal);
    if (!number_) {
        return std::nullopt;
    }
    const std::string& exact = *number_;
    const auto point = exact.find('.');
    std::string whole = exact.substr(0, point);
    std::string fraction = point == std::string::npos ? "" : exact.substr(point + 1);
    if (!core::allDigits(whole) || whole.size() > 9 || fraction.size() > 3 ||
        (!fraction.empty() && !core::allDigits(fraction))) {
        refusal.fail(path, "The " + path + " must be a positive number with at most 3 decimals.");
        return std::nullopt;
    }
    fraction.resize(3, '0');
    const std::int64_t result = std::stoll(whole) * 1000 + std::stoll(fraction);
    if (result <= 0) {
        refusal.fail(path, "The " + path + " must be greater than 0.");
        return std::nullopt;
    }
    return result;
}

std::string digits(std::int64_t number, int width) {
    std::string text = std::to_string(number);
    return std::string(static_cast<std::size_t>(std::max(0, width - static_cast<int>(text.size()))),
                       '0') +
           text;
}

} // namespace

ProviderInvoiceBook::ProviderInvoiceBook(const core::Clock& clock,
                                         std::optional<std::string> companyVat,
                                         core::UidSeriesEncoding uidEncoding, SimCounters& counters)
    : clock_(clock)
    , companyVat_(std::move(companyVat))
    , uidEncoding_(uidEncoding)
    , issued_(counters, "invoices_issued")
    , queued_(counters, "invoices_queued")
    , duplicates_(counters, "invoice_duplicates")
    , refused_(counters, "invoices_refused")
    , paymentsAdded_(counters, "invoice_payments_added")
    , unsignedPayments_(counters, "unsigned_card_payments") {}

bool ProviderInvoiceBook::serves(const std::vector<std::string>& path) {
    return (path.size() >= 2 && path[0] == "v2" &&
            (path[1] == "invoices" || path[1] == "company")) ||
           (path.size() == 2 && path[0] == "_control" && path[1] == "mydata");
}

void ProviderInvoiceBook::reset() {
    const std::lock_guard lock(mutex_);
    records_.clear();
    usedSignatures_.clear();
    mydataDown_ = false;
    sequence_ = 0;
}

SimResponse ProviderInvoiceBook::handle(const SimRequest& request, signing::Signer& signatures) {
    const std::vector<std::string> path = request.segments();
    const std::string& method = request.method;
    if (path[0] == "_control") {
        return method == "POST"
                   ? control(request)
                   : SimResponse::message(405, "POST /_control/mydata {\"down\": bool}");
    }
    if (path[1] == "company" && path.size() == 2 && method == "GET") {
        return company();
    }
    if (path[1] == "invoices" && path.size() == 2) {
        if (method == "POST") {
            return issue(request, signatures);
        }
        if (method == "GET") {
            return list(request);
        }
    }
    if (path[1] == "invoices" && path.size() == 3 && method == "GET") {
        return read(path[2]);
    }
    if (path[1] == "invoices" && path.size() == 4 && path[3] == "payments" && method == "POST") {
        return addPayments(request, path[2], signatures);
    }
    return SimResponse::message(404, "The route " + request.subpath + " could not be found.");
}

SimResponse ProviderInvoiceBook::control(const SimRequest& request) {
    Json body;
    try {
        body = core::parseJson(request.body, "control", core::JsonOrigin::Input);
    } catch (const core::InputError&) {
        return SimResponse::message(400, "expected {\"down\": true|false}");
    }
    const Json* down = member(body, "down");
    if (down == nullptr || !down->is_boolean()) {
        return SimResponse::message(400, "expected {\"down\": true|false}");
    }
    const std::lock_guard lock(mutex_);
    mydataDown_ = down->get<bool>();
    return SimResponse::json(200, Json{{"down", mydataDown_}});
}

SimResponse ProviderInvoiceBook::company() const {
    return SimResponse::json(
        200, Json{{"data", Json{{"id", "01SIMCOMPANY0000000000000"},
                                {"vat_number", companyVat_.value_or("999999999")}}}});
}

SimResponse ProviderInvoiceBook::issue(const SimRequest& request, signing::Signer& signatures) {
    Json body;
    try {
        body = core::parseJson(request.body, "request", core::JsonOrigin::Input);
    } catch (const core::InputError&) {
        body = Json::object();
    }
    Refusal refusal;
    const Json issuer = member(body, "issuer") ? *member(body, "issuer") : Json::object();
    const Json header = member(body, "header") ? *member(body, "header") : Json::object();
    const auto vat = text(issuer, "vat_number", "issuer.vat_number", refusal);
    if (vat && companyVat_ && !core::secretEquals(*vat, *companyVat_)) {
        ++refused_;
        return SimResponse::message(403, "This action is unauthorized.");
    }
    const Json* branch = member(issuer, "branch_code");
    const int branchCode =
        branch != nullptr && branch->is_number_integer() ? branch->get<int>() : 0;
    const auto series = text(header, "series", "header.series", refusal);
    const auto number = text(header, "number", "header.number", refusal);
    const auto type = text(header, "invoice_type", "header.invoice_type", refusal);
    const auto issuedAt = text(header, "issued_at", "header.issued_at", refusal);
    // transmission_failure 1: the shop could not reach the provider when it issued the invoice,
    // which is why it arrives on a later day (contract provider-invoices.md §3).
    const Json* failure = member(body, "transmission_failure");
    const bool lateForLostProvider =
        failure != nullptr && failure->is_number_integer() && failure->get<int>() == 1;
    std::string issueDate;
    if (issuedAt) {
        try {
            const auto civil = core::parseIso8601(*issuedAt, "header.issued_at");
            issueDate = core::isoDate(civil);
            const auto now = clock_.now();
            if (core::toTimePoint(civil) > now + std::chrono::minutes(1)) {
                refusal.fail("header.issued_at", "The header.issued_at must not be in the future.");
            } else if (issueDate != core::isoDate(core::toAthens(now)) && !lateForLostProvider) {
                refusal.fail("header.issued_at", "The header.issued_at must be today.");
            }
        } catch (const core::InputError&) {
            refusal.fail("header.issued_at", "The header.issued_at does not match the format "
                                             "Y-m-d\\TH:i:sP.");
        }
    }

    const Json* lines = member(body, "lines");
    if (lines == nullptr || !lines->is_array() || lines->empty()) {
        refusal.fail("lines", "The lines field is required.");
    } else {
        for (std::size_t i = 0; i < lines->size(); ++i) {
            const std::string at = "lines." + std::to_string(i) + ".";
            const Json& line = (*lines)[i];
            const auto quantity = thousandths(line, at + "quantity", refusal);
            const auto price = amount(line, "unit_price", at + "unit_price", refusal);
            const auto net = amount(line, "net_amount", at + "net_amount", refusal);
            if (quantity && price && net) {
                std::optional<Money> expected;
                try {
                    expected = Money::timesThousandths(*price, *quantity, at + "unit_price");
                } catch (const core::InputError&) {
                    expected.reset();
                }
                if (expected != net) {
                    refusal.fail(at + "net_amount",
                                 "The " + at + "net_amount must equal quantity × unit_price.");
                }
            }
        }
    }

    std::string uid;
    if (vat && series && number && type && !issueDate.empty()) {
        try {
            uid = core::invoiceUid({*vat, issueDate, branchCode, *type, *series, *number},
                                   uidEncoding_);
        } catch (const core::InputError&) {
            refusal.fail("header.series", "The header.series has characters myDATA refuses.");
        }
    }

    const Json summary = member(body, "summary") ? *member(body, "summary") : Json::object();
    const auto gross = amount(summary, "total_gross_amount", "summary.total_gross_amount", refusal);

    // Card payments: each carries a signature this provider made for this invoice and amount, but
    // for one taken while the shop could not reach the provider (transmission_failure 1, a card
    // taken in autonomous mode), which has none.
    std::vector<Payment> payments;
    const Json* methods = member(body, "payment_methods");
    const std::lock_guard lock(mutex_);
    if (methods != nullptr && methods->is_array()) {
        for (std::size_t i = 0; i < methods->size(); ++i) {
            const std::string at = "payment_methods." + std::to_string(i) + ".";
            const Json& item = (*methods)[i];
            const auto paid = amount(item, "amount", at + "amount", refusal);
            const Json* kind = member(item, "type");
            if (kind == nullptr || !kind->is_number_integer() ||
                (kind->get<int>() != 7 && kind->get<int>() != 8)) {
                continue;
            }
            const Json* signature = member(item, "signature");
            if ((signature == nullptr || signature->is_null()) && lateForLostProvider) {
                if (paid) {
                    ++unsignedPayments_;
                    payments.push_back({*paid, "", std::nullopt});
                }
                continue;
            }
            if (signature == nullptr || !signature->is_string()) {
                refusal.fail(at + "signature", "The " + at + "signature field is required.");
                continue;
            }
            const std::string signed_ = signature->get<std::string>();
            if (usedSignatures_.count(signed_) != 0) {
                refusal.fail(at + "signature", "Some signatures have already been used.");
                continue;
            }
            const auto pending = signatures.listPending();
            const auto made = std::find_if(pending.begin(), pending.end(), [&](const auto& s) {
                return s.signatureBase64 == signed_;
            });
            if (made == pending.end()) {
                refusal.fail(at + "signature", "The signature is unknown, expired or cancelled.");
            } else if (made->uid != uid || (paid && made->paymentAmount != *paid)) {
                refusal.fail(at + "signature",
                             "The signature was made for another invoice or amount.");
            } else if (paid) {
                payments.push_back({*paid, signed_, std::nullopt});
            }
        }
    }
    if (!uid.empty()) {
        const auto earlier = std::find_if(records_.begin(), records_.end(),
                                          [&uid](const Record& r) { return r.uid == uid; });
        if (earlier != records_.end()) {
            ++duplicates_;
            Refusal duplicate;
            duplicate.fail("uid", "The invoice with uid " + uid + " has already been submitted.");
            return duplicate.response();
        }
    }
    if (!refusal.ok()) {
        ++refused_;
        return refusal.response();
    }

    Record record;
    ++sequence_;
    record.id = "01SIMINV" + digits(sequence_, 18);
    record.uid = uid;
    record.icode = digits(sequence_, 8);
    record.url = "https://receipts.provider.example/i/" + record.id;
    record.authenticationCode = uid.substr(0, 8) + digits(sequence_, 8);
    record.total = gross.value_or(Money());
    record.payments = payments;
    if (!mydataDown_) {
        record.mark = nextMark();
    }
    for (const Payment& p : payments) {
        if (!p.signature.empty()) {
            usedSignatures_.insert(p.signature);
        }
    }
    records_.push_back(record);
    if (record.mark) {
        ++issued_;
        return SimResponse::json(201, recordJson(record));
    }
    ++queued_;
    Json queued = recordJson(record);
    queued["transmission_failure"] = 2;
    queued["message"] = "queued";
    return SimResponse::json(202, queued);
}

std::string ProviderInvoiceBook::nextMark() {
    return "4000" + digits(sequence_, 11);
}

Json ProviderInvoiceBook::recordJson(const Record& record) const {
    Json json{{"id", record.id}, {"uid", record.uid}, {"icode", record.icode}, {"url", record.url}};
    if (record.mark) {
        json["mark"] = *record.mark;
        json["authentication_code"] = record.authenticationCode;
    }
    return json;
}

ProviderInvoiceBook::Record* ProviderInvoiceBook::find(const std::string& idOrMark) {
    const auto it = std::find_if(records_.begin(), records_.end(), [&idOrMark](const Record& r) {
        return r.id == idOrMark || (r.mark && *r.mark == idOrMark);
    });
    return it == records_.end() ? nullptr : &*it;
}

SimResponse ProviderInvoiceBook::list(const SimRequest& request) {
    const auto uid = request.queryParam("uid");
    const auto mark = request.queryParam("mark");
    Json data = Json::array();
    const std::lock_guard lock(mutex_);
    for (const Record& record : records_) {
        if ((uid && record.uid == *uid) || (mark && record.mark && *record.mark == *mark)) {
            data.push_back(recordJson(record));
        }
    }
    return SimResponse::json(
        200,
        Json{{"data", data}, {"links", Json::object()}, {"meta", Json{{"total", data.size()}}}});
}

SimResponse ProviderInvoiceBook::read(const std::string& idOrMark) {
    const std::lock_guard lock(mutex_);
    Record* record = find(idOrMark);
    if (record == nullptr) {
        return SimResponse::message(404, "No query results for model [Invoice] " + idOrMark);
    }
    if (!record->mark && !mydataDown_) {
        record->mark = nextMark(); // myDATA is reachable again: the queued invoice is sent
        ++issued_;
    }
    return SimResponse::json(200, recordJson(*record));
}

bool ProviderInvoiceBook::referenced(const std::string& signatureBase64) const {
    const std::lock_guard lock(mutex_);
    return usedSignatures_.count(signatureBase64) != 0;
}

SimResponse ProviderInvoiceBook::addPayments(const SimRequest& request, const std::string& idOrMark,
                                             signing::Signer& signatures) {
    Json body;
    try {
        body = core::parseJson(request.body, "request", core::JsonOrigin::Input);
    } catch (const core::InputError&) {
        body = Json::object();
    }
    const Json* vat = member(body, "issuer_vat_number");
    if (vat == nullptr || !vat->is_string() ||
        (companyVat_ && !core::secretEquals(vat->get<std::string>(), *companyVat_))) {
        return SimResponse::message(403, "This action is unauthorized.");
    }
    const std::lock_guard lock(mutex_);
    Record* record = find(idOrMark);
    if (record == nullptr || !record->mark) {
        return SimResponse::message(404, "No query results for model [Invoice] " + idOrMark);
    }
    Refusal refusal;
    std::vector<Payment> added;
    const Json* items = member(body, "payments");
    if (items == nullptr || !items->is_array() || items->empty()) {
        refusal.fail("payments", "The payments field is required.");
    } else {
        const auto pending = signatures.listPending();
        for (std::size_t i = 0; i < items->size(); ++i) {
            const std::string at = "payments." + std::to_string(i) + ".";
            const Json& item = (*items)[i];
            const auto paid = amount(item, "amount", at + "amount", refusal);
            const Json* signature = member(item, "signature");
            if (signature == nullptr || !signature->is_string()) {
                refusal.fail(at + "signature", "The " + at + "signature field is required.");
                continue;
            }
            const std::string signed_ = signature->get<std::string>();
            const auto made = std::find_if(pending.begin(), pending.end(), [&](const auto& s) {
                return s.signatureBase64 == signed_;
            });
            if (usedSignatures_.count(signed_) != 0) {
                refusal.fail(at + "signature", "Some signatures have already been used.");
            } else if (made == pending.end() || made->mark != record->mark ||
                       (paid && made->paymentAmount != *paid)) {
                refusal.fail(at + "signature", "The signature is invalid.");
            } else if (paid) {
                added.push_back({*paid, signed_, std::nullopt});
            }
        }
    }
    if (!refusal.ok()) {
        return refusal.response();
    }
    Money paid;
    for (const Payment& p : record->payments) {
        paid = paid + p.amount;
    }
    for (Payment& p : added) {
        ++sequence_;
        p.mark = mydataDown_ ? std::nullopt : std::optional(nextMark());
        usedSignatures_.insert(p.signature);
        paid = paid + p.amount;
        record->payments.push_back(p);
        ++paymentsAdded_;
    }
    const Json paymentMark = added.back().mark ? Json(*added.back().mark) : Json(nullptr);
    return SimResponse::json(
        mydataDown_ ? 202 : 201,
        Json{{"invoice_mark", *record->mark},
             {"payment_method_mark", paymentMark},
             {"invoice_total", core::decimalNumber(record->total)},
             {"total_paid_amount", core::decimalNumber(paid)},
             {"total_unpaid_amount", core::decimalNumber(record->total - paid)}});
}

} // namespace fiscpos::sim
