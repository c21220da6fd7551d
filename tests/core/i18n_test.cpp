// The message catalogue: Greek by its English message, {name} filled in, and every translation
// keeps exactly the placeholders of its message (a translator cannot drop the amount).
#include "core/errors.hpp"
#include "core/i18n.hpp"

#include <boost/test/unit_test.hpp>
#include <set>

using namespace fiscpos;

namespace {

std::set<std::string> placeholders(const std::string& text) {
    std::set<std::string> names;
    std::size_t at = 0;
    while ((at = text.find('{', at)) != std::string::npos) {
        const auto close = text.find('}', at);
        if (close == std::string::npos) {
            break;
        }
        names.insert(text.substr(at, close - at + 1));
        at = close + 1;
    }
    return names;
}

} // namespace

BOOST_AUTO_TEST_SUITE(i18n)

BOOST_AUTO_TEST_CASE(greek_by_default_english_on_request) {
    const auto text = core::msg("sending {amount} EUR to terminal {terminal}",
                                {{"amount", "1.24"}, {"terminal", "A3"}});
    BOOST_TEST(text.in(core::Language::English) == "sending 1.24 EUR to terminal A3");
    BOOST_TEST(text.in(core::Language::Greek) == "αποστολή 1.24 EUR στο τερματικό A3");
    BOOST_TEST(core::tr(core::Language::Greek, "sale") == "πώληση");
    // A message the catalogue lacks is shown as written.
    BOOST_TEST(core::translate(core::Language::Greek, "no such message") == "no such message");
}

BOOST_AUTO_TEST_CASE(fill_in_leaves_unknown_names_and_stray_braces) {
    BOOST_TEST(core::fillIn("{a} and {b} and {", {{"a", "1"}}) == "1 and {b} and {");
    BOOST_TEST(core::fillIn("{a}{a}", {{"a", "{a}"}}) == "{a}{a}"); // values are not re-read
    BOOST_TEST(core::fillIn("", {}).empty());
}

BOOST_AUTO_TEST_CASE(languages_are_named_el_and_en) {
    BOOST_TEST((core::parseLanguage("EL", "display.language") == core::Language::Greek));
    BOOST_TEST((core::parseLanguage("en", "--lang") == core::Language::English));
    try {
        core::parseLanguage("gr", "--lang");
        BOOST_FAIL("expected an InputError");
    } catch (const core::InputError& e) {
        BOOST_TEST(e.field() == "--lang");
    }
}

BOOST_AUTO_TEST_CASE(every_translation_keeps_its_placeholders) {
    const auto entries = core::catalogueEntries();
    BOOST_TEST(entries.size() >= 50u);
    for (const auto& [english, greek] : entries) {
        BOOST_TEST((placeholders(english) == placeholders(greek)), english << " → " << greek);
        BOOST_TEST(greek != english, english);
    }
}

BOOST_AUTO_TEST_SUITE_END()
