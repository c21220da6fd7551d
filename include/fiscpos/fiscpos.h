/*
 * fiscpos.h: the C interface of libfiscpos, for ERPs written in any language that can call C.
 *
 * Card payments under AADE A.1155/2023 through one opaque handle, with JSON strings in and out
 * (UTF-8, amounts as decimal strings such as "1.24"):
 *
 *     fiscpos_handle* fp = NULL;
 *     char* error = NULL;
 *     if (fiscpos_open("fiscpos.ini", &fp, &error) != FISCPOS_DONE) {
 *         fprintf(stderr, "%s\n", error);   // {"ok":false,"error":{...}}
 *         fiscpos_free(error);
 *         return 1;
 *     }
 *     char* response = NULL;
 *     int status = fiscpos_call(fp, "pay", "{\"terminal\":\"A3\",\"invoice\":{...}}", &response);
 *     puts(response);                       // the journal entry, with "ok"
 *     fiscpos_free(response);
 *     fiscpos_close(fp);
 *
 * Methods (see docs/c-abi.md for every request and response): pay, refund, void, capture,
 * cancel, close_batch, status, reconcile, journal, invoice, issue, receipt, terminals, pair.
 * fiscpos_start runs pay, refund, void, capture and close_batch without waiting for the card.
 *
 * Errors: every failure comes back as a JSON response
 *     {"ok": false, "error": {"code": "input", "message": "...", "field": "terminal"}}
 * with one of the status codes below. No C++ exception ever leaves the library.
 *
 * Threads: a handle may be used from several threads at once. Payments on different terminals
 * run in parallel; payments on the same terminal wait for each other (a terminal takes one card
 * at a time; GP tom queues its tasks, so there they run at once). "cancel" never waits: call it
 * from another thread while "pay" runs. The journal is shared and serialises its own writes. fiscpos_set_progress may be
 * called at any time; fiscpos_close must not run while another thread is inside fiscpos_call on
 * the same handle. Started methods end (their done callbacks) before fiscpos_close returns.
 *
 * Memory: every string the library returns through an out-parameter is the caller's, to be
 * released with fiscpos_free (never with free()). Strings passed in are only read during the
 * call.
 */
#ifndef FISCPOS_FISCPOS_H
#define FISCPOS_FISCPOS_H

#if defined(_WIN32)
#define FISCPOS_API __declspec(dllexport)
#else
#define FISCPOS_API __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* The status of a call, the same numbers as the exit statuses of the fiscpos command. */
typedef enum fiscpos_status {
    FISCPOS_DONE = 0,        /* approved, done */
    FISCPOS_BAD_INPUT = 1,   /* bad request or configuration; nothing was charged */
    FISCPOS_NOT_CHARGED = 2, /* declined, cancelled, failed: nothing was charged */
    FISCPOS_IN_DOUBT = 3,    /* do not charge again: ask "status" or "reconcile" */
    FISCPOS_INTERNAL = 4     /* a fault inside the library (out of memory, a bug); see the JSON */
} fiscpos_status;

/* The opaque handle: one configuration, its cash journal, provider and terminals. */
typedef struct fiscpos_handle fiscpos_handle;

/*
 * A step of a long operation, for the cashier's screen: entry_id is the journal entry (may be
 * empty before the entry exists), step a stable word for programs, text a sentence for people in
 * the configured language ([display] language: el, the default, or en). The steps:
 *   a payment     "known" (the idempotency key is in the journal already), "signing", "signed",
 *                 "notice", "sending", "not_found", "pending", "on_device", then its final state
 *                 in capitals as the journal names it: "APPROVED", "DECLINED", "CANCELLED",
 *                 "FAILED", "NOT_CHARGED", "IN_DOUBT"; or "failed", "in_doubt", "not_charged",
 *                 "unreachable" when it ends without the network's final answer
 *   stopping it   "aborting", "cancelling", "cancelled", "voided"
 *   around it     "waiting" (the terminal is busy with another request), "signature" (an unused
 *                 provider signature cancelled), "skipped" (reconcile left an entry for later)
 *   the invoice   "issuing", "reading", "checking", "adding", "issued", "queued", "unknown",
 *                 "issue" (issued on approval but not now: the payment stands)
 *   the receipt   "sending", "sent", "skipped", "waiting", "accepted"
 * Called on the thread that is inside fiscpos_call (a worker for fiscpos_start); the strings are
 * valid only during the callback. It must not call fiscpos_close.
 */
typedef void (*fiscpos_progress_fn)(const char* entry_id, const char* step, const char* text,
                                    void* user);

/*
 * Opens the configuration file (see samples/fiscpos.ini): the cash journal, the provider and the
 * terminals. On success *handle is set and FISCPOS_DONE returned; otherwise *handle is NULL and,
 * when error is not NULL, *error receives the error JSON (release it with fiscpos_free).
 */
FISCPOS_API int fiscpos_open(const char* config_path, fiscpos_handle** handle, char** error);

/*
 * Runs one method with a JSON request (NULL or "" means {}). *response always receives a JSON
 * object (release it with fiscpos_free), also on failure. Returns a fiscpos_status.
 */
FISCPOS_API int fiscpos_call(fiscpos_handle* handle, const char* method, const char* request_json,
                             char** response);

/*
 * How a started method ended: the status and the JSON response fiscpos_call would have returned
 * for it (valid only during the callback). Called exactly once per successful fiscpos_start, on
 * one of the library's own threads, or on the thread in fiscpos_close for a method still waiting
 * then (status FISCPOS_BAD_INPUT, error code "closed": the entry stays open in the journal for
 * "reconcile"). It must not call fiscpos_close.
 */
typedef void (*fiscpos_done_fn)(int status, const char* response_json, void* user);

/*
 * Starts a method that waits on a terminal (pay, refund, void, capture, close_batch) without
 * holding the calling thread for the wait. Checks the request and opens the journal entry on this
 * thread (after the terminal's turn has come, when another request holds it), then returns
 * FISCPOS_DONE with *response = {"ok": true, "started": true, "entry": {...}}; the provider's
 * signature, the request to the terminal and the questions until the payment ends run on the
 * library's few worker threads, a waiting payment holding a timer, not a thread. `done` hears the
 * end; the progress callback is called on the workers. Bad input returns its error here, and
 * `done` is never called. Thousands of payments may wait at once on one handle.
 */
FISCPOS_API int fiscpos_start(fiscpos_handle* handle, const char* method,
                              const char* request_json, fiscpos_done_fn done, void* user,
                              char** response);

/* Sets (or, with NULL, removes) the progress callback of the handle. */
FISCPOS_API void fiscpos_set_progress(fiscpos_handle* handle, fiscpos_progress_fn callback,
                                      void* user);

/* Releases a string returned by the library. NULL is allowed. */
FISCPOS_API void fiscpos_free(char* text);

/* Closes the handle and everything it opened. NULL is allowed. */
FISCPOS_API void fiscpos_close(fiscpos_handle* handle);

/* The library's version, e.g. "0.1.0"; a static string, not to be freed. */
FISCPOS_API const char* fiscpos_version(void);

#ifdef __cplusplus
}
#endif

#endif /* FISCPOS_FISCPOS_H */
