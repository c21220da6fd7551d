// Quoting remote answers in error messages: credentials are masked before anything is cut, and an
// answer that is not JSON is quoted only redacted (a credential answer not at all).
#include "core/body_quote.hpp"
#include "core/errors.hpp"
#include "core/json.hpp"

#include <boost/test/unit_test.hpp>

using namespace fiscpos::core;

BOOST_AUTO_TEST_SUITE(body_quote)

BOOST_AUTO_TEST_CASE(credential_fields_and_token_looking_values_are_masked) {
    const std::string hex = "3f9a0c4e1b7d2a6e8f0c1d2e3f4a5b6c7d8e9f0a";
    const std::string jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJlMTIz";
    const std::string quoted =
        quoteBody(R"({"access_token": ")" + hex + R"(", "token_type": "bearer", "refresh": ")" +
                  jwt + R"(", "sessionId": "4bdebe62-c211-4ca0-a994-b2fbea2061c5")");
    BOOST_TEST(quoted.find(hex.substr(0, 8)) == std::string::npos, quoted);
    BOOST_TEST(quoted.find("eyJ") == std::string::npos, quoted);
    BOOST_TEST(quoted.find("4bdebe62-c211-4ca0-a994-b2fbea2061c5") != std::string::npos, quoted);
    BOOST_TEST(quoted.find("access_token") != std::string::npos, quoted);

    // Form bodies and free text too; a bare token-looking run is masked wherever it stands.
    const std::string form = redactSecrets("grant_type=password&password=hunter2&tid=16000010");
    BOOST_TEST(form.find("hunter2") == std::string::npos, form);
    BOOST_TEST(form.find("tid=16000010") != std::string::npos, form);
    BOOST_TEST(redactSecrets("key Zg6xxfx_R1eXTOs39BPzqQ revoked").find("Zg6xx") ==
               std::string::npos);
    BOOST_TEST(redactSecrets("TransactionId 075121702285176315144") ==
               "TransactionId 075121702285176315144");
}

BOOST_AUTO_TEST_CASE(the_cut_comes_after_the_masking) {
    const std::string body =
        R"({"x": ")" + std::string(50, 'a') + R"(", "token": "abcdefghij0123456789abcdefghij"})";
    const std::string quoted = quoteBody(body, 70);
    BOOST_TEST(quoted.find("abcdefghij") == std::string::npos, quoted);
    BOOST_TEST(quoted.size() <= 73U);
}

BOOST_AUTO_TEST_CASE(unreadable_json_quotes_its_start_redacted_and_credentials_not_at_all) {
    const std::string broken = R"({"access_token": "3f9a0c4e1b7d2a6e8f0c1d2e3f4a5b6c7d8e9f0a", )";
    try {
        parseJson(broken, "token", JsonOrigin::Response);
        BOOST_FAIL("broken JSON was read");
    } catch (const ResponseError& e) {
        BOOST_TEST(std::string(e.what()).find("3f9a0c4e") == std::string::npos, e.what());
    }
    try {
        parseCredentialJson(R"({"Id": "9ocuFREX)", "redeem");
        BOOST_FAIL("broken JSON was read");
    } catch (const ResponseError& e) {
        BOOST_TEST(std::string(e.what()).find("9ocu") == std::string::npos, e.what());
        BOOST_TEST(e.field() == "redeem");
    }
}

BOOST_AUTO_TEST_CASE(summaries_give_the_explanation_and_credential_answers_nothing_more) {
    HttpResponse refusal;
    refusal.status = 401;
    refusal.body = R"({"detail": "Token is invalid or expired", "code": "token_not_valid"})";
    BOOST_TEST(answerSummary(refusal) == "401: Token is invalid or expired");
    HttpResponse token;
    token.status = 500;
    token.body = "upstream said access=3f9a0c4e1b7d2a6e8f0c1d2e3f4a5b6c7d8e9f0a";
    BOOST_TEST(credentialAnswerSummary(token) == "500");
    BOOST_TEST(answerSummary(token).find("3f9a0c4e") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
