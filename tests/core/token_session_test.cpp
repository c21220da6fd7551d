// core::TokenSession: when a token is obtained, refreshed or replaced, and when a refused request
// is sent again.
#include "core/token_session.hpp"

#include <boost/test/unit_test.hpp>

#include <optional>
#include <string>
#include <thread>
#include <vector>

using namespace fiscpos::core;

namespace {

struct Counting {
    ManualClock clock{TimePoint(std::chrono::seconds(1'800'000'000))};
    int logins = 0;
    int refreshes = 0;
    bool refreshRefused = false;
    TokenSession session{clock,
                         [this](const HttpObserver& record) {
                             ++logins;
                             if (record) {
                                 HttpExchange exchange;
                                 exchange.method = "POST";
                                 exchange.url = "login";
                                 record(exchange);
                             }
                             BearerToken token;
                             token.access = "login-" + std::to_string(logins);
                             token.refresh = "refresh-" + std::to_string(logins);
                             token.renewAt = clock.now() + std::chrono::minutes(5);
                             return token;
                         },
                         [this](const BearerToken& current,
                                const HttpObserver& record) -> std::optional<BearerToken> {
                             ++refreshes;
                             if (record) {
                                 HttpExchange exchange;
                                 exchange.method = "POST";
                                 exchange.url = "refresh";
                                 record(exchange);
                             }
                             if (refreshRefused) {
                                 return std::nullopt;
                             }
                             BearerToken token;
                             token.access = current.access + "+r";
                             token.renewAt = clock.now() + std::chrono::minutes(5);
                             return token;
                         }};
};

HttpResponse answer(int status) {
    HttpResponse response;
    response.status = status;
    return response;
}

} // namespace

BOOST_AUTO_TEST_SUITE(token_session)

BOOST_AUTO_TEST_CASE(
    one_login_serves_until_the_token_is_due_then_a_refresh_keeps_the_refresh_token) {
    Counting c;
    bool issued = false;
    BOOST_TEST(c.session.current(issued).access == "login-1");
    BOOST_TEST(issued);
    BOOST_TEST(c.session.current(issued).access == "login-1");
    BOOST_TEST(!issued);
    c.clock.advance(std::chrono::minutes(5));
    const BearerToken refreshed = c.session.current(issued);
    BOOST_TEST(issued);
    BOOST_TEST(refreshed.access == "login-1+r");
    BOOST_TEST(refreshed.refresh == "refresh-1"); // not rotated: the old one stays
    BOOST_TEST(c.logins == 1);
    BOOST_TEST(c.session.obtained() == 2U);
}

BOOST_AUTO_TEST_CASE(a_refused_refresh_falls_back_to_a_login) {
    Counting c;
    c.refreshRefused = true;
    bool issued = false;
    const BearerToken first = c.session.current(issued);
    BOOST_TEST(c.session.renew(first).access == "login-2");
    BOOST_TEST(c.refreshes == 1);
}

BOOST_AUTO_TEST_CASE(a_token_replaced_by_another_caller_is_not_replaced_again) {
    Counting c;
    bool issued = false;
    const BearerToken used = c.session.current(issued);
    const BearerToken byFirst = c.session.renew(used, true);
    const BearerToken bySecond = c.session.renew(used, true); // refused the same old token
    BOOST_TEST(byFirst.access == "login-2");
    BOOST_TEST(bySecond.access == "login-2");
    BOOST_TEST(c.logins == 2);
}

BOOST_AUTO_TEST_CASE(concurrent_callers_share_one_login) {
    Counting c;
    std::vector<std::thread> callers;
    for (int i = 0; i < 8; ++i) {
        callers.emplace_back([&c] {
            bool issued = false;
            (void)c.session.current(issued);
        });
    }
    for (auto& caller : callers) {
        caller.join();
    }
    BOOST_TEST(c.logins == 1);
}

BOOST_AUTO_TEST_CASE(a_refusal_renews_once_by_login_when_the_token_was_just_issued) {
    Counting c;
    std::vector<std::string> sentWith;
    const auto refusedFirst = [&](const std::string& access) {
        sentWith.push_back(access);
        return answer(sentWith.size() == 1 ? 401 : 200);
    };
    const auto on401 = [](const HttpResponse& response, bool) {
        return response.status == 401;
    };
    BOOST_TEST(c.session.send(refusedFirst, on401).status == 200);
    BOOST_TEST(sentWith == (std::vector<std::string>{"login-1", "login-2"}));
    BOOST_TEST(c.refreshes == 0); // just issued: a login, not a refresh

    // Refused again and again: renewed once only, the last answer is the caller's to read.
    sentWith.clear();
    const auto alwaysRefused = [&](const std::string& access) {
        sentWith.push_back(access);
        return answer(401);
    };
    BOOST_TEST(c.session.send(alwaysRefused, on401).status == 401);
    BOOST_TEST(sentWith.size() == 2U);
    BOOST_TEST(c.refreshes == 1); // an older token: a refresh
}

BOOST_AUTO_TEST_CASE(may_resend_stops_a_second_send) {
    Counting c;
    int sends = 0;
    int asked = 0;
    const HttpResponse last = c.session.send(
        [&](const std::string&) {
            ++sends;
            return answer(401);
        },
        [](const HttpResponse& response, bool) { return response.status == 401; },
        [&] {
            ++asked;
            return false; // the network has it already: not sent again
        });
    BOOST_TEST(last.status == 401);
    BOOST_TEST(sends == 1);
    BOOST_TEST(asked == 1);
    BOOST_TEST(c.logins == 2); // renewed before the question, so it is asked under a good token
}

BOOST_AUTO_TEST_CASE(the_token_calls_made_for_a_request_go_to_that_requests_record) {
    Counting c;
    std::vector<std::string> first;
    std::vector<std::string> second;
    const auto into = [](std::vector<std::string>& seen) {
        return [&seen](const HttpExchange& exchange) {
            seen.push_back(exchange.url);
        };
    };
    const auto ok = [](const std::string&) {
        return answer(200);
    };
    const auto never = [](const HttpResponse&, bool) {
        return false;
    };
    c.session.send(ok, never, {}, into(first));
    c.session.send(ok, never, {}, into(second)); // the token is still good: no token call
    c.clock.advance(std::chrono::minutes(6));
    std::vector<std::string> third;
    c.session.send(ok, never, {}, into(third)); // due: refreshed for this request
    BOOST_TEST(first == std::vector<std::string>{"login"});
    BOOST_TEST(second.empty());
    BOOST_TEST(third == std::vector<std::string>{"refresh"});
}

BOOST_AUTO_TEST_SUITE_END()
