// The HTTP client over TLS: certificates are always verified; a configured CA file replaces the
// system's CAs, it never switches checking off. And every exchange reaches the observer.
#include "core/http_client.hpp"
#include "tests/support/process.hpp"
#include "tests/support/shared_dir.hpp"
#include "tests/support/tls_certificate.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>

#include <boost/test/unit_test.hpp>

#include <cctype>

using namespace fiscpos::core;
using fiscpos::test::Certificate;
using fiscpos::test::opensslFingerprint;

namespace {

class HelloHandler final : public Poco::Net::HTTPRequestHandler {
public:
    void handleRequest(Poco::Net::HTTPServerRequest&,
                       Poco::Net::HTTPServerResponse& response) override {
        response.setContentType("application/json");
        response.send() << R"({"hello":"tls"})";
    }
};

class HelloFactory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    Poco::Net::HTTPRequestHandler*
    createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new HelloHandler; // Poco's server takes ownership of the handler
    }
};

// An HTTPS server on 127.0.0.1 that answers every request with {"hello":"tls"}. It asks clients
// for no certificate of their own (fiscpos's client presents none).
struct TlsServer {
    Poco::Net::Context::Ptr context;
    Poco::Net::SecureServerSocket socket;
    Poco::Net::HTTPServer server;
    explicit TlsServer(const Certificate& certificate)
        : context(new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE,
                                         certificate.key.string(), certificate.cert.string(), "",
                                         Poco::Net::Context::VERIFY_RELAXED))
        , socket(Poco::Net::SocketAddress("127.0.0.1", 0), 64, context)
        , server(new HelloFactory, socket, new Poco::Net::HTTPServerParams) {
        server.start();
    }
    ~TlsServer() { server.stopAll(true); }
    unsigned short port() const { return socket.address().port(); }
};

} // namespace

BOOST_AUTO_TEST_SUITE(http_client)

BOOST_AUTO_TEST_CASE(an_untrusted_certificate_is_refused_before_anything_is_sent) {
    Certificate certificate("localhost", "DNS:localhost,IP:127.0.0.1");
    TlsServer server(certificate);
    HttpClient client("https://localhost:" + std::to_string(server.port()));
    try {
        client.send(HttpRequest::get("/"));
        BOOST_FAIL("a self-signed certificate was accepted without a CA file");
    } catch (const TransportError& e) {
        BOOST_TEST(!e.outcomeUnknown());
        BOOST_TEST(std::string(e.what()).find("ca_file") != std::string::npos, e.what());
    }
}

BOOST_AUTO_TEST_CASE(a_configured_ca_file_is_trusted) {
    Certificate certificate("localhost", "DNS:localhost,IP:127.0.0.1");
    TlsServer server(certificate);
    HttpOptions options;
    options.caFile = certificate.cert.string();
    HttpClient client("https://localhost:" + std::to_string(server.port()), options);
    const auto response = client.send(HttpRequest::get("/"));
    BOOST_TEST(response.status == 200);
    BOOST_TEST(response.json("answer")["hello"].get<std::string>() == "tls");
}

BOOST_AUTO_TEST_CASE(a_ca_file_replaced_on_disk_is_loaded_again) {
    // Clients share one loaded store per CA file; a file an installer replaced is read anew.
    Certificate first("localhost", "DNS:localhost,IP:127.0.0.1");
    Certificate second("localhost", "DNS:localhost,IP:127.0.0.1");
    TlsServer firstServer(first);
    TlsServer secondServer(second);
    const auto caFile = fiscpos::test::freshTempDir("ca") / "ca.pem";
    std::filesystem::copy_file(first.cert, caFile);
    HttpOptions options;
    options.caFile = caFile.string();
    options.connectAttempts = 1;
    HttpClient trusting("https://localhost:" + std::to_string(firstServer.port()), options);
    BOOST_TEST(trusting.send(HttpRequest::get("/")).status == 200);
    HttpClient notYet("https://localhost:" + std::to_string(secondServer.port()), options);
    BOOST_CHECK_THROW(notYet.send(HttpRequest::get("/")), TransportError);

    std::filesystem::copy_file(second.cert, caFile,
                               std::filesystem::copy_options::overwrite_existing);
    std::filesystem::last_write_time(caFile, std::filesystem::last_write_time(caFile) +
                                                 std::chrono::seconds(1));
    HttpClient renewed("https://localhost:" + std::to_string(secondServer.port()), options);
    BOOST_TEST(renewed.send(HttpRequest::get("/")).status == 200);
}

