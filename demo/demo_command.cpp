// fiscpos-demo: the provider part of a card payment, end to end, against the built-in simulator.
// It starts fiscpos-sim's provider and every simulated network that offers a sample
// (sim::SimNetworkModule::sample) in this process, and loads a terminal of each from its sample
// [terminal.NAME] section as fiscpos loads its configuration. It asks the provider to sign a
// sample receipt for the first terminal of each Input layout, checks each Input against the
// invoice, verifies each signature with the provider's public key (and shows that a changed
// amount fails), writes the myDATA payment details, validated against AADE's XSD when a folder of
// them is given, and takes a sale, a refund and a void on the first network; then it issues the
// sale's invoice through the simulated provider and e-mails its receipt, twice, to a real SMTP
// server it starts on loopback (python3-aiosmtpd): the second time nothing is sent.
#include "demo/demo_command.hpp"

#include "cli/commands/signature_view.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/errors.hpp"
#include "einvoice/invoice.hpp"
#include "einvoice/mydata_xml.hpp"
#include "einvoice/xsd_validator.hpp"
#include "network/network_module.hpp"
#include "plugin/invoice_issuing.hpp"
#include "plugin/journal/cash_journal.hpp"
#include "plugin/payment_service.hpp"
#include "plugin/payment_signature.hpp"
#include "plugin/receipt_channels.hpp"
#include "plugin/terminal_settings.hpp"
#include "signing/provider_client.hpp"
#include "signing/provider_invoices.hpp"
#include "signing/signature_text.hpp"
#include "sim/provider/provider_party.hpp"
#include "sim/server/sim_options.hpp"
#include "sim/server/sim_server.hpp"
#include "sim/sim_networks.hpp"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Process.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <unistd.h>

namespace fiscpos::demo {

using cli::Command;
using cli::CommandArgs;
using cli::CommandContext;
using cli::Output;
using cli::showSignature;
using cli::signatureJson;

namespace {

std::string demoInvoiceJson(const std::string& issuedAt) {
    return R"({"issuer": {"vat": "999999999", "branch": 0, "country": "GR"},
               "series": "A", "aa": "2", "type": "11.1", "issued_at": ")" +
           issuedAt + R"(", "currency": "EUR", "mark": null,
               "totals": {"net": "1.00", "vat": "0.24", "gross": "1.24"},
               "lines": [{"net": "1.00", "vat_category": 1, "vat": "0.24",
                          "income": {"type": "E3_561_003", "category": "category1_1"}}]})";
}

// The same Input with the payable amount one cent higher: what a tampered payment would carry.
std::string withPayableChanged(const signing::ProviderSignature& signature) {
    const auto input = signature.inputText();
    auto fields = input.fields();
    fields.payable = fields.payable + core::Money::fromCents(1);
    return signing::InputText(fields, input.layout()).toString();
}

// A terminal of a simulated network, as fiscpos loaded it, and the network's title.
struct DemoTerminal {
    plugin::TerminalBinding binding;
    std::string title; // as fiscpos names the network in its messages
};

// Terminal A3 of every simulated network that offers a sample, each added to `server` (started)
// with payments taking 4 simulated seconds and verifying signatures with `providerKey`, loaded from
// its sample section by plugin::terminalsFromConfig, as fiscpos loads its configuration.
std::vector<DemoTerminal> simulatedTerminals(sim::SimServer& server,
                                             const signing::PublicKey& providerKey,
                                             const std::string& providerId,
                                             const core::Clock& clock) {
    sim::SimSampleRequest request;
    request.baseUrl = server.baseUrl();
    request.terminals = {"A3"};
    request.paymentTakes = std::chrono::seconds(4);
    request.providerId = providerId;
    std::vector<DemoTerminal> terminals;
    for (const sim::SimNetworkModule& module : sim::simNetworks().modules()) {
        if (!module.sample) {
            continue;
        }
        const sim::SimSample sample = module.sample->make(request);
        module.add(server, sample.values, providerKey);
        auto loaded =
            plugin::terminalsFromConfig(core::Config::fromText(sample.sections.front()), clock);
        plugin::TerminalBinding binding = loaded.at("A3");
        binding.requireUsable();
        const network::NetworkModule* network = network::builtinNetworks().find(binding.network);
        terminals.push_back({binding, network != nullptr ? network->title : binding.network});
    }
    if (terminals.empty()) {
        throw std::logic_error("no simulated network offers a sample to pay on");
    }
    return terminals;
}

