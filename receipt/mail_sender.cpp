#include "receipt/mail_sender.hpp"

#include "core/tls_context.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MailRecipient.h>
#include <Poco/Net/MailStream.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SMTPClientSession.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketStream.h>
#include <Poco/Net/StringPartSource.h>

#include <memory>
#include <optional>
#include <sstream>

namespace fiscpos::receipt {

namespace {

using Poco::Net::MailMessage;
using Poco::Net::SMTPClientSession;

// Poco's session, with its socket reachable: the STARTTLS upgrade verifies the host name, and the
// end of the message is written apart from its answer (see MailSender::send).
class SmtpSession : public SMTPClientSession {
public:
    using SMTPClientSession::SMTPClientSession;
    using SMTPClientSession::socket;
};

std::string crlf(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 40);
    for (char c : text) {
        if (c == '\n') {
            out += "\r\n";
        } else if (c != '\r') {
            out += c;
        }
    }
    return out;
}

// Poco takes ownership of a part source through a raw pointer.
std::unique_ptr<Poco::Net::StringPartSource> textPart(const std::string& text,
                                                      const std::string& mediaType) {
    return std::make_unique<Poco::Net::StringPartSource>(crlf(text), mediaType + "; charset=UTF-8");
}

bool positive(int status) {
    return status / 100 == 2;
}

// Nothing was handed over: the failure happened before the end of the message left.
[[noreturn]] void notSent(const std::string& host, const std::string& reason) {
    throw core::TransportError(core::TransportError::Stage::Connect,
                               "the mail server " + host + " could not take the message (" +
                                   reason + "); nothing was sent");
}

// An answer other than the one expected before the end of the message: nothing was taken.
[[noreturn]] void refused(const std::string& host, int status, const std::string& step,
                          const std::string& response) {
    if (status == 0) {
        notSent(host, "the connection closed at " + step);
    }
    // Poco's response starts with the status code.
    throw MailRefused(status, "the mail server refused " + step + ": " + response);
}

} // namespace

MailSettings mailSettingsFromConfig(const core::Config& config) {
    MailSettings settings;
    const auto host = config.get("mail.host");
    if (!host) {
        throw core::ConfigError("mail", "has no [mail] section with host and from: fiscpos needs "
                                        "a mail server to e-mail a receipt");
    }
    settings.host = *host;
    if (settings.host.empty() || settings.host.find_first_of(" \t/:@") != std::string::npos) {
        throw core::ConfigError("mail.host",
                                "\"" + settings.host + "\" is not a host name or an address");
    }
    const std::string security = config.getOr("mail.security", "starttls");
    if (security == "starttls") {
        settings.security = MailSecurity::StartTls;
    } else if (security == "tls") {
        settings.security = MailSecurity::Tls;
    } else if (security == "none") {
        settings.security = MailSecurity::None;
    } else {
        throw core::ConfigError("mail.security",
                                "\"" + security + "\" is not starttls, tls or none");
    }
    if (settings.security == MailSecurity::None && !core::isLoopbackHost(settings.host)) {
        throw core::ConfigError("mail.security",
                                "none (no TLS) is only for a relay on this machine, not " +
                                    settings.host + ": use starttls (587) or tls (465)");
    }
    const int defaultPort = settings.security == MailSecurity::StartTls ? 587
                            : settings.security == MailSecurity::Tls    ? 465
                                                                        : 25;
    settings.port = static_cast<std::uint16_t>(config.getInt("mail.port", defaultPort, 1, 65535));
    settings.from = config.require("mail.from");
    if (const auto problem = mailAddressProblem(settings.from)) {
        throw core::ConfigError("mail.from",
                                "\"" + settings.from + "\" is not an e-mail address: " + *problem);
    }
    settings.username = config.getOr("mail.username", "");
    settings.password = config.getOr("mail.password", "");
    if (settings.username.empty() != settings.password.empty()) {
        throw core::ConfigError(settings.username.empty() ? "mail.username" : "mail.password",
                                "username and password go together (or neither: no AUTH)");
    }
    if (!settings.username.empty() && settings.security == MailSecurity::None) {
        throw core::ConfigError("mail.username",
                                "a password is never sent without TLS: security = none allows "
                                "no username");
    }
    const std::string auth = config.getOr("mail.auth", "plain");
    if (auth != "plain" && auth != "login") {
        throw core::ConfigError("mail.auth", "\"" + auth + "\" is not plain or login");
    }
    settings.authLogin = auth == "login";
    const core::HttpOptions http = core::httpOptions(config, "mail");
    settings.caFile = http.caFile;
    settings.connectTimeout = http.connectTimeout;
    settings.readTimeout =
        std::chrono::milliseconds(config.getInt("mail.read_timeout_ms", 30000, 100, 600000));
    settings.heloName = config.getOr("mail.helo", settings.heloName);
    if (settings.heloName.empty() ||
        settings.heloName.find_first_of(" \t\r\n") != std::string::npos) {
        throw core::ConfigError("mail.helo", "must be a host name without blanks");
    }
    return settings;
}

