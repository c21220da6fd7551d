#include "cli/output.hpp"

#include "core/text.hpp"

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
        const std::size_t characters = core::utf8Length(padded);
        padded.append(characters < 16 ? 16 - characters : 1, ' ');
        out_ << padded << value << '\n';
    }
}

void Output::progress(const std::string& text) {
    err_ << "fiscpos: " << text << std::endl;
}

void Output::statusLine(const std::string& text, std::size_t width) {
    // Cut at a character so the line never wraps.
    err_ << "\r\033[2K" << core::utf8Prefix(text, width) << std::flush;
}

void Output::result(const core::Json& object) {
    if (json_) {
        out_ << core::dumpJson(object, 2) << std::endl;
    }
}

namespace {

// "error" in English; in Greek, what kind of error it is.
std::string errorLeadIn(core::Language language, const std::string& code) {
    if (language == core::Language::English) {
        return "error";
    }
    if (code == "input") {
        return core::tr(language, "error in what was given");
    }
    if (code == "config") {
        return core::tr(language, "error in the configuration");
    }
    if (code == "response" || code == "http_status") {
        return core::tr(language, "error in the answer of the other side");
    }
    if (code == "transport") {
        return core::tr(language, "error in the connection");
    }
    if (code == "journal") {
        return core::tr(language, "error in the cash journal");
    }
    return core::tr(language, "error");
}

} // namespace

void Output::error(const std::string& code, const std::string& message, const std::string& field) {
    err_ << "fiscpos: " << errorLeadIn(language_, code) << ": " << message << std::endl;
    if (json_) {
        core::Json error{{"code", code}, {"message", message}};
        if (!field.empty()) {
            error["field"] = field;
        }
        out_ << core::dumpJson(core::Json{{"ok", false}, {"error", error}}, 2) << std::endl;
    }
}

} // namespace fiscpos::cli
