// fiscpos-sim: the simulator ERP developers and tests run instead of the real provider and card
// networks. Prints "fiscpos-sim listening on http://HOST:PORT" once it serves, and stops cleanly on
// SIGINT or SIGTERM.
#include "core/errors.hpp"
#include "signing/ecdsa.hpp"
#include "sim/mellon_party.hpp"
#include "sim/provider_party.hpp"
#include "sim/sim_server.hpp"

#include <Poco/Exception.h>
#include <Poco/Util/Application.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <map>
#include <pthread.h>
#include <string>
#include <vector>

namespace {

using fiscpos::core::ConfigError;

constexpr int exitConfig = 1; // bad option or configuration, as every fiscpos command

struct ListenAddress {
    std::string host;
    std::uint16_t port = 0;
};

// "HOST:PORT" or "[IPv6]:PORT".
ListenAddress parseListen(const std::string& text) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
        throw ConfigError("listen", "\"" + text + "\" is not HOST:PORT");
    }
    ListenAddress address;
    address.host = text.substr(0, colon);
    if (address.host.size() > 2 && address.host.front() == '[' && address.host.back() == ']') {
        address.host = address.host.substr(1, address.host.size() - 2);
    }
    const std::string port = text.substr(colon + 1);
    if (port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos ||
        std::stoul(port) > 65535) {
        throw ConfigError("listen", "port \"" + port + "\" is not a number from 0 to 65535");
    }
    address.port = static_cast<std::uint16_t>(std::stoul(port));
    return address;
}

double parseScale(const std::string& text) {
    std::size_t used = 0;
    double scale = 0;
    try {
        scale = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != text.size()) {
        throw ConfigError("time-scale", "\"" + text + "\" is not a number");
    }
    return scale;
}

sigset_t stopSignals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    return set;
}

class SimApplication final : public Poco::Util::Application {
public:
    SimApplication() { setUnixOptions(true); }

protected:
    void defineOptions(Poco::Util::OptionSet& options) override {
        Application::defineOptions(options);
        const auto add = [&options](const char* name, const char* description,
                                    const char* argument) {
            Poco::Util::Option option(name, "", description, false);
            if (argument) {
                option.argument(argument);
            }
            options.addOption(option);
        };
        add("help", "print this help and exit", nullptr);
        add("listen", "address to serve on (default 127.0.0.1:8099; port 0 picks a free one)",
            "HOST:PORT");
        add("allow-remote", "allow a host other than loopback in --listen", nullptr);
        add("provider-key", "PEM private key the simulated provider signs with (required)", "FILE");
        add("provider-id", "signing author the provider reports (default 999)", "ID");
        add("provider-token", "bearer token the provider accepts (default sim-token)", "TOKEN");
        add("company-vat", "the token's company VAT; creates for others get 403", "VAT");
        add("page-size", "records per page of the provider's pending list (default 100)", "N");
        add("time-scale", "simulated time runs this many times faster (default 1)", "SCALE");
        add("threads", "worker threads serving connections (default 16)", "N");
        add("mellon-username", "WebECR integrator username (default sim-user)", "NAME");
        add("mellon-password", "WebECR integrator password (default sim-password)", "SECRET");
        add("mellon-api-key", "API key a redeem issues (default c2ltLXdlYmVjci1rZXktMQ)", "KEY");
        add("mellon-pair-code", "the one pair code redeem accepts (default: any 6-10 digits)",
            "CODE");
        add("mellon-terminals",
            "terminals as ID:TID[:NAME],... (default 358046:99000031,358047:99000032,"
            "358048:64999964)",
            "LIST");
        add("mellon-provider-public-key",
            "PEM public key ProviderData signatures are verified with (default: the public half "
            "of --provider-key)",
            "FILE");
        add("mellon-path-prefix", "path prefix of the API under /mellon (default /api)", "PATH");
        add("mellon-api-versions", "versions served side by side (default v2.1,v2.2)", "LIST");
        add("mellon-page-size", "intents and transactions per page (default 20)", "N");
        add("mellon-terminal-page-size", "terminals per page (default 2)", "N");
        add("mellon-sent-after", "simulated seconds until an intent is SENT (default 1)", "S");
        add("mellon-complete-after", "simulated seconds until it completes (default 4)", "S");
        add("mellon-late-approval", "simulated seconds of the 22.22 scenario (default 150)", "S");
        add("mellon-device-timeout",
            "simulated seconds until a 13.13 intent is UNKNOWN (default 180)", "S");
        add("mellon-access-lifetime", "simulated seconds an access token lives (default 28800)",
            "S");
        add("mellon-revoked-key-status", "status of a revoked API key, 401 or 403 (default 403)",
            "CODE");
        add("mellon-transaction-object",
            "serve an intent's Transaction as an object instead of its int id", nullptr);
    }

