// The server base of core: routes by method and prefix, the owner's problem answers, how an answer
// ends its connection, the cap on one client's connections, the two-step stop, no shared port,
// and the one constant-time compare.
#include "core/errors.hpp"
#include "core/http_client.hpp"
#include "core/http_server.hpp"
#include "core/secret_compare.hpp"
#include "tests/support/tls_certificate.hpp"

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <boost/test/unit_test.hpp>

#include <memory>
#include <string>
#include <vector>

using namespace fiscpos::core;
using fiscpos::test::Certificate;

namespace {

ServerAnswer text(const std::string& what) {
    return ServerAnswer::json(200, Json{{"route", what}});
}

std::string routeOf(const HttpResponse& response) {
    return parseJson(response.body, "answer", JsonOrigin::Response).value("route", "");
}

HttpResponse call(HttpServer& server, const std::string& method, const std::string& target) {
    HttpClient client(server.baseUrl());
    HttpRequest request;
    request.method = method;
    request.target = target;
    return client.send(request);
}

} // namespace

BOOST_AUTO_TEST_SUITE(http_server)

BOOST_AUTO_TEST_CASE(the_longest_prefix_for_the_method_answers) {
    HttpServer server(HttpServerOptions{});
    server.route("", "/a", [](const ServerRequest&) { return text("a"); });
    server.route("", "/a/b", [](const ServerRequest&) { return text("a/b"); });
    server.route("POST", "/a/b/c", [](const ServerRequest&) { return text("post a/b/c"); });
    server.route("GET", "/q", [](const ServerRequest& request) {
        return text(request.queryParam("x").value_or("-") + " " + request.rawQuery);
    });
    BOOST_CHECK_THROW(server.route("", "/a", [](const ServerRequest&) { return text("again"); }),
                      ConfigError);
    server.start();

    BOOST_TEST(routeOf(call(server, "GET", "/a")) == "a");
    BOOST_TEST(routeOf(call(server, "GET", "/a/x")) == "a");
    BOOST_TEST(routeOf(call(server, "GET", "/a/b/c")) == "a/b"); // the POST route is not for GET
    BOOST_TEST(routeOf(call(server, "POST", "/a/b/c")) == "post a/b/c");
    BOOST_TEST(routeOf(call(server, "GET", "/q?x=1&x=2")) == "1 x=1&x=2");
    const HttpResponse none = call(server, "GET", "/ab"); // a prefix is a whole segment
    BOOST_TEST(none.status == 404);
    BOOST_TEST(none.body.find("/ab") != std::string::npos, none.body);
}

BOOST_AUTO_TEST_CASE(the_owner_shapes_what_the_server_answers_by_itself) {
    HttpServerOptions options;
    options.maxBodyBytes = 10;
    options.problemAnswer = [](ServerProblem problem, const std::string& detail) {
        return ServerAnswer::json(problem == ServerProblem::NoRoute        ? 404
                                  : problem == ServerProblem::BodyTooLarge ? 413
                                                                           : 500,
                                  Json{{"mine", detail}});
    };
    HttpServer server(options);
    server.route("", "/boom", [](const ServerRequest&) -> ServerAnswer {
        throw std::runtime_error("it broke");
    });
    server.start();
    const HttpResponse missing = call(server, "GET", "/nowhere");
    BOOST_TEST(missing.status == 404);
    BOOST_TEST(missing.body == R"({"mine":"/nowhere"})");
    const HttpResponse failed = call(server, "GET", "/boom");
    BOOST_TEST(failed.status == 500);
    BOOST_TEST(failed.body == R"({"mine":"it broke"})");
    HttpClient client(server.baseUrl());
    const HttpResponse large =
        client.send(HttpRequest::json("POST", "/boom", Json{{"k", "vvvvvv"}}));
    BOOST_TEST(large.status == 413);
}

BOOST_AUTO_TEST_CASE(a_dropped_answer_closes_the_connection_unanswered) {
    HttpServer server(HttpServerOptions{});
    server.route("", "/drop", [](const ServerRequest&) {
        ServerAnswer answer;
        answer.ending = ServerAnswer::Ending::Drop;
        return answer;
    });
    server.start();
    BOOST_CHECK_THROW(call(server, "POST", "/drop"), TransportError);
}

BOOST_AUTO_TEST_CASE(a_client_over_its_cap_is_answered_busy) {
    HttpServerOptions options;
    options.maxConnectionsPerClient = 1;
    HttpServer server(options);
    server.route("", "/", [](const ServerRequest&) { return text("ok"); });
    server.start();
    // A kept-alive connection that has had its answer: the server counts it before anything
    // else arrives (connections are taken up by several threads, in no fixed order).
    Poco::Net::StreamSocket held(Poco::Net::SocketAddress("127.0.0.1", server.port()));
    const std::string first = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    held.sendBytes(first.data(), static_cast<int>(first.size()));
    char answer[256] = {};
    BOOST_REQUIRE(held.receiveBytes(answer, sizeof answer - 1) > 0);
    BOOST_TEST(std::string(answer).starts_with("HTTP/1.1 200"));
    const HttpResponse busy = call(server, "GET", "/");
    BOOST_TEST(busy.status == 503);
    held.close();
}

