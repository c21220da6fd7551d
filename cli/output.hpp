// Where the CLI writes: results on stdout (human text, or one JSON object with --json), progress
// and errors on stderr so that a cashier sees them while a script reads stdout.
#pragma once

#include "core/i18n.hpp"
#include "core/json.hpp"

#include <cstddef>
#include <iosfwd>
#include <string>

namespace fiscpos::cli {

class Output {
public:
    Output(std::ostream& out, std::ostream& err, bool json)
        : out_(out)
        , err_(err)
        , json_(json) {}

    bool json() const { return json_; }
    // A result line for people; ignored with --json.
    void line(const std::string& text);
    // "  label     value" aligned, for people; ignored with --json.
    void field(const std::string& label, const std::string& value);
    // A progress line on stderr ("signing: asking the provider..."), in both modes.
    void progress(const std::string& text);
    // A status line on stderr, written over the one before (a terminal only), cut to `width`
    // characters; an empty text clears it.
    void statusLine(const std::string& text, std::size_t width);
    // The one JSON object of --json; ignored without it.
    void result(const core::Json& object);
    // An error, as a line on stderr (and a JSON object on stdout with --json). The line starts
    // with what kind of error it is, in the language people read (the message itself names the
    // field or setting as the code does); the JSON is the same in every language.
    void error(const std::string& code, const std::string& message, const std::string& field = {});
    // The language of the error lines: Greek until --lang or [display] language says otherwise.
    void setLanguage(core::Language language) { language_ = language; }

private:
    std::ostream& out_;
    std::ostream& err_;
    bool json_;
    core::Language language_ = core::Language::Greek;
};

} // namespace fiscpos::cli
