// The provider client's HTTP and JSON handling, against a scripted loopback server: status codes,
// unreadable answers, pagination, and the recovery of a signature whose answer was lost.
#include "core/clock.hpp"
#include "core/errors.hpp"
#include "core/http_client.hpp"
#include "signing/local_signer.hpp"
#include "signing/provider_client.hpp"
#include "tests/signing/signing_test_support.hpp"
#include "tests/support/shared_dir.hpp"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <mutex>
#include <thread>

using fiscpos::core::Json;
using fiscpos::core::Money;
using fiscpos::core::TransportError;
using namespace fiscpos::signing;
using namespace fiscpos::signing::test;

namespace {

constexpr const char* token = "tok-SECRET-123";

struct Reply {
    int status = 200;
    std::string body;
    bool drop = false; // read the request, then close without answering
};

struct Recorded {
    std::string method;
    std::string target;
    std::string head; // request line and headers
    std::string body;
};

// Answers each incoming request with the next scripted reply, one request per connection.
class ScriptedServer {
public:
    explicit ScriptedServer(std::vector<Reply> replies)
        : replies_(std::move(replies))
        , socket_(Poco::Net::SocketAddress("127.0.0.1", 0)) {
        thread_ = std::thread([this] { run(); });
    }
    ~ScriptedServer() {
        stop_ = true;
        thread_.join();
    }
    ScriptedServer(const ScriptedServer&) = delete;
    ScriptedServer& operator=(const ScriptedServer&) = delete;

    std::string url() const {
        return "http://127.0.0.1:" + std::to_string(socket_.address().port());
    }
    std::vector<Recorded> requests() {
        std::lock_guard lock(mutex_);
        return requests_;
    }

private:
    void run() {
        while (!stop_) {
            if (!socket_.poll(Poco::Timespan(0, 20000), Poco::Net::Socket::SELECT_READ)) {
                continue;
            }
            Poco::Net::StreamSocket connection = socket_.acceptConnection();
            serve(connection);
        }
    }

    void serve(Poco::Net::StreamSocket& connection) {
        connection.setReceiveTimeout(Poco::Timespan(5, 0));
        std::string data;
        char buffer[4096];
        std::size_t headEnd = std::string::npos;
        std::size_t contentLength = 0;
        try {
            while (true) {
                if (headEnd == std::string::npos) {
                    headEnd = data.find("\r\n\r\n");
                    if (headEnd != std::string::npos) {
                        std::string lower = data.substr(0, headEnd);
                        for (char& c : lower) {
                            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                        }
                        const auto at = lower.find("content-length:");
                        if (at != std::string::npos) {
                            contentLength = std::stoul(lower.substr(at + 15));
                        }
                    }
                }
                if (headEnd != std::string::npos && data.size() >= headEnd + 4 + contentLength) {
                    break;
                }
                const int n = connection.receiveBytes(buffer, sizeof buffer);
                if (n <= 0) {
                    return;
                }
                data.append(buffer, static_cast<std::size_t>(n));
            }
        } catch (const Poco::Exception&) {
            return;
        }
        Recorded request;
        request.head = data.substr(0, headEnd);
        request.body = data.substr(headEnd + 4, contentLength);
        const auto firstSpace = request.head.find(' ');
        const auto secondSpace = request.head.find(' ', firstSpace + 1);
        request.method = request.head.substr(0, firstSpace);
        request.target = request.head.substr(firstSpace + 1, secondSpace - firstSpace - 1);
        Reply reply{500, R"({"message":"unexpected request"})"};
        {
            std::lock_guard lock(mutex_);
            if (requests_.size() < replies_.size()) {
                reply = replies_[requests_.size()];
            }
            requests_.push_back(request);
        }
        if (reply.drop) {
            connection.close();
            return;
        }
        const std::string response = "HTTP/1.1 " + std::to_string(reply.status) +
                                     " Scripted\r\nContent-Type: application/json\r\n"
                                     "Content-Length: " +
                                     std::to_string(reply.body.size()) +
                                     "\r\nConnection: close\r\n\r\n" + reply.body;
        connection.sendBytes(response.data(), static_cast<int>(response.size()));
        connection.shutdownSend();
        connection.close();
    }

