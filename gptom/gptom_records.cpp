#include "gptom/gptom_records.hpp"

namespace fiscpos::gptom {

std::string_view taskStateName(TaskState state) {
    switch (state) {
    case TaskState::Pending:
        return "pending";
    case TaskState::Done:
        return "done";
    case TaskState::Failed:
        return "failed";
    case TaskState::Cancelled:
        return "cancelled";
    case TaskState::Unknown:
        break;
    }
    return "unknown";
}

std::string_view txnOutcomeName(TxnOutcome outcome) {
    switch (outcome) {
    case TxnOutcome::Approved:
        return "approved";
    case TxnOutcome::Declined:
        return "declined";
    case TxnOutcome::Cancelled:
        return "cancelled";
    case TxnOutcome::Error:
        return "error";
    case TxnOutcome::Unknown:
        break;
    }
    return "unknown";
}

std::string_view taskKindName(TaskKind kind) {
    switch (kind) {
    case TaskKind::Transaction:
        return "transaction";
    case TaskKind::CloseBatch:
        return "close_batch";
    case TaskKind::Unknown:
        break;
    }
    return "unknown";
}

std::string TaskError::describe() const {
    std::string text = code.empty() ? "an error" : "error " + code;
    if (!internalErrorCode.empty()) {
        text += " (internal " + internalErrorCode +
                (internalErrorSubCode.empty() ? "" : "/" + internalErrorSubCode) + ")";
    }
    if (!message.empty()) {
        text += ": " + message;
    }
    return text;
}

} // namespace fiscpos::gptom
