// The accountant's reading of a real cash journal: business days in Athens time, the signed net
// of each entry, the daily summary per terminal against the network's batch totals, and the CSV
// bytes of both dialects.
#include "core/clock.hpp"
#include "plugin/journal/cash_journal.hpp"
#include "plugin/journal/journal_accounting.hpp"
#include "plugin/journal/journal_export.hpp"
#include "tests/support/journal_entries.hpp"
#include "tests/support/shared_dir.hpp"
#include "tests/support/test_journal.hpp"

#include <boost/test/unit_test.hpp>

#include <map>

using namespace fiscpos::plugin;
using fiscpos::core::Money;
using Entry = fiscpos::test::JournalWriter::Entry;

namespace {

fiscpos::core::TimePoint at(const char* iso) {
    return fiscpos::core::toTimePoint(fiscpos::core::parseIso8601(iso, "test"));
}

struct Fixture {
    std::filesystem::path dir = fiscpos::test::freshTempDir("accounting");
    fiscpos::core::ManualClock clock{at("2024-05-10T06:00:00Z")};
    CashJournal journal = CashJournal::open(fiscpos::test::testJournalUrl(dir), clock);
    fiscpos::test::JournalWriter writer{journal, clock};

    JournalEntry write(const Entry& entry) { return writer.write(entry); }
};

// The journal the tests read: two terminals over 10 and 11 May 2024 (Athens summer time, UTC+3).
struct Shop : Fixture {
    JournalEntry tipped, lateSale, voidOfLate, afterMidnight, refund, declined, inDoubt, open,
        preauth, completion, tippedVoided, voidOfTipped, batchA3, otherSale, batchB7;

    Shop() {
        tipped = write({.at = "2024-05-10T09:00:00Z", .amount = "1.24", .tip = "0.50"});
        // 23:30 and 23:45 in Athens: still 10 May.
        lateSale = write({.at = "2024-05-10T20:30:00Z", .amount = "10.00"});
        voidOfLate = write({.kind = EntryKind::Void,
                            .at = "2024-05-10T20:45:00Z",
                            .amount = "10.00",
                            .original = lateSale.id});
        // 00:30 on 11 May in Athens, though 10 May in UTC.
        afterMidnight = write({.at = "2024-05-10T21:30:00Z", .amount = "5.00"});
        refund = write({.kind = EntryKind::Refund,
                        .at = "2024-05-11T08:00:00Z",
                        .amount = "1.00",
                        .original = tipped.id});
        declined =
            write({.at = "2024-05-11T08:10:00Z", .amount = "3.00", .state = EntryState::Declined});
        inDoubt =
            write({.at = "2024-05-11T08:20:00Z", .amount = "7.00", .state = EntryState::InDoubt});
        open =
            write({.at = "2024-05-11T08:30:00Z", .amount = "8.00", .state = EntryState::Signing});
        preauth =
            write({.kind = EntryKind::Preauth, .at = "2024-05-11T09:00:00Z", .amount = "20.00"});
        completion = write({.kind = EntryKind::Completion,
                            .at = "2024-05-11T10:00:00Z",
                            .amount = "15.00",
                            .original = preauth.id});
        tippedVoided = write({.at = "2024-05-11T11:00:00Z", .amount = "4.00", .tip = "0.30"});
        voidOfTipped = write({.kind = EntryKind::Void,
                              .at = "2024-05-11T11:05:00Z",
                              .amount = "4.00",
                              .original = tippedVoided.id});
        // 11 May on A3: 5.00 + 15.00 + 4.30 − 1.00 − 4.30 = 19.00; the network agrees.
        fiscpos::core::BatchTotals a3{"000042", 3, Money::parse("24.30", "t"), 2,
                                      Money::parse("5.30", "t")};
        batchA3 = write({.kind = EntryKind::BatchClose,
                         .at = "2024-05-11T20:00:00Z",
                         .outcome = batchOutcome(a3) + "; batch 000042 closed"});
        otherSale = write({.terminal = "B7", .at = "2024-05-11T12:00:00Z", .amount = "2.00"});
        // B7's network counted 2.50: 0.50 more than the journal.
        fiscpos::core::BatchTotals b7{"", 1, Money::parse("2.50", "t"), 0, Money{}};
        batchB7 = write({.kind = EntryKind::BatchClose,
                         .terminal = "B7",
                         .at = "2024-05-11T20:10:00Z",
                         .outcome = batchOutcome(b7)});
    }
};

std::map<std::string, BookedEntry> byId(const std::vector<BookedEntry>& booked) {
    std::map<std::string, BookedEntry> out;
    for (const auto& entry : booked) {
        out.emplace(entry.entry.id, entry);
    }
    return out;
}

std::int64_t sumOfNets(const std::vector<BookedEntry>& booked) {
    std::int64_t sum = 0;
    for (const auto& entry : booked) {
        sum += entry.net.cents();
    }
    return sum;
}

const DaySummary& dayOf(const std::vector<DaySummary>& days, const std::string& day,
                        const std::string& terminal) {
    for (const auto& summary : days) {
        if (summary.businessDay == day && summary.terminal == terminal) {
            return summary;
        }
    }
    BOOST_FAIL("no summary for " << day << " " << terminal);
    return days.front();
}

std::vector<std::string> lines(const std::string& csv) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t end; (end = csv.find("\r\n", start)) != std::string::npos; start = end + 2) {
        out.push_back(csv.substr(start, end - start));
    }
    BOOST_TEST(start == csv.size()); // every line ends in CRLF
    return out;
}

} // namespace

