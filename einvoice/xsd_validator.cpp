#include "einvoice/xsd_validator.hpp"

#include "einvoice/libxml_handles.hpp"

#include <libxml/xmlschemas.h>

#include <climits>

namespace fiscpos::einvoice {

namespace {

constexpr const char* xsdDirSetting = "mydata.xsd_dir";
// At most this many validator messages go into what(); messages() keeps them all.
constexpr std::size_t messagesInSummary = 10;

struct FreeParserCtxt {
    void operator()(xmlSchemaParserCtxt* ctxt) const noexcept { xmlSchemaFreeParserCtxt(ctxt); }
};
struct FreeSchema {
    void operator()(xmlSchema* schema) const noexcept { xmlSchemaFree(schema); }
};
struct FreeValidCtxt {
    void operator()(xmlSchemaValidCtxt* ctxt) const noexcept { xmlSchemaFreeValidCtxt(ctxt); }
};
using ParserCtxtPtr = std::unique_ptr<xmlSchemaParserCtxt, FreeParserCtxt>;
using SchemaPtr = std::unique_ptr<xmlSchema, FreeSchema>;
using ValidCtxtPtr = std::unique_ptr<xmlSchemaValidCtxt, FreeValidCtxt>;

std::string_view filePrefix(MydataSchema schema) {
    return schema == MydataSchema::InvoicesDoc ? "InvoicesDoc-v" : "paymentMethods-v";
}

// "InvoicesDoc-v2.0.1.xsd" matches "InvoicesDoc-v"; "InvoicesDoc-v2.0.1_aade_detailed.xsd" does
// not (AADE's detailed variant ships beside the entry point).
bool isEntryPoint(const std::string& name, std::string_view prefix) {
    constexpr std::string_view suffix = ".xsd";
    if (name.size() <= prefix.size() + suffix.size() || !name.starts_with(prefix) ||
        !name.ends_with(suffix)) {
        return false;
    }
    const std::string_view version =
        std::string_view(name).substr(prefix.size(), name.size() - prefix.size() - suffix.size());
    return version.find_first_not_of("0123456789.") == std::string_view::npos;
}

std::string joined(const std::vector<std::string>& messages, std::size_t limit) {
    std::string text;
    for (std::size_t i = 0; i < messages.size() && i < limit; ++i) {
        text += (i == 0 ? "" : "; ") + messages[i];
    }
    if (messages.size() > limit) {
        text += "; (" + std::to_string(messages.size() - limit) + " more)";
    }
    return text;
}

std::string invalidAgainst(const std::string& schemaName) {
    return "the myDATA document does not validate against " + schemaName;
}

constexpr const char* notWellFormed = "the myDATA document is not well-formed XML";

// Parses a document without touching the network or printing; errors go to `messages`.
libxml::DocPtr parseDocument(std::string_view xml, std::vector<std::string>& messages) {
    if (xml.size() > static_cast<std::size_t>(INT_MAX)) {
        messages.emplace_back("the document is too large");
        return nullptr;
    }
    libxml::DocPtr doc(xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "document.xml",
                                     nullptr, XML_PARSE_NONET));
    if (doc == nullptr && messages.empty()) {
        messages.emplace_back("not well-formed XML");
    }
    return doc;
}

// Validates a parsed document; validator messages go to `messages`.
void validateParsed(xmlDoc& doc, xmlSchema* schema, const std::string& schemaName,
                    std::vector<std::string>& messages) {
    const ValidCtxtPtr context(xmlSchemaNewValidCtxt(schema));
    if (context == nullptr) {
        throw core::Error("xml", "libxml2 could not create a schema validation context");
    }
    xmlSchemaSetValidStructuredErrors(context.get(), libxml::collectError, &messages);
    const int result = xmlSchemaValidateDoc(context.get(), &doc);
    if (result != 0) {
        if (messages.empty()) {
            messages.push_back("libxml2 validation failed with code " + std::to_string(result));
        }
        throw XmlValidationError(invalidAgainst(schemaName), std::move(messages));
    }
}

} // namespace

XmlValidationError::XmlValidationError(const std::string& problem,
                                       std::vector<std::string> messages)
    : core::Error("xml_invalid", problem + ": " + joined(messages, messagesInSummary))
    , messages_(std::move(messages)) {}

