// What the GP tom adapter sends and checks before sending: the task bodies and paths of the
// provisional wire format, the form of our reference on the wire, the settings (and their
// reading from a [terminal.NAME] section), and the payment requests GP tom cannot take.
#include "core/config.hpp"
#include "core/errors.hpp"
#include "gptom/gptom_network.hpp"
#include "gptom/gptom_terminal.hpp"
#include "gptom/provisional_api.hpp"
#include "plugin/terminal_settings.hpp"
#include "tests/gptom/gptom_test_support.hpp"

#include <boost/test/unit_test.hpp>

using namespace fiscpos;
using namespace fiscpos::gptom;
using core::Json;
using core::Money;

namespace {

GptomSettings validSettings() {
    return gptom::test::simSettings("https://cloud-api-dev.gptom.com");
}

TaskSignature sampleSignature() {
    return TaskSignature{"A6983D02CECC8E77C1CC4EA61E31C2994CF4913D;;20240629194534;1240;1000;240;"
                         "1240;12345678",
                         "MEUCIQDx", "999"};
}

} // namespace

BOOST_AUTO_TEST_SUITE(gptom_requests)

BOOST_AUTO_TEST_CASE(sale_body_in_minor_units_with_the_signature) {
    SaleTask sale;
    sale.amount = Money::fromCents(1240);
    sale.reference = "A-2-7f3c9e";
    BOOST_TEST(provisional::saleBody(sale) == (Json{{"transactionType", "SALE"},
                                                    {"amount", 1240},
                                                    {"currencyCode", "EUR"},
                                                    {"originReferenceNum", "A-2-7f3c9e"},
                                                    {"printByPaymentApp", false}}));
    sale.tid = "12345678";
    sale.printReceipt = true;
    sale.signature = sampleSignature();
    const Json body = provisional::saleBody(sale);
    BOOST_TEST(body["tid"] == "12345678");
    BOOST_TEST(body["printByPaymentApp"] == true);
    BOOST_TEST(body["aadeProviderId"] == "999");
    BOOST_TEST(body["aadeProviderSignatureData"] == sampleSignature().input);
    BOOST_TEST(body["aadeProviderSignature"] == "MEUCIQDx");
    BOOST_TEST(core::dumpJson(body).find("12.40") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(cancellation_and_batch_close_bodies) {
    CancelTask storno;
    storno.amsId = "9876543210";
    storno.reference = "A-2-storno-1";
    BOOST_TEST(provisional::cancelBody(storno) == (Json{{"transactionType", "STORNO"},
                                                        {"amsID", "9876543210"},
                                                        {"originReferenceNum", "A-2-storno-1"},
                                                        {"printByPaymentApp", false}}));
    storno.tid = "12345678";
    BOOST_TEST(provisional::cancelBody(storno)["tid"] == "12345678");
    CloseBatchTask close;
    close.reference = "Z-1";
    BOOST_TEST(provisional::closeBatchBody(close) == (Json{{"originReferenceNum", "Z-1"}}));
    close.tid = "12345678";
    BOOST_TEST(provisional::closeBatchBody(close)["tid"] == "12345678");
}

BOOST_AUTO_TEST_CASE(paths_and_the_master_accounts_tid) {
    BOOST_TEST(provisional::createTransactionPath() == "/v1/tasks/TRANSACTION");
    BOOST_TEST(provisional::createCloseBatchPath() == "/v1/tasks/CLOSE_BATCH");
    BOOST_TEST(provisional::taskPath("a b") == "/v1/tasks/a%20b");
    BOOST_TEST(provisional::transactionPath("t1") == "/v1/tasks/t1/transaction");
    BOOST_TEST(provisional::batchPath("t1") == "/v1/tasks/t1/batch");
    BOOST_TEST(provisional::taskSearchPath("A/2&x") == "/v1/tasks?originReferenceNum=A%2F2%26x");
    BOOST_TEST(provisional::withTid("/v1/tasks/t1", "") == "/v1/tasks/t1");
    BOOST_TEST(provisional::withTid("/v1/tasks/t1", "123") == "/v1/tasks/t1?tid=123");
    BOOST_TEST(provisional::withTid("/v1/tasks?originReferenceNum=R", "123") ==
               "/v1/tasks?originReferenceNum=R&tid=123");
}

BOOST_AUTO_TEST_CASE(our_reference_fits_originReferenceNum_and_always_the_same_way) {
    BOOST_TEST(provisional::originReference("A-2-7f3c9e") == "A-2-7f3c9e");
    const std::string uuid = "1b4e28ba-2fa1-41d2-883f-0016d3cca427";
    const std::string wire = provisional::originReference(uuid);
    BOOST_TEST(wire == "1b4e28ba2fa141d2883f");
    BOOST_TEST(wire.size() == provisional::maxReferenceLength);
    BOOST_TEST(provisional::originReference(uuid) == wire);
    BOOST_TEST(provisional::originReference("pay 1") == "pay1");
    BOOST_TEST(provisional::originReference("--").size() == 2U);
    BOOST_TEST(provisional::originReference("").empty());
    BOOST_TEST(provisional::originReference("!!!").empty());
}

BOOST_AUTO_TEST_CASE(settings_errors_name_the_setting) {
    BOOST_CHECK_NO_THROW(validSettings().validate());
    const auto fails = [](const std::function<void(GptomSettings&)>& change,
                          const std::string& setting,
                          GptomSettings::Need need = GptomSettings::Need::Payments) {
        GptomSettings settings = validSettings();
        change(settings);
        gptom::test::requireFieldError<core::ConfigError>([&] { settings.validate(need); },
                                                          "terminal.G1." + setting);
    };
    fails([](auto& s) { s.url.clear(); }, "url");
    fails([](auto& s) { s.url = "ftp://gp"; }, "url");
    fails([](auto& s) { s.url = "https://gp/?a=1"; }, "url");
    fails([](auto& s) { s.username.clear(); }, "username");
    fails([](auto& s) { s.password.clear(); }, "password");
    fails([](auto& s) { s.clientCredential.clear(); }, "client_credential");
    fails([](auto& s) { s.clientCredential = "a b"; }, "client_credential");
    fails([](auto& s) { s.tid.clear(); }, "tid", GptomSettings::Need::Account);
    fails([](auto& s) { s.tid = "1;2"; }, "tid");
    fails([](auto& s) { s.tokenUrl = "oauth/token"; }, "token_url");
    fails([](auto& s) { s.refreshUrls = {"/api/oauth/token", "x"}; }, "refresh_urls");
    fails([](auto& s) { s.refreshUrls.clear(); }, "refresh_urls");
    fails([](auto& s) { s.currency = "euro"; }, "currency");
    fails([](auto& s) { s.providerId.clear(); }, "provider_id");
    fails([](auto& s) { s.a1155Confirmed = false; }, "a1155_confirmed");

    // Cancellations and batch closes need no provider and no A.1155 confirmation.
    GptomSettings account = validSettings();
    account.providerId.clear();
    account.a1155Confirmed = false;
    BOOST_CHECK_NO_THROW(account.validate(GptomSettings::Need::Account));
}

BOOST_AUTO_TEST_CASE(a_sale_only_and_the_signed_amount_and_terminal) {
    const GptomSettings settings = validSettings();
    const core::PaymentRequest sale = gptom::test::signedSale(1240, "12345678", "1", "ref-1");
    BOOST_CHECK_NO_THROW(checkSaleRequest(sale, settings));

    const auto unsupported = [&](const std::function<void(core::PaymentRequest&)>& change) {
        core::PaymentRequest request = sale;
        change(request);
        BOOST_CHECK_THROW(checkSaleRequest(request, settings), core::NotSupportedError);
    };
    unsupported([](auto& r) { r.kind = core::PaymentKind::Refund; });
    unsupported([](auto& r) { r.kind = core::PaymentKind::PreauthCompletion; });
    unsupported([](auto& r) { r.preauth = true; });
    unsupported([](auto& r) { r.instalments = 3; });
    unsupported([](auto& r) { r.tip = Money::fromCents(100); });

    core::PaymentRequest other = sale;
    other.amount = Money::fromCents(1000);
    gptom::test::requireFieldError<core::InputError>([&] { checkSaleRequest(other, settings); },
                                                     "amount");
    other = sale;
    other.signature.tid = "12345679";
    gptom::test::requireFieldError<core::InputError>([&] { checkSaleRequest(other, settings); },
                                                     "signature.tid");
    other = sale;
    other.reference = "***";
    gptom::test::requireFieldError<core::InputError>([&] { checkSaleRequest(other, settings); },
                                                     "reference");

    BOOST_TEST(taskSignature(sale.signature, "999").input == sale.signature.input);
    core::SignedPayment unsigned_ = sale.signature;
    unsigned_.signatureBase64.clear();
    gptom::test::requireFieldError<core::InputError>([&] { taskSignature(unsigned_, "999"); },
                                                     "signature.signatureBase64");
}

BOOST_AUTO_TEST_CASE(a_terminal_section_makes_a_gptom_terminal) {
    const core::Config config = core::Config::fromText(R"(
[terminal.G1]
nsp = gptom
url = https://cloud-api-dev.gptom.com
username = merchant
password = secret
client_credential = Y2xpZW50OnNlY3JldA==
tid = 12345678
provider_id = 999
refresh_urls = /api/oauth/token, https://api.gptom.com/api/oauth/token
print_receipt = true
a1155_confirmed = true

[terminal.G2]
nsp = gptom
url = https://cloud-api-dev.gptom.com
username = company
password = secret
client_credential = Y2xpZW50OnNlY3JldA==
master_account = true
tid = 12345679
provider_id = 999
signature_nsp = webecr
)");
    const GptomSettings g1 = gptom::gptomSettings(config, "G1");
    BOOST_TEST(g1.section == "terminal.G1");
    BOOST_TEST(g1.clientCredential == "Y2xpZW50OnNlY3JldA==");
    BOOST_TEST(!g1.masterAccount);
    BOOST_TEST(g1.tokenUrl == "/cloud/oauth/token");
    BOOST_TEST(g1.refreshUrls.size() == 2U);
    BOOST_TEST(g1.refreshUrls[1] == "https://api.gptom.com/api/oauth/token");
    BOOST_TEST(g1.printReceipt);
    BOOST_TEST(g1.a1155Confirmed);
    const GptomSettings g2 = gptom::gptomSettings(config, "G2");
    BOOST_TEST(g2.masterAccount);
    BOOST_TEST(!g2.a1155Confirmed);

    const core::SystemClock clock;
    const auto terminals = plugin::terminalsFromConfig(config, clock);
    BOOST_TEST_REQUIRE(terminals.size() == 2U);
    const auto& binding = terminals.at("G1");
    BOOST_TEST(binding.network == "gptom");
    BOOST_TEST(binding.terminal->network() == "gptom");
    BOOST_TEST(binding.terminal->traits().queuesRequests);
    BOOST_TEST((binding.nsp == signing::Nsp::Viva));
    BOOST_TEST((terminals.at("G2").nsp == signing::Nsp::WebEcr));

    const auto refused = [](const std::string& line, const std::string& setting) {
        const core::Config bad = core::Config::fromText(
            "[terminal.G1]\nnsp = gptom\nurl = https://cloud-api-dev.gptom.com\nusername = u\n"
            "password = p\ntid = 1\n" +
            line + "\n");
        const core::SystemClock systemClock;
        gptom::test::requireFieldError<core::ConfigError>(
            [&] { plugin::terminalsFromConfig(bad, systemClock).at("G1").requireUsable(); },
            setting);
    };
    refused("client_credential = c\nmaster_account = yes", "terminal.G1.master_account");
    refused("client_credential = c\nsignature_nsp = gp", "terminal.G1.signature_nsp");
    refused("client_credential = c\ncurrency = 978", "terminal.G1.currency");
    refused("", "terminal.G1.client_credential");
}

BOOST_AUTO_TEST_SUITE_END()