std::optional<std::string> mailAddressProblem(std::string_view address) {
    if (address.empty() || address.size() > 254) {
        return "empty or longer than 254 characters";
    }
    for (char c : address) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte >= 0x7F ||
            std::string_view("<>(),;:\"[]\\").find(c) != std::string_view::npos) {
            return "only printable ASCII without blanks or <>(),;:\"[]\\";
        }
    }
    const auto at = address.rfind('@');
    if (at == std::string_view::npos || at == 0 || at + 1 == address.size() ||
        address.find('@') != at) {
        return "it needs one @ between a name and a domain";
    }
    const std::string_view domain = address.substr(at + 1);
    if (domain != "localhost" &&
        (domain.find('.') == std::string_view::npos || domain.starts_with('.') ||
         domain.ends_with('.') || domain.find("..") != std::string_view::npos)) {
        return "the domain needs a dot, as in example.gr";
    }
    return std::nullopt;
}

void checkMailAddress(std::string_view address, const std::string& field) {
    if (const auto problem = mailAddressProblem(address)) {
        throw core::InputError(field, "\"" + std::string(address) +
                                          "\" is not an e-mail address: " + *problem);
    }
}

std::string composedMail(const OutgoingMail& mail, const std::string& from) {
    MailMessage message;
    const std::string name =
        mail.senderName.empty() ? "" : MailMessage::encodeWord(mail.senderName);
    message.setSender(name.empty() ? from : "\"" + name + "\" <" + from + ">");
    message.addRecipient(
        Poco::Net::MailRecipient(Poco::Net::MailRecipient::PRIMARY_RECIPIENT, mail.to));
    message.setSubject(MailMessage::encodeWord(mail.subject, "UTF-8"));
    if (!mail.messageId.empty()) {
        message.set("Message-ID", "<" + mail.messageId + ">");
    }
    // The QR code is shown by the HTML part, so the image belongs to it: multipart/related.
    message.setContentType(mail.png.empty() ? "multipart/alternative" : "multipart/related");
    if (mail.png.empty()) {
        message.addPart("", textPart(mail.plain, "text/plain").release(),
                        MailMessage::CONTENT_INLINE, MailMessage::ENCODING_QUOTED_PRINTABLE);
        message.addPart("", textPart(mail.html, "text/html").release(), MailMessage::CONTENT_INLINE,
                        MailMessage::ENCODING_QUOTED_PRINTABLE);
    } else {
        auto alternatives = std::make_unique<Poco::Net::MultipartSource>("multipart/alternative");
        alternatives->addPart("", textPart(mail.plain, "text/plain").release(),
                              MailMessage::CONTENT_INLINE, MailMessage::ENCODING_QUOTED_PRINTABLE);
        alternatives->addPart("", textPart(mail.html, "text/html").release(),
                              MailMessage::CONTENT_INLINE, MailMessage::ENCODING_QUOTED_PRINTABLE);
        // A multipart part is never encoded itself (RFC 2045 §6.4): its parts are.
        message.addPart("", alternatives.release(), MailMessage::CONTENT_INLINE,
                        MailMessage::ENCODING_8BIT);
        auto image = std::make_unique<Poco::Net::StringPartSource>(mail.png, "image/png", "qr.png");
        image->headers().set("Content-ID", "<" + mail.imageId + ">");
        message.addPart("qr.png", image.release(), MailMessage::CONTENT_INLINE,
                        MailMessage::ENCODING_BASE64);
    }
    std::ostringstream out;
    message.write(out);
    return out.str();
}

MailSender::MailSender(MailSettings settings)
    : settings_(std::move(settings)) {}