// A real SMTP server on this machine for the length of the demo (Debian's python3-aiosmtpd),
// keeping what it receives in a Maildir; none when the package is not installed.
class LocalSmtpServer {
public:
    explicit LocalSmtpServer(const std::filesystem::path& maildir)
        : maildir_(maildir) {
        for (const char* sub : {"tmp", "new", "cur"}) {
            std::filesystem::create_directories(maildir / sub);
        }
        {
            const Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
            port_ = probe.address().port(); // free a moment ago; the server takes it next
        }
        if (!std::filesystem::exists("/usr/lib/python3/dist-packages/aiosmtpd")) {
            return;
        }
        process_.emplace(Poco::Process::launch("/usr/bin/python3",
                                               {"-m", "aiosmtpd", "-n", "-l",
                                                "127.0.0.1:" + std::to_string(port_), "-c",
                                                "aiosmtpd.handlers.Mailbox", maildir.string()},
                                               nullptr, nullptr, nullptr));
        for (int attempt = 0; attempt < 100; ++attempt) {
            try {
                Poco::Net::StreamSocket probe(Poco::Net::SocketAddress("127.0.0.1", port_));
                ready_ = true;
                return;
            } catch (const Poco::Exception&) {
                std::this_thread::sleep_for(std::chrono::milliseconds(30));
            }
        }
    }
    ~LocalSmtpServer() {
        if (process_) {
            ::kill(process_->id(), SIGTERM);
            process_->wait();
        }
    }
    LocalSmtpServer(const LocalSmtpServer&) = delete;
    LocalSmtpServer& operator=(const LocalSmtpServer&) = delete;

    bool ready() const { return ready_; }
    std::uint16_t port() const { return port_; }
    // The messages received so far, as received.
    std::vector<std::string> messages() const {
        std::vector<std::string> found;
        for (const auto& file : std::filesystem::directory_iterator(maildir_ / "new")) {
            std::ifstream in(file.path(), std::ios::binary);
            std::ostringstream bytes;
            bytes << in.rdbuf();
            found.push_back(bytes.str());
        }
        return found;
    }

private:
    std::filesystem::path maildir_;
    std::uint16_t port_ = 0;
    std::optional<Poco::ProcessHandle> process_;
    bool ready_ = false;
};

// The first sale's invoice issued through the simulated provider, and its receipt e-mailed to a
// local SMTP server twice: the second time nothing is sent.
core::Json issueAndEmail(Output& out, plugin::CashJournal& journal, const std::string& entry,
                         const signing::ProviderClientOptions& providerOptions,
                         const std::filesystem::path& dir,
                         const plugin::ProgressListener& progress) {
    signing::ProviderInvoices invoices(providerOptions);
    plugin::InvoiceIssuing issuing(journal, invoices);
    const auto issued = issuing.issue(entry, progress);
    out.field("invoice issued", "MARK " + issued.issued.mark.value_or("(queued)") +
                                    ", receipt link " + issued.issued.url);
    core::Json answer{{"issued", plugin::issueOutcomeJson(issued)}};
    LocalSmtpServer smtp(dir / "mail");
    if (!smtp.ready()) {
        out.field("e-mail", "skipped: python3-aiosmtpd is not installed (scripts/install-deps.sh)");
        answer["email"] = "skipped";
        return answer;
    }
    receipt::MailSettings mail;
    mail.host = "127.0.0.1";
    mail.port = smtp.port();
    mail.security = receipt::MailSecurity::None; // a local relay: plain SMTP stays on loopback
    mail.from = "receipts@shop.example.gr";
    plugin::ReceiptDelivery delivery(journal);
    delivery.setChannel(plugin::ReceiptChannel::Email, plugin::mailChannel(mail));
    plugin::ReceiptRequest request;
    request.entryId = entry;
    request.destinations = {{plugin::ReceiptChannel::Email, "customer@example.gr", "email"}};
    const auto first = delivery.deliver(request, progress);
    const auto again = delivery.deliver(request, progress);
    const auto received = smtp.messages();
    const bool linkArrived =
        received.size() == 1 &&
        received.front().find("Message-ID: <" + first.deliveries.front().outboxId) !=
            std::string::npos;
    out.field("e-mail", first.deliveries.front().state +
                            " to customer@example.gr through the "
                            "local SMTP server on port " +
                            std::to_string(smtp.port()));
    out.field("again", again.deliveries.front().state + ": " + std::to_string(received.size()) +
                           " message(s) received in all");
    out.line("   the customer reads:");
    std::istringstream lines(first.text.plain);
    for (std::string line; std::getline(lines, line);) {
        out.line(line.empty() ? "" : "     " + line);
    }
    answer["email"] = plugin::receiptOutcomeJson(first);
    answer["messages_received"] = received.size();
    answer["ok"] = linkArrived && again.deliveries.front().state == "ALREADY_SENT";
    return answer;
}

