#include "cli/command.hpp"

#include "core/errors.hpp"

namespace fiscpos::cli {

std::optional<std::string> CommandArgs::get(const std::string& name) const {
    auto it = values_.find(name);
    if (it == values_.end()) {
        return std::nullopt;
    }
    return it->second;
}

std::string CommandArgs::require(const std::string& name) const {
    auto value = get(name);
    if (!value || value->empty()) {
        throw core::InputError("--" + name, "is required");
    }
    return *value;
}

std::optional<core::Money> CommandArgs::money(const std::string& name) const {
    if (auto text = get(name)) {
        return core::Money::parse(*text, "--" + name);
    }
    return std::nullopt;
}

std::optional<core::Language> CommandContext::requestedLanguage() const {
    if (!language) {
        return std::nullopt;
    }
    return core::parseLanguage(*language, "--lang");
}

const std::string& CommandContext::requireConfigFile(const std::string& why) const {
    if (!configFile) {
        throw core::ConfigError("--config", why);
    }
    return *configFile;
}

Command::Command(CommandSpec spec, CommandRun run)
    : spec_(std::move(spec))
    , run_(std::move(run)) {}

void Command::defineOptions(Poco::Util::OptionSet& options) const {
    for (const auto& spec : spec_.options) {
        Poco::Util::Option option(spec.name, "", spec.help, spec.need == Need::Required);
        if (!spec.argument.empty()) {
            option.argument(spec.argument);
        }
        options.addOption(option);
    }
}

} // namespace fiscpos::cli