BOOST_AUTO_TEST_CASE(a_trusted_certificate_for_another_host_is_refused) {
    Certificate certificate("elsewhere.example", "DNS:elsewhere.example");
    TlsServer server(certificate);
    HttpOptions options;
    options.caFile = certificate.cert.string();
    HttpClient client("https://localhost:" + std::to_string(server.port()), options);
    BOOST_CHECK_THROW(client.send(HttpRequest::get("/")), TransportError);
}

BOOST_AUTO_TEST_CASE(a_missing_ca_file_is_a_configuration_error) {
    HttpOptions options;
    options.caFile = "/nonexistent/ca.pem";
    try {
        HttpClient client("https://localhost:1", options, "provider.url");
        BOOST_FAIL("accepted a missing CA file");
    } catch (const ConfigError& e) {
        BOOST_TEST(e.field() == "provider.ca_file");
    }
    BOOST_CHECK_THROW(HttpClient("ftp://example.gr"), ConfigError);
    BOOST_CHECK_THROW(HttpClient("not a url"), ConfigError);
}

BOOST_AUTO_TEST_CASE(the_observer_sees_every_exchange_and_failure) {
    Certificate certificate("localhost", "DNS:localhost,IP:127.0.0.1");
    TlsServer server(certificate);
    HttpOptions options;
    options.caFile = certificate.cert.string();
    const std::string base = "https://localhost:" + std::to_string(server.port());
    HttpClient client(base, options);
    std::vector<HttpExchange> seen;
    client.observe([&](const HttpExchange& exchange) { seen.push_back(exchange); });
    client.send(HttpRequest::json("POST", "/v2/things", Json{{"a", 1}}).header("X-Api-Key", "k"));
    BOOST_TEST_REQUIRE(seen.size() == 1u);
    BOOST_TEST(seen[0].method == "POST");
    BOOST_TEST(seen[0].url == base + "/v2/things");
    BOOST_TEST(seen[0].requestBody == R"({"a":1})");
    BOOST_TEST(seen[0].requestHeaders.size() == 1u);
    BOOST_TEST(seen[0].status == 200);
    BOOST_TEST(seen[0].responseBody == R"({"hello":"tls"})");
    BOOST_TEST(seen[0].error.empty());

    HttpOptions noCa;
    noCa.connectAttempts = 1;
    HttpClient refused(base, noCa);
    refused.observe([&](const HttpExchange& exchange) { seen.push_back(exchange); });
    BOOST_CHECK_THROW(refused.send(HttpRequest::get("/")), TransportError);
    BOOST_TEST_REQUIRE(seen.size() == 2u);
    BOOST_TEST(seen[1].status == 0);
    BOOST_TEST(!seen[1].error.empty());
}

BOOST_AUTO_TEST_CASE(a_certificate_naming_the_host_only_as_its_common_name_is_refused) {
    // OpenSSL's host check (as Poco calls it) accepts this one by its CN; fiscpos does not.
    Certificate cnOnly("127.0.0.1", "");
    TlsServer server(cnOnly);
    HttpOptions options;
    options.caFile = cnOnly.cert.string();
    options.connectAttempts = 1;
    HttpClient client("https://127.0.0.1:" + std::to_string(server.port()), options);
    try {
        client.send(HttpRequest::get("/"));
        BOOST_FAIL("a certificate without subjectAltName was accepted");
    } catch (const TransportError& e) {
        BOOST_TEST(!e.outcomeUnknown()); // refused before anything was sent
        BOOST_TEST(std::string(e.what()).find("subjectAltName") != std::string::npos, e.what());
    }

    Certificate withSan("127.0.0.1", "IP:127.0.0.1");
    TlsServer named(withSan);
    options.caFile = withSan.cert.string();
    HttpClient accepted("https://127.0.0.1:" + std::to_string(named.port()), options);
    BOOST_TEST(accepted.send(HttpRequest::get("/")).status == 200);
}