// A sale, its refund, a second sale and its void, through the PaymentService, the simulated
// network of `terminal` and a cash journal in a temporary folder.
core::Json runPayments(Output& out, const plugin::TerminalBinding& terminal,
                       signing::Signer& provider, const core::Clock& clock,
                       const std::string& invoiceJson,
                       const signing::ProviderClientOptions& providerOptions) {
    const einvoice::Invoice invoice = einvoice::parseInvoice(invoiceJson);
    const auto dir =
        std::filesystem::temp_directory_path() / ("fiscpos-demo-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    struct RemoveAfter {
        std::filesystem::path dir;
        ~RemoveAfter() {
            std::error_code ignored;
            std::filesystem::remove_all(dir, ignored);
        }
    } removeAfter{dir};
    auto journal = plugin::CashJournal::open("sqlite:" + (dir / "journal.db").string(), clock);

    plugin::PaymentService service(journal, provider, {{terminal.name, terminal}}, clock);
    const auto progress = [&out](const std::string&, const std::string& step,
                                 const std::string& text) {
        out.progress(step + ": " + text);
    };
    auto show = [&](const std::string& what, const plugin::JournalEntry& entry) {
        out.field(what, std::string(plugin::stateName(entry.state)) + " " +
                            entry.amount.toString() + " EUR" +
                            (entry.transactionId ? ", transactionId " + *entry.transactionId : "") +
                            (entry.maskedPan ? ", card " + *entry.maskedPan : ""));
    };

    plugin::PayRequest sale;
    sale.terminal = terminal.name;
    sale.invoice = invoice;
    sale.invoiceJson = invoiceJson; // kept in the journal: the invoice issued below
    sale.idempotencyKey = "demo-sale-1";
    const auto first = service.pay(sale, progress);
    show("sale", first);
    const auto again = service.pay(sale, progress);
    out.field("same key again",
              again.id == first.id ? "the same entry, no second charge" : "A SECOND ENTRY (wrong)");

    plugin::RefundRequest refund;
    refund.originalEntry = first.id;
    refund.creditNote = invoice;
    refund.creditNote.type = "11.4";
    refund.creditNote.aa = invoice.aa + "-R";
    refund.creditNoteJson = "(the demo's credit note)";
    refund.amount = core::Money::fromCents(100);
    const auto refunded = service.refund(refund, progress);
    show("refund", refunded);

    // The next receipt: an invoice is never charged beyond its total.
    sale.idempotencyKey = "demo-sale-2";
    sale.invoice.aa = invoice.aa + "-2";
    const std::string number = "\"aa\": \"" + invoice.aa + "\"";
    sale.invoiceJson.replace(sale.invoiceJson.find(number), number.size(),
                             "\"aa\": \"" + sale.invoice.aa + "\"");
    const auto second = service.pay(sale, progress);
    show("second sale", second);
    const auto voided = service.voidSale(second.id, std::nullopt, progress);
    show("its void", voided);
    out.field("voided sale", journal.get(second.id).voided() ? "marked voided, nothing booked"
                                                             : "NOT marked (wrong)");

    const core::Json receipt =
        issueAndEmail(out, journal, first.id, providerOptions, dir, progress);

    const auto report = journal.verify();
    out.field("journal", std::to_string(journal.list().size()) + " entries, " +
                             std::to_string(report.eventsChecked) + " events, hash chain " +
                             (report.ok ? "verified" : "BROKEN"));
    const bool ok = first.state == plugin::EntryState::Approved && again.id == first.id &&
                    refunded.state == plugin::EntryState::Approved &&
                    second.state == plugin::EntryState::Approved &&
                    voided.state == plugin::EntryState::Approved &&
                    journal.get(second.id).voided() && report.ok &&
                    (receipt["email"] == "skipped" || receipt.value("ok", false));
    core::Json entries = core::Json::array();
    for (const auto& entry : journal.list()) {
        entries.push_back(plugin::entryToJson(entry));
    }
    return {{"ok", ok}, {"entries", entries}, {"verify", report.toJson()}, {"receipt", receipt}};
}

