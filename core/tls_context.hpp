// The TLS client contexts every outgoing connection of fiscpos uses (HTTPS, SMTP with STARTTLS or
// implicit TLS): the server's certificate and host name are always verified, against a configured
// CA file or the system's store; a certificate that does not verify is refused, never accepted.
#pragma once

#include <Poco/Net/Context.h>

#include <optional>
#include <string>
#include <string_view>

struct x509_st;

namespace fiscpos::core {

// Initialises OpenSSL through Poco once per process.
void initialiseTls();

// One TLS context per CA file (the system's store when empty), shared by every client that names
// it: loading a store parses every certificate in it, and a shop's terminals all use the same one.
// A CA file that changed on disk (time or size) is loaded again. Calls initialiseTls().
Poco::Net::Context::Ptr tlsClientContext(const std::string& caFile);

// A TLS context that accepts exactly one server certificate, the one whose SHA-256 (over its DER)
// is `sha256` (64 lower-case hex digits, normalSha256), whoever signed it and whatever names it:
// for a device on the shop's LAN that serves a self-signed certificate (a Viva terminal). The
// comparison is the verification: any other certificate fails the handshake, before anything is
// sent. One context per pin, shared. Calls initialiseTls().
Poco::Net::Context::Ptr tlsPinnedContext(const std::string& sha256);

// A TLS server context for a server of fiscpos's own (the simulator's HTTPS): the certificate
// (PEM, its chain after it) and its private key (PEM), TLS 1.2 or later; a client certificate is
// checked when one is presented, never required. ConfigError naming `setting` when either file cannot be used. Calls initialiseTls().
Poco::Net::Context::Ptr tlsServerContext(const std::string& certificateFile,
                                         const std::string& keyFile, const std::string& setting);

// The SHA-256 of a certificate's DER, as 64 lower-case hex digits.
std::string certificateSha256(const x509_st* certificate);

// A SHA-256 fingerprint as written by people and tools ("AB:CD:...", "abcd...", with blanks) as
// 64 lower-case hex digits; nullopt when it is not one.
std::optional<std::string> normalSha256(std::string_view text);

// The host names and addresses of this machine ("localhost", 127.0.0.0/8, ::1): the only ones a
// connection without TLS may reach (plain http, SMTP to a local relay).
bool isLoopbackHost(const std::string& host);

} // namespace fiscpos::core
