#include "core/terminal.hpp"

namespace fiscpos::core {

std::string_view stageName(TerminalStage stage) {
    switch (stage) {
    case TerminalStage::NotFound:
        return "not_found";
    case TerminalStage::Pending:
        return "pending";
    case TerminalStage::OnDevice:
        return "on_device";
    case TerminalStage::Final:
        return "final";
    }
    return "unknown";
}

std::string_view outcomeName(PaymentOutcome outcome) {
    switch (outcome) {
    case PaymentOutcome::Approved:
        return "approved";
    case PaymentOutcome::Declined:
        return "declined";
    case PaymentOutcome::Cancelled:
        return "cancelled";
    case PaymentOutcome::Failed:
        return "failed";
    case PaymentOutcome::InDoubt:
        return "in_doubt";
    }
    return "unknown";
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
