#include "gptom/gptom_settings.hpp"

#include "core/errors.hpp"

namespace fiscpos::gptom {

void checkSettings(const GptomSettings& settings) {
    const auto require = [&](const char* key, const std::string& value) {
        if (value.empty()) {
            throw core::ConfigError(settings.section + "." + key, "is missing");
        }
    };
    require("url", settings.url);
    require("username", settings.username);
    require("password", settings.password);
    require("tid", settings.tid);
}

} // namespace fiscpos::gptom
