// A cash journal event: one step of an entry's life, appended and never changed. It holds the time,
// the state transition, the full HTTP request and response of the step (secrets redacted), the
// entry fields the step set, and a hash chained to the event before it.
#pragma once

#include "plugin/journal/journal_state.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace fiscpos::core {
struct HttpExchange;
}

namespace fiscpos::plugin {

// Event kinds fiscpos writes. Any other short name is accepted too.
namespace event_kind {
inline constexpr const char* Opened = "opened";
inline constexpr const char* ProviderRequest = "provider.request";
inline constexpr const char* ProviderResponse = "provider.response";
inline constexpr const char* ReferenceChosen = "reference.chosen";
inline constexpr const char* NetworkRequest = "network.request";
inline constexpr const char* NetworkResponse = "network.response";
inline constexpr const char* State = "state";
inline constexpr const char* Voided = "voided";
inline constexpr const char* Note = "note";
// The ERP cancelled a payment before it reached the network: whichever process runs it stops.
inline constexpr const char* CancelRequested = "cancel.requested";
// The provider signature of a payment that never reached the network was cancelled (or the
// provider refused to): it can never be used.
inline constexpr const char* ProviderCancelled = "provider.cancelled";
// Issuing the invoice through the provider (plugin/invoice_issuing.hpp): the body about to be
// sent, written before it leaves; the provider's record once it issued; its refusal.
inline constexpr const char* InvoiceIssuing = "invoice.issuing";
inline constexpr const char* InvoiceIssued = "invoice.issued";
inline constexpr const char* InvoiceRefused = "invoice.refused";
} // namespace event_kind

// What the caller appends. The journal redacts every text field before it is stored.
struct EventRecord {
    std::string kind;
    std::optional<std::string> httpMethod;
    std::optional<std::string> url;
    std::optional<int> httpStatus; // absent when no answer came
    std::optional<std::int64_t> durationUs;
    std::optional<std::string> requestHeaders; // "Name: value" lines
    std::optional<std::string> requestBody;
    std::optional<std::string> responseBody;
    std::optional<std::string> transportError;
    std::optional<std::string> note;

    static EventRecord make(std::string kind, std::optional<std::string> note = std::nullopt);
    // One HTTP exchange as the core HTTP client reports it; status 0 becomes "no answer". The
    // values of the fields the request declared secret (core::HttpRequest::secretFields) are
    // removed from its bodies and error.
    static EventRecord fromExchange(std::string kind, const core::HttpExchange& exchange);
};

// An event as stored.
struct JournalEvent {
    std::int64_t seq{}; // 1, 2, 3 ... across the whole journal
    std::string entryId;
    std::string at; // UTC, "2024-05-10T13:43:40Z"
    std::optional<EntryState> fromState;
    std::optional<EntryState> toState; // set when the event changed the state
    EventRecord record;
    std::string changes; // JSON object of the entry columns this event set
    std::string prevHash;
    std::string hash;
};

} // namespace fiscpos::plugin
