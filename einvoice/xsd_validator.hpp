// Validation of myDATA documents against AADE's XSDs (libxml2), loaded from a configured folder
// such as shared/ref/mydata-xsd/v2.0.1 (setting mydata.xsd_dir).
#pragma once

#include "core/errors.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace fiscpos::einvoice {

// A document that is not well-formed XML or does not validate (code "xml_invalid"). what() says
// what is wrong (e.g. which schema rejected it) and lists libxml2's messages; messages() has them
// one by one, each with its line number.
class XmlValidationError : public core::Error {
public:
    XmlValidationError(const std::string& problem, std::vector<std::string> messages);
    const std::vector<std::string>& messages() const noexcept { return messages_; }

private:
    std::vector<std::string> messages_;
};

enum class MydataSchema {
    InvoicesDoc,      // InvoicesDoc-v<version>.xsd
    PaymentMethodsDoc // paymentMethods-v<version>.xsd
};

// Loads each schema on first use from `xsdDir` (the file is found by its prefix, so any version
// works: InvoicesDoc-v2.0.1.xsd, InvoicesDoc-v1.0.12.xsd) and keeps it. Thread-safe. libxml2
// prints nothing; a missing folder or file, or a schema that does not load, is a
// core::ConfigError naming "mydata.xsd_dir".
class XsdValidator {
public:
    explicit XsdValidator(std::filesystem::path xsdDir);
    ~XsdValidator();
    XsdValidator(const XsdValidator&) = delete;
    XsdValidator& operator=(const XsdValidator&) = delete;

    // Throws XmlValidationError unless `xml` is valid against `schema`.
    void validate(std::string_view xml, MydataSchema schema) const;
    // Picks the schema by the root element (InvoicesDoc or PaymentMethodsDoc).
    void validate(std::string_view xml) const;

    // The schema file that `schema` resolves to in the folder.
    std::filesystem::path schemaFile(MydataSchema schema) const;

private:
    struct Loaded;
    const Loaded& load(MydataSchema schema) const;

    std::filesystem::path xsdDir_;
    mutable std::mutex mutex_;
    mutable std::map<MydataSchema, std::unique_ptr<Loaded>> loaded_;
};

} // namespace fiscpos::einvoice
