#include "plugin/journal/redaction.hpp"

#include "plugin/journal/json_redaction.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace fiscpos::plugin {

namespace {

// Names of fields, parameters and headers whose values are credentials (normalised: lowercase,
// without '-', '_', '.' and blanks).
constexpr std::array<std::string_view, 28> kSecretNames{
    "password",
    "passwd",
    "pwd",
    "passphrase",
    "secret",
    "clientsecret",
    "token",
    "accesstoken",
    "refreshtoken",
    "idtoken",
    "access",
    "refresh",
    "apikey",
    "xapikey",
    "authorization",
    "proxyauthorization",
    "cookie",
    "setcookie",
    "sessionkey",
    "privatekey",
    "pin",
    "pinblock",
    "cvv",
    "cvv2",
    "cvc",
    "cvc2",
    "ocpapimsubscriptionkey",
    "subscriptionkey",
};
// Any name ending in one of these is a credential too ("merchantApiKey", "webhook_token").
constexpr std::array<std::string_view, 4> kSecretSuffixes{"password", "secret", "token", "apikey"};
// Names of fields that hold a card number.
constexpr std::array<std::string_view, 10> kCardNumberNames{
    "pan",           "cardnumber", "cardno",    "cardpan", "primaryaccountnumber",
    "accountnumber", "pannumber",  "maskedpan", "card",    "primaryaccountnumbermasked",
};
// Authorisation schemes whose credential follows after a blank.
constexpr std::array<std::string_view, 4> kAuthSchemes{"bearer", "basic", "digest", "token"};

char lower(char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}
bool isDigit(char c) {
    return c >= '0' && c <= '9';
}
bool isAlnum(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
}
bool isWordChar(char c) {
    return isAlnum(c) || c == '_' || c == '-' || c == '.';
}
bool isBlank(char c) {
    return c == ' ' || c == '\t';
}
bool isTokenChar(char c) {
    return isAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/' ||
           c == '=';
}

std::string normalizeName(std::string_view name) {
    std::string out;
    out.reserve(name.size());
    for (char c : name) {
        if (c != '-' && c != '_' && c != '.' && !isBlank(c)) {
            out += lower(c);
        }
    }
    return out;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) {
        return false;
    }
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (lower(a[i]) != lower(b[i])) {
            return false;
        }
    }
    return true;
}

bool isAuthScheme(std::string_view word) {
    for (auto scheme : kAuthSchemes) {
        if (equalsIgnoreCase(word, scheme)) {
            return true;
        }
    }
    return false;
}

// A credential after "Bearer " or "Basic " looks like one: long enough, and not a plain word
// ("Basic authentication failed" keeps its words).
bool looksLikeCredential(std::string_view token) {
    if (token.size() < 8) {
        return false;
    }
    for (std::size_t i = 0; i < token.size(); ++i) {
        const char c = token[i];
        if (!std::isalpha(static_cast<unsigned char>(c)) ||
            (i > 0 && std::isupper(static_cast<unsigned char>(c)))) {
            return true;
        }
    }
    return false;
}

bool luhnValid(std::string_view digits) {
    int sum = 0;
    bool doubled = false;
    for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
        int d = *it - '0';
        if (doubled) {
            d *= 2;
            if (d > 9) {
                d -= 9;
            }
        }
        sum += d;
        doubled = !doubled;
    }
    return sum % 10 == 0;
}

// Replaces the digits of text[begin, end) but the first 6 and the last 4 with '*'.
void maskDigits(std::string& text, std::size_t begin, std::size_t end, std::size_t digitCount) {
    std::size_t index = 0;
    for (std::size_t i = begin; i < end; ++i) {
        if (isDigit(text[i])) {
            if (index >= 6 && index + 4 < digitCount) {
                text[i] = '*';
            }
            ++index;
        }
    }
}