    std::vector<Reply> replies_;
    Poco::Net::ServerSocket socket_;
    std::thread thread_;
    std::atomic<bool> stop_{false};
    std::mutex mutex_;
    std::vector<Recorded> requests_;
};

struct Fixture {
    fiscpos::core::ManualClock clock{
        fiscpos::core::toTimePoint(fiscpos::core::parseIso8601("2026-08-27T10:15:01+03:00", "t"))};
    // Produces well-formed records with the provider's key; no signing author in them.
    LocalSigner provider{PrivateKey::fromPemFile(fiscpos::test::mellonPrivateKey()), "", clock};

    std::string recordFor(const SignatureRequest& request) {
        return fiscpos::core::dumpJson(provider.sign(request).raw);
    }
    static std::string page(const std::vector<std::string>& records) {
        std::string out = R"({"data":[)";
        for (std::size_t i = 0; i < records.size(); ++i) {
            out += (i == 0 ? "" : ",") + records[i];
        }
        return out + R"(],"links":{},"meta":{}})";
    }
    static MydataProviderClient client(const ScriptedServer& server) {
        ProviderClientOptions options;
        options.baseUrl = server.url();
        options.token = token;
        options.providerId = "21";
        options.http.connectTimeout = std::chrono::milliseconds(2000);
        options.http.readTimeout = std::chrono::milliseconds(5000);
        return MydataProviderClient(std::move(options));
    }
};

std::size_t countMethod(const std::vector<Recorded>& requests, const std::string& method) {
    std::size_t n = 0;
    for (const auto& r : requests) {
        n += r.method == method ? 1 : 0;
    }
    return n;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(provider_client, Fixture)

BOOST_AUTO_TEST_CASE(create_sends_the_body_and_headers_and_reads_the_record) {
    const std::string record = recordFor(sampleRequest());
    ScriptedServer server({{201, record}});
    MydataProviderClient signer = client(server);
    std::vector<std::string> events;
    signer.onEvent([&events](const std::string& line) { events.push_back(line); });
    const ProviderSignature sig = signer.sign(sampleRequest());
    BOOST_TEST(sig.uid ==
               fiscpos::core::invoiceUid({"123456789", "2026-08-27", 1, "11.1", "R", "9"}));
    BOOST_TEST(sig.providerId == "21"); // from the options: the record names no author
    const auto requests = server.requests();
    BOOST_TEST_REQUIRE(requests.size() == 1u);
    BOOST_TEST(requests[0].method == "POST");
    BOOST_TEST(requests[0].target == "/v2/signatures");
    BOOST_TEST(requests[0].head.find("Authorization: Bearer tok-SECRET-123") != std::string::npos);
    BOOST_TEST(requests[0].head.find("Accept: application/json") != std::string::npos);
    BOOST_TEST(requests[0].head.find("X-Client: fiscpos/") != std::string::npos);
    const Json body =
        fiscpos::core::parseJson(requests[0].body, "body", fiscpos::core::JsonOrigin::Input);
    BOOST_TEST(body.at("nsp") == 2);
    BOOST_TEST(body.at("terminal_id") == "99000031");
    BOOST_TEST(requests[0].body.find(R"("payment_amount":12.40)") != std::string::npos);
    for (const auto& line : events) {
        BOOST_TEST(line.find(token) == std::string::npos);
    }
    BOOST_TEST(!events.empty());
}

BOOST_AUTO_TEST_CASE(validation_refusal_carries_the_field_errors) {
    ScriptedServer server(
        {{422, R"({"message":"Τα δεδομένα δεν είναι έγκυρα.","errors":{"terminal_id":)"
               R"(["Το πεδίο είναι υποχρεωτικό."]}})"}});
    MydataProviderClient signer = client(server);
    try {
        signer.sign(sampleRequest());
        BOOST_FAIL("expected a ProviderError");
    } catch (const ProviderError& e) {
        BOOST_TEST(e.status() == 422);
        BOOST_TEST(e.providerMessage() == "Τα δεδομένα δεν είναι έγκυρα.");
        BOOST_TEST(e.fieldErrors().at("terminal_id").at(0) == "Το πεδίο είναι υποχρεωτικό.");
        BOOST_TEST(std::string(e.what()).find("terminal_id") != std::string::npos);
    }
    BOOST_TEST(server.requests().size() == 1u); // a refusal is not retried
}

BOOST_AUTO_TEST_CASE(auth_refusals_and_not_found) {
    ScriptedServer server({{401, R"({"message":"Unauthenticated."})"},
                           {403, R"({"message":"This action is unauthorized."})"},
                           {404, "<html>not here</html>"}});
    MydataProviderClient signer = client(server);
    try {
        signer.sign(sampleRequest());
        BOOST_FAIL("expected a ProviderError");
    } catch (const ProviderError& e) {
        BOOST_TEST(e.code() == "provider_auth");
        BOOST_TEST(e.providerMessage() == "Unauthenticated.");
        BOOST_TEST(std::string(e.what()).find(token) == std::string::npos);
    }
    try {
        signer.find("SIG1");
        BOOST_FAIL("expected a ProviderError");
    } catch (const ProviderError& e) {
        BOOST_TEST(e.status() == 403);
    }
    try {
        signer.cancel("SIG 2/x");
        BOOST_FAIL("expected a ProviderError");
    } catch (const ProviderError& e) {
        BOOST_TEST(e.status() == 404);
        BOOST_TEST(e.code() == "provider_not_found");
    }
    const auto requests = server.requests();
    BOOST_TEST_REQUIRE(requests.size() == 3u);
    BOOST_TEST(requests[1].method == "GET");
    BOOST_TEST(requests[1].target == "/v2/signatures/SIG1");
    BOOST_TEST(requests[2].method == "DELETE");
    BOOST_TEST(requests[2].target == "/v2/signatures/SIG%202%2Fx");
}

BOOST_AUTO_TEST_CASE(unreadable_success_is_a_response_error) {
    Json incomplete = fiscpos::core::parseJson(recordFor(sampleRequest()), "r",
                                               fiscpos::core::JsonOrigin::Response);
    incomplete.erase("signature_hex");
    ScriptedServer server({{201, fiscpos::core::dumpJson(incomplete)}, {200, "not json"}});
    MydataProviderClient signer = client(server);
    try {
        signer.sign(sampleRequest());
        BOOST_FAIL("expected a ResponseError");
    } catch (const fiscpos::core::ResponseError& e) {
        BOOST_TEST(e.field() == "signature.signature_hex");
    }
    BOOST_CHECK_THROW(signer.find("SIG1"), fiscpos::core::ResponseError);
    BOOST_TEST(server.requests().size() == 2u);
}

BOOST_AUTO_TEST_CASE(lost_answer_reuses_the_pending_signature) {
    SignatureRequest other = sampleRequest();
    other.payment = Money::fromCents(1000); // same invoice, another amount: not ours
    const std::string notOurs = recordFor(other);
    const std::string ours = recordFor(sampleRequest());
    ScriptedServer server({{0, "", true}, {200, page({notOurs, ours})}});
    MydataProviderClient signer = client(server);
    const ProviderSignature sig = signer.sign(sampleRequest());
    BOOST_TEST(sig.paymentAmount.cents() == 1240);
    BOOST_TEST(sig.id == Json::parse(ours).at("id").get<std::string>());
    const auto requests = server.requests();
    BOOST_TEST_REQUIRE(requests.size() == 2u);
    BOOST_TEST(countMethod(requests, "POST") == 1u);
    BOOST_TEST(requests[1].target == "/v2/signatures?status=pending&page=1");
}

BOOST_AUTO_TEST_CASE(server_error_looks_through_every_page_then_creates_once_more) {
    SignatureRequest otherTerminal = sampleRequest();
    otherTerminal.terminalId = "99000032";
    SignatureRequest otherNetwork = sampleRequest();
    otherNetwork.nsp = Nsp::Viva;
    const std::string created = recordFor(sampleRequest());
    ScriptedServer server({{503, R"({"message":"Service Unavailable"})"},
                           {200, page({recordFor(otherTerminal)})},
                           {200, page({recordFor(otherNetwork)})},
                           {200, page({})},
                           {201, created}});
    MydataProviderClient signer = client(server);
    const ProviderSignature sig = signer.sign(sampleRequest());
    BOOST_TEST(sig.id == Json::parse(created).at("id").get<std::string>());
    const auto requests = server.requests();
    BOOST_TEST_REQUIRE(requests.size() == 5u);
    BOOST_TEST(countMethod(requests, "POST") == 2u);
    BOOST_TEST(requests[3].target == "/v2/signatures?status=pending&page=3");
}

BOOST_AUTO_TEST_CASE(second_server_error_is_reported_not_retried) {
    ScriptedServer server({{500, "{}"}, {200, page({})}, {502, R"({"message":"Bad Gateway"})"}});
    MydataProviderClient signer = client(server);
    try {
        signer.sign(sampleRequest());
        BOOST_FAIL("expected a ProviderError");
    } catch (const ProviderError& e) {
        BOOST_TEST(e.status() == 502);
        BOOST_TEST(e.retryable());
    }
    BOOST_TEST(countMethod(server.requests(), "POST") == 2u);
}

BOOST_AUTO_TEST_CASE(failed_lookup_keeps_the_outcome_unknown) {
    ScriptedServer server({{0, "", true}, {500, R"({"message":"oops"})"}});
    MydataProviderClient signer = client(server);
    try {
        signer.sign(sampleRequest());
        BOOST_FAIL("expected a TransportError");
    } catch (const TransportError& e) {
        BOOST_TEST(e.outcomeUnknown());
        BOOST_TEST(std::string(e.what()).find(token) == std::string::npos);
    }
    BOOST_TEST(countMethod(server.requests(), "POST") == 1u);
}

BOOST_AUTO_TEST_CASE(no_connection_means_nothing_was_sent_and_nothing_is_looked_up) {
    std::string url;
    {
        Poco::Net::ServerSocket closed(Poco::Net::SocketAddress("127.0.0.1", 0));
        url = "http://127.0.0.1:" + std::to_string(closed.address().port());
    }
    ProviderClientOptions options;
    options.baseUrl = url;
    options.token = token;
    options.http.connectAttempts = 1;
    MydataProviderClient signer(std::move(options));
    std::vector<std::string> events;
    signer.onEvent([&events](const std::string& line) { events.push_back(line); });
    try {
        signer.sign(sampleRequest());
        BOOST_FAIL("expected a TransportError");
    } catch (const TransportError& e) {
        BOOST_TEST(!e.outcomeUnknown());
    }
    BOOST_TEST(events.size() == 1u); // the create only, no lookup
}

BOOST_AUTO_TEST_CASE(list_pending_reads_pages_until_empty) {
    SignatureRequest second = sampleRequest();
    second.number = "10";
    ScriptedServer server({{200, page({recordFor(sampleRequest())})},
                           {200, page({recordFor(second)})},
                           {200, page({})},
                           {200, R"({"data":{}})"},
                           {200, R"({"links":{}})"}});
    MydataProviderClient signer = client(server);
    const auto pending = signer.listPending();
    BOOST_TEST_REQUIRE(pending.size() == 2u);
    BOOST_TEST(pending[1].raw.at("invoice_number") == "10");
    BOOST_TEST(pending[0].providerId == "21");
    for (int i = 0; i < 2; ++i) {
        try {
            signer.listPending();
            BOOST_FAIL("expected a ResponseError");
        } catch (const fiscpos::core::ResponseError& e) {
            BOOST_TEST(e.field() == "signatures.data");
        }
    }
}

BOOST_AUTO_TEST_CASE(a_bad_item_in_a_page_is_named) {
    Json broken = fiscpos::core::parseJson(recordFor(sampleRequest()), "r",
                                           fiscpos::core::JsonOrigin::Response);
    broken["expired"] = "no";
    ScriptedServer server(
        {{200, page({recordFor(sampleRequest()), fiscpos::core::dumpJson(broken)})}});
    MydataProviderClient signer = client(server);
    try {
        signer.listPending();
        BOOST_FAIL("expected a ResponseError");
    } catch (const fiscpos::core::ResponseError& e) {
        BOOST_TEST(e.field() == "signatures.data[1].expired");
    }
}

BOOST_AUTO_TEST_CASE(empty_token_is_a_configuration_error) {
    ProviderClientOptions options;
    options.baseUrl = "http://127.0.0.1:1";
    BOOST_CHECK_THROW(MydataProviderClient{options}, fiscpos::core::ConfigError);
}

BOOST_AUTO_TEST_SUITE_END()