BOOST_AUTO_TEST_SUITE(journal_accounting)

BOOST_FIXTURE_TEST_CASE(each_entry_books_its_signed_net_on_its_athens_day, Shop) {
    const auto booked = byId(bookEntries(journal, {}));
    const auto net = [&](const JournalEntry& entry) {
        return booked.at(entry.id).net.cents();
    };
    const auto day = [&](const JournalEntry& entry) {
        return booked.at(entry.id).businessDay;
    };
    BOOST_TEST(net(tipped) == 174);       // the card paid the tip on top
    BOOST_TEST(net(lateSale) == 1000);    // voided, it stays booked on its day...
    BOOST_TEST(net(voidOfLate) == -1000); // ...and its void takes it back
    BOOST_TEST(net(afterMidnight) == 500);
    BOOST_TEST(net(refund) == -100);
    BOOST_TEST(net(declined) == 0);
    BOOST_TEST(net(inDoubt) == 0);
    BOOST_TEST(net(open) == 0);
    BOOST_TEST(net(preauth) == 0);
    BOOST_TEST(net(completion) == 1500);
    BOOST_TEST(net(tippedVoided) == 430);
    BOOST_TEST(net(voidOfTipped) == -430); // the void takes the sale's tip back with it
    BOOST_TEST(net(batchA3) == 0);

    BOOST_TEST(day(tipped) == "2024-05-10");
    BOOST_TEST(day(lateSale) == "2024-05-10");
    BOOST_TEST(day(voidOfLate) == "2024-05-10");
    BOOST_TEST(day(afterMidnight) == "2024-05-11"); // 21:30 UTC is 00:30 in Athens
    BOOST_TEST(day(batchA3) == "2024-05-11");
    BOOST_TEST(journal.get(lateSale.id).voided());

    // A void read without its sale takes back its own amount.
    BOOST_TEST(netAmount(journal.get(voidOfTipped.id), std::nullopt).cents() == -400);
    BOOST_TEST(netAmount(journal.get(voidOfTipped.id), journal.get(tippedVoided.id)).cents() ==
               -430);
}

BOOST_FIXTURE_TEST_CASE(a_void_finds_its_sale_outside_the_filter, Shop) {
    JournalFilter voids;
    voids.kind = EntryKind::Void;
    const auto booked = bookEntries(journal, voids);
    BOOST_TEST_REQUIRE(booked.size() == 2U);
    BOOST_TEST(byId(booked).at(voidOfTipped.id).net.cents() == -430);
}