// A number written in groups of 3 to 6 digits separated by one blank or dash (at least three
// groups, 13 to 19 digits in all) starting at `begin`. Returns its end, or npos.
std::size_t groupedNumberEnd(const std::string& text, std::size_t begin, std::string& digits) {
    digits.clear();
    std::size_t i = begin;
    int groups = 0;
    char separator = 0;
    while (true) {
        const std::size_t start = i;
        while (i < text.size() && isDigit(text[i])) {
            digits += text[i++];
        }
        const std::size_t length = i - start;
        if (length < 3 || length > 6) {
            return std::string::npos;
        }
        ++groups;
        if (i + 1 < text.size() && (text[i] == ' ' || text[i] == '-') && isDigit(text[i + 1]) &&
            (separator == 0 || separator == text[i])) {
            separator = text[i];
            ++i;
            continue;
        }
        break;
    }
    if (groups < 3 || digits.size() < 13 || digits.size() > 19 ||
        (i < text.size() && isWordChar(text[i]) && text[i] != '.')) {
        return std::string::npos;
    }
    return i;
}

void maskGroupedCardNumbers(std::string& text) {
    std::string digits;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (!isDigit(text[i]) || (i > 0 && isAlnum(text[i - 1]))) {
            continue;
        }
        const std::size_t end = groupedNumberEnd(text, i, digits);
        if (end != std::string::npos && luhnValid(digits)) {
            maskDigits(text, i, end, digits.size());
            i = end;
        }
    }
}

// The value after a secret name in free text: the name, then optional quotes or backslashes,
// then ':' or '=' (or '>' of an XML element), then optional blanks and quotes, then the value up
// to a delimiter. An authorisation scheme word takes the credential after it along.
void redactNamedValues(std::string& text, MoreSecrets more) {
    auto secret = [more](std::string_view word) {
        return isSecretName(word, more);
    };
    std::size_t i = 0;
    while (i < text.size()) {
        if (!isWordChar(text[i])) {
            ++i;
            continue;
        }
        const std::size_t wordStart = i;
        while (i < text.size() && isWordChar(text[i])) {
            ++i;
        }
        const std::string_view word(text.data() + wordStart, i - wordStart);
        if (!secret(word)) {
            continue;
        }
        std::size_t j = i;
        while (j < text.size() && (text[j] == '"' || text[j] == '\'' || text[j] == '\\')) {
            ++j;
        }
        while (j < text.size() && isBlank(text[j])) {
            ++j;
        }
        const bool element =
            j < text.size() && text[j] == '>' && wordStart > 0 && text[wordStart - 1] == '<';
        if (j >= text.size() || (text[j] != ':' && text[j] != '=' && !element)) {
            continue;
        }
        ++j;
        while (j < text.size() &&
               (isBlank(text[j]) || text[j] == '"' || text[j] == '\'' || text[j] == '\\')) {
            ++j;
        }
        auto valueEnd = [&](std::size_t from) {
            std::size_t k = from;
            while (k < text.size() && !std::isspace(static_cast<unsigned char>(text[k])) &&
                   std::string_view("\"'\\&,;}]<>)").find(text[k]) == std::string_view::npos) {
                ++k;
            }
            return k;
        };
        std::size_t end = valueEnd(j);
        if (isAuthScheme(std::string_view(text.data() + j, end - j)) && end + 1 < text.size() &&
            text[end] == ' ' && isTokenChar(text[end + 1])) {
            end = valueEnd(end + 1);
        }
        if (end == j) {
            i = j;
            continue;
        }
        text.replace(j, end - j, kRedacted);
        i = j + kRedacted.size();
    }
}

