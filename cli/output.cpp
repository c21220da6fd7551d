#include "cli/output.hpp"

#include <ostream>

namespace fiscpos::cli {

void Output::line(const std::string& text) {
    if (!json_) {
        out_ << text << '\n';
    }
}

void Output::field(const std::string& label, const std::string& value) {
    if (!json_) {
        // Aligned by characters, not bytes: a Greek letter is two bytes of UTF-8.
        std::string padded = "  " + label;
        std::size_t characters = 0;
        for (const char c : padded) {
            characters += (static_cast<unsigned char>(c) & 0xC0U) != 0x80U ? 1 : 0;
        }
        padded.append(characters < 16 ? 16 - characters : 1, ' ');
        out_ << padded << value << '\n';
    }
}

void Output::progress(const std::string& text) {
    err_ << "fiscpos: " << text << std::endl;
}

void Output::statusLine(const std::string& text, std::size_t width) {
    // Cut at a character (UTF-8: a byte that does not continue one) so the line never wraps.
    std::size_t characters = 0;
    std::size_t end = 0;
    while (end < text.size()) {
        if ((static_cast<unsigned char>(text[end]) & 0xC0U) != 0x80U) {
            if (characters == width) {
                break;
            }
            ++characters;
        }
        ++end;
    }
    err_ << "\r\033[2K" << text.substr(0, end) << std::flush;
}

void Output::result(const core::Json& object) {
    if (json_) {
        out_ << core::dumpJson(object, 2) << std::endl;
    }
}

void Output::error(const std::string& code, const std::string& message, const std::string& field) {
    err_ << "fiscpos: error: " << message << std::endl;
    if (json_) {
        core::Json error{{"code", code}, {"message", message}};
        if (!field.empty()) {
            error["field"] = field;
        }
        out_ << core::dumpJson(core::Json{{"ok", false}, {"error", error}}, 2) << std::endl;
    }
}

} // namespace fiscpos::cli