int runDemo(const CommandArgs& args, CommandContext& context) {
    Output& out = context.out;
    const bool ownKey = !args.has("provider-key");
    auto key = ownKey ? signing::PrivateKey::generate()
                      : signing::PrivateKey::fromPemFile(args.require("provider-key"));
    const auto publicKey = key.publicKey();

    core::SystemClock clock;
    sim::SimServerOptions serverOptions;
    serverOptions.timeScale = 20; // the simulated terminal's 4-second approval takes 0.2 s
    sim::SimServer server(serverOptions);
    sim::ProviderPartyOptions providerOptions;
    providerOptions.token = "demo-" + std::to_string(clock.now().time_since_epoch().count());
    providerOptions.providerId = "999";
    server.addParty(std::make_shared<sim::ProviderParty>(key, providerOptions, clock));
    server.start();
    const std::vector<DemoTerminal> terminals =
        simulatedTerminals(server, publicKey, providerOptions.providerId, clock);

    out.line("fiscpos demo: a card payment's provider signature, end to end");
    out.field("simulator", server.baseUrl() + "/provider (mydataprovider v2 signing API)");
    out.field("signing key", ownKey ? "a P-256 key made for this run"
                                    : "P-256 key from " + args.require("provider-key"));
    out.field("public key", publicKey.spkiBase64());

    const std::string invoiceJson = demoInvoiceJson(core::athensIso8601(clock.now()));
    const auto invoice = einvoice::parseInvoice(invoiceJson);
    out.field("invoice", invoice.series + "-" + invoice.aa + ", type " + invoice.type +
                             " (retail receipt), " + invoice.totals.gross.toString() +
                             " EUR = " + invoice.totals.net.toString() + " net + " +
                             invoice.totals.vat.toString() + " VAT");
    out.field("issued at", invoice.issuedAt);
    out.field("invoice UID", invoice.uid());

    signing::ProviderClientOptions clientOptions;
    clientOptions.baseUrl = server.baseUrl() + "/provider";
    clientOptions.token = providerOptions.token;
    signing::MydataProviderClient provider(clientOptions);

    core::Json results = core::Json::array();
    // The first signature: the paying network's, whose payment the myDATA document carries.
    std::optional<signing::ProviderSignature> paidSignature;
    std::vector<signing::InputLayout> layoutsShown;
    bool allGood = true;
    int step = 1;
    for (const auto& [binding, title] : terminals) {
        const signing::InputLayout layout = signing::layoutFor(binding.nsp);
        if (std::find(layoutsShown.begin(), layoutsShown.end(), layout) != layoutsShown.end()) {
            continue; // one terminal of each Input layout
        }
        layoutsShown.push_back(layout);
        const std::string label = title + " terminal";
        out.line("");
        out.line(std::to_string(step++) + ". " + label + ", TID " + binding.tid +
                 " (Input layout: " + std::string(signing::layoutName(layout)) + ")");
        const auto request =
            plugin::signatureRequestFor(invoice, invoice.totals.gross, binding.tid, binding.nsp,
                                        signing::SignatureDuration::Hours2);
        out.progress("signing: asking the provider for " + request.payment.toString() +
                     " EUR on TID " + binding.tid);
        const auto started = std::chrono::steady_clock::now();
        const auto signature = provider.sign(request);
        const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - started);
        plugin::checkSignatureMatches(signature, invoice, request);
        showSignature(out, signature);
        out.field("signed in", std::to_string(took.count()) + " ms; the Input matches the "
                                                              "invoice and the payment");
        const bool verified =
            signing::verifySignature(publicKey, signature.input, signature.signatureBase64);
        const std::string tampered = withPayableChanged(signature);
        const bool tamperedVerifies =
            signing::verifySignature(publicKey, tampered, signature.signatureBase64);
        out.field("verify", verified ? "OK: the signature verifies with the provider's key"
                                     : "FAILED: the signature does not verify");
        out.field("tamper check", tamperedVerifies
                                      ? "FAILED: a changed amount still verifies"
                                      : "OK: with payable +0.01 the signature no longer verifies");
        allGood = allGood && verified && !tamperedVerifies;
        results.push_back({{"terminal", label},
                           {"signature", signatureJson(signature)},
                           {"verified", verified},
                           {"tampered_input_verifies", tamperedVerifies}});
        if (!paidSignature) {
            paidSignature = signature;
        }
    }

    out.line("");
    out.line(std::to_string(step) + ". myDATA: the approved card payment in the invoice");
    einvoice::CardPayment card;
    card.amount = paidSignature->paymentAmount;
    card.transactionId = "075121702285176315144"; // as a network would report it
    card.tid = paidSignature->terminalId;
    card.signingAuthor = paidSignature->providerId;
    card.signature = paidSignature->signatureBase64;
    const std::string xml = einvoice::invoicesDoc(invoice, {einvoice::cardPaymentLine(card)});
    out.line("   (the transactionId is an example: in a payment it is the network's answer)");
    out.line(einvoice::paymentMethodDetailsFragment(einvoice::cardPaymentLine(card)));
    std::string xsdStatus = "not checked (give --xsd-dir to validate against AADE's XSD)";
    if (auto dir = args.get("xsd-dir")) {
        einvoice::XsdValidator validator(*dir);
        validator.validate(xml, einvoice::MydataSchema::InvoicesDoc);
        xsdStatus = "valid against " +
                    validator.schemaFile(einvoice::MydataSchema::InvoicesDoc).filename().string();
    }
    out.field("InvoicesDoc", xsdStatus);

    out.line("");
    out.line(std::to_string(++step) + ". payments through the simulated " +
             terminals.front().title +
             " network, with the cash journal; the invoice issued, the receipt e-mailed");
    const core::Json payments =
        runPayments(out, terminals.front().binding, provider, clock, invoiceJson, clientOptions);
    allGood = allGood && payments["ok"].get<bool>();

    out.line("");
    out.line(allGood ? "demo finished: every signature verified, every tampered one failed, "
                       "the sale, refund and void went through, the invoice was issued and its "
                       "receipt e-mailed once, and the journal verifies"
                     : "demo FAILED: see the lines above");
    out.result({{"ok", allGood},
                {"simulator", server.baseUrl()},
                {"public_key", publicKey.spkiBase64()},
                {"invoice_uid", invoice.uid()},
                {"payments", results},
                {"invoices_doc", xml},
                {"journal", payments},
                {"xsd", xsdStatus}});
    return allGood ? cli::ExitDone : cli::ExitBadInput;
}

} // namespace

Command makeDemoCommand() {
    return Command(
        {"demo",
         "sign and verify a sample card payment against the built-in simulator",
         "Nothing leaves this machine: the simulator listens on 127.0.0.1 for the length of the "
         "demo. Without --provider-key it signs with a key made for this run.\n"
         "Example:\n  fiscpos-demo --xsd-dir ../shared/ref/mydata-xsd/v2.0.1",
         {{"provider-key",
           "the simulated provider's private key (PEM, P-256); e.g. a card network's "
           "published test key",
           "PEM"},
          {"xsd-dir", "folder of AADE's myDATA XSDs, to validate the XML", "DIR"}}},
        runDemo);
}

} // namespace fiscpos::demo
