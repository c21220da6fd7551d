// A PaymentService over a terminal whose every answer the test scripts, with a real SQLite
// journal, real signatures (Mellon's published test key) and a manual clock, so that each step
// happens exactly when the test says. Shared by the operations and the promise tests.
#pragma once

#include "core/errors.hpp"
#include "einvoice/invoice.hpp"
#include "plugin/journal/cash_journal.hpp"
#include "plugin/payment_service.hpp"
#include "signing/local_signer.hpp"
#include "tests/support/shared_dir.hpp"

#include <functional>
#include <map>
#include <mutex>

namespace fiscpos::test {

using namespace fiscpos;

inline const core::TimePoint start =
    core::toTimePoint(core::parseIso8601("2026-11-24T10:00:00Z", "t"));

inline std::string invoiceJson(const std::string& aa = "7") {
    return R"({"issuer": {"vat": "999999999", "branch": 0, "country": "GR"},
               "series": "A", "aa": ")" +
           aa + R"(", "type": "11.1", "issued_at": "2026-11-24T12:00:00+02:00",
               "totals": {"net": "10.00", "vat": "2.40", "gross": "12.40"},
               "lines": [{"net": "10.00", "vat_category": 1, "vat": "2.40",
                          "income": {"type": "E3_561_003", "category": "category1_1"}}]})";
}

inline core::TerminalReport report(core::TerminalStage stage,
                                   std::optional<core::PaymentOutcome> outcome = std::nullopt) {
    core::TerminalReport r;
    r.stage = stage;
    r.outcome = outcome;
    return r;
}

// A terminal whose every answer the test scripts. It reports one exchange per call, as a real
// adapter would, so the test can see which entry it was journaled under.
class ScriptedTerminal final : public core::Terminal {
public:
    std::function<core::TerminalReport(const core::PaymentRequest&)> onStart =
        [](const core::PaymentRequest&) {
            return report(core::TerminalStage::Pending);
        };
    std::function<core::TerminalReport(const std::string&, int)> onQuery = [](const std::string&,
                                                                              int) {
        return report(core::TerminalStage::Final, core::PaymentOutcome::Approved);
    };
    std::function<core::TerminalReport(const std::string&)> onAbort;
    std::function<core::TerminalReport(const core::VoidRequest&)> onVoid =
        [](const core::VoidRequest&) {
            return report(core::TerminalStage::Final, core::PaymentOutcome::Approved);
        };
    std::function<void(const core::PaymentRequest&)> onAdmit;
    std::function<core::TerminalReport(const std::string&)> onCloseBatch;

    std::mutex mutex;
    std::vector<core::PaymentRequest> started;
    std::vector<std::string> aborted;
    std::vector<core::VoidRequest> voided;
    std::map<std::string, int> queries;
    // What the last query() under each reference was told of its sending (Terminal::query).
    std::map<std::string, std::optional<core::TimePoint>> sentNoEarlier;

    ScriptedTerminal()
        : core::Terminal({.network = "scripted"}) {}

    // What the test says the network carries and how it behaves (set before the first call).
    core::TerminalTraits& traits() { return ownTraits(); }

