#include "plugin/gptom_settings.hpp"

#include "core/errors.hpp"
#include "plugin/provider_settings.hpp"

namespace fiscpos::plugin {

namespace {

bool flag(const Config& config, const std::string& key, bool fallback) {
    const std::string value = config.getOr(key, fallback ? "true" : "false");
    if (value != "true" && value != "false") {
        throw core::ConfigError(key, "\"" + value + "\" is not true or false");
    }
    return value == "true";
}

std::vector<std::string> list(const Config& config, const std::string& key,
                              std::vector<std::string> fallback) {
    const auto value = config.get(key);
    if (!value) {
        return fallback;
    }
    std::vector<std::string> items;
    std::size_t start = 0;
    while (start <= value->size()) {
        const std::size_t end = std::min(value->find(',', start), value->size());
        std::string item = value->substr(start, end - start);
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        if (!item.empty()) {
            items.push_back(item);
        }
        start = end + 1;
    }
    return items;
}

} // namespace

gptom::GptomSettings gptomSettings(const Config& config, const std::string& name) {
    const std::string section = "terminal." + name;
    gptom::GptomSettings settings;
    settings.section = section;
    settings.url = config.getOr(section + ".url", "");
    settings.username = config.getOr(section + ".username", "");
    settings.password = config.getOr(section + ".password", "");
    settings.clientCredential = config.getOr(section + ".client_credential", "");
    settings.masterAccount = flag(config, section + ".master_account", false);
    settings.tid = config.getOr(section + ".tid", "");
    settings.providerId = config.getOr(section + ".provider_id", "");
    settings.tokenUrl = config.getOr(section + ".token_url", settings.tokenUrl);
    settings.refreshUrls = list(config, section + ".refresh_urls", settings.refreshUrls);
    settings.currency = config.getOr(section + ".currency", settings.currency);
    settings.printReceipt = flag(config, section + ".print_receipt", false);
    settings.a1155Confirmed = flag(config, section + ".a1155_confirmed", false);
    settings.http = httpOptions(config, section);
    settings.validate(gptom::GptomSettings::Need::Account);
    return settings;
}

signing::Nsp gptomSignatureNsp(const Config& config, const std::string& name) {
    const std::string key = "terminal." + name + ".signature_nsp";
    const std::string value = config.getOr(key, "viva");
    try {
        return signing::parseNsp(value, key);
    } catch (const core::InputError& e) {
        throw core::ConfigError(key, e.what());
    }
}

} // namespace fiscpos::plugin
