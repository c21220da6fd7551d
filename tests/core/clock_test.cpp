#include "core/clock.hpp"
#include "core/errors.hpp"

#include <boost/test/unit_test.hpp>

using namespace fiscpos::core;
using namespace std::chrono;

namespace {
TimePoint utc(int y, unsigned m, unsigned d, int h, int min, int s) {
    return TimePoint{sys_days{year{y} / month{m} / day{d}} + hours{h} + minutes{min} + seconds{s}};
}
} // namespace

BOOST_AUTO_TEST_SUITE(athens_time)

BOOST_AUTO_TEST_CASE(summer_and_winter_offsets) {
    BOOST_TEST(athensTimestamp(utc(2024, 5, 10, 13, 43, 40)) == "20240510164340");
    BOOST_TEST(athensTimestamp(utc(2024, 1, 15, 10, 0, 0)) == "20240115120000");
    BOOST_TEST(athensIso8601(utc(2024, 5, 10, 13, 43, 40)) == "2024-05-10T16:43:40+03:00");
    BOOST_TEST(athensIso8601(utc(2024, 12, 31, 22, 30, 0)) == "2025-01-01T00:30:00+02:00");
    BOOST_TEST(utcIso8601(utc(2024, 5, 10, 13, 43, 40)) == "2024-05-10T13:43:40Z");
}

BOOST_AUTO_TEST_CASE(dst_changes_on_the_last_sundays_at_one_utc) {
    // 2024: summer time from 31 March 01:00 UTC to 27 October 01:00 UTC.
    BOOST_TEST(athensOffsetMinutes(utc(2024, 3, 31, 0, 59, 59)) == 120);
    BOOST_TEST(athensOffsetMinutes(utc(2024, 3, 31, 1, 0, 0)) == 180);
    BOOST_TEST(athensTimestamp(utc(2024, 3, 31, 0, 59, 59)) == "20240331025959");
    BOOST_TEST(athensTimestamp(utc(2024, 3, 31, 1, 0, 0)) == "20240331040000");
    BOOST_TEST(athensOffsetMinutes(utc(2024, 10, 27, 0, 59, 59)) == 180);
    BOOST_TEST(athensOffsetMinutes(utc(2024, 10, 27, 1, 0, 0)) == 120);
    // 2026: 29 March and 25 October.
    BOOST_TEST(athensOffsetMinutes(utc(2026, 3, 29, 1, 0, 0)) == 180);
    BOOST_TEST(athensOffsetMinutes(utc(2026, 3, 28, 12, 0, 0)) == 120);
    BOOST_TEST(athensOffsetMinutes(utc(2026, 10, 25, 0, 30, 0)) == 180);
    BOOST_TEST(athensOffsetMinutes(utc(2026, 10, 25, 1, 30, 0)) == 120);
}

BOOST_AUTO_TEST_CASE(parses_iso8601_with_offset) {
    const CivilTime c = parseIso8601("2024-05-10T16:43:40+03:00", "issued_at");
    BOOST_TEST(isoDate(c) == "2024-05-10");
    BOOST_TEST(c.offsetMinutes == 180);
    BOOST_TEST((toTimePoint(c) == utc(2024, 5, 10, 13, 43, 40)));
    BOOST_TEST(
        (toTimePoint(parseIso8601("2024-05-10T13:43:40Z", "t")) == utc(2024, 5, 10, 13, 43, 40)));
    BOOST_TEST((toTimePoint(parseIso8601("2024-05-10T13:43:40.250Z", "t")) ==
                utc(2024, 5, 10, 13, 43, 40)));
}

BOOST_AUTO_TEST_CASE(rejects_bad_times_naming_the_field) {
    for (const char* bad : {"2024-05-10T16:43:40", "2024-02-30T10:00:00+02:00", "2024-05-10",
                            "2024-05-10T25:00:00+03:00", "yesterday", "2024-05-10T16:43:40+3",
                            "4048-05-10T16:43:40+03:00", "1600-01-01T00:00:00Z"}) {
        try {
            parseIso8601(bad, "invoice.issued_at");
            BOOST_FAIL(std::string("accepted ") + bad);
        } catch (const InputError& e) {
            BOOST_TEST(e.field() == "invoice.issued_at");
        }
    }
}

BOOST_AUTO_TEST_CASE(a_record_time_is_read_when_readable) {
    BOOST_TEST(timeIfReadable("2024-07-01T15:19:48Z").has_value());
    BOOST_TEST(
        (timeIfReadable("2024-07-01T18:19:48+03:00") == timeIfReadable("2024-07-01T15:19:48Z")));
    BOOST_TEST(!timeIfReadable("yesterday").has_value());
    BOOST_TEST(!timeIfReadable("4048-07-01T15:19:48Z").has_value());
    BOOST_TEST(!timeIfReadable("").has_value());
}

