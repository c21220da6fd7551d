#include "viva/session_outcome.hpp"

namespace fiscpos::viva {

namespace {

using core::PaymentOutcome;

constexpr const char* nothingCharged = "; nothing was charged";

struct EventRow {
    std::int64_t id;
    PaymentOutcome outcome;
    const char* name;
    const char* advice; // what the cashier does
};

// Contract §12.
constexpr EventRow rows[] = {
    {1000, PaymentOutcome::Cancelled, "cancelled on the terminal",
     "the cardholder or the cashier cancelled it"},
    {1001, PaymentOutcome::Failed, "payment app busy",
     "the terminal's payment app is busy; wait until it is idle, then take a new payment"},
    {1002, PaymentOutcome::Failed, "stored transactions need a void",
     "the terminal holds stored transactions that must be voided first; ask Viva support"},
    {1003, PaymentOutcome::Cancelled, "terminal timed out",
     "the terminal timed out waiting for the card; take a new payment when the cardholder is "
     "ready"},
    {1004, PaymentOutcome::Declined, "declined by the terminal",
     "the terminal declined the card; ask for another card"},
    {1006, PaymentOutcome::Declined, "declined by the server",
     "the card's issuer declined it; ask for another card"},
    {1007, PaymentOutcome::Declined, "declined by the card",
     "the card declined the payment; ask for another card"},
    {1008, PaymentOutcome::Failed, "not reversible", "Viva cannot reverse this transaction"},
    {1009, PaymentOutcome::Failed, "invalid amount for a void",
     "the amount does not match the payment being voided"},
    {1010, PaymentOutcome::Declined, "invalid card", "the card is not valid; ask for another card"},
    {1011, PaymentOutcome::Failed, "no transactions found", "Viva found no transaction to act on"},
    {1012, PaymentOutcome::Failed, "transaction does not exist",
     "Viva does not know the original transaction"},
    {1013, PaymentOutcome::Failed, "ISV sale not initialised",
     "Viva could not start the sale for the ISV account; ask Viva support"},
    {1014, PaymentOutcome::Failed, "refunds disabled",
     "refunds are not enabled for this merchant account (AllowLiquidation role); ask Viva"},
    {1016, PaymentOutcome::Cancelled, "aborted", "the payment was stopped before completion"},
    {1017, PaymentOutcome::Failed, "invalid amount for capture",
     "the amount to capture does not fit the pre-authorisation"},
    {1018, PaymentOutcome::Failed, "no parameters for merchant",
     "the terminal has no parameters for this merchant; ask Viva support"},
    {1019, PaymentOutcome::Declined, "try another card", "ask for another card"},
    {1020, PaymentOutcome::Declined, "insufficient funds",
     "the card has insufficient funds; ask for another card"},
    {1021, PaymentOutcome::Failed, "not reversible", "Viva cannot reverse this transaction"},
    {1076, PaymentOutcome::Failed, "provider signature refused",
     "Viva could not verify the provider's signature for the provider id sent; check "
     "provider_id and that the provider's key is registered with Viva"},
    {1077, PaymentOutcome::Failed, "AADE details mismatch",
     "the signed details (amount, TID) do not match the payment; sign the payment again"},
    {1083, PaymentOutcome::Failed, "AADE parameters missing",
     "Viva needs every AADE field (provider id, signed data, signature)"},
    {1099, PaymentOutcome::Failed, "generic transaction error",
     "the terminal reported an error; try a new payment"},
    {1100, PaymentOutcome::Failed, "terminal busy",
     "the terminal is already processing another request; finish or cancel it on the "
     "terminal, then take a new payment"},
    {1101, PaymentOutcome::Failed, "original payment not found",
     "Viva could not find the original payment (parentSessionId)"},
    {1102, PaymentOutcome::Failed, "transaction expired",
     "the terminal did not take the payment within about a minute; check that the Viva app is "
     "open and up to date and the screen is on, then take a new payment"},
    {2000, PaymentOutcome::Failed, "location services disabled",
     "turn on location services on the terminal, then take a new payment"},
    {4000, PaymentOutcome::Failed, "network error",
     "the terminal lost the network; check its connection, then take a new payment"},
    {5000, PaymentOutcome::Failed, "MOTO not enabled", "the terminal cannot take MOTO payments"},
    {5001, PaymentOutcome::Failed, "instalments not enabled",
     "the terminal cannot offer instalments; take the payment without them or ask Viva"},
    {5002, PaymentOutcome::Failed, "pre-authorisation not enabled",
     "the terminal cannot pre-authorise; ask Viva to enable it"},
    {5003, PaymentOutcome::Failed, "QR payments not enabled",
     "the terminal cannot take QR payments"},
    {5004, PaymentOutcome::Failed, "void not enabled", "the terminal cannot void payments"},
    {5005, PaymentOutcome::Failed, "tipping not enabled",
     "the terminal cannot take tips; take the payment without a tip"},
    {5006, PaymentOutcome::Failed, "sale not enabled", "the terminal cannot take sales"},
    {6000, PaymentOutcome::Failed, "wrong request parameters",
     "Viva rejected the request's parameters"},
    {6102, PaymentOutcome::Failed, "missing ISV role", "the account lacks the ISV role"},
    {6201, PaymentOutcome::Failed, "store-and-forward limit",
     "the terminal's offline limit is reached; connect it so it uploads its stored payments"},
};

const EventRow* rowOf(std::int64_t eventId) {
    for (const auto& row : rows) {
        if (row.id == eventId) {
            return &row;
        }
    }
    return nullptr;
}

std::string inQuotes(const std::string& vivaMessage) {
    return vivaMessage.empty() ? std::string() : " (Viva: \"" + vivaMessage + "\")";
}

} // namespace

std::string eventName(std::int64_t eventId) {
    if (const EventRow* row = rowOf(eventId)) {
        return row->name;
    }
    if (eventId >= 3000 && eventId <= 3099) {
        return "terminal connection error";
    }
    if (eventId >= 7001 && eventId <= 7005) {
        return "store-and-forward limit";
    }
    return "eventId " + std::to_string(eventId);
}

SessionMeaning failedSessionMeaning(std::optional<std::int64_t> eventId,
                                    const std::string& vivaMessage) {
    SessionMeaning meaning;
    if (!eventId || *eventId == 0) {
        meaning.outcome = PaymentOutcome::Failed;
        meaning.message =
            "the terminal did not complete the payment" + inQuotes(vivaMessage) + nothingCharged;
        return meaning;
    }
    const std::int64_t id = *eventId;
    if (const EventRow* row = rowOf(id)) {
        meaning.outcome = row->outcome;
        meaning.message = std::string(row->name) + ": " + row->advice + inQuotes(vivaMessage) +
                          " [eventId " + std::to_string(id) + "]" + nothingCharged;
        return meaning;
    }
    meaning.outcome = PaymentOutcome::Failed;
    if (id >= 3000 && id <= 3099) {
        meaning.message = "terminal connection error: the terminal could not reach its card "
                          "reader or Viva; check it, then take a new payment" +
                          inQuotes(vivaMessage) + " [eventId " + std::to_string(id) + "]" +
                          nothingCharged;
    } else if (id >= 7001 && id <= 7005) {
        meaning.message = "store-and-forward limit: the terminal's offline limit is reached; "
                          "connect it so it uploads its stored payments" +
                          inQuotes(vivaMessage) + " [eventId " + std::to_string(id) + "]" +
                          nothingCharged;
    } else {
        meaning.message = "the terminal did not complete the payment" + inQuotes(vivaMessage) +
                          " [eventId " + std::to_string(id) + "]" + nothingCharged;
    }
    return meaning;
}

} // namespace fiscpos::viva
