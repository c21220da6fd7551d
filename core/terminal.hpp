// The Terminal interface every payment network implements (Mellon WebECR, Viva, GP tom), and the
// payment domain types they speak. The PaymentService drives a payment through this interface only:
// it never parses a network's JSON, and a network adapter never touches the journal.
#pragma once

#include "core/clock.hpp"
#include "core/errors.hpp"
#include "core/http_client.hpp"
#include "core/money.hpp"

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace fiscpos::core {

// The provider's signature as a network carries it. `input` is verbatim; the parsed parts are for
// networks that send them separately (WebECR's ProviderData); the PaymentService fills both after
// checking the Input against the charge.
struct SignedPayment {
    std::string input;           // the provider's Input, verbatim
    std::string signatureBase64; // DER, base64
    std::string providerId;      // the provider's id on this network
    std::string uid;             // 40 hex
    std::string mark;            // empty in the simultaneous flow
    std::string timestamp;       // YYYYMMDDhhmmss, Athens local time
    Money net, vat, total;       // the document's totals, as signed
    Money payable;               // this payment, as signed
    std::string tid;             // the terminal id, as signed
};

enum class PaymentKind {
    Sale,
    Refund,            // with `original` (a referenced refund) or without it (unreferenced)
    PreauthCompletion, // captures a pre-authorised sale named by `original`
};

// What the network identifies a payment by, kept so that a later void or refund can name it.
struct NetworkPaymentIds {
    std::string intentId; // WebECR intent Id, Viva sessionId, GP tom task id
    std::string
        transactionId; // the myDATA transactionId (WebECR TransactionId, Viva aadeTransactionId)
    std::string networkTransactionRef; // the network's own transaction id, when it differs
};

// Why a card payment goes ahead without the provider's signature (autonomous mode, AADE
// A.1102/2024; the reasons are those the networks that publish the mode use): the provider cannot
// be reached, the cash system is a replacement one, or it is locked.
enum class AutonomousReason { InterconnectionLoss, ReplacementCashSystem, Lock };

// "interconnection_loss", "replacement_cash_system", "lock".
std::string_view autonomousReasonName(AutonomousReason reason);
// The reason `text` names; InputError naming `field` otherwise.
AutonomousReason parseAutonomousReason(std::string_view text, std::string_view field);

struct PaymentRequest {
    PaymentKind kind = PaymentKind::Sale;
    // Our reference (WebECR CustomerReference, Viva sessionId, GP tom reference), written to the
    // journal before start() is called with it.
    std::string reference;
    Money amount; // what the card is charged: the signed payable
    Money tip;
    SignedPayment signature;
    std::optional<NetworkPaymentIds> original; // refunds, completions: the sale they follow
    int instalments = 0;  // the most instalments the cardholder may choose; 0 = none
    bool preauth = false; // a sale that only reserves the amount, captured later
    // The terminal asks the customer to pay by IRIS (an instant account-to-account payment)
    // instead of a card (WebECR PaymentType 1, Viva paymentMethod IRIS). What the payment was
    // follows the network's answer (TerminalReport::cardType), never this request alone.
    bool iris = false;
    // A preloaded payment: the terminal holds the sale for the customer to pay there later, for
    // this long (a whole number of the network's PreloadLimits::step), instead of waiting for a
    // card now. The PaymentService checks it against the network and the signature's expiry.
    std::optional<std::chrono::minutes> preload;
    // A payment in the network's autonomous form, without `signature`, for this reason
    // (TerminalTraits::autonomous); the invoice is issued later with transmissionFailure 1.
    std::optional<AutonomousReason> autonomous;
    std::optional<std::string> customerEmail;
    std::optional<std::string> customerPhone;
};

struct VoidRequest {
    std::string reference; // ours, for the void itself, journaled before the call
    NetworkPaymentIds original;
    Money amount; // the sale's amount, for networks that void by a full refund (Viva)
    // The sale's own signature (input, signatureBase64, providerId), for networks whose reversal
    // carries one (Viva's refund-as-void); absent when the journal has none.
    std::optional<SignedPayment> originalSignature;
};

// How far the network got with a payment.
enum class TerminalStage {
    NotFound, // the network has nothing under our reference: it never received the request
    Pending,  // received, not yet on the terminal
    OnDevice, // on the terminal: the cardholder is paying
    Final,    // the terminal finished: see the outcome
};

enum class PaymentOutcome {
    Approved,
    Declined,  // the card's issuer said no
    Cancelled, // stopped on the terminal before completion
    Failed,    // did not complete (busy, batch full, signature refused, ...): nothing charged
    InDoubt,   // the network does not know: never charge again before it is settled
};

std::string_view stageName(TerminalStage stage); // "not_found", "pending", "on_device", "final"
std::string_view outcomeName(PaymentOutcome outcome); // "approved", "declined", ...

// What a network reports when it closes a terminal's batch (the day's settlement).
struct BatchTotals {
    std::string batchId;
    long long saleCount = 0;
    Money saleTotal;
    long long refundCount = 0;
    Money refundTotal;
};

// A network cannot do this operation (an abort on WebECR, a batch close on Viva). Names it.
class NotSupportedError : public Error {
public:
    explicit NotSupportedError(const std::string& message)
        : Error("not_supported", message) {}
};

// TerminalReport::cardType of a payment the network reports as an IRIS instant payment (its own
// signal: WebECR CardType "IRIS", Viva bankId NET_IRIS or an IRIS transaction type): myDATA
// payment type 8 instead of 7.
inline constexpr std::string_view irisCardType = "IRIS";

// What the network reported about one payment.
struct TerminalReport {
    TerminalStage stage = TerminalStage::NotFound;
    std::optional<PaymentOutcome> outcome; // set when stage is Final
    std::string networkStatus;             // the network's own words ("SENT", "COMPLETED/DECLINED")
    std::string message;                   // for the cashier: what happened, what to do
    NetworkPaymentIds ids;
    std::string tid;
    std::string rrn;
    std::string authCode;
    std::string maskedPan;
    std::string cardType; // irisCardType for an IRIS payment
    std::optional<Money> amount;
    std::optional<Money> tip;
    std::optional<BatchTotals> batch; // set by a finished batch close
    // The stage is the adapter's reading of a short delay, not the network's record: e.g. Viva
    // answers 404 for a moment after a request it has not acknowledged. A tentative Pending does
    // not count as the network having received the request.
    bool tentative = false;
};

// A device the network reports for an account (for the installer).
struct TerminalDevice {
    std::string id;  // the id the network's API uses in paths
    std::string tid; // the terminal id that goes into signatures
    std::string name;
    std::string status;
    Json details = Json::object(); // what else the network says of it ({"merchant", "locked"})
};

// How long a network holds a preloaded payment (PaymentRequest::preload). The networks count in
// different units (WebECR minutes, Viva hours): `step` is the unit, and a lifetime is a whole
// number of steps from `step` to `longest`.
struct PreloadLimits {
    std::chrono::minutes step{1};
    std::chrono::minutes longest{0};
};

// What a network is and how its terminals behave, fixed when a terminal is made: the
// PaymentService reads it before anything is signed or written.
struct TerminalTraits {
    std::string network; // "mellon", "viva", "viva-orders", "gptom"
    // Whether start() passes the customer's e-mail and phone to the network (for its receipt);
    // when false the PaymentService tells the cashier they were not sent.
    bool carriesCustomerContact = false;
    // How long after a reported decline the network may still turn it into an approval (Viva: a
    // session reported failed can later succeed); zero when a decline is final. reconcile asks
    // again about declines younger than this.
    std::chrono::seconds declineMayTurnWithin{0};
    // Whether closeBatch() does anything: asked before a batch close is journaled.
    bool closesBatchOnRequest = false;
    // Whether abort() can stop a payment waiting on the terminal (the cashier's Ctrl-C); when false
    // the cashier cancels on the terminal itself.
    bool abortsOnRequest = false;
    // True when the network queues several requests on one terminal and they may finish in any
    // order (GP tom tasks); false when a terminal takes one payment at a time.
    bool queuesRequests = false;
    // Whether start() can ask the terminal for an IRIS payment (PaymentRequest::iris).
    bool requestsIris = false;
    // Whether an IRIS payment is refunded or voided through the terminal; when false the money
    // goes back through the bank and fiscpos refuses the refund or void before anything is signed.
    bool refundsIris = false;
    // Whether start() can preload a sale (PaymentRequest::preload), and for how long; nullopt:
    // the network has no preload the ERP can ask for, and the PaymentService refuses one before
    // anything is signed.
    std::optional<PreloadLimits> preload = std::nullopt;
    // Whether start() can send a sale in the network's autonomous form (PaymentRequest::
    // autonomous): no provider signature, the reason instead. No network fiscpos speaks publishes
    // such a request, so none sets it; the PaymentService refuses autonomous mode where it is
    // false.
    bool autonomous = false;
};

// Every call that reaches the network takes `record`: the HTTP exchanges it makes (token calls
// included) go there, explicitly, for the journal entry of the payment the call serves; calls on
// one terminal may run at once (a status beside a payment, GP tom's queued tasks) and never mix
// their records. A network implements the protected do...() functions.
class Terminal {
public:
    explicit Terminal(TerminalTraits traits)
        : traits_(std::move(traits)) {}
    virtual ~Terminal() = default;

    const TerminalTraits& traits() const { return traits_; }
    const std::string& network() const { return traits_.network; }

    // Sends a sale or refund. A TransportError with an unknown outcome means the request may have
    // arrived: the caller asks query(reference) before anything else.
    TerminalReport start(const PaymentRequest& request, const HttpObserver& record = {}) {
        return watched(record, [&](const HttpObserver& sink) { return doStart(request, sink); });
    }
    // What the network knows under our reference; NotFound when it never received it.
    // `sentNoEarlierThan`: when the caller knows it (the journal entry's opening, written before
    // any request under the reference could leave), the earliest a request under it can have
    // been sent. A process that did not send the request itself (a restart, another instance)
    // passes it, so a network that takes a moment to register requests, or that forgets them, can
    // tell "not there yet" and "never arrived" from "arrived long ago".
    TerminalReport query(const std::string& reference, const HttpObserver& record = {},
                         std::optional<TimePoint> sentNoEarlierThan = std::nullopt) {
        return watched(record, [&](const HttpObserver& sink) {
            return doQuery(reference, sentNoEarlierThan, sink);
        });
    }
    // Asks the network to void (reverse) a payment; the report is that of the void itself.
    TerminalReport voidPayment(const VoidRequest& request, const HttpObserver& record = {}) {
        return watched(record, [&](const HttpObserver& sink) { return doVoid(request, sink); });
    }
    std::vector<TerminalDevice> devices(const HttpObserver& record = {}) {
        return watched(record, [&](const HttpObserver& sink) { return doDevices(sink); });
    }
    // Asks the terminal to stop a payment that is not final yet (the cashier cancels). The report
    // is only what the network said to the request: the payment's outcome still comes from
    // query(reference), which the caller keeps asking until it is final. NotSupportedError when
    // the network has no such call.
    TerminalReport abort(const std::string& reference, const HttpObserver& record = {}) {
        return watched(record, [&](const HttpObserver& sink) { return doAbort(reference, sink); });
    }
    // Closes the terminal's batch under our reference; query(reference) follows it like a payment
    // and its final report carries `batch`. NotSupportedError when the network closes batches by
    // itself.
    TerminalReport closeBatch(const std::string& reference, const HttpObserver& record = {}) {
        return watched(record,
                       [&](const HttpObserver& sink) { return doCloseBatch(reference, sink); });
    }

    // Checks, before anything is signed or written, that the network can carry this request as
    // asked (its kind, a pre-authorisation, instalments, a tip): NotSupportedError or InputError
    // naming what it cannot. The signature is not known yet; start() still checks the rest.
    virtual void admit(const PaymentRequest& request) const { (void)request; }

    // Every HTTP exchange the calls above make, whichever payment they serve, also goes to
    // `watcher` (for tests and diagnostics); an empty one stops it.
    void observe(HttpObserver watcher);

protected:
    virtual TerminalReport doStart(const PaymentRequest& request, const HttpObserver& record) = 0;
    virtual TerminalReport doQuery(const std::string& reference,
                                   std::optional<TimePoint> sentNoEarlierThan,
                                   const HttpObserver& record) = 0;
    virtual TerminalReport doVoid(const VoidRequest& request, const HttpObserver& record) = 0;
    virtual std::vector<TerminalDevice> doDevices(const HttpObserver& record) = 0;
    virtual TerminalReport doAbort(const std::string& reference, const HttpObserver& record) {
        (void)reference;
        (void)record;
        throw NotSupportedError(network() + " cannot stop a payment from the ERP: the cashier "
                                            "cancels it on the terminal");
    }
    virtual TerminalReport doCloseBatch(const std::string& reference, const HttpObserver& record) {
        (void)reference;
        (void)record;
        throw NotSupportedError(network() + " closes its batches by itself");
    }
    // For a terminal whose traits are set after it is made (a scripted test terminal).
    TerminalTraits& ownTraits() { return traits_; }

private:
    // Runs `call` with `record`, or, when a watcher is set, with a sink that feeds both; the
    // payment's own record is passed as it is when nobody watches.
    template <typename Call>
    std::invoke_result_t<Call, const HttpObserver&> watched(const HttpObserver& record,
                                                            Call&& call) const {
        const std::shared_ptr<const HttpObserver> watcher = currentWatcher();
        if (!watcher) {
            return call(record);
        }
        const HttpObserver both = [&record, &watcher](const HttpExchange& exchange) {
            if (record) {
                record(exchange);
            }
            (*watcher)(exchange);
        };
        return call(both);
    }
    std::shared_ptr<const HttpObserver> currentWatcher() const;

    TerminalTraits traits_;
    mutable std::mutex watcherMutex_;
    std::shared_ptr<const HttpObserver> watcher_;
};

// What every network checks before it charges: the amount is the payable the provider signed,
// and the signature names the TID of the terminal (`section`'s `tid`). InputError naming
// "amount" or "signature.tid" otherwise.
void checkSignedCharge(const PaymentRequest& request, const std::string& tid,
                       const std::string& section);

// The report of a request the network refused outright: Final, Failed (nothing was charged),
// "REFUSED <status>", with the refusal's message.
TerminalReport refusedReport(const RequestRefused& refused);

// What `send` reports for a request the network may refuse outright; a refusal is its
// refusedReport.
template <typename Send> TerminalReport reportUnlessRefused(Send&& send) {
    try {
        return send();
    } catch (const RequestRefused& refused) {
        return refusedReport(refused);
    }
}

} // namespace fiscpos::core
