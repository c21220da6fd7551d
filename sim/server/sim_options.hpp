// fiscpos-sim's command-line options: what each simulated network declares, and the typed reading
// of the values given (a ConfigError naming the option for a value that does not fit).
#pragma once

#include "signing/ecdsa.hpp"
#include "sim/server/sim_server.hpp"

#include <chrono>
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace fiscpos::sim {

struct SimOptionSpec {
    std::string name;        // "acme-username", given as --acme-username=VALUE
    std::string description; // one line for --help, with the default
    std::string argument;    // "NAME", "S", ...; empty for a flag without a value
};

// Checks the settings a party is made with: require(ok, setting, reason) throws a ConfigError
// naming "<party>.<setting>" when `ok` is false.
class SettingsCheck {
public:
    explicit SettingsCheck(std::string party)
        : party_(std::move(party)) {}
    void operator()(bool ok, const std::string& setting, const std::string& reason) const;

private:
    std::string party_;
};

class SimOptionValues {
public:
    void set(const std::string& name, const std::string& value) { values_[name] = value; }
    bool has(const std::string& name) const { return values_.count(name) != 0; }

    std::string text(const std::string& name, const std::string& fallback) const;
    // A flag (an option without a value) was given.
    bool flag(const std::string& name) const { return has(name); }
    // A whole number from 1 to `max`.
    std::size_t count(const std::string& name, std::size_t fallback, std::size_t max) const;
    // Simulated seconds (a non-negative number, decimals allowed) as milliseconds.
    std::chrono::milliseconds seconds(const std::string& name,
                                      std::chrono::milliseconds fallback) const;
    // One of `choices` (a ConfigError naming them for any other value).
    std::string choice(const std::string& name, const std::string& fallback,
                       const std::vector<std::string>& choices) const;
    // A comma-separated list.
    std::vector<std::string> list(const std::string& name, std::vector<std::string> fallback) const;
    // A PEM public key file, or the public half of `fallback` when the option is absent.
    signing::PublicKey publicKey(const std::string& name,
                                 const signing::PrivateKey& fallback) const;

private:
    std::map<std::string, std::string> values_;
};

// The option "<network>-provider-public-key": the PEM public key file the network verifies the
// provider's signatures with instead of the public half of --provider-key.
std::string providerKeyOptionName(const std::string& network);
// Its line of --help: `use` ("PEM public key ... verified with") and the default.
SimOptionSpec providerKeyOption(const std::string& network, const std::string& use);

// One simulated network as fiscpos-sim offers it: its options, its lines of --help, and how it
// joins the server.
struct SimNetworkModule {
    std::string name;  // "acme"
    std::string where; // "Acme Pay at /acme" for the start-up banner
    std::vector<SimOptionSpec> options;
    std::string help; // amounts, control endpoints: the --help footer's part
    // Adds the party (or parties) to `server`; `providerKey` is what the network verifies the
    // provider's signatures with: the file of providerKeyOptionName(name), or the public half of
    // the simulated provider's key.
    std::function<void(SimServer& server, const SimOptionValues& values,
                       signing::PublicKey providerKey)>
        add;
};

// The networks fiscpos-sim simulates besides the provider. Each network's folder adds its module
// (registerNetwork in its *_options.cpp); sim/sim_networks.cpp is the one file that names them.
class SimNetworkRegistry {
public:
    using Register = void (*)(SimNetworkRegistry&);

    SimNetworkRegistry() = default;
    // A registry each of `networks` has added itself to, in this order.
    explicit SimNetworkRegistry(std::initializer_list<Register> networks);

    // std::logic_error when a module of the same name is there already.
    void add(SimNetworkModule module);
    // In the order added: the order of --help and of the start-up banner.
    const std::vector<SimNetworkModule>& modules() const { return modules_; }

private:
    std::vector<SimNetworkModule> modules_;
};

} // namespace fiscpos::sim