BOOST_FIXTURE_TEST_CASE(the_daily_summary_adds_up_to_the_entries, Shop) {
    const auto booked = bookEntries(journal, {});
    const auto days = summarizeDays(booked);
    BOOST_TEST_REQUIRE(days.size() == 3U);
    std::int64_t sumOfDays = 0;
    for (const auto& summary : days) {
        std::int64_t entriesNet = 0;
        std::int64_t entries = 0;
        for (const auto& entry : booked) {
            if (entry.businessDay == summary.businessDay &&
                entry.entry.terminal == summary.terminal) {
                entriesNet += entry.net.cents();
                ++entries;
            }
        }
        BOOST_TEST(summary.net.cents() == entriesNet, summary.businessDay << summary.terminal);
        BOOST_TEST(summary.entries == entries);
        BOOST_TEST(summary.net.cents() == summary.saleTotal.cents() + summary.tipTotal.cents() -
                                              summary.refundTotal.cents() -
                                              summary.voidTotal.cents());
        sumOfDays += summary.net.cents();
    }
    BOOST_TEST(sumOfDays == sumOfNets(booked));
    BOOST_TEST(sumOfDays == 174 + 500 + 1500 + 430 - 100 - 430 + 200);

    const DaySummary& tenth = dayOf(days, "2024-05-10", "A3");
    BOOST_TEST(tenth.saleCount == 2);
    BOOST_TEST(tenth.saleTotal.cents() == 1124);
    BOOST_TEST(tenth.tipTotal.cents() == 50);
    BOOST_TEST(tenth.voidCount == 1);
    BOOST_TEST(tenth.voidTotal.cents() == 1000);
    BOOST_TEST(tenth.net.cents() == 174);
    BOOST_TEST(!tenth.batch.has_value());
    BOOST_TEST(!tenth.batchDifference.has_value());

    const DaySummary& eleventh = dayOf(days, "2024-05-11", "A3");
    BOOST_TEST(eleventh.entries == 10);
    BOOST_TEST(eleventh.saleCount == 3); // after midnight, the completion, the tipped sale
    BOOST_TEST(eleventh.saleTotal.cents() == 2400);
    BOOST_TEST(eleventh.tipTotal.cents() == 30);
    BOOST_TEST(eleventh.refundCount == 1);
    BOOST_TEST(eleventh.refundTotal.cents() == 100);
    BOOST_TEST(eleventh.voidCount == 1);
    BOOST_TEST(eleventh.voidTotal.cents() == 430);
    BOOST_TEST(eleventh.net.cents() == 1900);
    BOOST_TEST(eleventh.openCount == 1);
    BOOST_TEST(eleventh.inDoubtCount == 1);
    BOOST_TEST_REQUIRE(eleventh.batch.has_value());
    BOOST_TEST(eleventh.batch->closes == 1);
    BOOST_TEST(eleventh.batch->batchIds == std::vector<std::string>{"000042"});
    BOOST_TEST(eleventh.batch->net().cents() == 1900);
    BOOST_TEST(eleventh.batchDifference->cents() == 0);

    const DaySummary& b7 = dayOf(days, "2024-05-11", "B7");
    BOOST_TEST(b7.net.cents() == 200);
    BOOST_TEST_REQUIRE(b7.batchDifference.has_value());
    BOOST_TEST(b7.batchDifference->cents() == 50);
}

BOOST_FIXTURE_TEST_CASE(business_days_follow_athens_across_the_clock_changes, Fixture) {
    // 27 October 2024 has 25 hours in Athens: 26 Oct 21:00 UTC to 27 Oct 22:00 UTC.
    const auto first = write({.at = "2024-10-26T21:00:00Z", .amount = "1.00"});
    const auto last = write({.at = "2024-10-27T21:59:00Z", .amount = "2.00"});
    const auto before = write({.at = "2024-10-26T20:59:00Z", .amount = "4.00"});
    const auto after = write({.at = "2024-10-27T22:00:00Z", .amount = "8.00"});
    // 31 March 2024 has 23: 30 Mar 22:00 UTC to 31 Mar 21:00 UTC.
    const auto spring = write({.at = "2024-03-31T20:59:00Z", .amount = "16.00"});
    const auto april = write({.at = "2024-03-31T21:00:00Z", .amount = "32.00"});

    JournalFilter autumn;
    filterBusinessDays(autumn, "2024-10-27", "2024-10-27", "--from", "--to");
    const auto booked = bookEntries(journal, autumn);
    BOOST_TEST_REQUIRE(booked.size() == 2U);
    BOOST_TEST(booked[0].entry.id == first.id);
    BOOST_TEST(booked[1].entry.id == last.id);
    BOOST_TEST(sumOfNets(booked) == 300);
    const auto days = summarizeDays(bookEntries(journal, {}));
    BOOST_TEST(dayOf(days, "2024-10-26", "A3").net.cents() == 400);
    BOOST_TEST(dayOf(days, "2024-10-27", "A3").net.cents() == 300);
    BOOST_TEST(dayOf(days, "2024-10-28", "A3").net.cents() == 800);
    BOOST_TEST(dayOf(days, "2024-03-31", "A3").net.cents() == 1600);
    BOOST_TEST(dayOf(days, "2024-04-01", "A3").net.cents() == 3200);

    JournalFilter march;
    filterBusinessDays(march, "2024-03-31", std::nullopt, "--from", "--to");
    filterBusinessDays(march, std::nullopt, "2024-03-31", "--from", "--to");
    const auto spring31 = bookEntries(journal, march);
    BOOST_TEST_REQUIRE(spring31.size() == 1U);
    BOOST_TEST(spring31[0].entry.id == spring.id);
    static_cast<void>(before);
    static_cast<void>(after);
    static_cast<void>(april);
}

