// Owning handles for the libpq objects of a PostgreSQL journal (internal to plugin/journal): its
// connection, statement results and notifications.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <string>

namespace fiscpos::plugin::journal_detail::libpq {

struct Finish {
    void operator()(PGconn* connection) const noexcept { PQfinish(connection); }
};
using Connection = std::unique_ptr<PGconn, Finish>;

struct Clear {
    void operator()(PGresult* result) const noexcept { PQclear(result); }
};
using Result = std::unique_ptr<PGresult, Clear>;

struct FreeNotify {
    void operator()(PGnotify* notify) const noexcept { PQfreemem(notify); }
};
using Notification = std::unique_ptr<PGnotify, FreeNotify>;

// A connection made with libpq's keywords; null only when libpq could not allocate one.
inline Connection connect(const std::string& keywords) {
    return Connection(PQconnectdb(keywords.c_str()));
}

// A libpq message on one line: its line breaks and tabs as single spaces, none at the end.
inline std::string oneLine(const char* message) {
    std::string text;
    for (const char* at = message; *at != '\0'; ++at) {
        const char c = *at;
        const bool blank = c == '\n' || c == '\t' || c == ' ';
        if (!blank) {
            text += c;
        } else if (!text.empty() && text.back() != ' ') {
            text += ' ';
        }
    }
    while (!text.empty() && text.back() == ' ') {
        text.pop_back();
    }
    return text;
}

// libpq's last error on `connection`, on one line.
inline std::string errorOf(const PGconn* connection) {
    return oneLine(connection != nullptr ? PQerrorMessage(connection) : "out of memory");
}

} // namespace fiscpos::plugin::journal_detail::libpq