    void handleOption(const std::string& name, const std::string& value) override {
        Application::handleOption(name, value);
        if (name == "help") {
            help_ = true;
            stopOptionsProcessing();
        } else if (name == "allow-remote") {
            allowRemote_ = true;
        } else if (name == "mellon-transaction-object") {
            transactionObject_ = true;
        } else {
            values_[name] = value;
        }
    }

    int main(const ArgVec& arguments) override {
        if (help_) {
            printHelp();
            return EXIT_OK;
        }
        try {
            if (!arguments.empty()) {
                throw ConfigError("arguments", "unexpected \"" + arguments.front() +
                                                   "\" (every setting is an --option)");
            }
            return serve();
        } catch (const fiscpos::core::Error& e) {
            std::cerr << "fiscpos-sim: " << e.what() << "\n";
            return exitConfig;
        }
    }

private:
    std::string value(const std::string& name, const std::string& fallback) const {
        const auto it = values_.find(name);
        return it == values_.end() ? fallback : it->second;
    }

    // A whole number from 1 to `max`; ConfigError naming the option otherwise.
    std::size_t count(const std::string& name, std::size_t fallback, std::size_t max) const {
        const std::string text = value(name, std::to_string(fallback));
        if (text.empty() || text.size() > 7 ||
            text.find_first_not_of("0123456789") != std::string::npos || std::stoul(text) < 1 ||
            std::stoul(text) > max) {
            throw ConfigError(name,
                              "\"" + text + "\" is not a number from 1 to " + std::to_string(max));
        }
        return std::stoul(text);
    }