BOOST_AUTO_TEST_CASE(business_days_refuse_bad_bounds_naming_the_option) {
    JournalFilter filter;
    try {
        filterBusinessDays(filter, "2024-05-11", "2024-05-10", "--from", "--to");
        BOOST_ERROR("accepted --to before --from");
    } catch (const fiscpos::core::InputError& e) {
        BOOST_TEST(e.field() == "--to");
    }
    try {
        filterBusinessDays(filter, "2024-02-30", std::nullopt, "--from", "--to");
        BOOST_ERROR("accepted 30 February");
    } catch (const fiscpos::core::InputError& e) {
        BOOST_TEST(e.field() == "--from");
    }
    // One day is a range of its own.
    filterBusinessDays(filter, "2024-05-10", "2024-05-10", "--from", "--to");
    BOOST_TEST((filter.since == at("2024-05-09T21:00:00Z")));
    BOOST_TEST((filter.until == at("2024-05-10T21:00:00Z")));
}

BOOST_AUTO_TEST_CASE(batch_totals_are_read_back_from_the_outcome) {
    JournalEntry close;
    close.kind = EntryKind::BatchClose;
    close.state = EntryState::Approved;
    const fiscpos::core::BatchTotals totals{"B 7", 12, Money::parse("1234.56", "t"), 1,
                                            Money::parse("0.05", "t")};
    for (const std::string tail : {"", "; batch B 7 closed: 12 sales for 1234.56"}) {
        close.outcome = batchOutcome(totals) + tail;
        const auto read = batchTotalsOf(close);
        BOOST_TEST_REQUIRE(read.has_value(), *close.outcome);
        BOOST_TEST(read->batchId == "B 7");
        BOOST_TEST(read->saleCount == 12);
        BOOST_TEST(read->saleTotal.cents() == 123456);
        BOOST_TEST(read->refundCount == 1);
        BOOST_TEST(read->refundTotal.cents() == 5);
    }
    close.outcome = batchOutcome({"", 0, Money{}, 0, Money{}});
    BOOST_TEST(*close.outcome == "batch closed: 0 sales 0.00, 0 refunds 0.00");
    BOOST_TEST(batchTotalsOf(close).has_value());
    for (const char* unreadable :
         {"the device finished the batch close but GP gives no totals for it yet",
          "batch 7 closed: many sales 1.00, 0 refunds 0.00", "batch 7 closed: 1 sales 1.00",
          "batch 7 closed: 1 sales 1.00, 0 refunds lots"}) {
        close.outcome = unreadable;
        BOOST_TEST(!batchTotalsOf(close).has_value(), unreadable);
    }
    close.outcome = batchOutcome(totals);
    close.state = EntryState::InDoubt;
    BOOST_TEST(!batchTotalsOf(close).has_value());
}

BOOST_FIXTURE_TEST_CASE(the_rfc4180_csv_adds_business_day_and_net_amount, Shop) {
    JournalFilter voids;
    voids.kind = EntryKind::Void;
    const auto rows = lines(journal.exportCsv(voids));
    BOOST_TEST_REQUIRE(rows.size() == 3U);
    BOOST_TEST(rows[0].starts_with("id,opened_seq,created_at,"));
    BOOST_TEST(rows[0].ends_with(",voided_at,preload_until,autonomous_reason,network_transaction_"
                                 "ref,business_day,net_amount"));
    BOOST_TEST(rows[1].starts_with(voidOfLate.id + ","));
    BOOST_TEST(rows[1].find(",2024-05-10T20:45:00Z,") != std::string::npos, rows[1]);
    BOOST_TEST(rows[1].ends_with(",2024-05-10,-10.00"), rows[1]);
    BOOST_TEST(rows[2].ends_with(",2024-05-11,-4.30"), rows[2]);
}

