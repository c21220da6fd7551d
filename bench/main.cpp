// fiscpos-bench: how long fiscpos's own work takes (signatures, the provider's Input and record,
// myDATA documents), one signature over loopback HTTP against the simulated provider, and whole
// payments on every simulated network that offers a sample (bench/payment_bench.hpp), with wall
// time and CPU time per operation. Run `fiscpos-bench --help`; results go in
// docs/performance.md together with the command that produced them.
#include "bench/instances_bench.hpp"
#include "bench/measure.hpp"
#include "bench/payment_bench.hpp"
#include "core/clock.hpp"
#include "core/errors.hpp"
#include "core/json.hpp"
#include "einvoice/invoice.hpp"
#include "einvoice/mydata_xml.hpp"
#include "einvoice/xsd_validator.hpp"
#include "plugin/journal/journal_db.hpp"
#include "signing/ecdsa.hpp"
#include "signing/input_text.hpp"
#include "signing/local_signer.hpp"
#include "signing/provider_client.hpp"
#include "signing/signature.hpp"
#include "signing/signature_text.hpp"
#include "sim/provider/provider_party.hpp"
#include "sim/server/sim_server.hpp"

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <latch>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

#include <sys/resource.h>
#include <vector>

#include <unistd.h>

namespace fiscpos::bench {

namespace {

struct Options {
    bool quick = false;
    bool json = false;
    bool markdown = false;
    std::optional<std::filesystem::path> keyFile;
    std::filesystem::path invoiceFile = FISCPOS_BENCH_INVOICE;
    std::optional<std::filesystem::path> xsdDir;
    int clientThreads = 8;
    // Which parts run: "micro" (everything before the payments), "sequential", "concurrent",
    // "lag"; "inflight" and "instances" only when named.
    std::vector<std::string> only;
    std::optional<double> inflightTimeScale;
    int workers = 8;
    int inflightPollSeconds = 0;
    std::optional<std::size_t> payments, terminals, perTerminal, lagTerminals;
    std::optional<int> waitSeconds;
    std::optional<double> lagTimeScale;
    std::optional<std::filesystem::path> journalDir;
    std::optional<std::string> journalUrl;
    std::optional<int> webhookLostPercent;
    std::string network = "all"; // the payments' simulated network by name, or all

