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
        std::string padded = "  " + label;
        if (padded.size() < 16) {
            padded.resize(16, ' ');
        } else {
            padded += ' ';
        }
        out_ << padded << value << '\n';
    }
}

void Output::progress(const std::string& text) {
    err_ << "fiscpos: " << text << std::endl;
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
