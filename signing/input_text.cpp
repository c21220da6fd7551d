#include "signing/input_text.hpp"

#include "core/clock.hpp"
#include "core/errors.hpp"
#include "core/names.hpp"

#include <vector>

namespace fiscpos::signing {

namespace {

constexpr std::size_t fieldCount = 8;
// Money holds at most 13 integer digits of euros, so 15 digits of cents.
constexpr std::size_t maxCentsDigits = 15;

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}
bool isHexDigit(char c) {
    return isDigit(c) || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

std::string inQuotes(std::string_view text) {
    constexpr std::size_t shown = 60;
    std::string out = "\"";
    for (char c : text.substr(0, shown)) {
        if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else {
            out += c;
        }
    }
    out += text.size() > shown ? "...\"" : "\"";
    return out;
}

void checkUid(const std::string& uid) {
    if (uid.size() != 40) {
        throw core::InputError("input.uid", inQuotes(uid) +
                                                " is not 40 hexadecimal characters (it has " +
                                                std::to_string(uid.size()) + ")");
    }
    for (char c : uid) {
        if (!isHexDigit(c)) {
            throw core::InputError("input.uid",
                                   inQuotes(uid) + " has a character that is not hexadecimal");
        }
        if (c >= 'a' && c <= 'f') {
            throw core::InputError("input.uid", inQuotes(uid) + " must be uppercase hexadecimal");
        }
    }
}

void checkMark(const std::string& mark) {
    for (char c : mark) {
        if (!isDigit(c)) {
            throw core::InputError("input.mark", inQuotes(mark) +
                                                     " is not a MARK: digits only, or empty "
                                                     "when the invoice is not yet transmitted");
        }
    }
}

void checkTimestamp(const std::string& timestamp) {
    // A real calendar time in the form YYYYMMDDhhmmss; the error names input.timestamp.
    core::parseAthensTimestamp(timestamp, "input.timestamp");
}

void checkTid(const std::string& tid) {
    if (tid.empty()) {
        throw core::InputError("input.tid", "the terminal id is empty");
    }
    for (char c : tid) {
        if (c == ';') {
            throw core::InputError("input.tid",
                                   inQuotes(tid) + " contains ';', the field separator");
        }
        if (c < 0x21 || c > 0x7E) {
            throw core::InputError("input.tid", inQuotes(tid) +
                                                    " contains a space, control or non-ASCII "
                                                    "character (the Input is US-ASCII)");
        }
    }
}

void checkAmount(core::Money amount, const char* field) {
    if (amount.cents() < 0) {
        throw core::InputError(field, "the amount " + amount.toString() +
                                          " is negative; the Input carries unsigned cents");
    }
}

core::Money parseCents(std::string_view text, const char* field) {
    if (text.empty()) {
        throw core::InputError(field, "the amount is empty; expected integer cents such as 124");
    }
    for (char c : text) {
        if (!isDigit(c)) {
            throw core::InputError(field, inQuotes(text) +
                                              " is not integer cents: digits only, no sign, "
                                              "decimal point or separators (1.24 EUR is 124)");
        }
    }
    if (text.size() > 1 && text.front() == '0') {
        throw core::InputError(field, inQuotes(text) + " has a leading zero; the Input carries "
                                                       "cents without padding");
    }
    if (text.size() > maxCentsDigits) {
        throw core::InputError(field, inQuotes(text) + " is too large (at most " +
                                          std::to_string(maxCentsDigits) + " digits of cents)");
    }
    std::int64_t cents = 0;
    for (char c : text) {
        cents = cents * 10 + (c - '0');
    }
    return core::Money::fromCents(cents);
}

std::vector<std::string_view> split(std::string_view text) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const std::size_t semicolon = text.find(';', start);
        if (semicolon == std::string_view::npos) {
            parts.push_back(text.substr(start));
            return parts;
        }
        parts.push_back(text.substr(start, semicolon - start));
        start = semicolon + 1;
    }
}

} // namespace

namespace {

constexpr auto layoutNames =
    core::nameTable<InputLayout>({{InputLayout::Mellon, "mellon"}, {InputLayout::Viva, "viva"}});

} // namespace

std::string_view layoutName(InputLayout layout) {
    return layoutNames.name(layout);
}

InputLayout parseLayout(std::string_view name, std::string_view field) {
    return layoutNames.parse(name, field, "an Input layout");
}

InputText::InputText(Fields fields, InputLayout layout)
    : fields_(std::move(fields))
    , layout_(layout) {
    for (char& c : fields_.uid) {
        if (c >= 'a' && c <= 'f') {
            c = static_cast<char>(c - 'a' + 'A');
        }
    }
    checkUid(fields_.uid);
    checkMark(fields_.mark);
    checkTimestamp(fields_.timestamp);
    checkAmount(fields_.net, "input.net");
    checkAmount(fields_.vat, "input.vat");
    checkAmount(fields_.total, "input.total");
    checkAmount(fields_.payable, "input.payable");
    checkTid(fields_.tid);
}

InputText InputText::parse(std::string_view text, InputLayout layout) {
    const std::vector<std::string_view> parts = split(text);
    if (parts.size() != fieldCount) {
        throw core::InputError("input", "expected 8 fields separated by ';' (" +
                                            std::string(layout == InputLayout::Viva
                                                            ? "UID;MARK;TIMESTAMP;Payable;Net;"
                                                              "Vat;Total;TID"
                                                            : "UID;MARK;TIMESTAMP;Net;Vat;Total;"
                                                              "Payable;TID") +
                                            "), got " + std::to_string(parts.size()) + " in " +
                                            inQuotes(text));
    }
    Fields fields;
    fields.uid = std::string(parts[0]);
    // Checked here already so that a lowercase UID is refused rather than rewritten: the parsed
    // Input must print back to exactly the bytes that were signed.
    checkUid(fields.uid);
    fields.mark = std::string(parts[1]);
    fields.timestamp = std::string(parts[2]);
    if (layout == InputLayout::Viva) {
        fields.payable = parseCents(parts[3], "input.payable");
        fields.net = parseCents(parts[4], "input.net");
        fields.vat = parseCents(parts[5], "input.vat");
        fields.total = parseCents(parts[6], "input.total");
    } else {
        fields.net = parseCents(parts[3], "input.net");
        fields.vat = parseCents(parts[4], "input.vat");
        fields.total = parseCents(parts[5], "input.total");
        fields.payable = parseCents(parts[6], "input.payable");
    }
    fields.tid = std::string(parts[7]);
    return InputText(std::move(fields), layout);
}

std::string InputText::toString() const {
    const auto cents = [](core::Money m) {
        return std::to_string(m.cents());
    };
    std::string out = fields_.uid + ";" + fields_.mark + ";" + fields_.timestamp + ";";
    if (layout_ == InputLayout::Viva) {
        out += cents(fields_.payable) + ";" + cents(fields_.net) + ";" + cents(fields_.vat) + ";" +
               cents(fields_.total);
    } else {
        out += cents(fields_.net) + ";" + cents(fields_.vat) + ";" + cents(fields_.total) + ";" +
               cents(fields_.payable);
    }
    return out + ";" + fields_.tid;
}

} // namespace fiscpos::signing