    // Simulated seconds (a non-negative number, decimals allowed) as milliseconds.
    std::chrono::milliseconds seconds(const std::string& name,
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

    // A comma-separated list.
    std::vector<std::string> list(const std::string& name,
                                  std::vector<std::string> fallback) const {
        const auto it = values_.find(name);
        if (it == values_.end()) {
            return fallback;
        }
        std::vector<std::string> items;
        std::size_t start = 0;
        while (start <= it->second.size()) {
            const std::size_t end = std::min(it->second.find(',', start), it->second.size());
            items.push_back(it->second.substr(start, end - start));
            start = end + 1;
        }
        return items;
    }

    fiscpos::sim::MellonPartyOptions mellonOptions() const {
        fiscpos::sim::MellonPartyOptions mellon;
        mellon.username = value("mellon-username", mellon.username);
        mellon.password = value("mellon-password", mellon.password);
        mellon.apiKey = value("mellon-api-key", mellon.apiKey);
        mellon.pairCode = value("mellon-pair-code", mellon.pairCode);
        if (values_.count("mellon-terminals") != 0) {
            mellon.terminals = fiscpos::sim::mellon::parseTerminals(values_.at("mellon-terminals"),
                                                                    "mellon-terminals");
        }
        mellon.pathPrefix = value("mellon-path-prefix", mellon.pathPrefix);
        mellon.apiVersions = list("mellon-api-versions", mellon.apiVersions);
        mellon.pageSize = count("mellon-page-size", mellon.pageSize, 100);
        mellon.terminalPageSize = count("mellon-terminal-page-size", mellon.terminalPageSize, 100);
        auto& timing = mellon.timing;
        timing.sentAfter = seconds("mellon-sent-after", timing.sentAfter);
        timing.completeAfter = seconds("mellon-complete-after", timing.completeAfter);
        timing.lateApproval = seconds("mellon-late-approval", timing.lateApproval);
        timing.deviceTimeout = seconds("mellon-device-timeout", timing.deviceTimeout);
        mellon.accessLifetime = seconds("mellon-access-lifetime", mellon.accessLifetime);
        const std::string status = value("mellon-revoked-key-status", "403");
        if (status != "401" && status != "403") {
            throw ConfigError("mellon-revoked-key-status", "\"" + status + "\" is not 401 or 403");
        }
        mellon.revokedKeyStatus = std::stoi(status);
        mellon.presentation.transactionAsObject = transactionObject_;
        return mellon;
    }

    fiscpos::signing::PublicKey mellonKey(const fiscpos::signing::PrivateKey& providerKey) const {
        const std::string file = value("mellon-provider-public-key", "");
        if (file.empty()) {
            return providerKey.publicKey();
        }
        try {
            return fiscpos::signing::PublicKey::fromPemFile(file);
        } catch (const fiscpos::core::Error& e) {
            throw ConfigError("mellon-provider-public-key", "cannot use " + file + ": " + e.what());
        }
    }

    void printHelp() const {
        Poco::Util::HelpFormatter formatter(options());
        formatter.setUnixStyle(true);
        formatter.setCommand("fiscpos-sim");
        formatter.setUsage("--provider-key FILE [OPTIONS]");
        formatter.setHeader(
            "Simulates the e-invoicing provider's signing API (under /provider) and the Mellon "
            "WebECR card network (under /mellon; API root /mellon/api/v2.2) on one loopback HTTP "
            "server, with faults injected through /_sim/faults.");
        formatter.setFooter(
            "Control: GET|POST|DELETE /_sim/faults, GET /_sim/stats, GET /_sim/time, "
            "POST /_sim/reset; Mellon: POST /mellon/_control/expire-tokens, "
            "POST /mellon/_control/revoke-key, GET|POST /mellon/_control/settings. Mellon "
            "amounts: 9.99 declined, 22.22 late approval, 13.13 communication lost (UNKNOWN), "
            "33.33 cancelled, 66.66 busy, 77.77 max transactions. Prints \"fiscpos-sim listening "
            "on URL\" when ready; stops on "
            "SIGINT or SIGTERM.");
        formatter.format(std::cout);
    }

    fiscpos::signing::PrivateKey loadKey() const {
        const std::string file = value("provider-key", "");
        if (file.empty()) {
            throw ConfigError("provider-key",
                              "is required: the simulated provider signs with this PEM private "
                              "key (Mellon's test key works)");
        }
        try {
            return fiscpos::signing::PrivateKey::fromPemFile(file);
        } catch (const fiscpos::core::Error& e) {
            throw ConfigError("provider-key", "cannot use " + file + ": " + e.what());
        }
    }

    int serve() {
        const ListenAddress listen = parseListen(value("listen", "127.0.0.1:8099"));
        fiscpos::sim::SimServerOptions serverOptions;
        serverOptions.host = listen.host;
        serverOptions.port = listen.port;
        serverOptions.allowRemote = allowRemote_;
        serverOptions.timeScale = parseScale(value("time-scale", "1"));

        fiscpos::sim::ProviderPartyOptions provider;
        provider.providerId = value("provider-id", provider.providerId);
        provider.token = value("provider-token", provider.token);
        if (const std::string vat = value("company-vat", ""); !vat.empty()) {
            provider.companyVat = vat;
        }
        serverOptions.maxThreads = static_cast<int>(count("threads", 16, 1024));
        provider.pageSize = count("page-size", 100, 100000);

        fiscpos::sim::MellonPartyOptions mellon = mellonOptions();

        fiscpos::sim::SimServer server(serverOptions);
        const fiscpos::signing::PrivateKey providerKey = loadKey();
        server.addParty(std::make_shared<fiscpos::sim::MellonParty>(
            mellonKey(providerKey), std::move(mellon), server.clock()));
        server.addParty(std::make_shared<fiscpos::sim::ProviderParty>(
            providerKey, std::move(provider), server.clock()));
        server.start();
        std::cout << "fiscpos-sim listening on " << server.baseUrl() << std::endl;
        std::cerr << "fiscpos-sim: provider at " << server.baseUrl()
                  << "/provider, Mellon WebECR at " << server.baseUrl() << "/mellon, time scale "
                  << server.clock().scale() << "; stop with Ctrl-C or SIGTERM\n";

        const sigset_t signals = stopSignals();
        int received = 0;
        sigwait(&signals, &received);
        std::cerr << "fiscpos-sim: stopping\n";
        server.stop();
        return EXIT_OK;
    }

    bool help_ = false;
    bool allowRemote_ = false;
    bool transactionObject_ = false;
    std::map<std::string, std::string> values_;
};

} // namespace

int main(int argc, char** argv) {
    // Blocked before any thread starts, so every thread inherits the mask and the signals wait
    // for sigwait() in serve() instead of killing the process mid-answer.
    const sigset_t signals = stopSignals();
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    SimApplication app;
    try {
        app.init(argc, argv);
    } catch (const Poco::Exception& e) {
        std::cerr << "fiscpos-sim: " << e.displayText() << " (see --help)\n";
        return exitConfig;
    }
    return app.run();
}
