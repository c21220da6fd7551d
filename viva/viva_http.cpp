#include "viva/viva_http.hpp"

#include "core/body_quote.hpp"
#include "viva/viva_records.hpp"

#include <Poco/Base64Encoder.h>

#include <sstream>

namespace fiscpos::viva {

std::string basicAuthorization(const std::string& user, const std::string& password) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder << user << ':' << password;
    encoder.close();
    return "Basic " + out.str();
}

} // namespace fiscpos::viva