    bool runs(const std::string& part) const {
        return (only.empty() && part != "inflight" && part != "instances") ||
               std::find(only.begin(), only.end(), part) != only.end();
    }
};

// Operation counts of the default run; --quick divides them by 10.
struct Counts {
    std::size_t ecdsa = 5000;
    std::size_t parse = 20000;
    std::size_t invoice = 5000;
    std::size_t validate = 2000;
    std::size_t provider = 1000;
    std::size_t providerPerThread = 250;
};

// "a, b or c"
std::string listed(const std::vector<std::string>& names, const std::string& last) {
    std::string text;
    for (std::size_t i = 0; i < names.size(); ++i) {
        text += (i == 0 ? "" : ", ") + names[i];
    }
    return text + (names.empty() ? "" : " or ") + last;
}

std::string usage() {
    const std::string networks = listed(payableNetworks(), "all");
    return R"(usage: fiscpos-bench [--quick] [--json | --markdown] [--key PEM] [--invoice FILE]
                     [--xsd-dir DIR] [--threads N] [--only PARTS] [--payments N]
                     [--terminals N] [--per-terminal N] [--lag-terminals N]
                     [--wait-seconds N] [--lag-time-scale X] [--journal-dir DIR]
                     [--journal-url postgresql://...] [--webhook-loss PERCENT]
                     [--network NAME|all] [--workers N] [--inflight-time-scale X]
                     [--inflight-poll S]

Measures fiscpos's own work, a provider signature over loopback HTTP, and whole payments through
the PaymentService with a durable SQLite (or PostgreSQL) journal against an in-process simulator (the provider
and each simulated card network), printing wall and per-thread CPU time (p50/p95/p99/max and
totals).

  --quick            about a tenth of the operations (a smoke run, not for publishing); the lag
                     run at time scale 10 with 10 terminals per mode
  --json             the results as JSON instead of a table
  --markdown         the results as markdown tables (what docs/performance.md shows)
  --key PEM          the P-256 private key the provider signs with (default: a fresh generated
                     key)
  --invoice FILE     the invoice JSON (default: samples/invoices/sale-1.24.json)
  --xsd-dir DIR      the myDATA XSD folder for validation (default: ../shared/ref/mydata-xsd/v2.0.1
                     when it exists; without one, validation is not measured)
  --threads N        client threads of the concurrent provider run (default 8)
  --only PARTS       comma-separated: micro (signatures, documents, the provider client),
                     sequential, concurrent, lag (default: these four), inflight (only when
                     named: payments started at once, each on its own terminal, that take 5 to
                     60 simulated seconds; with --json alone it prints one JSON object)
                     instances (only when named, with --journal-url): 1 and 3 fiscpos serve
                     processes on one PostgreSQL journal, then 3 with one killed mid-run
  --payments N       sequential: payments one after another on one terminal (default 1000);
                     inflight: payments started at once (default 10000)
  --workers N        inflight: the PaymentService's worker threads (default 8)
  --inflight-time-scale X
                     inflight: simulated seconds per real second (default 1)
  --inflight-poll S  inflight: a question every S seconds instead of the adaptive schedule
  --terminals N      concurrent: terminals paying at once, one thread each (default 200);
                     instances: ERP threads, one terminal each (default 60)
  --per-terminal N   concurrent: payments per terminal (default 5); instances: payments per
                     ERP thread (default 20)
  --lag-terminals N  lag: terminals per poll mode, all paying at once (default 50)
  --wait-seconds N   the long wait of the payments on a network that has one (the setting that
                     holds the request's answer until the terminal finishes; default: the
                     network's default)
  --lag-time-scale X lag: simulated seconds per real second (default 1; lags are then reported
                     in simulated ms)
  --webhook-loss P   lag: the share of webhooks lost in the 5-s fallback mode (default 10)
  --journal-dir DIR  where the SQLite journals go (default: a new folder in the temp directory)
  --journal-url URL  the payments journal on this PostgreSQL database instead: a database the
                     bench may empty (its journal tables are dropped before each run)
  --network NAME     the payments' simulated network: )" +
           networks + R"( (default all)
)";
}

// A time scale from 1 to 100.
double timeScale(const std::string& option, const std::string& text) {
    char* end = nullptr;
    const double scale = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || *end != '\0' || !(scale >= 1.0) || scale > 100.0) {
        throw core::InputError(option, "must be a number from 1 to 100");
    }
    return scale;
}

std::size_t count(const std::string& option, const std::string& text, long min, long max) {
    char* end = nullptr;
    const long n = std::strtol(text.c_str(), &end, 10);
    if (end == text.c_str() || *end != '\0' || n < min || n > max) {
        throw core::InputError(option, "must be a whole number from " + std::to_string(min) +
                                           " to " + std::to_string(max));
    }
    return static_cast<std::size_t>(n);
}

Options parseOptions(int argc, char** argv) {
    Options options;
    const auto value = [&](int& i) -> std::string {
        if (i + 1 >= argc) {
            throw core::InputError(argv[i], "needs a value");
        }
        return argv[++i];
    };
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--help" || arg == "-h") {
            std::cout << usage();
            std::exit(0);
        } else if (arg == "--quick") {
            options.quick = true;
        } else if (arg == "--json") {
            options.json = true;
        } else if (arg == "--markdown") {
            options.markdown = true;
        } else if (arg == "--key") {
            options.keyFile = value(i);
        } else if (arg == "--invoice") {
            options.invoiceFile = value(i);
        } else if (arg == "--xsd-dir") {
            options.xsdDir = value(i);
        } else if (arg == "--threads") {
            const std::string text = value(i);
            char* end = nullptr;
            const long n = std::strtol(text.c_str(), &end, 10);
            if (end == text.c_str() || *end != '\0' || n < 1 || n > 64) {
                throw core::InputError("--threads", "must be a number from 1 to 64");
            }
            options.clientThreads = static_cast<int>(n);
        } else if (arg == "--only") {
            std::string list = value(i);
            std::size_t start = 0;
            while (start <= list.size()) {
                const auto comma = list.find(',', start);
                const std::string part = list.substr(
                    start, comma == std::string::npos ? std::string::npos : comma - start);
                if (part != "micro" && part != "sequential" && part != "concurrent" &&
                    part != "lag" && part != "inflight" && part != "instances") {
                    throw core::InputError("--only", "\"" + part +
                                                         "\" is not one of micro, sequential, "
                                                         "concurrent, lag, inflight, instances");
                }
                options.only.push_back(part);
                if (comma == std::string::npos) {
                    break;
                }
                start = comma + 1;
            }
        } else if (arg == "--payments") {
            options.payments = count(arg, value(i), 1, 1000000);
        } else if (arg == "--terminals") {
            options.terminals = count(arg, value(i), 1, 1000);
        } else if (arg == "--per-terminal") {
            options.perTerminal = count(arg, value(i), 1, 100000);
        } else if (arg == "--lag-terminals") {
            options.lagTerminals = count(arg, value(i), 1, 250);
        } else if (arg == "--wait-seconds") {
            // The network's own limit is checked where its terminals are loaded.
            options.waitSeconds = static_cast<int>(count(arg, value(i), 0, 86400));
        } else if (arg == "--lag-time-scale") {
            options.lagTimeScale = timeScale(arg, value(i));
        } else if (arg == "--inflight-time-scale") {
            options.inflightTimeScale = timeScale(arg, value(i));
        } else if (arg == "--inflight-poll") {
            options.inflightPollSeconds = static_cast<int>(count(arg, value(i), 0, 60));
        } else if (arg == "--workers") {
            options.workers = static_cast<int>(count(arg, value(i), 1, 64));
        } else if (arg == "--webhook-loss") {
            options.webhookLostPercent = static_cast<int>(count(arg, value(i), 0, 100));
        } else if (arg == "--journal-dir") {
            options.journalDir = value(i);
        } else if (arg == "--journal-url") {
            options.journalUrl = value(i);
            (void)plugin::journal_detail::parseJournalUrl(*options.journalUrl); // names the field
            if (!options.journalUrl->starts_with("postgres")) {
                throw core::InputError("--journal-url", "must be a postgresql:// URL (SQLite "
                                                        "journals go to --journal-dir)");
            }
        } else if (arg == "--network") {
            options.network = value(i);
            const std::vector<std::string> networks = payableNetworks();
            if (options.network != "all" &&
                std::find(networks.begin(), networks.end(), options.network) == networks.end()) {
                throw core::InputError("--network", "must be " + listed(networks, "all"));
            }
        } else {
            throw core::InputError(arg, "unknown option (see --help)");
        }
    }
    if (!options.xsdDir && std::filesystem::is_directory(FISCPOS_BENCH_XSD_DIR)) {
        options.xsdDir = FISCPOS_BENCH_XSD_DIR;
    }
    return options;
}

