#include "core/json.hpp"

#include "core/body_quote.hpp"

#include "core/errors.hpp"
#include "core/text.hpp"

#include <vector>

namespace fiscpos::core {

namespace {

// Decimal nodes are JSON binary values with this subtype: a plain JSON parse can never produce a
// binary value, so the tag cannot be confused with anything a remote party sent.
constexpr std::uint64_t decimalSubtype = 0xDC;

[[noreturn]] void throwFor(JsonOrigin origin, const std::string& field, const std::string& reason) {
    if (origin == JsonOrigin::Response) {
        throw ResponseError(field, reason);
    }
    throw InputError(field, reason);
}

Json makeDecimal(const std::string& text) {
    return Json::binary(std::vector<std::uint8_t>(text.begin(), text.end()), decimalSubtype);
}

// Builds a Json tree from nlohmann's SAX events, keeping non-integer numbers as decimal nodes.
class DecimalPreservingBuilder {
public:
    explicit DecimalPreservingBuilder(Json& root)
        : root_(root) {}

    bool null() { return add(Json(nullptr)); }
    bool boolean(bool value) { return add(Json(value)); }
    bool number_integer(Json::number_integer_t value) { return add(Json(value)); }
    bool number_unsigned(Json::number_unsigned_t value) { return add(Json(value)); }
    bool number_float(Json::number_float_t, const Json::string_t& text) {
        return add(makeDecimal(text));
    }
    bool string(Json::string_t& value) { return add(Json(std::move(value))); }
    bool binary(Json::binary_t&) { return false; }
    bool start_object(std::size_t) { return open(Json::object()); }
    bool key(Json::string_t& name) {
        key_ = std::move(name);
        return true;
    }
    bool end_object() { return close(); }
    bool start_array(std::size_t) { return open(Json::array()); }
    bool end_array() { return close(); }
    bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception&) {
        errorPosition_ = position;
        return false;
    }
    std::size_t errorPosition() const { return errorPosition_; }

private:
    bool add(Json value) {
        place(std::move(value));
        return true;
    }
    bool open(Json container) {
        Json* placed = place(std::move(container));
        stack_.push_back(placed);
        return true;
    }
    bool close() {
        stack_.pop_back();
        return true;
    }
    Json* place(Json value) {
        if (stack_.empty()) {
            root_ = std::move(value);
            return &root_;
        }
        Json& parent = *stack_.back();
        if (parent.is_array()) {
            parent.push_back(std::move(value));
            return &parent.back();
        }
        Json& slot = parent[key_];
        slot = std::move(value);
        return &slot;
    }

