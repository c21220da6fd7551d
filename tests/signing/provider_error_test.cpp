// The provider's refusals as errors a cashier or installer can act on.
#include "signing/provider_error.hpp"

#include <boost/test/unit_test.hpp>

using namespace fiscpos::signing;

BOOST_AUTO_TEST_SUITE(provider_error)

BOOST_AUTO_TEST_CASE(validation_error_lists_every_field) {
    const ProviderError error(422, "Τα δεδομένα δεν είναι έγκυρα.",
                              {{"terminal_id", {"Το πεδίο είναι υποχρεωτικό."}},
                               {"payment_amount", {"must be positive", "too many decimals"}}});
    const std::string text = error.what();
    BOOST_TEST(error.code() == "provider_validation");
    BOOST_TEST(error.status() == 422);
    BOOST_TEST(!error.retryable());
    BOOST_TEST(text.find("HTTP 422") != std::string::npos);
    BOOST_TEST(text.find("Τα δεδομένα δεν είναι έγκυρα.") != std::string::npos);
    BOOST_TEST(text.find("terminal_id: Το πεδίο είναι υποχρεωτικό.") != std::string::npos);
    BOOST_TEST(text.find("payment_amount: must be positive, too many decimals") !=
               std::string::npos);
    BOOST_TEST(error.fieldErrors().at("payment_amount").size() == 2u);
    BOOST_TEST(text.ends_with("terminal_id: Το πεδίο είναι υποχρεωτικό."));
    BOOST_TEST(!text.ends_with(".."));
}

BOOST_AUTO_TEST_CASE(status_decides_the_code_and_the_sentence) {
    const ProviderError unauthenticated(401, "Unauthenticated.", {});
    BOOST_TEST(unauthenticated.code() == "provider_auth");
    BOOST_TEST(std::string(unauthenticated.what()).find("provider.token") != std::string::npos);
    BOOST_TEST(std::string(unauthenticated.what()).find("Unauthenticated.") != std::string::npos);
    const ProviderError forbidden(403, "This action is unauthorized.", {});
    BOOST_TEST(forbidden.code() == "provider_auth");
    BOOST_TEST(std::string(forbidden.what()).find("issuer VAT") != std::string::npos);
    BOOST_TEST(ProviderError(404, "", {}).code() == "provider_not_found");
    BOOST_TEST(std::string(ProviderError(404, "", {}).what()) ==
               "The provider has no such record (HTTP 404).");
    BOOST_TEST(std::string(unauthenticated.what()).ends_with("Unauthenticated."));
    const ProviderError busy(503, "Service Unavailable", {});
    BOOST_TEST(busy.code() == "provider_status");
    BOOST_TEST(busy.retryable());
    BOOST_TEST(ProviderError(429, "", {}).retryable());
    BOOST_TEST(!ProviderError(409, "", {}).retryable());
}

BOOST_AUTO_TEST_SUITE_END()
