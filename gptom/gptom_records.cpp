#include "gptom/gptom_records.hpp"

#include "core/names.hpp"
namespace fiscpos::gptom {

namespace {

constexpr auto taskStateNames = core::nameTable<TaskState>({{TaskState::Pending, "pending"},
                                                            {TaskState::Done, "done"},
                                                            {TaskState::Failed, "failed"},
                                                            {TaskState::Cancelled, "cancelled"}});

constexpr auto txnOutcomeNames = core::nameTable<TxnOutcome>({{TxnOutcome::Approved, "approved"},
                                                              {TxnOutcome::Declined, "declined"},
                                                              {TxnOutcome::Cancelled, "cancelled"},
                                                              {TxnOutcome::Error, "error"}});

constexpr auto taskKindNames = core::nameTable<TaskKind>(
    {{TaskKind::Transaction, "transaction"}, {TaskKind::CloseBatch, "close_batch"}});

} // namespace

std::string_view taskStateName(TaskState state) {
    return taskStateNames.name(state);
}

std::string_view txnOutcomeName(TxnOutcome outcome) {
    return txnOutcomeNames.name(outcome);
}

std::string_view taskKindName(TaskKind kind) {
    return taskKindNames.name(kind);
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
