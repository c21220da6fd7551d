// The cashier's status line, as a terminal receives it: one line written over itself (carriage
// return, erase line), the step with the time against the deadline and what the cashier can do;
// notices stay as lines; finish() leaves the line clear for the outcome.
#include "cli/cashier_display.hpp"

#include <boost/test/unit_test.hpp>
#include <sstream>

using namespace fiscpos;

BOOST_AUTO_TEST_SUITE(cashier_display)

BOOST_AUTO_TEST_CASE(a_terminal_gets_one_status_line_and_lasting_notices) {
    std::ostringstream out;
    std::ostringstream err;
    cli::Output output(out, err, false);
    cli::CashierDisplay display(output, core::Language::Greek, true, std::chrono::seconds(240),
                                [](const std::string& entry) { return entry == "viva-entry"; });
    display.step("viva-entry", "on_device", "στο τερματικό");
    BOOST_TEST(err.str().starts_with("\r\033[2K[0:0"), err.str());
    BOOST_TEST(err.str().find(" / 4:00] στο τερματικό — Ctrl-C: διακοπή της πληρωμής") !=
                   std::string::npos,
               err.str());
    // A line longer than the terminal is cut at a character, never wrapped.
    display.step("viva-entry", "on_device", std::string(200, 'x') + "λ");
    const std::string line = err.str().substr(err.str().rfind('\r'));
    BOOST_TEST(line.size() < 100u, line);
    BOOST_TEST(line.find("λ") == std::string::npos);
    BOOST_TEST(err.str().find('\n') == std::string::npos); // still one line
    display.step("viva-entry", "notice", "κάτι για τον ταμία");
    BOOST_TEST(err.str().ends_with("\r\033[2Kfiscpos: κάτι για τον ταμία\n"), err.str());
    display.finish();
    display.step("viva-entry", "APPROVED", "εγκρίθηκε"); // after finish: a plain line
    BOOST_TEST(err.str().ends_with("fiscpos: APPROVED: εγκρίθηκε\n"), err.str());
    BOOST_TEST(out.str().empty());
}

BOOST_AUTO_TEST_CASE(the_hint_follows_the_network_and_the_language) {
    std::ostringstream out;
    std::ostringstream err;
    cli::Output output(out, err, false);
    cli::CashierDisplay display(output, core::Language::English, true, std::chrono::seconds(90),
                                [](const std::string&) { return false; });
    BOOST_TEST(display.statusLine("on the terminal", std::chrono::seconds(75)) ==
               "[1:15 / 1:30] on the terminal");
    display.step("mellon-entry", "on_device", "on the terminal");
    BOOST_TEST(display.statusLine("on the terminal", std::chrono::seconds(5)) ==
               "[0:05 / 1:30] on the terminal — to stop it, cancel on the terminal");
}

BOOST_AUTO_TEST_CASE(a_pipe_gets_plain_lines) {
    std::ostringstream out;
    std::ostringstream err;
    cli::Output output(out, err, false);
    cli::CashierDisplay display(output, core::Language::Greek, false, std::chrono::seconds(240),
                                {});
    display.step("e", "signing", "υπογραφή");
    display.step("e", "sending", "αποστολή");
    BOOST_TEST(err.str() == "fiscpos: signing: υπογραφή\nfiscpos: sending: αποστολή\n");
}

BOOST_AUTO_TEST_SUITE_END()