BOOST_AUTO_TEST_CASE(athens_timestamps_round_trip) {
    for (TimePoint t : {utc(2024, 5, 10, 13, 43, 40), utc(2024, 1, 15, 10, 0, 0),
                        utc(2024, 3, 31, 1, 0, 0), utc(2024, 10, 27, 1, 0, 0)}) {
        BOOST_TEST((parseAthensTimestamp(athensTimestamp(t), "ts") == t));
    }
    BOOST_CHECK_THROW(parseAthensTimestamp("20241301120000", "ts"), InputError);
    // 31 March 2024: 03:00-03:59 local never happened (03:00 became 04:00).
    BOOST_CHECK_THROW(parseAthensTimestamp("20240331033000", "ts"), InputError);
    BOOST_TEST((parseAthensTimestamp("20240331025959", "ts") == utc(2024, 3, 31, 0, 59, 59)));
    BOOST_TEST((parseAthensTimestamp("20240331040000", "ts") == utc(2024, 3, 31, 1, 0, 0)));
    BOOST_CHECK_THROW(parseAthensTimestamp("2024051016434", "ts"), InputError);
    BOOST_CHECK_THROW(parseAthensTimestamp("99991231235959", "ts"), InputError);
}

BOOST_AUTO_TEST_CASE(athens_days_are_23_24_or_25_hours) {
    const AthensDay summer = athensDay("2024-05-10", "day");
    BOOST_TEST((summer.begin == utc(2024, 5, 9, 21, 0, 0)));
    BOOST_TEST((summer.end == utc(2024, 5, 10, 21, 0, 0)));
    const AthensDay winter = athensDay("2024-12-31", "day");
    BOOST_TEST((winter.begin == utc(2024, 12, 30, 22, 0, 0)));
    BOOST_TEST((winter.end == utc(2024, 12, 31, 22, 0, 0)));
    // 31 March 2024: the clocks went forward; 27 October 2024: back.
    const AthensDay spring = athensDay("2024-03-31", "day");
    BOOST_TEST((spring.begin == utc(2024, 3, 30, 22, 0, 0)));
    BOOST_TEST(duration_cast<hours>(spring.end - spring.begin).count() == 23);
    const AthensDay autumn = athensDay("2024-10-27", "day");
    BOOST_TEST((autumn.begin == utc(2024, 10, 26, 21, 0, 0)));
    BOOST_TEST(duration_cast<hours>(autumn.end - autumn.begin).count() == 25);
    BOOST_TEST((athensDay("2024-02-29", "day").end == athensDay("2024-03-01", "day").begin));

    BOOST_TEST(greekDate(toAthens(utc(2024, 5, 10, 21, 30, 5))) == "11/05/2024");
    BOOST_TEST(greekDateTime(toAthens(utc(2024, 5, 10, 21, 30, 5))) == "11/05/2024 00:30:05");
    BOOST_TEST(greekDateTime(toAthens(utc(2024, 1, 2, 3, 4, 5)), false) == "02/01/2024 05:04");
    BOOST_TEST(athensDate(utc(2024, 5, 10, 20, 59, 59)) == "2024-05-10");
    BOOST_TEST(athensDate(utc(2024, 5, 10, 21, 0, 0)) == "2024-05-11");
    BOOST_TEST(athensDate(utc(2024, 12, 31, 21, 59, 59)) == "2024-12-31");
    BOOST_TEST(athensDate(utc(2024, 12, 31, 22, 0, 0)) == "2025-01-01");

    for (const char* bad :
         {"2024-02-30", "2024-5-10", "10/05/2024", "2024-05-10T00:00:00Z", "", "99999-01-01"}) {
        try {
            athensDay(bad, "--from");
            BOOST_ERROR("accepted " << bad);
        } catch (const InputError& e) {
            BOOST_TEST(e.field() == "--from");
            BOOST_TEST(std::string(e.what()).find("is not a calendar day") != std::string::npos);
        }
    }
}

BOOST_AUTO_TEST_CASE(manual_clock_moves_only_when_told) {
    ManualClock clock(utc(2024, 5, 10, 13, 43, 40));
    BOOST_TEST((clock.now() == utc(2024, 5, 10, 13, 43, 40)));
    clock.advance(milliseconds(1500));
    BOOST_TEST((clock.now() == utc(2024, 5, 10, 13, 43, 41) + milliseconds(500)));
    clock.waitFor(milliseconds(500));
    BOOST_TEST((clock.now() == utc(2024, 5, 10, 13, 43, 42)));
}

BOOST_AUTO_TEST_SUITE_END()