BOOST_AUTO_TEST_CASE(a_port_in_use_is_never_shared) {
    HttpServer first(HttpServerOptions{});
    first.start();
    HttpServerOptions options;
    options.port = first.port();
    options.listenSetting = "serve.listen";
    HttpServer second(options);
    try {
        second.start();
        BOOST_FAIL("a second server took a port in use");
    } catch (const ConfigError& e) {
        BOOST_TEST(e.field() == "serve.listen");
    }
}

BOOST_AUTO_TEST_CASE(a_stop_refuses_new_connections_and_joins) {
    HttpServer server(HttpServerOptions{});
    server.route("", "/", [](const ServerRequest&) { return text("ok"); });
    server.start();
    const std::string url = server.baseUrl();
    BOOST_TEST(routeOf(call(server, "GET", "/")) == "ok");
    server.beginStop();
    server.stop();
    BOOST_TEST(!server.running());
    HttpClient late(url);
    BOOST_CHECK_THROW(late.send(HttpRequest::get("/")), TransportError);
}

BOOST_AUTO_TEST_CASE(credentials_are_read_from_the_request) {
    ServerRequest request;
    request.headers = {{"authorization", "bearer tok-1"}};
    BOOST_TEST(request.bearerToken() == "tok-1");
    BOOST_TEST(!request.basicCredentials());
    request.headers = {{"Authorization", "Basic dXNlcjpwYTpzcw=="}}; // user:pa:ss
    BOOST_TEST(request.bearerToken().empty());
    BOOST_TEST_REQUIRE(request.basicCredentials().has_value());
    BOOST_TEST(request.basicCredentials()->first == "user");
    BOOST_TEST(request.basicCredentials()->second == "pa:ss");
    request.headers = {{"Authorization", "Bearer "}};
    BOOST_TEST(request.bearerToken().empty());
    BOOST_TEST(!request.setTarget("/bad%zz"));
    BOOST_TEST(request.setTarget("/a%20b?x=%31"));
    BOOST_TEST(request.path == "/a b");
    BOOST_TEST(request.queryParam("x").value_or("") == "1");
}

BOOST_AUTO_TEST_CASE(secrets_compare_whole) {
    BOOST_TEST(secretEquals("s3cret", "s3cret"));
    BOOST_TEST(!secretEquals("s3cre", "s3cret"));
    BOOST_TEST(!secretEquals("s3cret-and-more", "s3cret"));
    BOOST_TEST(!secretEquals("", "s3cret"));
}

// fiscpos's own server over TLS (the simulator's HTTPS): the client verifies it as any other.
BOOST_AUTO_TEST_CASE(the_server_serves_https_with_its_certificate) {
    Certificate certificate("localhost", "DNS:localhost,IP:127.0.0.1");
    HttpServerOptions serverOptions;
    serverOptions.tlsCertificateFile = certificate.cert.string();
    serverOptions.tlsKeyFile = certificate.key.string();
    HttpServer server(serverOptions);
    server.route("GET", "/", [](const ServerRequest&) {
        return ServerAnswer::json(200, Json{{"hello", "tls"}});
    });
    server.start();
    BOOST_TEST(server.baseUrl().rfind("https://127.0.0.1:", 0) == 0, server.baseUrl());
    HttpOptions trusting;
    trusting.caFile = certificate.cert.string();
    const HttpResponse answer = HttpClient(server.baseUrl(), trusting).send(HttpRequest::get("/"));
    BOOST_TEST(answer.status == 200);
    BOOST_TEST(answer.json("hello")["hello"] == "tls");
    // Without the CA file the same server is refused, as every unverified one.
    HttpOptions untrusting;
    untrusting.connectAttempts = 1;
    BOOST_CHECK_THROW(HttpClient(server.baseUrl(), untrusting).send(HttpRequest::get("/")),
                      TransportError);
}

BOOST_AUTO_TEST_CASE(a_server_certificate_that_cannot_be_used_is_a_configuration_error) {
    Certificate certificate("localhost", "DNS:localhost,IP:127.0.0.1");
    HttpServerOptions serverOptions;
    serverOptions.tlsCertificateFile = certificate.cert.string();
    serverOptions.tlsKeyFile = (certificate.key.parent_path() / "missing.pem").string();
    serverOptions.tlsSetting = "tls-key";
    HttpServer server(serverOptions);
    try {
        server.start();
        BOOST_FAIL("a missing key file was taken");
    } catch (const ConfigError& e) {
        BOOST_TEST(e.field() == "tls-key");
        BOOST_TEST(std::string(e.what()).find("missing.pem") != std::string::npos, e.what());
    }
    BOOST_TEST(!server.running());
}

BOOST_AUTO_TEST_SUITE_END()
