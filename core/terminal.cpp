#include "core/terminal.hpp"

#include "core/names.hpp"

namespace fiscpos::core {

namespace {

constexpr auto stageNames = nameTable<TerminalStage>({{TerminalStage::NotFound, "not_found"},
                                                      {TerminalStage::Pending, "pending"},
                                                      {TerminalStage::OnDevice, "on_device"},
                                                      {TerminalStage::Final, "final"}});

constexpr auto outcomeNames = nameTable<PaymentOutcome>({{PaymentOutcome::Approved, "approved"},
                                                         {PaymentOutcome::Declined, "declined"},
                                                         {PaymentOutcome::Cancelled, "cancelled"},
                                                         {PaymentOutcome::Failed, "failed"},
                                                         {PaymentOutcome::InDoubt, "in_doubt"}});

constexpr auto autonomousReasons = nameTable<AutonomousReason>(
    {{AutonomousReason::InterconnectionLoss, "interconnection_loss"},
     {AutonomousReason::ReplacementCashSystem, "replacement_cash_system"},
     {AutonomousReason::Lock, "lock"}});

} // namespace

std::string_view autonomousReasonName(AutonomousReason reason) {
    return autonomousReasons.name(reason);
}

AutonomousReason parseAutonomousReason(std::string_view text, std::string_view field) {
    return autonomousReasons.parse(text, field, "a reason for autonomous mode");
}

std::string_view stageName(TerminalStage stage) {
    return stageNames.name(stage);
}

std::string_view outcomeName(PaymentOutcome outcome) {
    return outcomeNames.name(outcome);
}

void Terminal::observe(HttpObserver watcher) {
    std::lock_guard lock(watcherMutex_);
    watcher_ = watcher ? std::make_shared<const HttpObserver>(std::move(watcher)) : nullptr;
}

std::shared_ptr<const HttpObserver> Terminal::currentWatcher() const {
    std::lock_guard lock(watcherMutex_);
    return watcher_;
}

void checkSignedCharge(const PaymentRequest& request, const std::string& tid,
                       const std::string& section) {
    if (request.amount != request.signature.payable) {
        throw InputError("amount", "the amount to charge " + request.amount.toString() +
                                       " is not the signed payable " +
                                       request.signature.payable.toString());
    }
    if (request.signature.tid != tid) {
        throw InputError("signature.tid", "the signature was made for TID \"" +
                                              request.signature.tid + "\", but " + section +
                                              " is TID \"" + tid + "\"");
    }
}

TerminalReport refusedReport(const RequestRefused& refused) {
    TerminalReport report;
    report.stage = TerminalStage::Final;
    report.outcome = PaymentOutcome::Failed;
    report.networkStatus = "REFUSED " + std::to_string(refused.status());
    report.message = refused.what();
    return report;
}

} // namespace fiscpos::core