    Json& root_;
    std::vector<Json*> stack_;
    std::string key_;
    std::size_t errorPosition_ = 0;
};

void writeJson(const Json& value, int indent, int depth, std::string& out) {
    auto newline = [&](int level) {
        if (indent >= 0) {
            out += '\n';
            out.append(static_cast<std::size_t>(indent * level), ' ');
        }
    };
    switch (value.type()) {
    case Json::value_t::object: {
        if (value.empty()) {
            out += "{}";
            return;
        }
        out += '{';
        bool first = true;
        for (const auto& [name, member] : value.items()) {
            if (!first) {
                out += ',';
            }
            first = false;
            newline(depth + 1);
            out += Json(name).dump(-1, ' ', false, Json::error_handler_t::replace);
            out += indent >= 0 ? ": " : ":";
            writeJson(member, indent, depth + 1, out);
        }
        newline(depth);
        out += '}';
        return;
    }
    case Json::value_t::array: {
        if (value.empty()) {
            out += "[]";
            return;
        }
        out += '[';
        bool first = true;
        for (const auto& element : value) {
            if (!first) {
                out += ',';
            }
            first = false;
            newline(depth + 1);
            writeJson(element, indent, depth + 1, out);
        }
        newline(depth);
        out += ']';
        return;
    }
    case Json::value_t::binary:
        if (isDecimal(value)) {
            out += decimalText(value);
            return;
        }
        break;
    default:
        break;
    }
    out += value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string typeName(const Json& value) {
    if (isDecimal(value)) {
        return "decimal number";
    }
    return value.type_name();
}

} // namespace

Json parseJson(std::string_view text, std::string_view what, JsonOrigin origin) {
    Json root;
    DecimalPreservingBuilder builder(root);
    const bool parsed = Json::sax_parse(text.begin(), text.end(), &builder,
                                        Json::input_format_t::json, true, false);
    if (!parsed) {
        const std::string snippet = quoteBody(text, 60);
        throwFor(
            origin, std::string(what),
            "not valid JSON (error near byte " + std::to_string(builder.errorPosition()) +
                (text.empty() ? ", the body is empty" : ", it starts with \"" + snippet + "\"") +
                ")");
    }
    return root;
}

Json parseCredentialJson(std::string_view text, std::string_view what) {
    Json root;
    DecimalPreservingBuilder builder(root);
    if (!Json::sax_parse(text.begin(), text.end(), &builder, Json::input_format_t::json, true,
                         false)) {
        throwFor(JsonOrigin::Response, std::string(what),
                 "not valid JSON (error near byte " + std::to_string(builder.errorPosition()) +
                     " of " + std::to_string(text.size()) +
                     "; the answer carries credentials and is not quoted)");
    }
    return root;
}

std::string dumpJson(const Json& value, int indent) {
    std::string out;
    writeJson(value, indent, 0, out);
    return out;
}

Json decimalNumber(Money amount) {
    return makeDecimal(amount.toString());
}

Json exactDecimal(std::string_view text) {
    const auto point = text.find('.');
    const std::string_view whole = text.substr(0, point);
    const std::string_view fraction =
        point == std::string_view::npos ? std::string_view() : text.substr(point + 1);
    if (!allDigits(whole) || (point != std::string_view::npos && !allDigits(fraction))) {
        throw InputError("decimal", "\"" + std::string(text) + "\" is not a decimal number");
    }
    return makeDecimal(std::string(text));
}

bool isDecimal(const Json& value) {
    return value.is_binary() && value.get_binary().has_subtype() &&
           value.get_binary().subtype() == decimalSubtype;
}

std::string decimalText(const Json& value) {
    const auto& bytes = value.get_binary();
    return std::string(bytes.begin(), bytes.end());
}

JsonFields::JsonFields(const Json& value, std::string context, JsonOrigin origin)
    : value_(&value)
    , context_(std::move(context))
    , origin_(origin) {
    if (!value.is_object()) {
        throwFor(origin_, context_, "expected a JSON object, got " + typeName(value));
    }
}

std::string JsonFields::fieldName(std::string_view key) const {
    return context_.empty() ? std::string(key) : context_ + "." + std::string(key);
}

void JsonFields::fail(std::string_view key, const std::string& reason) const {
    throwFor(origin_, fieldName(key), reason);
}

bool JsonFields::has(std::string_view key) const {
    return value_->contains(key);
}

bool JsonFields::isNull(std::string_view key) const {
    auto it = value_->find(key);
    return it == value_->end() || it->is_null();
}

const Json& JsonFields::require(std::string_view key) const {
    auto it = value_->find(key);
    if (it == value_->end() || it->is_null()) {
        fail(key, "is required");
    }
    return *it;
}

std::string JsonFields::requireString(std::string_view key) const {
    const Json& value = require(key);
    if (!value.is_string()) {
        fail(key, "expected a string, got " + typeName(value));
    }
    return value.get<std::string>();
}

std::int64_t JsonFields::requireInteger(std::string_view key) const {
    const Json& value = require(key);
    if (value.is_number_unsigned()) {
        const auto unsignedValue = value.get<std::uint64_t>();
        if (unsignedValue > static_cast<std::uint64_t>(INT64_MAX)) {
            fail(key, "integer out of range");
        }
        return static_cast<std::int64_t>(unsignedValue);
    }
    if (!value.is_number_integer()) {
        fail(key, "expected an integer, got " + typeName(value));
    }
    return value.get<std::int64_t>();
}

bool JsonFields::requireBool(std::string_view key) const {
    const Json& value = require(key);
    if (!value.is_boolean()) {
        fail(key, "expected true or false, got " + typeName(value));
    }
    return value.get<bool>();
}

Money JsonFields::requireMoney(std::string_view key, Money::Sign sign) const {
    const Json& value = require(key);
    std::string text;
    if (value.is_string()) {
        text = value.get<std::string>();
    } else if (isDecimal(value)) {
        text = decimalText(value);
    } else if (value.is_number_integer()) {
        text = std::to_string(value.get<std::int64_t>());
    } else if (value.is_number_unsigned()) {
        text = std::to_string(value.get<std::uint64_t>());
    } else {
        fail(key, "expected an amount, got " + typeName(value));
    }
    try {
        return Money::parse(text, fieldName(key), sign);
    } catch (const InputError& e) {
        if (origin_ == JsonOrigin::Response) {
            const std::string prefix = fieldName(key) + ": ";
            std::string reason = e.what();
            if (reason.starts_with(prefix)) {
                reason.erase(0, prefix.size());
            }
            throw ResponseError(fieldName(key), reason);
        }
        throw;
    }
}

JsonFields JsonFields::requireObject(std::string_view key) const {
    return JsonFields(require(key), fieldName(key), origin_);
}

std::optional<std::string> JsonFields::optionalString(std::string_view key) const {
    if (isNull(key)) {
        return std::nullopt;
    }
    return requireString(key);
}

std::optional<std::int64_t> JsonFields::optionalInteger(std::string_view key) const {
    if (isNull(key)) {
        return std::nullopt;
    }
    return requireInteger(key);
}

std::optional<std::string> JsonFields::optionalScalarText(std::string_view key) const {
    if (isNull(key)) {
        return std::nullopt;
    }
    const Json& value = require(key);
    if (value.is_string()) {
        return value.get<std::string>();
    }
    if (value.is_number_integer() || value.is_number_unsigned()) {
        return value.dump();
    }
    fail(key, "expected a string or an integer, got " + typeName(value));
}

std::string JsonFields::firstText(std::initializer_list<std::string_view> keys) const {
    for (const auto key : keys) {
        if (!isNull(key)) {
            return optionalScalarText(key).value_or("");
        }
    }
    return {};
}

std::optional<Money> JsonFields::optionalMoney(std::string_view key, Money::Sign sign) const {
    if (isNull(key)) {
        return std::nullopt;
    }
    return requireMoney(key, sign);
}

std::optional<Money> JsonFields::optionalCents(std::string_view key) const {
    const auto value = optionalInteger(key);
    if (!value) {
        return std::nullopt;
    }
    return Money::fromCents(*value);
}

std::optional<bool> JsonFields::optionalBool(std::string_view key) const {
    if (isNull(key)) {
        return std::nullopt;
    }
    return requireBool(key);
}

} // namespace fiscpos::core
