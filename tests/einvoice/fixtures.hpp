// Fixtures of the einvoice tests: the sample invoices of samples/invoices/, card payments and
// the validators of both myDATA schema versions.
#pragma once

#include "einvoice/invoice.hpp"
#include "einvoice/mydata_xml.hpp"
#include "einvoice/xsd_validator.hpp"
#include "tests/support/shared_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace fiscpos::test {

inline std::filesystem::path sampleInvoice(const char* name) {
    return std::filesystem::path(FISCPOS_SAMPLES_DIR) / "invoices" / name;
}

inline std::string readText(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// `text` with the first occurrence of `from` replaced by `to`; `from` must occur.
inline std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    BOOST_REQUIRE_MESSAGE(at != std::string::npos, "\"" << from << "\" does not occur");
    return text.replace(at, from.size(), to);
}

// samples/invoices/sale-1.24.json: retail receipt 11.1, net 1.00 + VAT 0.24 = 1.24.
inline einvoice::Invoice saleInvoice() {
    return einvoice::loadInvoiceFile(sampleInvoice("sale-1.24.json"));
}

// The approved card payment of mydata.md §9 (WebECR-shaped transactionId, provider 008).
inline einvoice::CardPayment cardPayment(std::int64_t cents) {
    einvoice::CardPayment card;
    card.amount = core::Money::fromCents(cents);
    card.transactionId = "075121702285176315144";
    card.tid = "99000031";
    card.signingAuthor = "008";
    card.signature = "MEUCIQCnUrakY9pemgdXIsYvbOahoBBadDa9DPaRS9ZtTTra8gIgIUp9LPaH/"
                     "E+LRwTGJWeL+MZl5j5PtFcM+chiXTqeed4=";
    return card;
}

// Validators for the current schema (v2.0.1) and the last 1.0.x (v1.0.12), loaded once.
inline const einvoice::XsdValidator& validatorV2() {
    static const einvoice::XsdValidator validator(mydataXsdDir());
    return validator;
}
inline const einvoice::XsdValidator& validatorV1() {
    static const einvoice::XsdValidator validator(sharedDir() / "ref" / "mydata-xsd" / "v1.0.12");
    return validator;
}

} // namespace fiscpos::test