// "Bearer <credential>", "Basic <credential>" anywhere.
void redactAuthSchemes(std::string& text) {
    std::size_t i = 0;
    while (i < text.size()) {
        if (!isAlnum(text[i]) || (i > 0 && isWordChar(text[i - 1]))) {
            ++i;
            continue;
        }
        std::size_t end = i;
        while (end < text.size() && std::isalpha(static_cast<unsigned char>(text[end]))) {
            ++end;
        }
        const std::string_view word(text.data() + i, end - i);
        if (end == i || !(equalsIgnoreCase(word, "bearer") || equalsIgnoreCase(word, "basic") ||
                          equalsIgnoreCase(word, "digest"))) {
            i = end == i ? i + 1 : end;
            continue;
        }
        std::size_t start = end;
        while (start < text.size() && isBlank(text[start])) {
            ++start;
        }
        std::size_t stop = start;
        while (stop < text.size() && isTokenChar(text[stop])) {
            ++stop;
        }
        if (start > end &&
            looksLikeCredential(std::string_view(text.data() + start, stop - start))) {
            text.replace(start, stop - start, kRedacted);
            stop = start + kRedacted.size();
        }
        i = stop;
    }
}

// JSON Web Tokens: "eyJ<base64url>.<base64url>.<base64url>".
void redactJsonWebTokens(std::string& text) {
    auto isB64Url = [](char c) {
        return isAlnum(c) || c == '-' || c == '_';
    };
    std::size_t from = 0;
    while ((from = text.find("eyJ", from)) != std::string::npos) {
        if (from > 0 && isB64Url(text[from - 1])) {
            from += 3;
            continue;
        }
        std::size_t i = from;
        int dots = 0;
        while (i < text.size() && (isB64Url(text[i]) || (text[i] == '.' && dots < 2))) {
            dots += text[i] == '.' ? 1 : 0;
            ++i;
        }
        if (dots == 2) {
            text.replace(from, i - from, kRedacted);
            from += kRedacted.size();
        } else {
            from = i;
        }
    }
}

bool looksFormEncoded(std::string_view body) {
    if (body.empty() || body.find('=') == std::string_view::npos) {
        return false;
    }
    for (char c : body) {
        if (std::isspace(static_cast<unsigned char>(c)) ||
            std::string_view("{}[]<>\"'").find(c) != std::string_view::npos) {
            return false;
        }
    }
    return true;
}

std::string percentDecode(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '+') {
            out += ' ';
        } else if (text[i] == '%' && i + 2 < text.size() &&
                   std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
                   std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
            out += static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16));
            i += 2;
        } else {
            out += text[i];
        }
    }
    return out;
}

// "a=1&password=x" → "a=1&password=[redacted]". An OAuth authorisation code ("code" beside
// "grant_type") is a credential too.
std::string redactForm(std::string_view form, MoreSecrets more) {
    const bool oauth = form.find("grant_type=") != std::string_view::npos;
    std::string out;
    std::size_t start = 0;
    while (start <= form.size()) {
        std::size_t end = form.find('&', start);
        if (end == std::string_view::npos) {
            end = form.size();
        }
        const std::string_view pair = form.substr(start, end - start);
        const std::size_t eq = pair.find('=');
        if (eq == std::string_view::npos) {
            out += redactText(pair, more);
        } else {
            const std::string name = percentDecode(pair.substr(0, eq));
            const std::string_view value = pair.substr(eq + 1);
            out += pair.substr(0, eq + 1);
            if (!value.empty() &&
                (isSecretName(name, more) || (oauth && normalizeName(name) == "code"))) {
                out += kRedacted;
            } else if (isCardNumberName(name)) {
                out += maskCardNumber(value);
            } else {
                out += redactText(value, more);
            }
        }
        if (end < form.size()) {
            out += '&';
        }
        start = end + 1;
    }
    return out;
}

} // namespace

bool isSecretName(std::string_view name) {
    const std::string normalized = normalizeName(name);
    for (auto secret : kSecretNames) {
        if (normalized == secret) {
            return true;
        }
    }
    for (auto suffix : kSecretSuffixes) {
        if (normalized.size() > suffix.size() && normalized.ends_with(suffix)) {
            return true;
        }
    }
    return false;
}

bool isSecretName(std::string_view name, MoreSecrets more) {
    if (isSecretName(name)) {
        return true;
    }
    const std::string normalized = normalizeName(name);
    return std::any_of(more.begin(), more.end(), [&normalized](const std::string& secret) {
        return normalizeName(secret) == normalized;
    });
}

