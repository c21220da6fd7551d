// The value of "Authorization: Basic ...", written once: for a user and password, and for a key
// a remote party takes whole in place of them.
#pragma once

#include <string>
#include <string_view>

namespace fiscpos::core {

// "Basic base64(user:password)".
std::string basicAuthorization(std::string_view user, std::string_view password);
// "Basic base64(credential)".
std::string basicAuthorization(std::string_view credential);

} // namespace fiscpos::core
