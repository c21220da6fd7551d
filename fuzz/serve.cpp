// The requests `fiscpos serve` takes from outside (plugin/http_api): the ERP API's POST bodies and
// GET /api/journal queries (ErpApi), the networks' webhook endpoints (WebhookEndpoints), the SMS
// gateway's delivery reports (SmsReportEndpoint) and the audit pages, over a PaymentRuntime whose
// journal lives in a scratch folder and whose provider and networks are a closed port on 127.0.0.1
// (a call that gets that far fails at once).
//
// Input: the first line is "METHOD PATH[?QUERY]" as a request line, "~" before it adding
// "Prefer: respond-async" (a started payment); the rest is the body. An
// answer with error code "internal" (an exception that is not one of fiscpos's typed errors) is
// a finding like a crash.
#include "fuzz/fuzz_support.hpp"
#include "plugin/http_api/audit_pages.hpp"
#include "plugin/http_api/erp_api.hpp"
#include "plugin/http_api/serve_log.hpp"
#include "plugin/http_api/serve_message.hpp"
#include "plugin/http_api/sms_report_endpoint.hpp"
#include "plugin/http_api/webhook_endpoint.hpp"
#include "plugin/payment_runtime.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>

namespace http_api = fiscpos::plugin::http_api;

namespace {

const std::string webhookToken = "fuzz-webhook-token-0123456789";

struct World {
    std::unique_ptr<fiscpos::plugin::PaymentRuntime> runtime;
    std::unique_ptr<http_api::ServeLog> log;
    std::unique_ptr<http_api::ErpApi> api;
    std::unique_ptr<http_api::WebhookEndpoints> webhooks;
    std::unique_ptr<http_api::SmsReportEndpoint> smsReports;
    std::unique_ptr<http_api::AuditPages> audit;
};

std::unique_ptr<World> world;

void writeConfig(const std::filesystem::path& file) {
    // Port 9 (discard) on loopback: nothing listens, a connection is refused at once.
    std::ofstream(file) << R"([journal]
url = sqlite:journal.db

[provider]
kind = mydataprovider
url = http://127.0.0.1:9/provider
token = fuzz-token
provider_id = 999
connect_timeout_ms = 100
read_timeout_ms = 100

[payment]
deadline_seconds = 10

[sms]
gateway = yuboto
url = http://127.0.0.1:9/sms
sender = FUZZ
api_key = fuzz-sms-key
connect_timeout_ms = 100
read_timeout_ms = 100

[terminal.A3]
nsp = mellon
url = http://127.0.0.1:9/mellon
api_version = v2.2
username = u
password = p
api_key = k
pos_id = 358046
tid = 99000031
provider_id = 999
connect_timeout_ms = 100
read_timeout_ms = 100

[terminal.V1]
nsp = viva
accounts_url = http://127.0.0.1:9/viva-accounts
api_url = http://127.0.0.1:9/viva-api
legacy_url = http://127.0.0.1:9/viva-legacy
client_id = c
client_secret = s
merchant_id = 6f3b1c2e-5a47-4d8e-9b21-0c5d7e8f9a10
api_key = k
terminal_id = 16000010
tid = 16000010
cash_register = ERP-1
provider_id = 999
connect_timeout_ms = 100
read_timeout_ms = 100

[terminal.G1]
nsp = gptom
url = http://127.0.0.1:9/gptom
username = u
password = p
client_credential = Z3B0b20tc2ltOnNpbS1zZWNyZXQ=
tid = 12345678
provider_id = 999
a1155_confirmed = true
connect_timeout_ms = 100
read_timeout_ms = 100
)";
}

bool readRequest(std::string_view input, http_api::ServeRequest& request) {
    const auto newline = input.find('\n');
    std::string_view line = input.substr(0, newline);
    if (line.starts_with('~')) {
        line.remove_prefix(1);
        request.headers.emplace_back("Prefer", "respond-async");
    }
    request.body = newline == std::string_view::npos ? "" : std::string(input.substr(newline + 1));
    const auto space = line.find(' ');
    if (space == std::string_view::npos) {
        return false;
    }
    request.method = std::string(line.substr(0, space));
    // A target that is no URI is answered 400 by the server before a handler sees it.
    return request.setTarget(std::string(line.substr(space + 1)));
}

http_api::ServeResponse route(const http_api::ServeRequest& request) {
    const std::string& path = request.path;
    constexpr std::string_view apiPrefix = "/api/";
    if (path.starts_with(apiPrefix) && path.size() > apiPrefix.size()) {
        return world->api->handle(request, path.substr(apiPrefix.size()));
    }
    constexpr std::string_view smsPrefix = "/webhooks/sms/";
    if (path.starts_with(smsPrefix)) {
        return world->smsReports->handle(request, path.substr(smsPrefix.size()));
    }
    if (path.starts_with("/webhooks/")) {
        return world->webhooks->handle(request);
    }
    return world->audit->handle(request);
}

// The journal grows with every payment an input opens, and the audit index verifies all of it:
// the world starts again with an empty journal every this many inputs, so the thousandth input
// costs what the first did.
constexpr int inputsPerWorld = 500;
int inputsInWorld = 0;

void freshWorld() {
    const auto scratch = std::filesystem::temp_directory_path() /
                         ("fiscpos-fuzz-serve-" + std::to_string(::getpid()));
    world.reset(); // the runtime's journal closes before its folder goes
    std::filesystem::remove_all(scratch);
    std::filesystem::create_directories(scratch);
    writeConfig(scratch / "fiscpos.ini");
    world = std::make_unique<World>();
    world->runtime = std::make_unique<fiscpos::plugin::PaymentRuntime>(scratch / "fiscpos.ini");
    world->log = std::make_unique<http_api::ServeLog>([](const std::string&) {});
    world->api = std::make_unique<http_api::ErpApi>(*world->runtime, *world->log);
    world->webhooks = std::make_unique<http_api::WebhookEndpoints>(
        *world->runtime, webhookToken, std::chrono::seconds(5), *world->log);
    world->smsReports =
        std::make_unique<http_api::SmsReportEndpoint>(*world->runtime, webhookToken, *world->log);
    world->audit = std::make_unique<http_api::AuditPages>(
        world->runtime->journal(), world->runtime->config().sections("terminal"),
        world->runtime->language());
    inputsInWorld = 0;
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    freshWorld();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (++inputsInWorld > inputsPerWorld) {
        freshWorld();
    }
    http_api::ServeRequest request;
    if (!readRequest(fiscpos::fuzz::text(data, size), request)) {
        return 0;
    }
    fiscpos::fuzz::refusable([&] {
        const auto answer = route(request);
        if (answer.body.find("\"code\":\"internal\"") != std::string::npos) {
            std::fprintf(stderr, "serve answered an internal error: %s\n", answer.body.c_str());
            std::abort();
        }
    });
    // A webhook is acted on off the request's thread: wait for it, so that nothing an input
    // started still runs (and holds memory) when the next begins or the leak check looks.
    world->webhooks->awaitIdle();
    // The same for a started payment (its provider is a closed port: it ends at once).
    for (int i = 0; i < 10000 && world->runtime->service().inFlight() > 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return 0;
}
