// Bad input, table-driven, through the fiscpos command as a user runs it: malformed invoices,
// configurations and arguments. Every row must end with exit status 1, an error that names the
// field or the line, no crash or stack trace, and nothing written to the cash journal (nothing
// reaches the provider: its address is a closed port, so reaching it would not exit 1 with the
// field named).
#include "core/json.hpp"
#include "tests/support/process.hpp"
#include "tests/support/shared_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <fstream>
#include <sys/stat.h>

using fiscpos::test::fiscposBinary;
using fiscpos::test::runProcess;

namespace {

const std::string goodInvoice = R"({"issuer": {"vat": "999999999", "branch": 0, "country": "GR"},
  "series": "A", "aa": "1", "type": "11.1", "issued_at": "2026-11-24T12:00:00+02:00",
  "totals": {"net": "1.00", "vat": "0.24", "gross": "1.24"},
  "lines": [{"net": "1.00", "vat_category": 1, "vat": "0.24",
             "income": {"type": "E3_561_003", "category": "category1_1"}}]})";

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    BOOST_REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

// An invoice whose lines each hold a large but valid amount and whose sum is beyond 64 bits of
// cents: it must never wrap round to a small total.
std::string overflowingInvoice() {
    std::string lines;
    for (int i = 0; i < 10'000; ++i) {
        lines += std::string(i == 0 ? "" : ",") +
                 R"({"net": "9999999999999.99", "vat_category": 1, "vat": "0.00",)"
                 R"( "income": {"category": "category1_1"}})";
    }
    return R"({"issuer": {"vat": "999999999", "branch": 0, "country": "GR"},
  "series": "A", "aa": "1", "type": "11.1", "issued_at": "2026-11-24T12:00:00+02:00",
  "totals": {"net": "1.00", "vat": "0.00", "gross": "1.00"}, "lines": [)" +
           lines + "]}";
}

const std::string goodConfig = "[journal]\nurl = sqlite:journal.db\n"
                               "[provider]\nkind = mydataprovider\n"
                               "url = http://127.0.0.1:9/provider\ntoken = t\nprovider_id = 999\n"
                               "[terminal.A3]\nnsp = mellon\nurl = http://127.0.0.1:9/mellon\n"
                               "username = u\npassword = p\napi_key = k\npos_id = 1\n"
                               "tid = 99000031\nprovider_id = 999\n";

struct Row {
    std::string name;
    std::string config;            // the configuration file's text
    std::string invoice;           // the invoice file's text; empty: the argument is used as is
    std::vector<std::string> args; // "{invoice}" and "{dir}" are replaced
    std::string mustName;          // the field, option or line the error must name
};

