#include "plugin/mellon_settings.hpp"

#include "plugin/provider_settings.hpp"

namespace fiscpos::plugin {

mellon::WebEcrSettings webEcrSettings(const Config& config, const std::string& name,
                                      bool withApiKey) {
    const std::string section = "terminal." + name;
    mellon::WebEcrSettings settings;
    settings.section = section;
    settings.url = config.getOr(section + ".url", "https://www.mreceipts.com");
    settings.pathPrefix = config.get(section + ".path_prefix").value_or("/api");
    if (settings.pathPrefix == "none") {
        settings.pathPrefix.clear();
    }
    settings.apiVersion = config.getOr(section + ".api_version", "v2.2");
    if (settings.apiVersion == "none") { // hosts that serve the API unversioned (epay, fintechiq)
        settings.apiVersion.clear();
    }
    settings.username = config.getOr(section + ".username", "");
    settings.password = config.getOr(section + ".password", "");
    if (withApiKey) {
        settings.apiKey = config.getOr(section + ".api_key", "");
    }
    settings.posId = config.getOr(section + ".pos_id", "");
    settings.tid = config.getOr(section + ".tid", "");
    settings.providerId = config.getOr(section + ".provider_id", "");
    settings.waitSeconds =
        config.getInt(section + ".wait_seconds", mellon::WebEcrSettings::defaultWaitSeconds, 0,
                      mellon::WebEcrSettings::maxWaitSeconds);
    settings.http = httpOptions(config, section);
    return settings;
}

} // namespace fiscpos::plugin
