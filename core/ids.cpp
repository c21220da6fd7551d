#include "core/ids.hpp"

#include <Poco/UUIDGenerator.h>

namespace fiscpos::core {

std::string newUuid() {
    return Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
}

} // namespace fiscpos::core