BOOST_FIXTURE_TEST_CASE(the_el_gr_csv_is_what_a_greek_spreadsheet_reads, Fixture) {
    const auto sale = write({.at = "2024-05-10T20:30:00Z",
                             .amount = "1234.50",
                             .tip = "0.50",
                             .outcome = "=HYPERLINK(\"http://x\")",
                             .rrn = "012345678901"});
    const std::string csv = journal.exportCsv({}, CsvDialect::ElGr);
    BOOST_TEST_REQUIRE(csv.starts_with("\xEF\xBB\xBF"));
    const auto rows = lines(csv.substr(3));
    BOOST_TEST_REQUIRE(rows.size() == 2U);
    BOOST_TEST(rows[0].starts_with("\"id\";\"opened_seq\";\"created_at\";"), rows[0]);
    BOOST_TEST(rows[0].ends_with(";\"business_day\";\"net_amount\""));
    const std::string& row = rows[1];
    BOOST_TEST(row.starts_with("\"" + sale.id + "\";1;"), row);
    // Athens local time, as a Greek spreadsheet reads a date and time.
    BOOST_TEST(row.find(";10/05/2024 23:30:00;10/05/2024 23:30:01;") != std::string::npos, row);
    // Decimal comma, no thousands separator; amounts are numbers, not text.
    BOOST_TEST(row.find(";1234,50;0,50;\"EUR\";") != std::string::npos, row);
    // The RRN keeps its leading zero; the outcome cannot run as a formula.
    BOOST_TEST(row.find(";\"'012345678901\";") != std::string::npos, row);
    BOOST_TEST(row.find(";\"'=HYPERLINK(\"\"http://x\"\")\";") != std::string::npos, row);
    // The TID is digits too: kept as text.
    BOOST_TEST(row.find(";\"'64999964\";") != std::string::npos, row);
    BOOST_TEST(row.ends_with(";10/05/2024;1235,00"), row);
}

BOOST_FIXTURE_TEST_CASE(the_summary_exports_in_json_and_both_csv_dialects, Shop) {
    const auto days = summarizeDays(bookEntries(journal, {}));
    const auto json =
        fiscpos::core::Json::parse(exportSummaryJson(days, at("2024-05-12T00:00:00Z")));
    BOOST_TEST(json["format"] == "fiscpos.journal_summary.v1");
    BOOST_TEST_REQUIRE(json["days"].size() == 3U);
    const auto& eleventh = json["days"][1];
    BOOST_TEST(eleventh["business_day"] == "2024-05-11");
    BOOST_TEST(eleventh["terminal"] == "A3");
    BOOST_TEST(eleventh["net"] == "19.00");
    BOOST_TEST(eleventh["sales"]["count"] == 3);
    BOOST_TEST(eleventh["voids"]["total"] == "4.30");
    BOOST_TEST(eleventh["in_doubt"] == 1);
    BOOST_TEST(eleventh["batch"]["agrees"] == true);
    BOOST_TEST(json["days"][0]["batch"].is_null());
    BOOST_TEST(json["days"][2]["batch"]["difference"] == "0.50");

    const auto csv = lines(exportSummaryCsv(days, CsvDialect::Rfc4180));
    BOOST_TEST_REQUIRE(csv.size() == 4U);
    BOOST_TEST(csv[0].starts_with("business_day,terminal,currency,entries,sale_count,"));
    BOOST_TEST(csv[1] == "2024-05-10,A3,EUR,3,2,11.24,0.50,0,0.00,1,10.00,1.74,0,0,0,,,,,,,,");
    BOOST_TEST(csv[2] ==
               "2024-05-11,A3,EUR,10,3,24.00,0.30,1,1.00,1,4.30,19.00,1,1,1,000042,3,24.30,2,5.30,"
               "19.00,0.00,agrees");
    BOOST_TEST(csv[3].ends_with(",0.50,DIFFERS"), csv[3]);

    const std::string el = exportSummaryCsv(days, CsvDialect::ElGr);
    BOOST_TEST_REQUIRE(el.starts_with("\xEF\xBB\xBF\"business_day\";\"terminal\";"));
    const auto elRows = lines(el.substr(3));
    BOOST_TEST(elRows[2] == "11/05/2024;\"A3\";\"EUR\";10;3;24,00;0,30;1;1,00;1;4,30;19,00;1;1;1;"
                            "\"'000042\";3;24,30;2;5,30;19,00;0,00;\"agrees\"");
}

BOOST_AUTO_TEST_SUITE_END()