// Lets this process keep as many files open as the system allows it.
void raiseOpenFileLimit() {
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
}

// Keeps results alive so the measured calls cannot be dropped.
volatile std::size_t sink = 0;

void require(bool condition, const std::string& what) {
    if (!condition) {
        throw std::runtime_error("benchmark precondition failed: " + what);
    }
}

std::string readFile(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw core::InputError(file.string(), "cannot be read");
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

void recordRss(Report& report, const std::string& section) {
    report.figures.push_back(
        {section, "peak RSS so far", static_cast<double>(peakRssKiB()) / 1024.0, "MiB"});
}

// A payment on the sample invoice, in the shape the ERP hands fiscpos.
signing::SignatureRequest paymentRequest(const einvoice::Invoice& invoice, std::size_t number) {
    signing::SignatureRequest request;
    request.nsp = signing::Nsp::WebEcr;
    request.issuerVat = invoice.issuer.vat;
    request.branch = invoice.issuer.branch;
    request.series = invoice.series;
    request.number = "B" + std::to_string(number);
    request.issuedAt = invoice.issuedAt;
    request.invoiceType = invoice.type;
    request.net = invoice.totals.net;
    request.vat = invoice.totals.vat;
    request.total = invoice.totals.gross;
    request.payment = invoice.totals.gross;
    request.duration = signing::SignatureDuration::Hours2;
    request.terminalId = "99000031";
    return request;
}

// 0. What reading the clocks costs, so small timings can be read against it.
void clockOverhead(Report& report, const Counts& counts) {
    report.results.push_back(measure("timer", "empty operation (cost of the clock reads)",
                                     counts.parse, 100, CpuClock::PerOperation,
                                     [](std::size_t) {}));
}

// 1. ECDSA P-256 over a Mellon-layout Input.
void ecdsa(Report& report, const Counts& counts, const signing::PrivateKey& key,
           const std::string& input) {
    const signing::PublicKey publicKey = key.publicKey();
    report.results.push_back(measure("ecdsa", "PrivateKey::sign", counts.ecdsa, 50,
                                     CpuClock::PerOperation,
                                     [&](std::size_t) { sink = sink + key.sign(input).size(); }));
    const signing::Bytes der = key.sign(input);
    require(publicKey.verify(input, der), "a fresh signature verifies");
    report.results.push_back(
        measure("ecdsa", "PublicKey::verify", counts.ecdsa, 50, CpuClock::PerOperation,
                [&](std::size_t) { sink = sink + (publicKey.verify(input, der) ? 1 : 0); }));

    // 2. The same check from the text the provider sends (base64 decoding and the DER check).
    const std::string base64 = signing::toBase64(der);
    require(signing::verifySignature(publicKey, input, base64), "the base64 signature verifies");
    report.results.push_back(
        measure("ecdsa", "verifySignature(base64 text)", counts.ecdsa, 50, CpuClock::PerOperation,
                [&](std::size_t) {
                    sink = sink + (signing::verifySignature(publicKey, input, base64) ? 1 : 0);
                }));
    recordRss(report, "ecdsa");
}

// 3. Reading the provider's answer: the Input and the record, as on every payment.
void providerRecord(Report& report, const Counts& counts, const std::string& input,
                    const core::Json& record) {
    report.results.push_back(measure("record", "InputText::parse (Mellon)", counts.parse, 200,
                                     CpuClock::TotalOnly, [&](std::size_t) {
                                         const auto text = signing::InputText::parse(
                                             input, signing::InputLayout::Mellon);
                                         sink = sink + text.uid().size();
                                     }));
    const auto parsed = signing::InputText::parse(input, signing::InputLayout::Mellon);
    require(parsed.toString() == input, "the Input reads back to the same text");
    report.results.push_back(measure("record", "InputText::toString", counts.parse, 200,
                                     CpuClock::TotalOnly,
                                     [&](std::size_t) { sink = sink + parsed.toString().size(); }));
    report.results.push_back(measure("record", "ProviderSignature::fromProviderJson", counts.parse,
                                     200, CpuClock::TotalOnly, [&](std::size_t) {
                                         const auto sig =
                                             signing::ProviderSignature::fromProviderJson(record);
                                         sink = sink + sig.input.size();
                                     }));
    recordRss(report, "record");
}

// 4. The invoice and the myDATA document that carries the card payment.
void einvoiceDocs(Report& report, const Counts& counts, const Options& options,
                  const signing::ProviderSignature& sig) {
    const std::string invoiceText = readFile(options.invoiceFile);
    report.results.push_back(
        measure("einvoice", "parseInvoice", counts.invoice, 50, CpuClock::PerOperation,
                [&](std::size_t) { sink = sink + einvoice::parseInvoice(invoiceText).aa.size(); }));
    const einvoice::Invoice invoice = einvoice::parseInvoice(invoiceText);
    einvoice::CardPayment card;
    card.amount = sig.paymentAmount;
    card.transactionId = "116211720240510164340";
    card.tid = sig.terminalId;
    card.signingAuthor = sig.providerId;
    card.signature = sig.signatureBase64;
    const std::vector<einvoice::PaymentLine> payments{einvoice::cardPaymentLine(card)};
    report.results.push_back(measure("einvoice", "invoicesDoc (1 line, card payment)",
                                     counts.invoice, 50, CpuClock::PerOperation, [&](std::size_t) {
                                         sink =
                                             sink + einvoice::invoicesDoc(invoice, payments).size();
                                     }));
    if (!options.xsdDir) {
        report.notes.push_back("XSD validation not measured: no --xsd-dir and " +
                               std::string(FISCPOS_BENCH_XSD_DIR) + " does not exist");
        return;
    }
    const std::string xml = einvoice::invoicesDoc(invoice, payments);
    einvoice::XsdValidator validator(*options.xsdDir);
    report.results.push_back(measure(
        "einvoice", "XsdValidator first validate (loads XSD)", 1, 0, CpuClock::PerOperation,
        [&](std::size_t) { validator.validate(xml, einvoice::MydataSchema::InvoicesDoc); }));
    report.results.push_back(measure("einvoice", "XsdValidator::validate InvoicesDoc",
                                     counts.validate, 20, CpuClock::PerOperation, [&](std::size_t) {
                                         validator.validate(xml,
                                                            einvoice::MydataSchema::InvoicesDoc);
                                     }));
    report.notes.push_back("XSDs from " + options.xsdDir->string());
    recordRss(report, "einvoice");
}

std::int64_t providerRequests(const sim::SimServer& server) {
    return server.stats().at("provider").at("requests").get<std::int64_t>();
}

signing::MydataProviderClient providerClient(const sim::SimServer& server) {
    signing::ProviderClientOptions options;
    options.baseUrl = server.baseUrl() + "/provider";
    options.token = "sim-token";
    return signing::MydataProviderClient(options);
}

// 5. A signature from the provider over loopback HTTP: sequential, then concurrent clients.
void providerRoundTrip(Report& report, const Counts& counts, const Options& options,
                       const signing::PrivateKey& key, const einvoice::Invoice& invoice) {
    sim::SimServer server;
    server.addParty(
        std::make_shared<sim::ProviderParty>(key, sim::ProviderPartyOptions{}, server.clock()));
    server.start();

    // Every request is built beforehand, so the timing holds sign() alone.
    const std::size_t warmup = 20;
    std::vector<signing::SignatureRequest> requests;
    for (std::size_t i = 0; i < warmup + counts.provider; ++i) {
        requests.push_back(paymentRequest(invoice, i));
    }
    auto client = providerClient(server);
    for (std::size_t i = 0; i < warmup; ++i) {
        sink = sink + client.sign(requests[i]).id.size();
    }
    const std::int64_t requestsBefore = providerRequests(server);
    const Nanos processCpuBefore = processCpuNow();
    Result sequential = measure("provider", "MydataProviderClient::sign, 1 client", counts.provider,
                                0, CpuClock::PerOperation, [&](std::size_t i) {
                                    sink = sink + client.sign(requests[warmup + i]).id.size();
                                });
    const Nanos processCpu = processCpuNow() - processCpuBefore;
    const auto n = static_cast<double>(counts.provider);
    report.figures.push_back({"provider", "requests per signature (1 client)",
                              static_cast<double>(providerRequests(server) - requestsBefore) / n,
                              "requests"});
    report.figures.push_back({"provider", "process CPU per signature, client + server (1 client)",
                              static_cast<double>(processCpu) / n / 1e3, "µs"});
    report.figures.push_back({"provider", "client thread CPU / wall per signature (1 client)",
                              100.0 * static_cast<double>(sequential.cpuTotal) /
                                  static_cast<double>(sequential.wallTotal),
                              "%"});
    report.results.push_back(std::move(sequential));

    // One client per thread, all started together.
    const auto threads = static_cast<std::size_t>(options.clientThreads);
    std::vector<std::vector<signing::SignatureRequest>> perThread(threads);
    for (std::size_t t = 0; t < threads; ++t) {
        for (std::size_t i = 0; i < counts.providerPerThread + 1; ++i) {
            perThread[t].push_back(paymentRequest(invoice, 100000 * (t + 1) + i));
        }
    }
    std::vector<Result> threadResults(threads);
    std::vector<std::optional<signing::MydataProviderClient>> clients(threads);
    std::int64_t concurrentBefore = 0;
    const TogetherRun together = runTogether(
        threads,
        [&](std::size_t t) {
            // Connects and warms up before the clock starts.
            clients[t].emplace(providerClient(server));
            sink = sink + clients[t]->sign(perThread[t][0]).id.size();
        },
        [&](std::size_t t) {
            threadResults[t] =
                measure("provider", "", counts.providerPerThread, 0, CpuClock::PerOperation,
                        [&](std::size_t i) {
                            sink = sink + clients[t]->sign(perThread[t][i + 1]).id.size();
                        });
        },
        [&] { concurrentBefore = providerRequests(server); });
    const Nanos wall = together.wall;
    const Nanos concurrentCpu = together.processCpu;
    for (const std::string& failure : together.failures) {
        require(failure.empty(), "a concurrent client failed: " + failure);
    }
    const std::int64_t concurrentRequests = providerRequests(server) - concurrentBefore;
    server.stop();

    const std::string label = std::to_string(threads) + " clients at once";
    Result merged{"provider", "MydataProviderClient::sign, " + label, {}, {}, wall, 0};
    for (const Result& r : threadResults) {
        merged.wall.insert(merged.wall.end(), r.wall.begin(), r.wall.end());
        merged.cpu.insert(merged.cpu.end(), r.cpu.begin(), r.cpu.end());
        merged.cpuTotal += r.cpuTotal;
    }
    const auto total = static_cast<double>(merged.count());
    report.figures.push_back({"provider", "throughput (" + label + ")",
                              total / (static_cast<double>(wall) / 1e9), "signatures/s"});
    report.figures.push_back({"provider", "requests per signature (" + label + ")",
                              static_cast<double>(concurrentRequests) / total, "requests"});
    report.figures.push_back({"provider",
                              "process CPU per signature, client + server (" + label + ")",
                              static_cast<double>(concurrentCpu) / total / 1e3, "µs"});
    report.results.push_back(std::move(merged));
    recordRss(report, "provider");
}

int run(const Options& options) {
    Counts counts;
    if (options.quick) {
        counts = {500, 2000, 500, 200, 100, 25};
    }
    Report report;
    const signing::PrivateKey key = options.keyFile
                                        ? signing::PrivateKey::fromPemFile(*options.keyFile)
                                        : signing::PrivateKey::generate();
    report.notes.push_back(options.keyFile
                               ? "key from " + options.keyFile->string()
                               : std::string("key generated with PrivateKey::generate()"));
    const einvoice::Invoice invoice = einvoice::loadInvoiceFile(options.invoiceFile);

    // The provider's record for a payment on the sample invoice, made by a local signer, and its
    // Mellon-layout Input.
    const core::SystemClock clock;
    signing::LocalSigner localSigner(key, "999", clock);
    const signing::ProviderSignature sig = localSigner.sign(paymentRequest(invoice, 0));
    const core::Json record = sig.toProviderJson();
    require(signing::ProviderSignature::fromProviderJson(record).input == sig.input,
            "the record reads back");

    if (options.runs("micro")) {
        clockOverhead(report, counts);
        ecdsa(report, counts, key, sig.input);
        providerRecord(report, counts, sig.input, record);
        einvoiceDocs(report, counts, options, sig);
        providerRoundTrip(report, counts, options, key, invoice);
    }
    if (options.runs("sequential") || options.runs("concurrent") || options.runs("lag") ||
        options.runs("inflight") || options.runs("instances")) {
        PaymentBenchOptions payments;
        payments.sequential = options.runs("sequential");
        payments.concurrent = options.runs("concurrent");
        payments.lag = options.runs("lag");
        if (options.network != "all") {
            payments.networks = {options.network};
        }
        if (options.quick) {
            payments.sequentialPayments = 100;
            payments.warmupPayments = 5;
            payments.terminals = 20;
            payments.perTerminal = 2;
            payments.lagTerminals = 10;
            payments.lagTimeScale = 10.0;
        }
        payments.sequentialPayments = options.payments.value_or(payments.sequentialPayments);
        payments.terminals = options.terminals.value_or(payments.terminals);
        payments.perTerminal = options.perTerminal.value_or(payments.perTerminal);
        payments.lagTerminals = options.lagTerminals.value_or(payments.lagTerminals);
        payments.lagTimeScale = options.lagTimeScale.value_or(payments.lagTimeScale);
        payments.waitSeconds = options.waitSeconds;
        payments.journalDir =
            options.journalDir.value_or(std::filesystem::temp_directory_path() /
                                        ("fiscpos-bench-" + std::to_string(::getpid())));
        payments.journalUrl = options.journalUrl;
        payments.webhookLostPercent =
            options.webhookLostPercent.value_or(payments.webhookLostPercent);
        payments.inflightPayments = options.payments.value_or(options.quick ? 1000 : 10000);
        payments.inflightTimeScale = options.inflightTimeScale.value_or(1.0);
        payments.workers = options.workers;
        payments.inflightPollSeconds = options.inflightPollSeconds;
        if (options.runs("instances")) {
            if (!options.journalUrl) {
                throw core::InputError("--only", "instances needs --journal-url postgresql://...");
            }
            InstancesBenchOptions instances;
            instances.fiscpos = FISCPOS_BENCH_FISCPOS;
            instances.journalUrl = *options.journalUrl;
            instances.workDir = payments.journalDir / "instances";
            instances.clients = options.terminals.value_or(instances.clients);
            instances.perClient = options.perTerminal.value_or(instances.perClient);
            if (options.network != "all") {
                instances.network = options.network;
            }
            const core::Json measured = instancesBenchmark(instances, key);
            std::cout << measured.dump(2) << '\n';
            return 0;
        }
        if (options.runs("inflight")) {
            raiseOpenFileLimit(); // a terminal lock is an open file while its payment waits
            const core::Json inflight = inflightBenchmark(payments, key);
            if (options.json && options.only.size() == 1) {
                std::cout << inflight.dump(2) << '\n';
                return inflight["approved"] == inflight["payments"] ? 0 : 1;
            }
            for (const auto& [name, value] : inflight.items()) {
                if (value.is_number()) {
                    report.figures.push_back({"inflight-" + inflight["network"].get<std::string>(),
                                              name, value.get<double>(), ""});
                }
            }
            report.notes.push_back("inflight: " + inflight["note"].get<std::string>() + "; " +
                                   inflight["journal"].get<std::string>());
        }
        // The simulated provider signs with `key`; each simulated network verifies with its
        // public half.
        paymentBenchmarks(report, payments, key);
        report.notes.push_back(
            options.journalUrl
                ? "journals in " +
                      plugin::journal_detail::parseJournalUrl(*options.journalUrl).display
                : "journals in " + payments.journalDir.string());
    }
    report.figures.push_back(
        {"process", "peak RSS at the end", static_cast<double>(peakRssKiB()) / 1024.0, "MiB"});
    if (options.quick) {
        report.notes.push_back("--quick: a tenth of the operations; not for publishing");
    }

    if (options.json) {
        std::cout << report.json().dump(2) << '\n';
    } else if (options.markdown) {
        std::cout << report.markdown();
    } else {
        std::cout << report.table();
    }
    return 0;
}

} // namespace

} // namespace fiscpos::bench

int main(int argc, char** argv) {
    try {
        return fiscpos::bench::run(fiscpos::bench::parseOptions(argc, argv));
    } catch (const std::exception& e) {
        std::cerr << "fiscpos-bench: " << e.what() << '\n';
        return 1;
    }
}
