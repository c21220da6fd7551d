#include "plugin/gptom_settings.hpp"

#include "core/errors.hpp"
#include "plugin/provider_settings.hpp"

namespace fiscpos::plugin {

gptom::GptomSettings gptomSettings(const Config& config, const std::string& name) {
    const std::string section = "terminal." + name;
    gptom::GptomSettings settings;
    settings.section = section;
    settings.url = config.getOr(section + ".url", "");
    settings.username = config.getOr(section + ".username", "");
    settings.password = config.getOr(section + ".password", "");
    const std::string master = config.getOr(section + ".master_account", "false");
    if (master != "true" && master != "false") {
        throw core::ConfigError(section + ".master_account",
                                "\"" + master + "\" is not true or false");
    }
    settings.masterAccount = master == "true";
    settings.tid = config.getOr(section + ".tid", "");
    settings.providerId = config.getOr(section + ".provider_id", "");
    settings.http = httpOptions(config, section);
    return settings;
}

} // namespace fiscpos::plugin
