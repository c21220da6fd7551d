#include "core/basic_authorization.hpp"

#include <Poco/Base64Encoder.h>

#include <sstream>

namespace fiscpos::core {

std::string basicAuthorization(std::string_view credential) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder << credential;
    encoder.close();
    return "Basic " + out.str();
}

std::string basicAuthorization(std::string_view user, std::string_view password) {
    return basicAuthorization(std::string(user) + ":" + std::string(password));
}

} // namespace fiscpos::core
