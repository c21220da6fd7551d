// E-mail over real SMTP: a Debian-packaged server (aiosmtpd) on loopback, started by the test, with
// STARTTLS or implicit TLS against a test certificate, AUTH over TLS only; the message the server
// received is read back and taken apart (MIME tree, headers, the receiptLink, the QR code decoded
// by an independent reader).
#include "receipt/mail_sender.hpp"

#include "core/config.hpp"
#include "core/errors.hpp"
#include "core/http_client.hpp"
#include "einvoice/receipt.hpp"
#include "tests/support/process.hpp"
#include "tests/support/shared_dir.hpp"
#include "tests/support/smtp_server.hpp"

#include <Poco/Net/MailMessage.h>
#include <Poco/Net/MediaType.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/MultipartReader.h>
#include <Poco/Net/PartHandler.h>
#include <Poco/StreamCopier.h>
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <memory>
#include <sstream>

using namespace fiscpos;
using receipt::MailSecurity;
using receipt::MailSender;
using receipt::MailSettings;
using receipt::OutgoingMail;

namespace {

const std::string receiptLink = "https://receipts.provider.example/i/01SIMINV000000000000000001";

OutgoingMail mail(const std::string& to = "maria@example.gr") {
    OutgoingMail made;
    made.to = to;
    made.senderName = "ΚΑΦΕ ΑΛΦΑ";
    made.subject = "Απόδειξη R-9 · ΚΑΦΕ ΑΛΦΑ · 12,40 €";
    made.plain = "ΚΑΦΕ ΑΛΦΑ\nΠληρωμή με κάρτα: 12,40 €\nΤο παραστατικό σας: " + receiptLink + "\n";
    made.html = "<p>ΚΑΦΕ ΑΛΦΑ</p><p><a href=\"" + receiptLink + "\">" + receiptLink +
                "</a></p><img src=\"cid:qr-E1.receipt.1@shop.example.gr\">";
    made.png = einvoice::qrPng(receiptLink, 4);
    made.imageId = "qr-E1.receipt.1@shop.example.gr";
    made.messageId = "E1.receipt.1@shop.example.gr";
    return made;
}

MailSettings settings(const test::SmtpServer& server, MailSecurity security) {
    MailSettings made;
    made.host = "127.0.0.1";
    made.port = server.port();
    made.from = "receipts@shop.example.gr";
    made.security = security;
    return made;
}

// The parts of a message, decoded, with nested multiparts taken apart too.
struct Part {
    Poco::Net::MessageHeader header;
    std::string body;
};

void collect(const Poco::Net::MessageHeader& header, std::istream& body, std::vector<Part>& out);

class Collector : public Poco::Net::PartHandler {
public:
    explicit Collector(std::vector<Part>& out)
        : out_(out) {}
    void handlePart(const Poco::Net::MessageHeader& header, std::istream& stream) override {
        collect(header, stream, out_);
    }

private:
    std::vector<Part>& out_;
};

void collect(const Poco::Net::MessageHeader& header, std::istream& body, std::vector<Part>& out) {
    const Poco::Net::MediaType type(header.get("Content-Type", "text/plain"));
    if (type.getType() == "multipart") {
        out.push_back({header, ""});
        Poco::Net::MultipartReader reader(body, type.getParameter("boundary"));
        while (reader.hasNextPart()) {
            Poco::Net::MessageHeader partHeader;
            reader.nextPart(partHeader);
            std::string raw;
            Poco::StreamCopier::copyToString(reader.stream(), raw);
            std::istringstream partStream(raw);
            collect(partHeader, partStream, out);
        }
        return;
    }
    std::string text;
    Poco::StreamCopier::copyToString(body, text);
    out.push_back({header, text});
}

struct Received {
    std::unique_ptr<Poco::Net::MailMessage> message = std::make_unique<Poco::Net::MailMessage>();
    std::vector<Part> parts; // the message's own parts, in order (nested ones after theirs)
};

Received parse(const std::string& raw) {
    Received received;
    Collector collector(received.parts);
    std::istringstream in(raw);
    received.message->read(in, collector);
    return received;
}

const Part& partOfType(const Received& received, const std::string& prefix) {
    for (const auto& part : received.parts) {
        if (part.header.get("Content-Type", "").rfind(prefix, 0) == 0) {
            return part;
        }
    }
    BOOST_FAIL("no part " << prefix);
    throw std::logic_error("unreachable");
}

// The text of the RFC 2047 "Q" words in a header, decoded and joined.
std::string decodedWords(const std::string& header) {
    std::string out;
    std::size_t at = 0;
    while ((at = header.find("=?UTF-8?q?", at)) != std::string::npos) {
        at += 10;
        const auto end = header.find("?=", at);
        for (std::size_t i = at; i < end; ++i) {
            if (header[i] == '_') {
                out += ' ';
            } else if (header[i] == '=') {
                out += static_cast<char>(std::stoi(header.substr(i + 1, 2), nullptr, 16));
                i += 2;
            } else {
                out += header[i];
            }
        }
        at = end + 2;
    }
    return out;
}

// A header as the server received it, its folded lines joined.
std::string rawHeader(const std::string& message, const std::string& name) {
    const auto start = message.find("\r\n" + name + ": ");
    BOOST_TEST_REQUIRE(start != std::string::npos, "no header " << name);
    std::string value;
    std::size_t at = start + name.size() + 4;
    while (true) {
        const auto end = message.find("\r\n", at);
        value += message.substr(at, end - at);
        if (message[end + 2] != ' ' && message[end + 2] != '\t') {
            break;
        }
        at = end + 2;
    }
    return value;
}

std::string decodedQr(const std::string& png) {
    const auto file = test::freshTempDir("mail-qr") / "qr.png";
    std::ofstream(file, std::ios::binary) << png;
    const auto read = test::runProcess("/usr/bin/zbarimg", {"--raw", "-q", file.string()});
    BOOST_TEST_REQUIRE(read.exitCode == 0, read.err);
    return read.out.substr(0, read.out.find('\n'));
}

} // namespace

