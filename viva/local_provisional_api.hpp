// PROVISIONAL: the Viva Local Terminal API (nsp = viva-local) where neither Viva's published pages
// nor the third-party clients settle it (contract viva-local-terminal.md, items tagged PROVISIONAL
// or [inferred]). Every such wire detail and every rule fiscpos chose for a gap lives in this file
// (and local_provisional_api.cpp) and nowhere else, so Viva's Redoc replaces it without touching
// the client or the terminal:
//   - the port: the clients disagree (9564, 8080), so the URL must name one; there is no default;
//   - the HTTP status that goes with each `state`: an answer is read by its `state` whatever its
//     status; an answer without a readable `state` to a POST leaves the outcome unknown;
//   - `state` values beyond the five known ones (CANCELLED, ABORTED, ERROR, ...) are not final;
//   - an immediate SERVER_ERROR to a sale or refund leaves open whether a session started;
//   - the body of POST /pos/v1/preauth-completion beyond sessionId and amount;
//   - how long the terminal keeps a session, and so what SESSION_NOT_FOUND_ERROR means (below).
#pragma once

#include "core/http_client.hpp"
#include "core/json.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace fiscpos::viva::local {

// ---- transport ----------------------------------------------------------------------------------

// The terminal's base URL must name its port (https://192.168.1.50:PORT): ConfigError naming
// `setting` otherwise. [secondary: no agreed default]
void requireExplicitPort(const std::string& url, const std::string& setting);

// ---- paths (below the terminal's base URL) -----------------------------------------------------

inline constexpr const char* salePath = "/pos/v1/sale";     // [secondary] all clients
inline constexpr const char* refundPath = "/pos/v1/refund"; // [secondary] Go, B4X
inline constexpr const char* abortPath = "/pos/v1/abort";   // [secondary] Go, B4X, Node 1
// [secondary] B4X only.
inline constexpr const char* preauthCompletionPath = "/pos/v1/preauth-completion";
std::string sessionPath(const std::string& sessionId); // GET /pos/v1/sessions/{id} [secondary]

// ---- states ------------------------------------------------------------------------------------

enum class State {
    Processing,      // accepted / still running
    Success,         // final: see payloadData (isSuccess false is a decline)
    Failure,         // final: did not complete
    SessionNotFound, // the terminal has no session under the id
    ServerError,     // the terminal could not answer now
    Busy,            // BUSY_ERROR: another session runs, nothing started
    Other,           // any other value: not final (logged in the report's status)
};

// The state a `state` value names (exact, upper case as the clients send it).
State stateOf(std::string_view text);

// The `state` of an answer whatever its HTTP status; nullopt when the body is not a JSON object
// with a string `state`.
std::optional<std::string> stateOfAnswer(const core::HttpResponse& response);

// Whether an immediate SERVER_ERROR to a sale or refund leaves open that a session started
// (true: the caller asks by sessionId, never posts again).
inline constexpr bool serverErrorOutcomeUnknown = true;

// ---- pre-authorisation completion ---------------------------------------------------------------

// The completion's body out of the body a refund of the same amount would have: {sessionId,
// amount (cents), currencyCode, merchantReference, transactionId (the pre-authorisation's Viva
// transactionId), [aade*]}. Only sessionId and amount are known [secondary]; the rest follows the
// refund.
core::Json preauthCompletionBody(const core::Json& refundBody);

// ---- SESSION_NOT_FOUND_ERROR --------------------------------------------------------------------

// How long after an unacknowledged POST (the answer was lost) a SESSION_NOT_FOUND_ERROR still
// means the request never reached the terminal: the terminal is on the LAN and registers a
// session as it accepts it, so within this a reboot is the unlikely reading.
inline constexpr std::chrono::seconds neverArrivedWithin{30};

// What a SESSION_NOT_FOUND_ERROR means for a session.
enum class NotFoundMeaning {
    NeverArrived, // nothing was charged: the request never reached the terminal
    InDoubt,      // the terminal had it (or may have had it) and forgot it: a reboot, or a session
                  // kept for less time than it took to ask; settle it through Viva's portal or
                  // the cloud webhooks, never charge again before that
};

// What this process knows of the request under the session id.
enum class SendRecord {
    Unacknowledged, // sent, no answer (yet), or it was lost or unreadable
    NeverLeft,      // no connection was made, or the terminal refused it: nothing started
    Acknowledged,   // the terminal answered PROCESSING
    Unknown,        // not sent from this process (another process, a restart): when is unknown
};
// A process that did not send the request but knows the earliest it can have left (the journal
// entry's opening, core::Terminal::query) reads it as Unacknowledged from that moment: within
// neverArrivedWithin of it, never arrived (a reconcile moments after a crash); later, in doubt.

// Acknowledged: in doubt (the terminal had it). NeverLeft: never arrived. Unacknowledged: never
// arrived within neverArrivedWithin of sending, in doubt after. Unknown: in doubt (how long ago
// it was sent, and so whether the terminal forgot it, cannot be told).
NotFoundMeaning notFoundMeaning(SendRecord record, std::chrono::seconds sinceSent);

} // namespace fiscpos::viva::local
