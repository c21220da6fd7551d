// A real SMTP server on loopback for the tests (tests/support/smtp_server.py, Debian's
// python3-aiosmtpd), run as a child process for the life of the object. It stores every message it
// accepts; messages() reads them back as received.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace Poco {
class ProcessHandle;
}

namespace fiscpos::test {

struct SmtpServerOptions {
    std::filesystem::path certificate; // with key: TLS (STARTTLS, or implicit with implicitTls)
    std::filesystem::path key;
    bool implicitTls = false;
    std::string user; // with password: AUTH required
    std::string password;
    int refuseRecipients = 0;   // an SMTP code every RCPT TO gets (550, 450)
    bool dropAfterData = false; // keep the message, close without answering it
};

class SmtpServer {
public:
    explicit SmtpServer(SmtpServerOptions options = {});
    ~SmtpServer();
    SmtpServer(const SmtpServer&) = delete;
    SmtpServer& operator=(const SmtpServer&) = delete;

    unsigned short port() const { return port_; }
    // Every message accepted so far, in order, as the bytes the server received.
    std::vector<std::string> messages() const;

private:
    std::filesystem::path dir_;
    std::unique_ptr<Poco::ProcessHandle> process_;
    unsigned short port_ = 0;
};

// A self-signed certificate (its own CA) for 127.0.0.1 and localhost, made with openssl.
struct TestCertificate {
    std::filesystem::path cert;
    std::filesystem::path key;
    TestCertificate();
};

} // namespace fiscpos::test