std::vector<Row> rows() {
    const std::vector<std::string> pay{"pay", "--terminal", "A3", "--invoice", "{invoice}"};
    auto withArgs = [&](std::vector<std::string> extra) {
        auto args = pay;
        args.insert(args.end(), extra.begin(), extra.end());
        return args;
    };
    return {
        {"a NUL in the series", goodConfig, replaced(goodInvoice, "\"A\"", R"("A\u0000B")"), pay,
         "invoice.series"},
        {"a control character in a line's category", goodConfig,
         replaced(goodInvoice, "category1_1", R"(category\u0007)"), pay, "category"},
        {"an amount as a JSON number", goodConfig,
         replaced(goodInvoice, R"("gross": "1.24")", R"("gross": 1.24)"), pay,
         "invoice.totals.gross"},
        {"lines whose sum is beyond 64 bits", goodConfig, overflowingInvoice(), pay,
         "invoice.totals.net"},
        {"a currency other than EUR", goodConfig,
         replaced(goodInvoice, R"("type": "11.1")", R"("type": "11.1", "currency": "USD")"), pay,
         "invoice.currency"},
        {"a credit note charged as a sale", goodConfig,
         replaced(goodInvoice, R"("type": "11.1")", R"("type": "11.4")"), pay, "invoice.type"},
        {"an absurd amount", goodConfig, goodInvoice, withArgs({"--amount", "9999999999999.99"}),
         "amount"},
        {"an amount with an exponent", goodConfig, goodInvoice, withArgs({"--amount", "1e3"}),
         "--amount"},
        {"instalments beyond 36", goodConfig, goodInvoice, withArgs({"--instalments", "99"}),
         "instalments"},
        {"a preload the provider's 2-hour signature cannot outlive", goodConfig, goodInvoice,
         withArgs({"--preload", "115"}), "preload"},
        {"a preload that is not a number of minutes", goodConfig, goodInvoice,
         withArgs({"--preload", "1h"}), "--preload"},
        {"a preload beyond 60 hours", goodConfig, goodInvoice, withArgs({"--preload", "9999"}),
         "--preload"},
        {"an autonomous setting that is neither allow nor off", goodConfig + "autonomous = maybe\n",
         goodInvoice, pay, "autonomous"},
        {"an unknown reason for autonomous mode", goodConfig, goodInvoice,
         withArgs({"--autonomous", "tired"}), "--autonomous"},
        {"autonomous mode on a terminal that does not allow it", goodConfig, goodInvoice,
         withArgs({"--autonomous", "lock"}), "autonomous"},
        {"an invoice that never ends (/dev/zero)",
         goodConfig,
         "",
         {"pay", "--terminal", "A3", "--invoice", "/dev/zero"},
         "--invoice"},
        {"an invoice that is a folder",
         goodConfig,
         "",
         {"pay", "--terminal", "A3", "--invoice", "{dir}"},
         "--invoice"},
        {"an invoice that is a FIFO",
         goodConfig,
         "",
         {"pay", "--terminal", "A3", "--invoice", "{dir}/fifo"},
         "pipe"},
        {"a missing invoice",
         goodConfig,
         "",
         {"pay", "--terminal", "A3", "--invoice", "{dir}/none.json"},
         "no such file"},
        {"an unknown terminal",
         goodConfig,
         goodInvoice,
         {"pay", "--terminal", "Z9", "--invoice", "{invoice}"},
         "terminal"},
        {"an unterminated [section", goodConfig + "[terminal.B1\nnsp = mellon\n", goodInvoice, pay,
         "line 17"},
        {"a stray line in the configuration", goodConfig + "this is not a setting\n", goodInvoice,
         pay, "line 17"},
        {"a key set twice", goodConfig + "tid = 99000032\n", goodInvoice, pay, "terminal.a3.tid"},
        {"an in-memory journal", replaced(goodConfig, "sqlite:journal.db", "sqlite::memory:"),
         goodInvoice, pay, "journal.url"},
        {"a PostgreSQL journal off this machine without certificate checks",
         replaced(goodConfig, "sqlite:journal.db",
                  "postgresql://fiscpos@db.example.com/fiscpos?sslmode=require"),
         goodInvoice, pay, "journal.url"},
        {"a PostgreSQL journal URL with a malformed port",
         replaced(goodConfig, "sqlite:journal.db", "postgresql://fiscpos@127.0.0.1:99999/fiscpos"),
         goodInvoice, pay, "journal.url"},
    };
}

std::size_t journalEntries(const std::filesystem::path& dir) {
    if (!std::filesystem::exists(dir / "journal.db")) {
        return 0;
    }
    const auto listed = runProcess(
        fiscposBinary(), {"--json", "--config", (dir / "fiscpos.ini").string(), "journal", "list"});
    BOOST_REQUIRE_MESSAGE(listed.exitCode == 0, listed.err);
    const auto json =
        fiscpos::core::parseJson(listed.out, "journal list", fiscpos::core::JsonOrigin::Response);
    return json.at("entries").size();
}

} // namespace

BOOST_AUTO_TEST_CASE(bad_input_is_refused_naming_the_field_with_nothing_written) {
    int refused = 0;
    for (const Row& row : rows()) {
        BOOST_TEST_CONTEXT(row.name) {
            const auto dir = fiscpos::test::freshTempDir("bad-input");
            std::ofstream(dir / "fiscpos.ini") << row.config;
            const auto invoice = dir / "invoice.json";
            std::ofstream(invoice) << row.invoice;
            ::mkfifo((dir / "fifo").c_str(), 0600);
            std::vector<std::string> args{"--config", (dir / "fiscpos.ini").string()};
            for (std::string arg : row.args) {
                if (arg == "{invoice}") {
                    arg = invoice.string();
                } else if (arg.starts_with("{dir}")) {
                    arg = dir.string() + arg.substr(5);
                }
                args.push_back(arg);
            }
            const auto result = runProcess(fiscposBinary(), args);
            BOOST_TEST(result.exitCode == 1, "exit " << result.exitCode << ": " << result.err);
            BOOST_TEST(result.err.find(row.mustName) != std::string::npos,
                       "the error must name " << row.mustName << ": " << result.err);
            for (const char* crash : {"terminate called", "Aborted", "Segmentation", "what():"}) {
                BOOST_TEST(result.err.find(crash) == std::string::npos, result.err);
            }
            if (row.config == goodConfig) {
                BOOST_TEST(journalEntries(dir) == 0U);
            }
            ++refused;
        }
    }
    BOOST_TEST_MESSAGE("bad input: " << refused << " rows refused");
}

BOOST_AUTO_TEST_CASE(a_configuration_that_is_a_folder_is_refused) {
    const auto dir = fiscpos::test::freshTempDir("bad-config");
    const auto result = runProcess(fiscposBinary(), {"--config", dir.string(), "journal", "list"});
    BOOST_TEST(result.exitCode == 1);
    BOOST_TEST(result.err.find("--config") != std::string::npos, result.err);
    BOOST_TEST(result.err.find("directory") != std::string::npos, result.err);
}
