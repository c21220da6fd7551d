// JSON plumbing shared by every client, the simulator and the CLI.
//
// Remote parties send amounts as JSON numbers ("payment_amount": 12.4). To keep binary floating
// point away from money, parseJson() keeps every non-integer number as its exact decimal text
// (a "decimal" node); dumpJson() writes such nodes back as bare JSON numbers. Integers stay
// ordinary JSON integers.
#pragma once

#include "core/money.hpp"

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace fiscpos::core {

using Json = nlohmann::json;

// Where a JSON document came from decides the error type: a user's or ERP's document is bad input
// (InputError), a remote party's answer is an unreadable response (ResponseError).
enum class JsonOrigin { Input, Response };

// Parses text; decimal numbers become decimal nodes. `what` names the document in errors.
Json parseJson(std::string_view text, std::string_view what, JsonOrigin origin);

// The same for an answer that carries credentials (a token, login, refresh or redeem answer): an
// answer that is not JSON is a ResponseError that quotes none of it. (parseJson quotes the start
// of what it could not read, redacted.)
Json parseCredentialJson(std::string_view text, std::string_view what);

// Serialises, writing decimal nodes as bare numbers. indent < 0 gives one line.
std::string dumpJson(const Json& value, int indent = -1);

// A decimal node holding the exact amount, written as e.g. 12.40 by dumpJson().
Json decimalNumber(Money amount);
// A decimal node holding `text` exactly ("0.375", "2"): digits with an optional fraction, no sign
// or exponent (InputError naming "decimal" otherwise). For quantities and other non-money values.
Json exactDecimal(std::string_view text);
bool isDecimal(const Json& value);
// The exact text of a decimal node.
std::string decimalText(const Json& value);

// Reads typed fields out of a JSON object; every error names "<context>.<key>" and the reason.
class JsonFields {
public:
    // Throws when `value` is not an object.
    JsonFields(const Json& value, std::string context, JsonOrigin origin);

    bool has(std::string_view key) const;
    bool isNull(std::string_view key) const; // missing counts as null

    const Json& require(std::string_view key) const;
    std::string requireString(std::string_view key) const;
    std::int64_t requireInteger(std::string_view key) const;
    bool requireBool(std::string_view key) const;
    // Accepts a decimal string "12.40", a decimal number 12.4 or an integer 12 (euros).
    Money requireMoney(std::string_view key, Money::Sign sign = Money::Sign::NonNegative) const;
    // The same for a field that may be left out; null or missing gives nullopt.
    std::optional<Money> optionalMoney(std::string_view key,
                                       Money::Sign sign = Money::Sign::NonNegative) const;
    // An object field, as a JsonFields of its own.
    JsonFields requireObject(std::string_view key) const;

    std::optional<std::string> optionalString(std::string_view key) const;
    std::optional<std::int64_t> optionalInteger(std::string_view key) const;
    // A string or an integer, read as text ("400001" or 400001); null or missing gives nullopt.
    std::optional<std::string> optionalScalarText(std::string_view key) const;
    // The first of `keys` that is present and not null, as optionalScalarText reads it; "" when
    // none is (a record's names for one field differ between back ends: "amsId", "amsID").
    std::string firstText(std::initializer_list<std::string_view> keys) const;
    // An integer count of minor units (cents); null or missing gives nullopt.
    std::optional<Money> optionalCents(std::string_view key) const;
    std::optional<bool> optionalBool(std::string_view key) const;

    const Json& json() const { return *value_; }
    const std::string& context() const { return context_; }
    std::string fieldName(std::string_view key) const;
    // Builds the error this reader throws, for checks done by the caller.
    [[noreturn]] void fail(std::string_view key, const std::string& reason) const;

private:
    const Json* value_;
    std::string context_;
    JsonOrigin origin_;
};

} // namespace fiscpos::core
