#include "plugin/journal/json_redaction.hpp"

#include "plugin/journal/redaction.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace fiscpos::plugin::journal_detail {

namespace {

enum class ValueType { Object, Array, String, Number, Literal };

struct Value {
    std::size_t begin = 0, end = 0; // the value's text, quotes included
    ValueType type = ValueType::Literal;
    std::string decoded; // a string's characters (escapes of ASCII resolved), for comparisons
};

struct Replacement {
    std::size_t begin, end;
    std::string text;
};

class NotJson {};

// A recursive-descent reader of JSON text that records, instead of building a document, which
// spans of the text to replace.
class Scanner {
public:
    Scanner(std::string_view text, MoreSecrets more)
        : text_(text)
        , more_(more) {}

    std::vector<Replacement> scan() {
        skipBlanks();
        const Value top = value(0);
        skipBlanks();
        // A bare string or number is text, not a document of fields.
        if ((top.type != ValueType::Object && top.type != ValueType::Array) ||
            pos_ != text_.size()) {
            throw NotJson();
        }
        return std::move(replacements_);
    }

private:
    static constexpr int kMaxDepth = 256;

    [[noreturn]] static void fail() { throw NotJson(); }

    void skipBlanks() {
        while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                       text_[pos_] == '\n' || text_[pos_] == '\r')) {
            ++pos_;
        }
    }

    char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }

    void expect(char c) {
        if (peek() != c) {
            fail();
        }
        ++pos_;
    }

    Value value(int depth) {
        if (depth > kMaxDepth) {
            fail();
        }
        switch (peek()) {
        case '{':
            return object(depth);
        case '[':
            return array(depth);
        case '"':
            return string(true);
        default:
            return scalar();
        }
    }

    Value object(int depth) {
        struct Member {
            Value key;
            Value value;
        };
        Value result;
        result.begin = pos_;
        result.type = ValueType::Object;
        expect('{');
        std::vector<Member> members;
        skipBlanks();
        if (peek() == '}') {
            ++pos_;
        } else {
            while (true) {
                skipBlanks();
                Member member;
                member.key = string(false);
                skipBlanks();
                expect(':');
                skipBlanks();
                const bool secret = isSecretName(member.key.decoded, more_);
                const bool card = isCardNumberName(member.key.decoded);
                member.value = secret || card ? valueUnscanned(depth + 1) : value(depth + 1);
                members.push_back(std::move(member));
                skipBlanks();
                if (peek() == ',') {
                    ++pos_;
                    continue;
                }
                expect('}');
                break;
            }
        }
        result.end = pos_;
        for (const auto& member : members) {
            if (isSecretName(member.key.decoded, more_)) {
                redactValue(member.value);
            } else if (isCardNumberName(member.key.decoded)) {
                maskValue(member.value);
            }
        }
        return result;
    }

    Value array(int depth) {
        Value result;
        result.begin = pos_;
        result.type = ValueType::Array;
        expect('[');
        skipBlanks();
        if (peek() == ']') {
            ++pos_;
        } else {
            while (true) {
                skipBlanks();
                value(depth + 1);
                skipBlanks();
                if (peek() == ',') {
                    ++pos_;
                    continue;
                }
                expect(']');
                break;
            }
        }
        result.end = pos_;
        return result;
    }

    // A value read for its extent only: it is replaced whole, so nothing inside it is recorded.
    Value valueUnscanned(int depth) {
        const std::size_t mark = replacements_.size();
        Value result = value(depth);
        replacements_.resize(mark);
        return result;
    }

    Value string(bool applyTextRules) {
        Value result;
        result.begin = pos_;
        result.type = ValueType::String;
        expect('"');
        while (true) {
            if (pos_ >= text_.size()) {
                fail();
            }
            const char c = text_[pos_];
            if (c == '"') {
                break;
            }
            if (static_cast<unsigned char>(c) < 0x20) {
                fail();
            }
            if (c == '\\') {
                decodeEscape(result.decoded);
                continue;
            }
            result.decoded += c;
            ++pos_;
        }
        ++pos_;
        result.end = pos_;
        if (applyTextRules) {
            const std::string_view inner =
                text_.substr(result.begin + 1, result.end - result.begin - 2);
            std::string redacted = redactText(inner, more_);
            if (redacted != inner) {
                replacements_.push_back({result.begin + 1, result.end - 1, std::move(redacted)});
            }
        }
        return result;
    }

    void decodeEscape(std::string& decoded) {
        ++pos_; // the backslash
        if (pos_ >= text_.size()) {
            fail();
        }
        const char e = text_[pos_++];
        switch (e) {
        case '"':
        case '\\':
        case '/':
            decoded += e;
            return;
        case 'b':
        case 'f':
        case 'n':
        case 'r':
        case 't':
            decoded += ' ';
            return;
        case 'u': {
            if (pos_ + 4 > text_.size()) {
                fail();
            }
            unsigned code = 0;
            for (int i = 0; i < 4; ++i) {
                const char h = text_[pos_++];
                if (!std::isxdigit(static_cast<unsigned char>(h))) {
                    fail();
                }
                code =
                    code * 16 + static_cast<unsigned>(
                                    std::isdigit(static_cast<unsigned char>(h))
                                        ? h - '0'
                                        : std::tolower(static_cast<unsigned char>(h)) - 'a' + 10);
            }
            // Only ASCII matters for field names; anything else stands in as '?'.
            decoded += code < 0x80 ? static_cast<char>(code) : '?';
            return;
        }
        default:
            fail();
        }
    }

    Value scalar() {
        Value result;
        result.begin = pos_;
        const char c = peek();
        if (c == '-' || (c >= '0' && c <= '9')) {
            result.type = ValueType::Number;
            while (pos_ < text_.size() && std::string_view("0123456789+-.eE").find(text_[pos_]) !=
                                              std::string_view::npos) {
                ++pos_;
            }
        } else {
            result.type = ValueType::Literal;
            for (std::string_view literal : {"true", "false", "null"}) {
                if (text_.substr(pos_, literal.size()) == literal) {
                    pos_ += literal.size();
                    break;
                }
            }
        }
        if (pos_ == result.begin) {
            fail();
        }
        result.end = pos_;
        return result;
    }

    bool emptyValue(const Value& value) const {
        const std::string_view text = text_.substr(value.begin, value.end - value.begin);
        return text == "null" || text == "\"\"";
    }

    void redactValue(const Value& value) {
        if (!emptyValue(value)) {
            replacements_.push_back({value.begin, value.end, "\"" + std::string(kRedacted) + "\""});
        }
    }

    void maskValue(const Value& value) {
        if (value.type != ValueType::String && value.type != ValueType::Number) {
            return;
        }
        const std::string_view text = text_.substr(value.begin, value.end - value.begin);
        std::string masked = maskCardNumber(text);
        if (masked == text) {
            return;
        }
        if (value.type == ValueType::Number) {
            masked = "\"" + masked + "\"";
        }
        replacements_.push_back({value.begin, value.end, std::move(masked)});
    }

    std::string_view text_;
    MoreSecrets more_;
    std::size_t pos_ = 0;
    std::vector<Replacement> replacements_;
};

} // namespace

std::optional<std::string> redactJson(std::string_view body, MoreSecrets more) {
    std::vector<Replacement> replacements;
    try {
        replacements = Scanner(body, more).scan();
    } catch (const NotJson&) {
        return std::nullopt;
    }
    std::sort(replacements.begin(), replacements.end(),
              [](const Replacement& a, const Replacement& b) { return a.begin < b.begin; });
    std::string out;
    out.reserve(body.size());
    std::size_t at = 0;
    for (const auto& replacement : replacements) {
        if (replacement.begin < at) {
            continue; // inside a span already replaced
        }
        out += body.substr(at, replacement.begin - at);
        out += replacement.text;
        at = replacement.end;
    }
    out += body.substr(at);
    return out;
}

} // namespace fiscpos::plugin::journal_detail
