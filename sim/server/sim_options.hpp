// fiscpos-sim's command-line options: what each simulated network declares, and the typed reading
// of the values given (a ConfigError naming the option for a value that does not fit).
#pragma once

#include "signing/ecdsa.hpp"
#include "sim/server/sim_server.hpp"

#include <algorithm>
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

    // Sets simulated seconds as seconds() reads them: 27750 ms is "27.750".
    void setSeconds(const std::string& name, std::chrono::milliseconds value);

private:
    std::map<std::string, std::string> values_;
};

// The option "<network>-provider-public-key": the PEM public key file the network verifies the
// provider's signatures with instead of the public half of --provider-key.
std::string providerKeyOptionName(const std::string& network);
// Its line of --help: `use` ("PEM public key ... verified with") and the default.
SimOptionSpec providerKeyOption(const std::string& network, const std::string& use);

// What a program asks of a simulated network to pay on it without naming it (fiscpos-demo,
// fiscpos-bench): one terminal per name in `terminals`, each payment on them taking `paymentTakes`
// of simulated time from its request to its result, on the simulator at `baseUrl`.
struct SimSampleRequest {
    std::string baseUrl;                // "http://127.0.0.1:PORT": the server the network joins
    std::vector<std::string> terminals; // the NAMEs of their [terminal.NAME] sections
    std::chrono::milliseconds paymentTakes{0};
    std::string providerId = "999"; // the provider's id on the network (provider_id)

    // When a payment request is on the terminal: after a second, or at once when the whole
    // payment takes less.
    std::chrono::milliseconds onTerminalAfter() const {
        return std::min(paymentTakes, std::chrono::milliseconds(1000));
    }
};

// The network's answer: its options of fiscpos-sim (what SimNetworkModule::add is given) and,
// for each terminal asked for, in order, the text of its [terminal.NAME] section of a fiscpos
// configuration that pays on it (nsp, URLs, credentials, tid, provider_id).
struct SimSample {
    SimOptionValues values;
    std::vector<std::string> sections;
};

// A section setting that makes the network hold the answer to a payment request until the
// terminal finishes, in whole seconds (0: the answer comes at once and fiscpos polls).
struct SimLongWait {
    std::string setting; // "wait_seconds"
    int defaultSeconds = 0;
};

// What a simulated network charged, from its own records.
struct SimCharges {
    std::map<std::string, int> requestsByReference; // more than 1: a request sent twice
    long long approved = 0;
};

// What a program needs to use a simulated network without naming it.
struct SimNetworkSample {
    std::function<SimSample(const SimSampleRequest&)> make;
    std::optional<SimLongWait> longWait; // none: the network answers a payment request at once
    // True when the network tells the ERP by webhook that a payment finished (the ERP's endpoint
    // then nudges the waiting payment into asking at once).
    bool webhookOnFinish = false;
    // What the network's stats (SimServer::stats()) say it charged: the payment requests it got
    // under each of our references, and how many payments it approved. None: not counted.
    std::function<SimCharges(const core::Json& stats)> charges;
};

// One terminal of a sample: its entry in the network's option listing its terminals, and the
// settings of its [terminal.NAME] section, in order.
struct SimSampleTerminal {
    std::string entry;
    std::vector<std::pair<std::string, std::string>> settings;
};

// A sample of one terminal per name of `request`, `terminal(index, name)` each: their sections,
// and their entries joined by commas as the option `listOption`.
SimSample sampleTerminals(
    const SimSampleRequest& request, const std::string& listOption,
    const std::function<SimSampleTerminal(std::size_t index, const std::string& name)>& terminal);

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
    // How a program pays on it by itself; none: only by hand, with fiscpos-sim's options.
    std::optional<SimNetworkSample> sample;
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

// A provider's API the simulator serves besides /provider's (e-timologiera's createSimSign). It
// signs with the simulated provider's private key, so it joins the server with that key.
struct SimProviderModule {
    std::string name;  // "etimologiera"
    std::string where; // "e-timologiera at /etimologiera" for the start-up banner
    std::vector<SimOptionSpec> options;
    std::string help; // the --help footer's part
    std::function<void(SimServer& server, const SimOptionValues& values,
                       const signing::PrivateKey& providerKey)>
        add;
};

} // namespace fiscpos::sim
