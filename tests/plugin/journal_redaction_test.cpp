#include "plugin/journal/journal_event.hpp"
#include "plugin/journal/redaction.hpp"

#include <boost/test/unit_test.hpp>

#include <string>
#include <vector>

using namespace fiscpos::plugin;

namespace {
bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}
} // namespace

BOOST_AUTO_TEST_SUITE(journal_redaction)

BOOST_AUTO_TEST_CASE(secret_names_ignore_case_and_separators) {
    for (const char* name :
         {"password", "Password", "client_secret", "clientSecret", "token", "access_token",
          "refresh", "access", "api_key", "apiKey", "X-Api-Key", "Authorization", "Cookie",
          "merchantApiKey", "webhook_token", "SessionKey", "Ocp-Apim-Subscription-Key"}) {
        BOOST_TEST(isSecretName(name), name);
    }
    for (const char* name :
         {"amount", "token_type", "sessionId", "CustomerReference", "transactionId", "orderCode",
          "signature", "pinOk", "expires_in", "ErrorCode", "Id", "code"}) {
        BOOST_TEST(!isSecretName(name), name);
    }
    BOOST_TEST(isCardNumberName("cardNumber"));
    BOOST_TEST(isCardNumberName("primaryAccountNumberMasked"));
    BOOST_TEST(!isCardNumberName("cardType"));
}

BOOST_AUTO_TEST_CASE(json_keeps_every_byte_but_the_secret_values) {
    const std::string body = "{ \"username\": \"erp@example.com\",\n  \"password\" : \"hunter2\","
                             " \"amount\": 12.40, \"nested\": {\"Access_Token\": \"abc123xyz\","
                             " \"list\": [1, {\"api_key\": 42}]}, \"refresh\": null, "
                             "\"token\": \"\" }";
    const std::string expected =
        "{ \"username\": \"erp@example.com\",\n  \"password\" : \"[redacted]\","
        " \"amount\": 12.40, \"nested\": {\"Access_Token\": \"[redacted]\","
        " \"list\": [1, {\"api_key\": \"[redacted]\"}]}, \"refresh\": null, \"token\": \"\" }";
    BOOST_TEST(redactBody(body) == expected);
}

BOOST_AUTO_TEST_CASE(a_secret_object_is_replaced_whole) {
    BOOST_TEST(redactBody(R"({"secret": {"a": "b", "password": "x"}, "k": [1,2]})") ==
               R"({"secret": "[redacted]", "k": [1,2]})");
}

BOOST_AUTO_TEST_CASE(json_escapes_in_names_are_read) {
    BOOST_TEST(redactBody(R"({"pass\u0077ord": "hunter2"})") ==
               R"({"pass\u0077ord": "[redacted]"})");
}

BOOST_AUTO_TEST_CASE(fields_an_exchange_declares_secret_are_redacted) {
    const std::vector<std::string> pairing{"Code", "Id"};
    BOOST_TEST(redactBody(R"({"Type": "pair", "Code": "12345678"})", pairing) ==
               R"({"Type": "pair", "Code": "[redacted]"})");
    BOOST_TEST(redactBody(R"({"id": "9ocuFREXR9i1ZgvHH8qhSQ", "Type": "pair"})", pairing) ==
               R"({"id": "[redacted]", "Type": "pair"})");
    BOOST_TEST(redactBody("code=12345678&x=1", pairing) == "code=[redacted]&x=1");
    BOOST_TEST(redactText(R"(refused {"Code": "12345678"})", pairing) ==
               R"(refused {"Code": "[redacted]"})");
    // Elsewhere Id and Code are references and error codes, kept.
    BOOST_TEST(redactBody(R"({"Id": "abc", "Code": 17})") == R"({"Id": "abc", "Code": 17})");
}

BOOST_AUTO_TEST_CASE(an_exchange_record_leaves_out_what_its_request_declared_secret) {
    fiscpos::core::HttpExchange exchange;
    exchange.method = "POST";
    exchange.url = "http://127.0.0.1:1/pair";
    exchange.requestBody = R"({"Type": "pair", "Code": "12345678"})";
    exchange.status = 200;
    exchange.responseBody = R"({"Type": "pair", "Id": "9ocuFREXR9i1ZgvHH8qhSQ"})";
    exchange.secretFields = {"Code", "Id"};
    const auto record = fiscpos::plugin::EventRecord::fromExchange("network.response", exchange);
    BOOST_TEST(*record.requestBody == R"({"Type": "pair", "Code": "[redacted]"})");
    BOOST_TEST(*record.responseBody == R"({"Type": "pair", "Id": "[redacted]"})");
    exchange.secretFields.clear();
    const auto plain = fiscpos::plugin::EventRecord::fromExchange("network.response", exchange);
    BOOST_TEST(*plain.responseBody == exchange.responseBody);
}

BOOST_AUTO_TEST_CASE(card_number_fields_are_masked_references_are_not) {
    const std::string body =
        R"({"cardNumber": "4111111111111111", "pan": 5555555555554444, "maskedPan": "411111******1111",
"orderCode": 4201736414972602, "aadeTransactionId": "1164309095527895527", "mark": "400001234567890",
"Input": "uid;400001234567890;16000010;20240510164340;1.00;0.24;1.24;1.24"})";
    const std::string out = redactBody(body);
    BOOST_TEST(contains(out, R"("cardNumber": "411111******1111")"));
    BOOST_TEST(contains(out, R"("pan": "555555******4444")"));
    BOOST_TEST(contains(out, R"("maskedPan": "411111******1111")"));
    BOOST_TEST(contains(out, "4201736414972602"));
    BOOST_TEST(contains(out, "1164309095527895527"));
    BOOST_TEST(contains(out, R"("mark": "400001234567890")"));
    BOOST_TEST(contains(out, "uid;400001234567890;16000010;20240510164340;1.00"));
}

