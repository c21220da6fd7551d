#include "einvoice/xsd_validator.hpp"

#include "core/errors.hpp"
#include "tests/einvoice/fixtures.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdio>
#include <fstream>
#include <thread>
#include <unistd.h>

using fiscpos::einvoice::cardPaymentLine;
using fiscpos::einvoice::MydataSchema;
using fiscpos::einvoice::XmlValidationError;
using fiscpos::einvoice::XsdValidator;
using fiscpos::test::cardPayment;
using fiscpos::test::replaced;
using fiscpos::test::validatorV1;
using fiscpos::test::validatorV2;

namespace {

std::string saleDoc() {
    return fiscpos::einvoice::invoicesDoc(fiscpos::test::saleInvoice(),
                                          {cardPaymentLine(cardPayment(124))});
}

std::string deferredDoc() {
    return fiscpos::einvoice::paymentMethodsDoc("400013293980417",
                                                {cardPaymentLine(cardPayment(124))});
}

// Replaces every occurrence.
std::string replacedAll(std::string text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
    return text;
}

// `xml` must be rejected by `validator` with a message containing `expected`.
void expectInvalid(const XsdValidator& validator, const std::string& xml, MydataSchema schema,
                   const std::string& expected) {
    try {
        validator.validate(xml, schema);
        BOOST_FAIL("the validator accepted:\n" << xml);
    } catch (const XmlValidationError& e) {
        BOOST_TEST(e.code() == "xml_invalid");
        BOOST_TEST(!e.messages().empty());
        BOOST_TEST(std::string(e.what()).find(expected) != std::string::npos, e.what());
    }
}

template <typename Call> void expectXsdDirError(Call call, const std::string& reason) {
    try {
        call();
        BOOST_FAIL("no configuration error");
    } catch (const fiscpos::core::ConfigError& e) {
        BOOST_TEST(e.code() == "config");
        BOOST_TEST(e.field() == "mydata.xsd_dir");
        BOOST_TEST(std::string(e.what()).find(reason) != std::string::npos, e.what());
    }
}

} // namespace

BOOST_AUTO_TEST_SUITE(xsd_validator)

BOOST_AUTO_TEST_CASE(schema_files_are_found_by_prefix) {
    BOOST_TEST(validatorV2().schemaFile(MydataSchema::InvoicesDoc).filename() ==
               "InvoicesDoc-v2.0.1.xsd");
    BOOST_TEST(validatorV2().schemaFile(MydataSchema::PaymentMethodsDoc).filename() ==
               "paymentMethods-v2.0.1.xsd");
    BOOST_TEST(validatorV1().schemaFile(MydataSchema::InvoicesDoc).filename() ==
               "InvoicesDoc-v1.0.12.xsd");
    BOOST_TEST(validatorV1().schemaFile(MydataSchema::PaymentMethodsDoc).filename() ==
               "paymentMethods-v1.0.12.xsd");
}

BOOST_AUTO_TEST_CASE(tid_before_transaction_id_is_rejected) {
    const std::string good = saleDoc();
    const std::string transactionId = "<transactionId>075121702285176315144</transactionId>";
    const std::string tid = "<tid>99000031</tid>";
    // Moves <tid> in front of <transactionId>, leaving everything else as generated.
    const std::string swapped =
        replaced(replaced(good, tid, ""), transactionId, tid + transactionId);
    BOOST_TEST(swapped.find(tid + transactionId) != std::string::npos);
    for (const XsdValidator* validator : {&validatorV2(), &validatorV1()}) {
        BOOST_CHECK_NO_THROW(validator->validate(good, MydataSchema::InvoicesDoc));
        expectInvalid(*validator, swapped, MydataSchema::InvoicesDoc,
                      "Element '{http://www.aade.gr/myDATA/invoice/v1.0}transactionId': This "
                      "element is not expected");
    }
}

BOOST_AUTO_TEST_CASE(unprefixed_payment_details_are_rejected) {
    const std::string good = deferredDoc();
    const std::string unprefixed = replacedAll(replacedAll(good, "<inv:", "<"), "</inv:", "</");
    BOOST_TEST(unprefixed.find("<type>7</type>") != std::string::npos);
    for (const XsdValidator* validator : {&validatorV2(), &validatorV1()}) {
        BOOST_CHECK_NO_THROW(validator->validate(good, MydataSchema::PaymentMethodsDoc));
        expectInvalid(*validator, unprefixed, MydataSchema::PaymentMethodsDoc,
                      "Element '{https://www.aade.gr/myDATA/paymentMethod/v1.0}type': This "
                      "element is not expected");
    }
}

BOOST_AUTO_TEST_CASE(amount_facets_are_enforced) {
    expectInvalid(validatorV2(),
                  replaced(saleDoc(), "<amount>1.24</amount>", "<amount>1.245</amount>"),
                  MydataSchema::InvoicesDoc, "amount");
    expectInvalid(validatorV2(),
                  replaced(saleDoc(), "<amount>1.24</amount>", "<amount>-1.24</amount>"),
                  MydataSchema::InvoicesDoc, "amount");
}

