// fiscpos-sim: the simulator ERP developers and tests run instead of the real provider and card
// networks. Prints "fiscpos-sim listening on http://HOST:PORT" once it serves, and stops cleanly on
// SIGINT or SIGTERM.
#include "core/errors.hpp"
#include "core/files.hpp"
#include "signing/ecdsa.hpp"
#include "sim/provider/provider_party.hpp"
#include "sim/server/sim_options.hpp"
#include "sim/server/sim_server.hpp"
#include "sim/sim_networks.hpp"

#include <Poco/Exception.h>
#include <Poco/Util/Application.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <iostream>
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
        add("tls-cert",
            "serve HTTPS with this certificate (PEM; e.g. a self-signed one to pin in a viva-local "
            "terminal's certificate_sha256); needs --tls-key",
            "FILE");
        add("tls-key", "the private key (PEM) of --tls-cert", "FILE");
        add("provider-key",
            "PEM private key the simulated provider signs with (default: a P-256 key made for this "
            "run)",
            "FILE");
        add("public-key-out", "write the provider's public key (PEM) to FILE, for verify-signature",
            "FILE");
        add("provider-id", "signing author the provider reports (default 999)", "ID");
        add("provider-token", "bearer token the provider accepts (default sim-token)", "TOKEN");
        add("company-vat", "the token's company VAT; creates for others get 403", "VAT");
        add("page-size", "records per page of the provider's pending list (default 100)", "N");
        add("time-scale", "simulated time runs this many times faster (default 1)", "SCALE");
        add("threads", "worker threads serving connections (default 16)", "N");
        const auto addAll = [&add](const std::vector<fiscpos::sim::SimOptionSpec>& specs) {
            for (const auto& spec : specs) {
                add(spec.name.c_str(), spec.description.c_str(),
                    spec.argument.empty() ? nullptr : spec.argument.c_str());
            }
        };
        for (const auto& module : fiscpos::sim::simProviders()) {
            addAll(module.options);
        }
        for (const auto& module : modules_) {
            addAll(module.options);
        }
    }

    void handleOption(const std::string& name, const std::string& value) override {
        Application::handleOption(name, value);
        if (name == "help") {
            help_ = true;
            stopOptionsProcessing();
        } else if (name == "allow-remote") {
            allowRemote_ = true;
        } else {
            values_.set(name, value);
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
        return values_.text(name, fallback);
    }

    void printHelp() const {
        Poco::Util::HelpFormatter formatter(options());
        formatter.setUnixStyle(true);
        formatter.setCommand("fiscpos-sim");
        formatter.setUsage("[--provider-key FILE] [OPTIONS]");
        std::string networks;
        std::string footer = "Control: GET|POST|DELETE /_sim/faults, GET /_sim/stats, GET "
                             "/_sim/time, POST /_sim/reset.";
        for (const auto& module : fiscpos::sim::simProviders()) {
            networks += ", " + module.where;
            footer += " " + module.help;
        }
        for (const auto& module : modules_) {
            networks += ", " + module.where;
            footer += " " + module.help;
        }
        formatter.setHeader("Simulates the e-invoicing provider's signing API (under /provider)" +
                            networks +
                            " on one loopback HTTP server, with faults injected through "
                            "/_sim/faults.");
        formatter.setFooter(footer + " Prints \"fiscpos-sim listening on URL\" when ready; stops "
                                     "on SIGINT or SIGTERM.");
        formatter.format(std::cout);
    }

    fiscpos::signing::PrivateKey loadKey() const {
        const std::string file = value("provider-key", "");
        if (file.empty()) {
            std::cerr << "fiscpos-sim: no --provider-key: the provider signs with a P-256 key made "
                         "for this run"
                      << (value("public-key-out", "").empty()
                              ? " (--public-key-out FILE writes its public half)"
                              : "")
                      << "\n";
            return fiscpos::signing::PrivateKey::generate();
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
        serverOptions.tlsCertificateFile = value("tls-cert", "");
        serverOptions.tlsKeyFile = value("tls-key", "");
        if (serverOptions.tlsCertificateFile.empty() != serverOptions.tlsKeyFile.empty()) {
            throw ConfigError(serverOptions.tlsKeyFile.empty() ? "tls-key" : "tls-cert",
                              "--tls-cert and --tls-key go together");
        }

        fiscpos::sim::ProviderPartyOptions provider;
        provider.providerId = value("provider-id", provider.providerId);
        provider.token = value("provider-token", provider.token);
        if (const std::string vat = value("company-vat", ""); !vat.empty()) {
            provider.companyVat = vat;
        }
        serverOptions.maxThreads = static_cast<int>(values_.count("threads", 16, 1024));
        provider.pageSize = values_.count("page-size", 100, 100000);

        fiscpos::sim::SimServer server(serverOptions);
        const fiscpos::signing::PrivateKey providerKey = loadKey();
        if (const std::string out = value("public-key-out", ""); !out.empty()) {
            fiscpos::core::writePrivateFile(out, providerKey.publicKey().pem(), "public-key-out");
        }
        std::string networks;
        for (const auto& module : fiscpos::sim::simProviders()) {
            module.add(server, values_, providerKey);
            networks += ", " + module.where;
        }
        for (const auto& module : modules_) {
            module.add(
                server, values_,
                values_.publicKey(fiscpos::sim::providerKeyOptionName(module.name), providerKey));
            networks += ", " + module.where;
        }
        server.addParty(std::make_shared<fiscpos::sim::ProviderParty>(
            providerKey, std::move(provider), server.clock()));
        server.start();
        std::cout << "fiscpos-sim listening on " << server.baseUrl() << std::endl;
        std::cerr << "fiscpos-sim on " << server.baseUrl() << ": provider at /provider" << networks
                  << "; time scale " << server.clock().scale() << "; stop with Ctrl-C or SIGTERM\n";

        const sigset_t signals = stopSignals();
        int received = 0;
        sigwait(&signals, &received);
        std::cerr << "fiscpos-sim: stopping\n";
        server.stop();
        return EXIT_OK;
    }

    bool help_ = false;
    bool allowRemote_ = false;
    std::vector<fiscpos::sim::SimNetworkModule> modules_ = fiscpos::sim::simNetworks().modules();
    fiscpos::sim::SimOptionValues values_;
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
