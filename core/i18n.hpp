// The languages fiscpos speaks to people — Greek by default, English — through one message
// catalogue: po/el.po, a gettext catalogue a translator edits without touching code, compiled by
// msgfmt at build time and linked in. Machine output (JSON, CSV, C ABI codes, the journal) never
// goes through it.
//
// A message is written in English with {name} placeholders, marked for xgettext by msg() or tr():
//   core::msg("asking the provider to sign {amount} on TID {tid}", {{"amount", a}, {"tid", t}})
// and rendered in a language at the edge that shows it. po/fiscpos.pot is made from the marked
// strings (target fiscpos_pot); CTest's i18n_catalogue fails while el.po misses one of them.
#pragma once

#include "core/money.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace fiscpos::core {

enum class Language { Greek, English };

// "el" or "en" (any case); InputError naming `field` otherwise.
Language parseLanguage(std::string_view code, const std::string& field);
std::string_view languageCode(Language language);

// The catalogue's translation of an English message, or the message itself (English, or one the
// catalogue lacks).
std::string_view translate(Language language, std::string_view english);

// `text` with each {name} replaced by its value; an unknown {name} stays as written.
std::string fillIn(std::string_view text,
                   const std::vector<std::pair<std::string, std::string>>& values);

// An amount as people of `language` write it: "1,24" in Greek, "1.24" in English.
std::string moneyText(Language language, Money amount);

// A message for people, rendered when the language is known.
struct Message {
    std::string english; // the msgid, with {name} placeholders
    std::vector<std::pair<std::string, std::string>> values;

    std::string in(Language language) const;
};

// Marks a message for the catalogue (xgettext keyword msg:1).
Message msg(std::string english, std::vector<std::pair<std::string, std::string>> values = {});
// Marks and renders at once (xgettext keyword tr:2).
std::string tr(Language language, std::string_view english,
               const std::vector<std::pair<std::string, std::string>>& values = {});

// Every msgid → msgstr pair of the catalogue (for its checks).
std::vector<std::pair<std::string, std::string>> catalogueEntries();

} // namespace fiscpos::core
