// core::Terminal over the Viva Local Terminal API (network "viva-local", contract
// viva-local-terminal.md): the ERP talks to the Viva terminal app on the shop's LAN, with no cloud
// hop. Our reference is the sessionId; the bodies are the Cloud API's (aade* fields,
// merchantReference "fiscpos:<reference>") without terminalId and cashRegisterId, and a session's
// result is read into the Cloud session, so the same eventIds give the same outcomes and cashier
// messages (session_outcome.hpp).
//
// start(): PROCESSING is Pending (the caller polls query()); BUSY_ERROR is Final/Failed, nothing
// started or charged, and the request is never posted again; anything else (SERVER_ERROR, no
// readable state, a lost answer) leaves open whether the session started: a TransportError with
// an unknown outcome, so the caller asks query() by the same sessionId.
//
// query(): SUCCESS with isSuccess true is Approved (with merchantApproved: approved offline, see
// localReportOf); SUCCESS with isSuccess false and FAILURE are what the eventId means; PROCESSING,
// SERVER_ERROR and unknown states are not final. SESSION_NOT_FOUND_ERROR means what
// local::notFoundMeaning() says (PROVISIONAL): the request never arrived (NotFound, nothing was
// charged) only when this object knows it did not leave, or lost the answer moments ago, or, for
// a reference this object never sent, when the caller's sentNoEarlierThan (the entry's opening)
// is that recent; otherwise (the terminal acknowledged it, or it is older) it is Final/InDoubt.
#pragma once

#include "core/terminal.hpp"
#include "viva/local_client.hpp"
#include "viva/local_provisional_api.hpp"
#include "viva/sent_references.hpp"

#include <string>
#include <vector>

namespace fiscpos::viva::local {

// The report of a final session. As viva::reportOf(), and for merchantApproved (a
// Store-and-Forward approval, not yet authorised online): Approved with networkStatus
// "approved-offline"; its myDATA transactionId is kept only when the terminal gave both an
// aadeTransactionId and a tid, otherwise it is left empty so no myDATA payment line is made before
// reconciliation. `tid` is used when the session names none (never for an offline approval).
core::TerminalReport localReportOf(const LocalSession& session, const std::string& tid);

class LocalTerminal final : public core::Terminal {
public:
    // ConfigError naming the setting when the url is unusable; what payments need beyond it (tid)
    // is checked when a payment starts.
    explicit LocalTerminal(LocalSettings settings, const core::Clock& clock = core::systemClock());

    // What the Cloud API admits (viva::admitTransactionRequest), without IRIS, preloads and
    // unreferenced refunds (not published for the local API), and a refund or completion needs its
    // sale's Viva transactionId (original.networkTransactionRef).
    void admit(const core::PaymentRequest& request) const override;

    LocalClient& client() { return client_; }

private:
    core::TerminalReport doStart(const core::PaymentRequest& request,
                                 const core::HttpObserver& record) override;
    core::TerminalReport doQuery(const std::string& reference,
                                 std::optional<core::TimePoint> sentNoEarlierThan,
                                 const core::HttpObserver& record) override;
    // A full refund of the sale (its Viva transactionId, its amount, its own signature when the
    // journal has it) as its own session under request.reference.
    core::TerminalReport doVoid(const core::VoidRequest& request,
                                const core::HttpObserver& record) override;
    // The configured terminal, when it answers (a session lookup under a random id): status
    // "reachable". A TransportError when it does not.
    std::vector<core::TerminalDevice> doDevices(const core::HttpObserver& record) override;
    // POST /pos/v1/abort: the report says only that the terminal took the request; the outcome
    // still comes from query(). AbortRefused(404) when the terminal has no such session.
    core::TerminalReport doAbort(const std::string& reference,
                                 const core::HttpObserver& record) override;

    using Endpoint = Immediate (LocalClient::*)(const core::Json&, const core::HttpObserver&);
    core::TerminalReport send(Endpoint endpoint, const core::Json& body,
                              const TransactionRequest& request, const core::HttpObserver& record);
    core::TerminalReport notFound(const std::string& reference,
                                  std::optional<core::TimePoint> sentNoEarlierThan) const;
    core::TerminalReport pending(const std::string& reference, const std::string& status,
                                 const std::string& message) const;

    const core::Clock& clock_;
    LocalClient client_;
    SentReferences<SendRecord> sent_;
};

} // namespace fiscpos::viva::local
