// Small readers and writers of text and JSON that every simulated party uses the same way.
#pragma once

#include "core/errors.hpp"
#include "core/json.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace fiscpos::sim {

// `text` split at every `separator`, empty pieces kept: "a,,b" gives {"a", "", "b"} and "" gives
// {""}.
std::vector<std::string> splitAt(std::string_view text, char separator);

// `value` in decimal, zero-padded on the left to `width` digits and cut to its last `width`
// digits: zeroPadded(42, 6) is "000042".
std::string zeroPadded(std::int64_t value, std::size_t width);

// The unpadded URL-safe base64 of `bytes` (RFC 4648 §5), as JWT segments and API keys are
// written.
std::string base64Url(std::string_view bytes);

// A JWT-shaped token: the base64url of the header's JSON, of the claims' JSON and of `signature`,
// joined by '.'. Nothing verifies the signature: random bytes do.
std::string jwtShaped(const core::Json& header, const core::Json& claims,
                      std::string_view signature);

// An application/x-www-form-urlencoded body: its fields in order, '+' read as a space. A name or
// value that is not valid percent-encoding is kept as written and the form is not well formed.
struct SimForm {
    std::multimap<std::string, std::string> fields;
    bool wellFormed = true;

    // The first value of the field, nullopt when the form has none.
    std::optional<std::string> first(const std::string& name) const;
    // The last value of the field, "" when the form has none.
    std::string last(const std::string& name) const;
};
SimForm parseForm(std::string_view body);

// The text as a JSON string, or null when it is empty.
core::Json textOrNull(const std::string& text);
// The text as a JSON string, or null when there is none.
core::Json textOrNull(const std::optional<std::string>& text);

// Named counts as a JSON object, {} when there are none.
core::Json countsJson(const std::map<std::string, std::int64_t>& counts);

// A request body as a JSON object; a blank body reads as {} when `emptyIsObject`. `what` names
// the body in the parser's messages. The party's own error is thrown: `malformed(reason)` for a
// body that is not JSON, `notObject(value)` for JSON that is not an object.
template <class Malformed, class NotObject>
core::Json readJsonObject(const std::string& body, const std::string& what, bool emptyIsObject,
                          Malformed malformed, NotObject notObject) {
    if (emptyIsObject && body.find_first_not_of(" \t\r\n") == std::string::npos) {
        return core::Json::object();
    }
    core::Json json;
    try {
        json = core::parseJson(body, what, core::JsonOrigin::Input);
    } catch (const core::InputError& e) {
        throw malformed(e.what());
    }
    if (!json.is_object()) {
        throw notObject(json);
    }
    return json;
}

// readJsonObject for a party whose refusal is `error(text)`: "<malformedPrefix><reason>" for a
// body that is not JSON, `notObject` for JSON that is not an object.
template <class Error>
core::Json readJsonObject(const std::string& body, const std::string& what, bool emptyIsObject,
                          const std::string& malformedPrefix, const std::string& notObject,
                          Error error) {
    return readJsonObject(
        body, what, emptyIsObject,
        [&](const std::string& reason) { return error(malformedPrefix + reason); },
        [&](const core::Json&) { return error(notObject); });
}

// A request field's `value` (nullptr when it has none) when it is of the JSON type `isType`, e.g.
// &core::Json::is_string; otherwise nullptr, after `fail()` recorded the field's error.
template <class Fail>
const core::Json* ofJsonType(const core::Json* value, bool (core::Json::*isType)() const noexcept,
                             Fail fail) {
    if (value && !(value->*isType)()) {
        fail();
        return nullptr;
    }
    return value;
}

// An answer other than success with its status and JSON body, thrown by a party's checks and
// sent by the party as it is. Each party derives its own error shapes from it.
class SimAnswerError : public std::runtime_error {
public:
    SimAnswerError(int status, core::Json body);
    int status() const { return status_; }
    const core::Json& body() const { return body_; }

private:
    int status_;
    core::Json body_;
};

} // namespace fiscpos::sim
