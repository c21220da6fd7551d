#include "etimologiera/provisional_api.hpp"

#include "core/body_quote.hpp"
#include "core/clock.hpp"
#include "core/errors.hpp"

#include "core/text.hpp"

#include <array>
#include <cctype>
#include <cstdio>
#include <string_view>

namespace fiscpos::etimologiera::provisional {

namespace {

struct NspCode {
    signing::Nsp nsp;
    std::string_view code;
};

constexpr std::array<NspCode, 3> nspCodeTable{{
    {signing::Nsp::WebEcr, "01"},      // Mellon [verified]
    {signing::Nsp::Viva, "02"},        // Viva [verified]
    {signing::Nsp::EpaySoftPos, "03"}, // epay: PROVISIONAL which of our networks it is
}};

// The createSimSign body's fields, in the order fieldOf() looks for them. [verified names]
constexpr std::array<std::string_view, 13> requestFields{
    "externalSystemId", "issuerVatNumber", "invoiceIssueDate", "invoiceIssueTime", "companyBranch",
    "invoiceType",      "invoiceSeries",   "netValue",         "vatAmount",        "totalValue",
    "paymentAmount",    "terminalId",      "nspCode"};

bool wordCharacter(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

// Whether `text` has `word` with no letter, digit or '_' on either side, in any case.
bool mentions(const std::string& text, std::string_view word) {
    const std::string lower = core::asciiLower(text);
    const std::string wanted = core::asciiLower(word);
    for (std::size_t at = lower.find(wanted); at != std::string::npos;
         at = lower.find(wanted, at + 1)) {
        const std::size_t end = at + wanted.size();
        if ((at == 0 || !wordCharacter(lower[at - 1])) &&
            (end == lower.size() || !wordCharacter(lower[end]))) {
            return true;
        }
    }
    return false;
}

std::string scalarText(const core::Json& value) {
    if (value.is_string()) {
        return value.get<std::string>();
    }
    if (value.is_number_integer()) {
        return value.is_number_unsigned() ? std::to_string(value.get<std::uint64_t>())
                                          : std::to_string(value.get<std::int64_t>());
    }
    if (value.is_null()) {
        return "";
    }
    return core::dumpJson(value);
}

} // namespace

std::string createSimSignPath() {
    return "/v4/createSimSign";
}

std::optional<std::string> nspCode(signing::Nsp nsp) {
    for (const auto& entry : nspCodeTable) {
        if (entry.nsp == nsp) {
            return std::string(entry.code);
        }
    }
    return std::nullopt;
}

std::string nspCodes() {
    std::string text;
    for (const auto& entry : nspCodeTable) {
        text += (text.empty() ? "" : ", ") + std::string(signing::nspName(entry.nsp)) + " (" +
                std::string(entry.code) + ")";
    }
    return text;
}

core::Json createSimSignBody(const signing::SignatureRequest& request) {
    const auto code = nspCode(request.nsp);
    if (!code) {
        throw core::InputError("nspCode", "e-timologiera has no code for network " +
                                              std::string(signing::nspName(request.nsp)) +
                                              " (it signs for " + nspCodes() + ")");
    }
    if (request.mark && !request.mark->empty()) {
        throw core::InputError("mark", "e-timologiera's createSimSign signs payments of invoices "
                                       "not yet transmitted; a card payment on invoice MARK " +
                                           *request.mark +
                                           " needs its deferred call, which fiscpos does not "
                                           "speak");
    }
    if (request.number.empty()) {
        throw core::InputError("number", "the invoice's number (aa) is required: it travels as "
                                         "externalSystemId");
    }
    const core::CivilTime athens =
        core::toAthens(core::toTimePoint(core::parseIso8601(request.issuedAt, "issued_at")));
    char time[16];
    std::snprintf(time, sizeof time, "%02d:%02d:%02d", athens.hour, athens.minute, athens.second);

    core::Json body = core::Json::object();
    body["externalSystemId"] = request.number; // PROVISIONAL: see the file's comment
    body["issuerVatNumber"] = request.issuerVat;
    body["invoiceIssueDate"] = core::isoDate(athens);
    body["invoiceIssueTime"] = std::string(time);
    body["companyBranch"] = request.branch;
    body["invoiceType"] = request.invoiceType;
    body["invoiceSeries"] = request.series;
    body["netValue"] = core::decimalNumber(request.net);
    body["vatAmount"] = core::decimalNumber(request.vat);
    body["totalValue"] = core::decimalNumber(request.total);
    body["paymentAmount"] = core::decimalNumber(request.payment);
    body["terminalId"] = request.terminalId;
    body["nspCode"] = *code;
    return body;
}

SimSignAnswer readSimSign(const core::Json& body) {
    const core::JsonFields top(body, "answer", core::JsonOrigin::Response);
    const core::JsonFields response = top.requireObject("response");
    const auto required = [&response](std::string_view key) {
        std::string value = response.requireString(key);
        if (value.empty()) {
            response.fail(key, "is empty");
        }
        return value;
    };
    SimSignAnswer answer;
    answer.tempUid = required("tempUid");
    answer.signatureMessage = required("signatureMessage");
    answer.bSignature = required("bSignature");
    answer.hSignature = response.optionalString("hSignature").value_or("");
    return answer;
}

std::optional<ParoxosError> paroxosError(const core::Json& body) {
    if (!body.is_object()) {
        return std::nullopt;
    }
    const auto response = body.find("response");
    if (response == body.end() || !response->is_object()) {
        return std::nullopt;
    }
    const auto error = response->find("paroxosError");
    if (error == response->end() || error->is_null()) {
        return std::nullopt;
    }
    ParoxosError read;
    if (!error->is_object()) {
        read.description = core::redactSecrets(scalarText(*error));
        return read;
    }
    const auto text = [&error](const char* key) {
        const auto it = error->find(key);
        return it == error->end() ? std::string() : core::redactSecrets(scalarText(*it));
    };
    read.code = text("code");
    read.description = text("description");
    read.details = text("details");
    return read;
}

std::string fieldOf(const ParoxosError& error) {
    for (const auto field : requestFields) {
        if (mentions(error.description, field) || mentions(error.details, field)) {
            return std::string(field);
        }
    }
    return "";
}

int refusalStatus(int httpStatus) {
    return httpStatus >= 200 && httpStatus < 300 ? 422 : httpStatus;
}

std::string recordId(const SimSignAnswer& answer) {
    return answer.tempUid;
}

std::chrono::hours signatureLifetime() {
    return std::chrono::hours(2);
}

} // namespace fiscpos::etimologiera::provisional