BOOST_AUTO_TEST_CASE(a_pinned_self_signed_certificate_is_accepted_and_no_other) {
    // A terminal on the LAN: self-signed, naming neither the address it is reached at nor any CA.
    Certificate terminal("viva-terminal", "DNS:viva-terminal.invalid");
    TlsServer server(terminal);
    const std::string url = "https://127.0.0.1:" + std::to_string(server.port());
    HttpOptions options;
    options.connectAttempts = 1;
    options.certificateSha256 = opensslFingerprint(terminal); // "AB:CD:..." as tools print it
    HttpClient pinned(url, options, "terminal.L1.url");
    BOOST_TEST(pinned.send(HttpRequest::get("/")).status == 200);

    // Without the pin the same certificate is refused (it verifies against no CA).
    HttpOptions unpinned;
    unpinned.connectAttempts = 1;
    HttpClient plain(url, unpinned);
    BOOST_CHECK_THROW(plain.send(HttpRequest::get("/")), TransportError);

    // Another certificate at the pinned address: refused before anything is sent.
    Certificate impostor("viva-terminal", "DNS:viva-terminal.invalid,IP:127.0.0.1");
    TlsServer other(impostor);
    HttpClient misled("https://127.0.0.1:" + std::to_string(other.port()), options,
                      "terminal.L1.url");
    try {
        misled.send(HttpRequest::json("POST", "/pos/v1/sale", Json{{"amount", 1}}));
        BOOST_FAIL("a certificate other than the pinned one was accepted");
    } catch (const TransportError& e) {
        BOOST_TEST(!e.outcomeUnknown());
        BOOST_TEST(std::string(e.what()).find("certificate_sha256") != std::string::npos, e.what());
    }
}

BOOST_AUTO_TEST_CASE(a_pin_that_cannot_work_is_a_configuration_error) {
    const auto fieldOf = [](const HttpOptions& options, const std::string& url) {
        try {
            HttpClient client(url, options, "terminal.L1.url");
        } catch (const ConfigError& e) {
            return e.field();
        }
        return std::string("(accepted)");
    };
    HttpOptions options;
    options.certificateSha256 = "12:34";
    BOOST_TEST(fieldOf(options, "https://192.168.1.50:8080") == "terminal.L1.certificate_sha256");
    options.certificateSha256 = std::string(64, 'a');
    BOOST_TEST(fieldOf(options, "https://192.168.1.50:8080") == "(accepted)");
    BOOST_TEST(fieldOf(options, "http://127.0.0.1:8080") == "terminal.L1.certificate_sha256");
    options.caFile = "/etc/hostname";
    BOOST_TEST(fieldOf(options, "https://192.168.1.50:8080") == "terminal.L1.certificate_sha256");
}

BOOST_AUTO_TEST_CASE(plain_http_is_refused_for_any_host_but_loopback) {
    for (const char* url : {"http://www.mreceipts.com", "http://demo-api.vivapayments.com/x",
                            "http://10.0.0.5:8080", "http://cloud-api.gptom.com"}) {
        try {
            HttpClient client(url, {}, "terminal.A3.url");
            BOOST_FAIL(std::string("plain http accepted for ") + url);
        } catch (const ConfigError& e) {
            BOOST_TEST(e.field() == "terminal.A3.url");
            BOOST_TEST(std::string(e.what()).find("https") != std::string::npos, e.what());
        }
    }
    for (const char* url :
         {"http://127.0.0.1:8099/mellon", "http://127.8.9.10:1", "http://[::1]:80",
          "http://localhost:8080", "https://www.mreceipts.com"}) {
        BOOST_CHECK_NO_THROW(HttpClient(url, {}, "terminal.A3.url"));
    }
}

BOOST_AUTO_TEST_SUITE_END()