void MailSender::send(const OutgoingMail& mail, const std::function<void()>& beforeEnd) const {
    checkMailAddress(mail.to, "to");
    const std::string content = composedMail(mail, settings_.from);
    const std::string& host = settings_.host;
    Poco::Net::Context::Ptr context;
    if (settings_.security != MailSecurity::None) {
        context = core::tlsClientContext(settings_.caFile);
    }
    std::optional<SmtpSession> session;
    bool ending = false; // the end of the message is on its way
    try {
        const Poco::Net::SocketAddress address(host, settings_.port);
        const Poco::Timespan connectTimeout(
            static_cast<Poco::Timespan::TimeDiff>(settings_.connectTimeout.count()) * 1000);
        if (settings_.security == MailSecurity::Tls) {
            Poco::Net::SecureStreamSocket socket(context);
            socket.setPeerHostName(host);
            socket.connect(address, connectTimeout);
            session.emplace(socket);
        } else {
            Poco::Net::StreamSocket socket;
            socket.connect(address, connectTimeout);
            session.emplace(socket);
        }
        session->setTimeout(Poco::Timespan(
            static_cast<Poco::Timespan::TimeDiff>(settings_.readTimeout.count()) * 1000));
        std::string response;
        session->login(settings_.heloName);
        if (settings_.security == MailSecurity::StartTls) {
            const int status = session->sendCommand("STARTTLS", response);
            if (!positive(status)) {
                // Poco's response starts with the status code.
                throw MailRefused(status, "the mail server " + host + " does not offer STARTTLS (" +
                                              response +
                                              "): fiscpos never sends a receipt or a password "
                                              "in clear");
            }
            session->socket() =
                Poco::Net::SecureStreamSocket::attach(session->socket(), host, context);
        }
        if (!settings_.username.empty()) {
            session->login(settings_.heloName,
                           settings_.authLogin ? SMTPClientSession::AUTH_LOGIN
                                               : SMTPClientSession::AUTH_PLAIN,
                           settings_.username, settings_.password);
        } else if (settings_.security == MailSecurity::StartTls) {
            session->login(settings_.heloName); // EHLO again over TLS
        }
        int status = session->sendCommand("MAIL FROM:<" + settings_.from + ">", response);
        if (!positive(status)) {
            refused(host, status, "the sender " + settings_.from, response);
        }
        status = session->sendCommand("RCPT TO:<" + mail.to + ">", response);
        if (!positive(status)) {
            refused(host, status, "the recipient " + mail.to, response);
        }
        status = session->sendCommand("DATA", response);
        if (status / 100 != 3) {
            refused(host, status, "the message (DATA)", response);
        }
        Poco::Net::SocketOutputStream socketStream(session->socket());
        Poco::Net::MailOutputStream mailStream(socketStream);
        mailStream << content;
        mailStream.flush();
        if (beforeEnd) {
            beforeEnd();
        }
        ending = true;
        mailStream.close(); // the terminating "." line
        socketStream.flush();
        status = session->socket().receiveStatusMessage(response);
        if (status == 0) {
            throw MailOutcomeUnknown("the connection to " + host +
                                     " closed after the message was handed over, without an "
                                     "answer: it may have been sent");
        }
        if (!positive(status)) {
            throw MailRefused(status, "the mail server refused the message: " + response);
        }
    } catch (const Poco::Net::SMTPException& e) {
        // A refused login (535) and the like: an answer, nothing accepted.
        throw MailRefused(e.code() >= 400 && e.code() < 600 ? e.code() : 535,
                          "the mail server " + host + " refused: " + e.displayText());
    } catch (const Poco::Net::SSLException& e) {
        if (ending) {
            throw MailOutcomeUnknown("the connection to " + host +
                                     " broke after the message was handed over (" +
                                     e.displayText() + "): it may have been sent");
        }
        notSent(host, "TLS: " + e.displayText() + " — is the server's certificate issued for " +
                          host + " by a CA the system or mail.ca_file trusts?");
    } catch (const Poco::Exception& e) {
        if (ending) {
            throw MailOutcomeUnknown("no answer from " + host +
                                     " after the message was handed over (" + e.displayText() +
                                     "): it may have been sent");
        }
        notSent(host, e.displayText());
    } catch (const std::ios_base::failure& e) {
        if (ending) {
            throw MailOutcomeUnknown("no answer from " + host +
                                     " after the message was handed over: it may have been sent");
        }
        notSent(host, e.what());
    }
    try {
        session->close(); // QUIT; the message is accepted whatever QUIT answers
    } catch (const Poco::Exception&) {
    }
}

} // namespace fiscpos::receipt