bool isCardNumberName(std::string_view name) {
    const std::string normalized = normalizeName(name);
    for (auto card : kCardNumberNames) {
        if (normalized == card) {
            return true;
        }
    }
    return false;
}

std::string maskCardNumber(std::string_view value) {
    std::string out(value);
    std::size_t i = 0;
    while (i < out.size()) {
        if (!isDigit(out[i])) {
            ++i;
            continue;
        }
        std::size_t end = i;
        std::size_t digits = 0;
        while (end < out.size()) {
            if (isDigit(out[end])) {
                ++digits;
                ++end;
            } else if ((out[end] == ' ' || out[end] == '-') && end + 1 < out.size() &&
                       isDigit(out[end + 1])) {
                ++end;
            } else {
                break;
            }
        }
        if (digits >= 13 && digits <= 19) {
            maskDigits(out, i, end, digits);
        }
        i = end;
    }
    return out;
}

std::string redactText(std::string_view text, MoreSecrets more) {
    std::string out(text);
    redactJsonWebTokens(out);
    redactNamedValues(out, more);
    redactAuthSchemes(out);
    maskGroupedCardNumbers(out);
    return out;
}

std::string redactBody(std::string_view body, MoreSecrets more) {
    if (auto json = journal_detail::redactJson(body, more)) {
        return *json;
    }
    if (looksFormEncoded(body)) {
        return redactForm(body, more);
    }
    return redactText(body, more);
}

std::string redactHeaders(const core::HttpHeaders& headers) {
    std::string lines;
    for (const auto& [name, value] : headers) {
        lines +=
            name + ": " + (isSecretName(name) ? std::string(kRedacted) : redactText(value)) + "\n";
    }
    return lines;
}

std::string redactHeaderLines(std::string_view lines) {
    std::string out;
    std::size_t start = 0;
    while (start < lines.size()) {
        std::size_t end = lines.find('\n', start);
        const bool last = end == std::string_view::npos;
        std::string_view line = lines.substr(start, last ? std::string_view::npos : end - start);
        const std::size_t colon = line.find(':');
        if (colon != std::string_view::npos && isSecretName(line.substr(0, colon))) {
            out += std::string(line.substr(0, colon)) + ": " + std::string(kRedacted);
            if (!line.empty() && line.back() == '\r') {
                out += '\r';
            }
        } else {
            out += redactText(line);
        }
        if (!last) {
            out += '\n';
        }
        start = last ? lines.size() : end + 1;
    }
    return out;
}

std::string redactUrl(std::string_view url) {
    std::string out;
    std::string_view rest = url;
    const std::size_t scheme = rest.find("://");
    if (scheme != std::string_view::npos) {
        out += rest.substr(0, scheme + 3);
        rest.remove_prefix(scheme + 3);
        const std::size_t authorityEnd = rest.find_first_of("/?#");
        const std::string_view authority = rest.substr(0, authorityEnd);
        const std::size_t at = authority.rfind('@');
        if (at != std::string_view::npos) {
            const std::string_view user = authority.substr(0, at);
            const std::size_t colon = user.find(':');
            out += colon == std::string_view::npos
                       ? std::string(user)
                       : std::string(user.substr(0, colon + 1)) + std::string(kRedacted);
            out += authority.substr(at);
        } else {
            out += authority;
        }
        rest.remove_prefix(authority.size());
    }
    const std::size_t query = rest.find('?');
    if (query == std::string_view::npos) {
        return out + redactText(rest);
    }
    const std::size_t fragment = rest.find('#', query);
    out += redactText(rest.substr(0, query + 1));
    out += redactForm(rest.substr(query + 1, fragment == std::string_view::npos
                                                 ? std::string_view::npos
                                                 : fragment - query - 1),
                      {});
    if (fragment != std::string_view::npos) {
        out += redactText(rest.substr(fragment));
    }
    return out;
}

} // namespace fiscpos::plugin
