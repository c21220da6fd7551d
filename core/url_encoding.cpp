#include "core/url_encoding.hpp"

#include <Poco/URI.h>

namespace fiscpos::core {

std::string percentEncoded(std::string_view text) {
    // Poco keeps the unreserved characters and encodes these, besides blanks, controls and
    // non-ASCII bytes.
    static const std::string reserved = "!#$&'()*+,/:;=?@[]%\" <>\\^`{|}";
    std::string encoded;
    Poco::URI::encode(std::string(text), reserved, encoded);
    return encoded;
}

std::string formEncoded(const FormFields& fields) {
    std::string encoded;
    for (const auto& [name, value] : fields) {
        encoded +=
            (encoded.empty() ? "" : "&") + percentEncoded(name) + "=" + percentEncoded(value);
    }
    return encoded;
}

} // namespace fiscpos::core