BOOST_AUTO_TEST_CASE(a_grouped_card_number_in_text_is_masked) {
    BOOST_TEST(redactText("card 4111 1111 1111 1111 declined") ==
               "card 4111 11** **** 1111 declined");
    BOOST_TEST(redactText("pan 4111-1111-1111-1111.") == "pan 4111-11**-****-1111.");
    // Not Luhn-valid, or a date: kept.
    BOOST_TEST(redactText("ref 4111 1111 1111 1112") == "ref 4111 1111 1111 1112");
    BOOST_TEST(redactText("on 2024-05-10 at 16:43") == "on 2024-05-10 at 16:43");
    BOOST_TEST(maskCardNumber("4111 1111 1111 1111") == "4111 11** **** 1111");
    BOOST_TEST(maskCardNumber("123456") == "123456");
}

BOOST_AUTO_TEST_CASE(form_bodies_and_urls) {
    BOOST_TEST(redactBody("grant_type=password&username=merchant&password=p%40ss&tid=T1") ==
               "grant_type=password&username=merchant&password=[redacted]&tid=T1");
    BOOST_TEST(redactBody("grant_type=authorization_code&code=xyz&client_secret=s") ==
               "grant_type=authorization_code&code=[redacted]&client_secret=[redacted]");
    BOOST_TEST(redactBody("grant_type=refresh_token&refresh_token=r1") ==
               "grant_type=refresh_token&refresh_token=[redacted]");
    BOOST_TEST(redactUrl("https://user:pw@host.gr:8443/api/v2/x?api_key=K1&page=2#top") ==
               "https://user:[redacted]@host.gr:8443/api/v2/x?api_key=[redacted]&page=2#top");
    BOOST_TEST(redactUrl("http://127.0.0.1:8080/mellon/api/v2.2/transaction/?sessionId=abc") ==
               "http://127.0.0.1:8080/mellon/api/v2.2/transaction/?sessionId=abc");
}

BOOST_AUTO_TEST_CASE(header_values) {
    const fiscpos::core::HttpHeaders headers{{"Authorization", "Bearer abc.def"},
                                             {"X-Api-Key", "9ocuFREXR9i1ZgvHH8qhSQ"},
                                             {"Content-Type", "application/json"},
                                             {"Cookie", "session=1"}};
    BOOST_TEST(redactHeaders(headers) == "Authorization: [redacted]\nX-Api-Key: [redacted]\n"
                                         "Content-Type: application/json\nCookie: [redacted]\n");
    BOOST_TEST(redactHeaderLines("Authorization: Basic dXNlcjpwYXNz\r\nAccept: */*\r\n") ==
               "Authorization: [redacted]\r\nAccept: */*\r\n");
}

BOOST_AUTO_TEST_CASE(text_rules) {
    const std::string jwt = "eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjoxfQ.c2lnbmF0dXJl";
    BOOST_TEST(redactText("got " + jwt + " back") == "got [redacted] back");
    BOOST_TEST(redactText("sent Authorization: Bearer Zg6xxfx_R1eXTOs39BPzqQ now") ==
               "sent Authorization: [redacted] now");
    BOOST_TEST(redactText("with Bearer Zg6xxfx_R1eXTOs39BPzqQ") == "with Bearer [redacted]");
    BOOST_TEST(redactText("Basic authentication failed") == "Basic authentication failed");
    BOOST_TEST(redactText("<login><password>hunter2</password></login>") ==
               "<login><password>[redacted]</password></login>");
    BOOST_TEST(redactText(R"(body {"password": "hunter2", "amount": 1})") ==
               R"(body {"password": "[redacted]", "amount": 1})");
    BOOST_TEST(redactText("Wrong password.") == "Wrong password.");
    // A JSON string that carries JSON gets the text rules.
    BOOST_TEST(redactBody(R"({"request": "{\"token\":\"t0k3n\"}"})") ==
               R"({"request": "{\"token\":\"[redacted]\"}"})");
}

BOOST_AUTO_TEST_CASE(not_json_falls_back_to_text_rules) {
    BOOST_TEST(redactBody("{\"password\": \"hunter2\"") == "{\"password\": \"[redacted]\"");
    BOOST_TEST(redactBody("") == "");
    BOOST_TEST(redactBody("\"just a string\"") == "\"just a string\"");
    BOOST_TEST(redactBody("<html>502 Bad Gateway</html>") == "<html>502 Bad Gateway</html>");
}

BOOST_AUTO_TEST_CASE(malformed_json_is_read_as_text) {
    const std::vector<std::string> bodies = {
        "{",
        "[1,",
        "{\"a\":}",
        "{\"a\" 1}",
        "\"\\u12",
        "{\"a\":\"b\\",
        "[01x]",
        "{\"a\":tru}",
        "{\"a\":\"\x01\"}",
        "{} {}",
        std::string(2000, '['),
        std::string(300, '[') + std::string(300, ']'),
    };
    for (const auto& body : bodies) {
        BOOST_TEST(redactBody(body) == redactText(body), body.substr(0, 20));
    }
    // Deep but within bounds is still JSON.
    const std::string deep = std::string(200, '[') + "{\"token\": \"t\"}" + std::string(200, ']');
    BOOST_TEST(redactBody(deep).find("\"token\": \"[redacted]\"") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