BOOST_AUTO_TEST_CASE(every_message_is_kept) {
    const std::string twoErrors = replaced(
        replaced(saleDoc(), "<vatCategory>1</vatCategory>", "<vatCategory>11</vatCategory>"),
        "<invoiceType>11.1</invoiceType>", "<invoiceType>11.9</invoiceType>");
    try {
        validatorV2().validate(twoErrors, MydataSchema::InvoicesDoc);
        BOOST_FAIL("accepted");
    } catch (const XmlValidationError& e) {
        BOOST_TEST(e.messages().size() >= 2U);
        BOOST_TEST(e.messages().front().starts_with("line "));
        BOOST_TEST(std::string(e.what()).find("InvoicesDoc-v2.0.1.xsd") != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(wrong_document_for_the_schema_is_rejected) {
    expectInvalid(validatorV2(), deferredDoc(), MydataSchema::InvoicesDoc,
                  "No matching global declaration");
}

BOOST_AUTO_TEST_CASE(schema_is_chosen_by_root_element) {
    BOOST_CHECK_NO_THROW(validatorV2().validate(saleDoc()));
    BOOST_CHECK_NO_THROW(validatorV1().validate(deferredDoc()));
    try {
        validatorV2().validate("<?xml version=\"1.0\"?><ResponseDoc/>");
        BOOST_FAIL("accepted");
    } catch (const XmlValidationError& e) {
        BOOST_TEST(std::string(e.what()).find("<ResponseDoc> is neither") != std::string::npos);
    }
}

BOOST_AUTO_TEST_CASE(malformed_xml_is_rejected) {
    expectInvalid(validatorV2(), "<InvoicesDoc><invoice></InvoicesDoc>", MydataSchema::InvoicesDoc,
                  "not well-formed XML: line 1: ");
    expectInvalid(validatorV2(), "", MydataSchema::InvoicesDoc, "not well-formed XML");
    BOOST_CHECK_THROW(validatorV2().validate("not xml"), XmlValidationError);
}

BOOST_AUTO_TEST_CASE(libxml2_prints_nothing) {
    const auto log = fiscpos::test::freshTempDir("einvoice") / "stderr.txt";
    std::fflush(stderr);
    const int saved = dup(STDERR_FILENO);
    BOOST_REQUIRE(saved >= 0);
    std::FILE* sink = std::fopen(log.c_str(), "w");
    BOOST_REQUIRE(sink != nullptr);
    dup2(fileno(sink), STDERR_FILENO);
    const XsdValidator fresh(fiscpos::test::mydataXsdDir()); // loads its schemas while redirected
    BOOST_CHECK_THROW(fresh.validate("<InvoicesDoc><oops></InvoicesDoc>"), XmlValidationError);
    BOOST_CHECK_THROW(fresh.validate(replaced(saleDoc(), "<tid>", "<tidd>")), XmlValidationError);
    std::fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    std::fclose(sink);
    BOOST_TEST(std::filesystem::file_size(log) == 0U);
}

BOOST_AUTO_TEST_CASE(validates_from_several_threads) {
    const XsdValidator shared(fiscpos::test::mydataXsdDir());
    const std::string good = saleDoc();
    const std::string bad = replaced(good, "<tid>", "<tidd>");
    std::vector<int> outcomes(4, -1);
    std::vector<std::thread> threads;
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
        threads.emplace_back([&, i] {
            try {
                shared.validate(i % 2 == 0 ? good : bad, MydataSchema::InvoicesDoc);
                outcomes[i] = 1;
            } catch (const XmlValidationError&) {
                outcomes[i] = 0;
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    BOOST_TEST(outcomes == (std::vector<int>{1, 0, 1, 0}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(missing_folder_is_a_config_error) {
    const auto missing = fiscpos::test::freshTempDir("einvoice") / "no-such-dir";
    expectXsdDirError([&] { XsdValidator validator(missing); }, missing.string());
    expectXsdDirError([] { XsdValidator validator(""); }, "not a folder");
}

BOOST_AUTO_TEST_CASE(folder_without_schemas_is_a_config_error) {
    const auto empty = fiscpos::test::freshTempDir("einvoice");
    std::ofstream(empty / "InvoicesDoc-v2.0.1_aade_detailed.xsd") << "<x/>";
    const XsdValidator validator(empty);
    expectXsdDirError([&] { validator.validate(saleDoc(), MydataSchema::InvoicesDoc); },
                      "no InvoicesDoc-v<version>.xsd");
}

BOOST_AUTO_TEST_CASE(two_versions_in_one_folder_is_a_config_error) {
    const auto dir = fiscpos::test::freshTempDir("einvoice");
    std::ofstream(dir / "paymentMethods-v1.0.12.xsd") << "<x/>";
    std::ofstream(dir / "paymentMethods-v2.0.1.xsd") << "<x/>";
    expectXsdDirError([&] { XsdValidator(dir).schemaFile(MydataSchema::PaymentMethodsDoc); },
                      "more than one");
}

BOOST_AUTO_TEST_CASE(broken_schema_is_a_config_error) {
    const auto dir = fiscpos::test::freshTempDir("einvoice");
    std::ofstream(dir / "InvoicesDoc-v9.xsd") << "<xs:schema xmlns:xs=\"nope\"><broken";
    const XsdValidator validator(dir);
    expectXsdDirError([&] { validator.validate(saleDoc(), MydataSchema::InvoicesDoc); },
                      "cannot load the schema");
}

BOOST_AUTO_TEST_SUITE_END()
