#include "network/network_module.hpp"

#include "core/errors.hpp"

#include <stdexcept>

namespace fiscpos::network {

void NetworkRegistry::add(NetworkModule module) {
    if (find(module.nsp) != nullptr) {
        throw std::logic_error("two networks registered as nsp = " + module.nsp);
    }
    modules_.push_back(std::move(module));
}

const NetworkModule* NetworkRegistry::find(std::string_view nsp) const {
    for (const auto& module : modules_) {
        if (module.nsp == nsp) {
            return &module;
        }
    }
    return nullptr;
}

const NetworkModule& NetworkRegistry::of(const core::Config& config,
                                         const std::string& name) const {
    const std::string setting = "terminal." + name + ".nsp";
    const std::string nsp = config.require(setting);
    if (const auto* module = find(nsp)) {
        return *module;
    }
    throw core::ConfigError(setting, "\"" + nsp + "\" is not a network (" + list() + ")");
}

std::vector<std::string> NetworkRegistry::names() const {
    std::vector<std::string> all;
    for (const auto& module : modules_) {
        all.push_back(module.nsp);
    }
    return all;
}

std::string NetworkRegistry::list() const {
    std::string text;
    for (const auto& module : modules_) {
        text += (text.empty() ? "" : ", ") + module.nsp;
    }
    return text;
}

} // namespace fiscpos::network
