// The TLS client contexts every outgoing connection of fiscpos uses (HTTPS, SMTP with STARTTLS or
// implicit TLS): the server's certificate and host name are always verified, against a configured
// CA file or the system's store; a certificate that does not verify is refused, never accepted.
#pragma once

#include <Poco/Net/Context.h>

#include <string>

namespace fiscpos::core {

// Initialises OpenSSL through Poco once per process.
void initialiseTls();

// One TLS context per CA file (the system's store when empty), shared by every client that names
// it: loading a store parses every certificate in it, and a shop's terminals all use the same one.
// A CA file that changed on disk (time or size) is loaded again. Calls initialiseTls().
Poco::Net::Context::Ptr tlsClientContext(const std::string& caFile);

// The host names and addresses of this machine ("localhost", 127.0.0.0/8, ::1): the only ones a
// connection without TLS may reach (plain http, SMTP to a local relay).
bool isLoopbackHost(const std::string& host);

} // namespace fiscpos::core