BOOST_AUTO_TEST_SUITE(mail_sender)

BOOST_AUTO_TEST_CASE(starttls_with_auth_delivers_the_message_with_its_parts_and_qr) {
    const test::TestCertificate certificate;
    test::SmtpServer server({certificate.cert, certificate.key, false, "shop", "s3cret"});
    MailSettings made = settings(server, MailSecurity::StartTls);
    made.caFile = certificate.cert.string();
    made.username = "shop";
    made.password = "s3cret";
    bool handedOver = false;
    MailSender(made).send(mail(), [&] {
        BOOST_TEST(server.messages().empty()); // not before the end of the message
        handedOver = true;
    });
    BOOST_TEST(handedOver);
    const auto messages = server.messages();
    BOOST_TEST_REQUIRE(messages.size() == 1U);
    const Received received = parse(messages[0]);
    // RFC 2047: the blanks between two encoded words are not part of the text.
    BOOST_TEST(decodedWords(rawHeader(messages[0], "Subject")) ==
               "Απόδειξη R-9 · ΚΑΦΕ ΑΛΦΑ · 12,40 €");
    BOOST_TEST(received.message->get("Message-ID") == "<E1.receipt.1@shop.example.gr>");
    BOOST_TEST(received.message->getSender().find("<receipts@shop.example.gr>") !=
               std::string::npos);
    BOOST_TEST(decodedWords(rawHeader(messages[0], "From")) == "ΚΑΦΕ ΑΛΦΑ");
    BOOST_TEST(received.message->getContentType().rfind("multipart/related", 0) == 0U);
    BOOST_TEST(
        partOfType(received, "multipart/alternative").header.get("Content-Transfer-Encoding") ==
        "8bit");
    const Part& plain = partOfType(received, "text/plain");
    BOOST_TEST(plain.header.get("Content-Type").find("charset=UTF-8") != std::string::npos);
    BOOST_TEST(plain.header.get("Content-Transfer-Encoding") == "quoted-printable");
    const Part& image = partOfType(received, "image/png");
    BOOST_TEST(image.header.get("Content-ID") == "<qr-E1.receipt.1@shop.example.gr>");
    BOOST_TEST(image.header.get("Content-Transfer-Encoding") == "base64");
    // Poco's reader decodes the top level's parts; the nested ones are checked by their bytes.
    BOOST_TEST(messages[0].find("12,40 =E2=82=AC") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_qr_image_decodes_to_the_link) {
    test::SmtpServer server;
    MailSender(settings(server, MailSecurity::None)).send(mail());
    const Received received = parse(server.messages().at(0));
    BOOST_TEST(decodedQr(partOfType(received, "image/png").body) == receiptLink);
}

BOOST_AUTO_TEST_CASE(implicit_tls_delivers) {
    const test::TestCertificate certificate;
    test::SmtpServer server({certificate.cert, certificate.key, true, "", ""});
    MailSettings made = settings(server, MailSecurity::Tls);
    made.caFile = certificate.cert.string();
    MailSender(made).send(mail());
    BOOST_TEST(server.messages().size() == 1U);
}

BOOST_AUTO_TEST_CASE(an_untrusted_certificate_sends_nothing_and_says_why) {
    const test::TestCertificate certificate;
    test::SmtpServer server({certificate.cert, certificate.key, false, "shop", "s3cret"});
    MailSettings made = settings(server, MailSecurity::StartTls);
    made.username = "shop";
    made.password = "s3cret"; // the system's store does not know the test certificate
    try {
        MailSender(made).send(mail());
        BOOST_FAIL("an untrusted certificate was accepted");
    } catch (const core::TransportError& e) {
        BOOST_TEST(!e.outcomeUnknown());
        BOOST_TEST(std::string(e.what()).find("mail.ca_file") != std::string::npos, e.what());
    }
    BOOST_TEST(server.messages().empty());
}

BOOST_AUTO_TEST_CASE(a_server_without_starttls_gets_no_password_in_clear) {
    test::SmtpServer server; // offers no STARTTLS
    MailSettings made = settings(server, MailSecurity::StartTls);
    made.username = "shop";
    made.password = "s3cret";
    try {
        MailSender(made).send(mail());
        BOOST_FAIL("sent without STARTTLS");
    } catch (const receipt::MailRefused& e) {
        BOOST_TEST(std::string(e.what()).find("STARTTLS") != std::string::npos, e.what());
    }
    BOOST_TEST(server.messages().empty());
}

BOOST_AUTO_TEST_CASE(a_wrong_password_is_a_refusal) {
    const test::TestCertificate certificate;
    test::SmtpServer server({certificate.cert, certificate.key, false, "shop", "s3cret"});
    MailSettings made = settings(server, MailSecurity::StartTls);
    made.caFile = certificate.cert.string();
    made.username = "shop";
    made.password = "wrong";
    try {
        MailSender(made).send(mail());
        BOOST_FAIL("a wrong password was accepted");
    } catch (const receipt::MailRefused& e) {
        BOOST_TEST(!e.temporary());
        BOOST_TEST(std::string(e.what()).find("wrong") == std::string::npos); // no secret
    }
    BOOST_TEST(server.messages().empty());
}

BOOST_AUTO_TEST_CASE(a_refused_recipient_is_permanent_or_temporary_by_its_code) {
    {
        test::SmtpServer server({{}, {}, false, "", "", 550, false});
        try {
            MailSender(settings(server, MailSecurity::None)).send(mail());
            BOOST_FAIL("a refused recipient was taken for sent");
        } catch (const receipt::MailRefused& e) {
            BOOST_TEST(e.status() == 550);
            BOOST_TEST(!e.temporary());
        }
    }
    test::SmtpServer busy({{}, {}, false, "", "", 450, false});
    try {
        MailSender(settings(busy, MailSecurity::None)).send(mail());
        BOOST_FAIL("a refused recipient was taken for sent");
    } catch (const receipt::MailRefused& e) {
        BOOST_TEST(e.temporary());
    }
}

BOOST_AUTO_TEST_CASE(no_answer_after_the_end_of_the_message_is_unknown) {
    test::SmtpServer server({{}, {}, false, "", "", 0, true});
    BOOST_CHECK_THROW(MailSender(settings(server, MailSecurity::None)).send(mail()),
                      receipt::MailOutcomeUnknown);
    BOOST_TEST(server.messages().size() == 1U); // it did arrive: never send it again on one's own
}

BOOST_AUTO_TEST_CASE(nobody_listening_sends_nothing) {
    MailSettings made;
    made.host = "127.0.0.1";
    made.port = 1; // nothing listens there
    made.from = "receipts@shop.example.gr";
    made.security = MailSecurity::None;
    try {
        MailSender(made).send(mail());
        BOOST_FAIL("sent to nobody");
    } catch (const core::TransportError& e) {
        BOOST_TEST(!e.outcomeUnknown());
    }
}

BOOST_AUTO_TEST_CASE(settings_name_the_key_that_is_wrong) {
    const auto fails = [](const std::string& text, const std::string& key) {
        try {
            receipt::mailSettingsFromConfig(core::Config::fromText(text));
            BOOST_FAIL("accepted: " << text);
        } catch (const core::ConfigError& e) {
            BOOST_TEST(e.field() == key, e.what());
        }
    };
    fails("[journal]\nurl = sqlite::memory:\n", "mail");
    fails("[mail]\nhost = smtp.example.gr\nfrom = a@example.gr\nsecurity = none\n",
          "mail.security");
    fails("[mail]\nhost = smtp.example.gr\nfrom = a@example.gr\nsecurity = ssl\n", "mail.security");
    fails("[mail]\nhost = smtp.example.gr\nfrom = not-an-address\n", "mail.from");
    fails("[mail]\nhost = smtp.example.gr\nfrom = a@example.gr\nusername = shop\n",
          "mail.password");
    fails("[mail]\nhost = 127.0.0.1\nfrom = a@example.gr\nsecurity = none\nusername = u\n"
          "password = p\n",
          "mail.username");
    fails("[mail]\nhost = smtp.example.gr\nfrom = a@example.gr\nport = 70000\n", "mail.port");
    const auto ok = receipt::mailSettingsFromConfig(core::Config::fromText(
        "[mail]\nhost = smtp.example.gr\nfrom = a@example.gr\nsecurity = tls\n"));
    BOOST_TEST(ok.port == 465);
    BOOST_TEST(receipt::mailSettingsFromConfig(
                   core::Config::fromText("[mail]\nhost = 127.0.0.1\nfrom = a@example.gr\n"
                                          "security = none\n"))
                   .port == 25);
}

BOOST_AUTO_TEST_CASE(addresses_are_checked_before_anything_is_sent) {
    for (const std::string bad :
         {"", "maria", "maria@", "@example.gr", "maria@example", "ma ria@example.gr",
          "maria@example.gr>", "a@b@example.gr", "maria@.example.gr", "maria@example..gr"}) {
        BOOST_CHECK_THROW(receipt::checkMailAddress(bad, "--email"), core::InputError);
    }
    receipt::checkMailAddress("maria.p+receipts@example.gr", "--email");
    receipt::checkMailAddress("root@localhost", "--email");
}

BOOST_AUTO_TEST_SUITE_END()
