#include "viva/viva_http.hpp"

#include "core/body_quote.hpp"
#include "viva/viva_records.hpp"

#include <Poco/Base64Encoder.h>
#include <Poco/URI.h>

#include <sstream>

namespace fiscpos::viva {

namespace {

// RFC 3986 reserved characters plus those a form value must not carry raw.
constexpr const char* reserved = "!#$&'()*+,/:;=?@[]%\" <>\\^`{|}";

} // namespace

std::string basicAuthorization(const std::string& user, const std::string& password) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder << user << ':' << password;
    encoder.close();
    return "Basic " + out.str();
}

std::string formEncoded(const Parameters& parameters) {
    std::string encoded;
    for (const auto& [key, value] : parameters) {
        std::string k;
        std::string v;
        Poco::URI::encode(key, reserved, k);
        Poco::URI::encode(value, reserved, v);
        encoded += (encoded.empty() ? "" : "&") + k + "=" + v;
    }
    return encoded;
}

std::string pathSegment(const std::string& text) {
    std::string encoded;
    Poco::URI::encode(text, reserved, encoded);
    return encoded;
}

} // namespace fiscpos::viva
