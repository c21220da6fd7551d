// fiscpos serve: the long-running fiscpos an ERP talks to over HTTP instead of loading
// libfiscpos, which also receives the networks' webhooks and shows the accountant the audit pages
// (plugin/http_api, docs/serve.md). Prints "fiscpos serve listening on http://HOST:PORT" once it
// serves; SIGINT or SIGTERM stops it after the requests in progress have ended, a second one at
// once.
#include "cli/commands/commands.hpp"

#include "cli/commands/signals.hpp"
#include "core/clock.hpp"
#include "core/errors.hpp"
#include "plugin/http_api/serve_server.hpp"
#include "plugin/http_api/serve_settings.hpp"
#include "plugin/payment_runtime.hpp"

#include <cstdlib>
#include <iostream>

namespace fiscpos::cli {

namespace {

// The lines serve logs once it listens: where the API and the audit pages are, and how the
// webhooks reach it.
void describe(const plugin::http_api::ServeServer& server,
              const plugin::http_api::ServeSettings& settings, plugin::http_api::ServeLog& log) {
    log.line(std::string("fiscpos serve ") + FISCPOS_VERSION + " on " + server.baseUrl() +
             ": ERP API at /api/{method} (" +
             (settings.apiToken ? "bearer token required" : "no token: loopback only") +
             "), audit pages at /audit" +
             (settings.auditToken || settings.apiToken ? " (token required)" : "") +
             "; stop with Ctrl-C or SIGTERM");
    if (!settings.webhookToken) {
        log.line("webhooks: off (no [serve] webhook_token)");
    }
    for (const auto& line : server.webhookRegistration()) {
        log.line(line);
    }
}

int runServe(const CommandArgs& args, CommandContext& context) {
    const std::string& configFile = context.requireConfigFile(
        "fiscpos serve needs a configuration file (see samples/fiscpos.ini)");
    // Blocked before any thread starts, so that every thread inherits the mask and the stop
    // signals wait for this thread instead of ending the process in the middle of a payment.
    const sigset_t signals = blockSignals({SIGINT, SIGTERM});

    plugin::PaymentRuntime runtime(configFile);
    const auto settings = plugin::http_api::serveSettings(runtime.config(), args.get("listen"));
    plugin::http_api::ServeLog log([](const std::string& line) {
        std::cerr << core::utcIso8601(std::chrono::system_clock::now()) << " " << line << std::endl;
    });
    plugin::http_api::ServeServer server(runtime, settings, log);
    server.start();
    describe(server, settings, log);
    std::cout << "fiscpos serve listening on " << server.baseUrl() << std::endl;

    const timespec forever{3600, 0};
    while (awaitSignal(signals, forever) == 0) {
    }
    server.beginStop();
    // Requests in progress, and payments started with "Prefer: respond-async" still waiting.
    const auto busy = [&] {
        return static_cast<std::size_t>(server.activeRequests()) + runtime.service().inFlight();
    };
    if (busy() > 0) {
        log.line("stopping: waiting for " + std::to_string(busy()) +
                 " request(s) and payment(s) in progress; signal again to stop at once");
    }
    const timespec slice{0, 100'000'000};
    while (busy() > 0) {
        if (awaitSignal(signals, slice) != 0) {
            log.line("stopping at once: payments in progress stay open in the journal; "
                     "fiscpos reconcile settles them");
            std::_Exit(ExitInDoubt);
        }
    }
    server.stop();
    log.line("stopped");
    return ExitDone;
}

} // namespace

Command makeServeCommand() {
    return Command(
        {"serve",
         "HTTP API for the ERP, the networks' webhook endpoints and the accountant's audit pages",
         "Endpoints: POST /api/{method} (the methods of the C ABI, JSON in and out), GET "
         "/api/journal, GET|POST /webhooks/{network}/{token}, GET /audit, GET /audit/entry/{id}, "
         "GET /health. Settings in [serve]: listen, api_token (required off loopback), "
         "audit_token, webhook_token, threads; see docs/serve.md. Put a TLS reverse proxy in "
         "front when it is reachable from outside.\n"
         "SIGINT or SIGTERM stops taking requests and waits for those in progress and for "
         "started payments (a payment waits for its card); a second signal stops at once, leaving "
         "such payments open for "
         "reconcile.\n"
         "Example:\n  fiscpos --config fiscpos.ini serve --listen 127.0.0.1:8080",
         {{"listen", "address to serve on (default: [serve] listen, 127.0.0.1:8080)",
           "HOST:PORT"}}},
        runServe);
}

} // namespace fiscpos::cli