    core::TerminalReport doStart(const core::PaymentRequest& request,
                                 const core::HttpObserver& record) override {
        {
            std::lock_guard lock(mutex);
            started.push_back(request);
        }
        exchange("POST", "/start/" + request.reference, record);
        return onStart(request);
    }
    core::TerminalReport doQuery(const std::string& reference,
                                 std::optional<core::TimePoint> sentNoEarlierThan,
                                 const core::HttpObserver& record) override {
        int n = 0;
        {
            std::lock_guard lock(mutex);
            n = ++queries[reference];
            sentNoEarlier[reference] = sentNoEarlierThan;
        }
        exchange("GET", "/query/" + reference, record);
        return onQuery(reference, n);
    }
    core::TerminalReport doVoid(const core::VoidRequest& request,
                                const core::HttpObserver& record) override {
        {
            std::lock_guard lock(mutex);
            voided.push_back(request);
        }
        exchange("POST", "/void/" + request.reference, record);
        return onVoid(request);
    }
    void admit(const core::PaymentRequest& request) const override {
        if (onAdmit) {
            onAdmit(request);
        }
    }
    std::vector<core::TerminalDevice> doDevices(const core::HttpObserver& record) override {
        (void)record;
        return {};
    }
    core::TerminalReport doAbort(const std::string& reference,
                                 const core::HttpObserver& record) override {
        if (!onAbort) {
            return core::Terminal::doAbort(reference, record);
        }
        {
            std::lock_guard lock(mutex);
            aborted.push_back(reference);
        }
        exchange("DELETE", "/abort/" + reference, record);
        return onAbort(reference);
    }
    core::TerminalReport doCloseBatch(const std::string& reference,
                                      const core::HttpObserver& record) override {
        exchange("POST", "/batch/" + reference, record);
        return onCloseBatch(reference);
    }

private:
    void exchange(const std::string& method, const std::string& path,
                  const core::HttpObserver& record) {
        core::HttpExchange e;
        e.method = method;
        e.url = "https://scripted.example" + path;
        e.status = 200;
        e.responseBody = "{}";
        if (record) {
            record(e);
        }
    }
};

// The provider's signatures, from `inner` unless `before` throws first (a provider that cannot be
// reached, or answers 5xx).
class SwitchableSigner final : public signing::Signer {
public:
    explicit SwitchableSigner(signing::Signer& inner)
        : inner_(inner) {}
    std::function<void()> before;
    signing::ProviderSignature sign(const signing::SignatureRequest& request) override {
        if (before) {
            before();
        }
        return inner_.sign(request);
    }
    signing::ProviderSignature find(const std::string& id) override { return inner_.find(id); }
    signing::ProviderSignature cancel(const std::string& id) override { return inner_.cancel(id); }
    std::vector<signing::ProviderSignature> listPending() override { return inner_.listPending(); }

private:
    signing::Signer& inner_;
};

struct World {
    core::ManualClock clock{start};
    std::filesystem::path dir = test::freshTempDir("operations");
    plugin::CashJournal journal =
        plugin::CashJournal::open("sqlite:" + (dir / "journal.db").string(), clock);
    signing::LocalSigner signer{signing::PrivateKey::fromPemFile(test::mellonPrivateKey()), "999",
                                clock};
    SwitchableSigner provider{signer};
    std::shared_ptr<ScriptedTerminal> terminal = std::make_shared<ScriptedTerminal>();
    std::unique_ptr<plugin::PaymentService> service;

    explicit World(const std::function<void(plugin::PaymentServiceOptions&)>& configure = {},
                   const std::function<void(plugin::TerminalBinding&)>& bind = {}) {
        plugin::TerminalBinding binding{
            "T1", "scripted", "99000031", "999", signing::Nsp::WebEcr, terminal, nullptr};
        plugin::PaymentServiceOptions options;
        options.schedule = plugin::PollSchedule(std::chrono::seconds(60));
        if (configure) {
            configure(options);
        }
        if (bind) {
            bind(binding);
        }
        service = std::make_unique<plugin::PaymentService>(
            journal, provider, std::map<std::string, plugin::TerminalBinding>{{"T1", binding}},
            clock, options);
    }

    plugin::PayRequest sale(const std::string& aa = "7") const {
        plugin::PayRequest request;
        request.terminal = "T1";
        request.invoiceJson = invoiceJson(aa);
        request.invoice = einvoice::parseInvoice(request.invoiceJson);
        return request;
    }

    // The journaled exchanges of an entry, as "METHOD path".
    std::vector<std::string> exchangesOf(const std::string& entryId) const {
        std::vector<std::string> seen;
        for (const auto& event : journal.events(entryId)) {
            if (event.record.httpMethod && event.record.url) {
                seen.push_back(
                    *event.record.httpMethod + " " +
                    event.record.url->substr(std::string("https://scripted.example").size()));
            }
        }
        return seen;
    }
};

template <typename E, typename F> std::string codeOf(F&& f) {
    try {
        f();
    } catch (const E& e) {
        return e.code();
    }
    return "no error";
}

} // namespace fiscpos::test
