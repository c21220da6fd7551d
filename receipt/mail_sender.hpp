// Sending one e-mail over SMTP (contract receipt-delivery.md §3): STARTTLS on 587 or implicit TLS
// on 465, the server's certificate and host name verified (a CA file may be configured), AUTH only
// over TLS; plain SMTP only to a relay on this machine. The message is multipart/related: the text
// and HTML alternatives and the QR code as an inline PNG, UTF-8 headers RFC 2047-encoded.
//
// What a failure means for sending again is the caller's question, so the errors say it:
//   core::TransportError (Connect)  nothing was handed over: sending again is safe
//   MailRefused                     the server answered no (4xx: later; 5xx: not this message)
//   MailOutcomeUnknown              the end of the message left and no answer came: it may
//                                   have been accepted; never send it again on one's own
#pragma once

#include "core/config.hpp"
#include "core/errors.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace fiscpos::receipt {

enum class MailSecurity { StartTls, Tls, None };

struct MailSettings {
    std::string host;
    std::uint16_t port = 587;
    std::string from; // the sender's address
    MailSecurity security = MailSecurity::StartTls;
    std::string username; // empty: no AUTH
    std::string password;
    bool authLogin = false; // AUTH LOGIN instead of AUTH PLAIN
    std::string caFile;     // "" = the system's store
    std::chrono::milliseconds connectTimeout{5000};
    std::chrono::milliseconds readTimeout{30000};
    std::string heloName = "fiscpos.localdomain";
};

// The [mail] section: host, port (587 for starttls, 465 for tls, 25 for none), from, security =
// starttls | tls | none (none only to a loopback host), username, password (may be ${ENV}), auth =
// plain | login, ca_file, connect_timeout_ms, read_timeout_ms, helo. A ConfigError naming "mail"
// when the section is missing, "mail.KEY" for a bad value.
MailSettings mailSettingsFromConfig(const core::Config& config);

// An address as fiscpos sends to it: local@domain, printable ASCII without blanks, <>(),;:"[]\,
// at most 254 characters, a domain with a dot (or localhost). InputError naming `field`.
void checkMailAddress(std::string_view address, const std::string& field);
// The reason `address` is not one, or nullopt.
std::optional<std::string> mailAddressProblem(std::string_view address);

struct OutgoingMail {
    std::string to;
    std::string senderName; // shown before the address, e.g. the shop's trade name
    std::string subject;    // UTF-8
    std::string plain;      // UTF-8, "\n" line ends
    std::string html;       // UTF-8
    std::string png;        // the inline image (the QR code); empty for none
    std::string imageId;    // its Content-ID without <>, referenced as cid:… in the HTML
    std::string messageId;  // without <>: one per outbox row, the same on every attempt
};

// The message as it goes over the wire (headers, MIME parts, CRLF line ends), without the SMTP
// envelope: what the server receives.
std::string composedMail(const OutgoingMail& mail, const std::string& from);

class MailRefused : public core::Error {
public:
    MailRefused(int status, const std::string& message)
        : core::Error("mail_refused", message)
        , status_(status) {}
    int status() const noexcept { return status_; }
    // A 4xx answer (or 0: no server answer class): the server may take it later.
    bool temporary() const noexcept { return status_ < 500; }

private:
    int status_;
};

class MailOutcomeUnknown : public core::Error {
public:
    explicit MailOutcomeUnknown(const std::string& message)
        : core::Error("mail_unknown", message) {}
};

class MailSender {
public:
    explicit MailSender(MailSettings settings);

    // Sends `mail` once. `beforeEnd` runs after the server took the envelope and just before the
    // end of the message is written: from then on the message may be delivered.
    void send(const OutgoingMail& mail, const std::function<void()>& beforeEnd = {}) const;

    const MailSettings& settings() const { return settings_; }

private:
    MailSettings settings_;
};

} // namespace fiscpos::receipt
