#include "cli/output.hpp"

#include "core/text.hpp"

#include <ostream>
#include <utility>
#include <vector>

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

// The error line after "fiscpos: ". English: "error: " and the message. Greek: what kind of
// error it is and what to do, in Greek, naming the field or setting, then the message as the code
// wrote it (it names fields and settings as the configuration and the docs do).
std::string errorLine(core::Language language, const std::string& code, const std::string& message,
                      const std::string& field) {
    if (language == core::Language::English) {
        return "error: " + message;
    }
    const std::vector<std::pair<std::string, std::string>> values{{"field", field}};
    std::string said;
    if (code == "input" && !field.empty()) {
        said = core::tr(language, "error in what was given: correct {field} and try again", values);
    } else if (code == "config" && !field.empty()) {
        said = core::tr(language,
                        "error in the configuration, at {field}: the installer has to correct it",
                        values);
    } else if (code == "input" || code == "config") {
        said = core::tr(language, "error in what was given or in the configuration");
    } else if (code == "response" || code == "http_status") {
        said = core::tr(language, "error in the answer of the other side: it was not accepted");
    } else if (code == "transport") {
        said = core::tr(language, "error in the connection: the other side could not be reached");
    } else if (code == "journal") {
        said = core::tr(language, "error in the cash journal");
    } else {
        said = core::tr(language, "error");
    }
    return said + " (" + message + ")";
}

} // namespace

void Output::error(const std::string& code, const std::string& message, const std::string& field) {
    err_ << "fiscpos: " << errorLine(language_, code, message, field) << std::endl;
    if (json_) {
        core::Json error{{"code", code}, {"message", message}};
        if (!field.empty()) {
            error["field"] = field;
        }
        out_ << core::dumpJson(core::Json{{"ok", false}, {"error", error}}, 2) << std::endl;
    }
}

} // namespace fiscpos::cli
