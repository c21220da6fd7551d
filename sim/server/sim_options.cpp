#include "sim/server/sim_options.hpp"

#include "core/errors.hpp"
#include "sim/server/sim_text.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <stdexcept>

namespace fiscpos::sim {

using core::ConfigError;

void SettingsCheck::operator()(bool ok, const std::string& setting,
                               const std::string& reason) const {
    if (!ok) {
        throw ConfigError(party_ + "." + setting, reason);
    }
}

std::string SimOptionValues::text(const std::string& name, const std::string& fallback) const {
    const auto it = values_.find(name);
    return it == values_.end() ? fallback : it->second;
}

std::size_t SimOptionValues::count(const std::string& name, std::size_t fallback,
                                   std::size_t max) const {
    const std::string value = text(name, std::to_string(fallback));
    if (value.empty() || value.size() > 7 ||
        value.find_first_not_of("0123456789") != std::string::npos || std::stoul(value) < 1 ||
        std::stoul(value) > max) {
        throw ConfigError(name,
                          "\"" + value + "\" is not a number from 1 to " + std::to_string(max));
    }
    return std::stoul(value);
}

std::chrono::milliseconds SimOptionValues::seconds(const std::string& name,
                                                   std::chrono::milliseconds fallback) const {
    const auto it = values_.find(name);
    if (it == values_.end()) {
        return fallback;
    }
    std::size_t used = 0;
    double value = -1;
    try {
        value = std::stod(it->second, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != it->second.size() || !std::isfinite(value) || value < 0 ||
        value > 1e9) {
        throw ConfigError(name, "\"" + it->second + "\" is not a number of seconds");
    }
    return std::chrono::milliseconds(std::llround(value * 1000));
}

std::string SimOptionValues::choice(const std::string& name, const std::string& fallback,
                                    const std::vector<std::string>& choices) const {
    const std::string value = text(name, fallback);
    if (std::find(choices.begin(), choices.end(), value) != choices.end()) {
        return value;
    }
    std::string named;
    for (std::size_t i = 0; i < choices.size(); ++i) {
        named += (i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ") + choices[i];
    }
    throw ConfigError(name, "\"" + value + "\" is not " + named);
}

std::vector<std::string> SimOptionValues::list(const std::string& name,
                                               std::vector<std::string> fallback) const {
    const auto it = values_.find(name);
    if (it == values_.end()) {
        return fallback;
    }
    return splitAt(it->second, ',');
}

signing::PublicKey SimOptionValues::publicKey(const std::string& name,
                                              const signing::PrivateKey& fallback) const {
    const std::string file = text(name, "");
    if (file.empty()) {
        return fallback.publicKey();
    }
    try {
        return signing::PublicKey::fromPemFile(file);
    } catch (const core::Error& e) {
        throw ConfigError(name, "cannot use " + file + ": " + e.what());
    }
}

void SimOptionValues::setSeconds(const std::string& name, std::chrono::milliseconds value) {
    const auto ms = value.count();
    set(name, std::to_string(ms / 1000) + "." + zeroPadded(ms % 1000, 3));
}

SimSample sampleTerminals(
    const SimSampleRequest& request, const std::string& listOption,
    const std::function<SimSampleTerminal(std::size_t index, const std::string& name)>& terminal) {
    SimSample sample;
    std::string list;
    for (std::size_t i = 0; i < request.terminals.size(); ++i) {
        const SimSampleTerminal one = terminal(i, request.terminals[i]);
        list += (i == 0 ? "" : ",") + one.entry;
        std::string section = "[terminal." + request.terminals[i] + "]\n";
        for (const auto& [key, value] : one.settings) {
            section += key + " = " + value + "\n";
        }
        sample.sections.push_back(std::move(section));
    }
    sample.values.set(listOption, list);
    return sample;
}

std::string providerKeyOptionName(const std::string& network) {
    return network + "-provider-public-key";
}

SimOptionSpec providerKeyOption(const std::string& network, const std::string& use) {
    return {providerKeyOptionName(network), use + " (default: the public half of --provider-key)",
            "FILE"};
}

SimNetworkRegistry::SimNetworkRegistry(std::initializer_list<Register> networks) {
    for (const Register network : networks) {
        network(*this);
    }
}

void SimNetworkRegistry::add(SimNetworkModule module) {
    for (const auto& known : modules_) {
        if (known.name == module.name) {
            throw std::logic_error("the simulated network " + module.name + " is registered twice");
        }
    }
    modules_.push_back(std::move(module));
}

} // namespace fiscpos::sim
