#include "einvoice/libxml_handles.hpp"

namespace fiscpos::einvoice::libxml {

namespace {
void ignoreGenericError(void*, const char*, ...) {}

} // namespace

std::string describe(const xmlError& error) {
    std::string text(error.message == nullptr ? "unknown libxml2 error" : error.message);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
        text.pop_back();
    }
    if (error.line > 0) {
        text = "line " + std::to_string(error.line) + ": " + text;
    }
    return text;
}

void collectError(void* messages, xmlErrorPtr error) {
    if (error != nullptr && messages != nullptr) {
        static_cast<std::vector<std::string>*>(messages)->push_back(describe(*error));
    }
}

ErrorCapture::ErrorCapture(std::vector<std::string>& messages)
    : previousStructured_(xmlStructuredError)
    , previousStructuredContext_(xmlStructuredErrorContext)
    , previousGeneric_(xmlGenericError)
    , previousGenericContext_(xmlGenericErrorContext) {
    xmlSetStructuredErrorFunc(&messages, collectError);
    xmlSetGenericErrorFunc(nullptr, ignoreGenericError);
}

ErrorCapture::~ErrorCapture() {
    xmlSetStructuredErrorFunc(previousStructuredContext_, previousStructured_);
    xmlSetGenericErrorFunc(previousGenericContext_, previousGeneric_);
}

} // namespace fiscpos::einvoice::libxml
