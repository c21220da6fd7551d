// Owning handles for the libxml2 objects einvoice uses (internal to einvoice/).
#pragma once

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fiscpos::einvoice::libxml {

struct FreeDoc {
    void operator()(xmlDoc* doc) const noexcept { xmlFreeDoc(doc); }
};
using DocPtr = std::unique_ptr<xmlDoc, FreeDoc>;

struct FreeChars {
    void operator()(xmlChar* chars) const noexcept { xmlFree(chars); }
};
using CharsPtr = std::unique_ptr<xmlChar, FreeChars>;

struct FreeBuffer {
    void operator()(xmlBuffer* buffer) const noexcept { xmlBufferFree(buffer); }
};
using BufferPtr = std::unique_ptr<xmlBuffer, FreeBuffer>;

inline const xmlChar* chars(const char* text) {
    return reinterpret_cast<const xmlChar*>(text);
}
inline const xmlChar* chars(const std::string& text) {
    return chars(text.c_str());
}
inline std::string_view view(const xmlChar* text) {
    return text == nullptr ? std::string_view{}
                           : std::string_view(reinterpret_cast<const char*>(text));
}

// One libxml2 error as a line of text: "line 12: Element '...': This element is not expected."
std::string describe(const xmlError& error);

// An xmlStructuredErrorFunc that appends describe(*error) to the std::vector<std::string> passed
// as its context.
void collectError(void* messages, xmlErrorPtr error);

// While alive, appends every libxml2 error of this thread to `messages` (as describe() text)
// instead of printing it to stderr, and restores the previous handlers afterwards.
class ErrorCapture {
public:
    explicit ErrorCapture(std::vector<std::string>& messages);
    ~ErrorCapture();
    ErrorCapture(const ErrorCapture&) = delete;
    ErrorCapture& operator=(const ErrorCapture&) = delete;

private:
    xmlStructuredErrorFunc previousStructured_;
    void* previousStructuredContext_;
    xmlGenericErrorFunc previousGeneric_;
    void* previousGenericContext_;
};

} // namespace fiscpos::einvoice::libxml