struct XsdValidator::Loaded {
    std::filesystem::path file;
    SchemaPtr schema;
};

XsdValidator::XsdValidator(std::filesystem::path xsdDir)
    : xsdDir_(std::move(xsdDir)) {
    std::error_code ec;
    if (xsdDir_.empty() || !std::filesystem::is_directory(xsdDir_, ec)) {
        throw core::ConfigError(xsdDirSetting, "\"" + xsdDir_.string() +
                                                   "\" is not a folder with the myDATA XSD files");
    }
    xmlInitParser();
}

XsdValidator::~XsdValidator() = default;

std::filesystem::path XsdValidator::schemaFile(MydataSchema schema) const {
    const std::string_view prefix = filePrefix(schema);
    std::vector<std::filesystem::path> found;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(xsdDir_, ec)) {
        if (isEntryPoint(entry.path().filename().string(), prefix)) {
            found.push_back(entry.path());
        }
    }
    const std::string pattern = std::string(prefix) + "<version>.xsd";
    if (ec) {
        throw core::ConfigError(xsdDirSetting,
                                "cannot list \"" + xsdDir_.string() + "\": " + ec.message());
    }
    if (found.empty()) {
        throw core::ConfigError(xsdDirSetting,
                                "no " + pattern + " in \"" + xsdDir_.string() + "\"");
    }
    if (found.size() > 1) {
        throw core::ConfigError(xsdDirSetting, "more than one " + pattern + " in \"" +
                                                   xsdDir_.string() +
                                                   "\"; keep one schema version per folder");
    }
    return found.front();
}

const XsdValidator::Loaded& XsdValidator::load(MydataSchema schema) const {
    const std::lock_guard lock(mutex_);
    if (auto it = loaded_.find(schema); it != loaded_.end()) {
        return *it->second;
    }
    auto loaded = std::make_unique<Loaded>();
    loaded->file = schemaFile(schema);

    std::vector<std::string> messages;
    const libxml::ErrorCapture capture(messages);
    const ParserCtxtPtr parser(xmlSchemaNewParserCtxt(loaded->file.string().c_str()));
    if (parser != nullptr) {
        xmlSchemaSetParserStructuredErrors(parser.get(), libxml::collectError, &messages);
        loaded->schema.reset(xmlSchemaParse(parser.get()));
    }
    if (loaded->schema == nullptr) {
        throw core::ConfigError(xsdDirSetting, "cannot load the schema \"" + loaded->file.string() +
                                                   "\": " + joined(messages, messagesInSummary));
    }
    return *loaded_.emplace(schema, std::move(loaded)).first->second;
}

void XsdValidator::validate(std::string_view xml, MydataSchema schema) const {
    const Loaded& loaded = load(schema);
    std::vector<std::string> messages;
    const libxml::ErrorCapture capture(messages);
    const libxml::DocPtr doc = parseDocument(xml, messages);
    if (doc == nullptr) {
        throw XmlValidationError(notWellFormed, std::move(messages));
    }
    validateParsed(*doc, loaded.schema.get(), loaded.file.filename().string(), messages);
}

void XsdValidator::validate(std::string_view xml) const {
    std::vector<std::string> messages;
    const libxml::ErrorCapture capture(messages);
    const libxml::DocPtr doc = parseDocument(xml, messages);
    if (doc == nullptr) {
        throw XmlValidationError(notWellFormed, std::move(messages));
    }
    const xmlNode* rootNode = xmlDocGetRootElement(doc.get());
    const std::string_view rootName = rootNode == nullptr ? "" : libxml::view(rootNode->name);
    MydataSchema schema = MydataSchema::InvoicesDoc;
    if (rootName == "PaymentMethodsDoc") {
        schema = MydataSchema::PaymentMethodsDoc;
    } else if (rootName != "InvoicesDoc") {
        throw XmlValidationError("the document is not a myDATA document",
                                 {"the root element <" + std::string(rootName) +
                                  "> is neither InvoicesDoc nor PaymentMethodsDoc"});
    }
    const Loaded& loaded = load(schema);
    validateParsed(*doc, loaded.schema.get(), loaded.file.filename().string(), messages);
}

} // namespace fiscpos::einvoice
