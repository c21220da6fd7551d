#include "core/clock.hpp"
#include "core/errors.hpp"
#include "core/http_client.hpp"
#include "core/json.hpp"
#include "plugin/journal/cash_journal.hpp"
#include "tests/support/shared_dir.hpp"
#include "tests/support/test_journal.hpp"

#include <Poco/Data/Session.h>

#include <atomic>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

using namespace fiscpos::plugin;
using fiscpos::core::Money;
using namespace Poco::Data::Keywords;

namespace {

fiscpos::core::TimePoint at(const char* iso) {
    return fiscpos::core::toTimePoint(fiscpos::core::parseIso8601(iso, "test"));
}

// A journal on a fresh temporary file (or PostgreSQL database), with a clock the test moves.
struct Fixture {
    std::filesystem::path dir = fiscpos::test::freshTempDir("journal");
    std::string url = fiscpos::test::testJournalUrl(dir);
    fiscpos::core::ManualClock clock{at("2024-05-10T13:43:40Z")};
    CashJournal journal = CashJournal::open(url, clock);

    // A separate connection to the same database, as a tamperer (or the sqlite3 or psql tool)
    // would have.
    std::unique_ptr<Poco::Data::Session> raw() const {
        return fiscpos::test::rawJournalSession(url);
    }
    // The append-only triggers are dropped first, as a tamperer would.
    void tamper(const std::string& sql) const {
        auto session = raw();
        fiscpos::test::dropAppendOnlyTriggers(*session);
        *session << sql, now;
    }
};

NewEntry sale(const std::string& key = "", const char* amount = "1.24") {
    NewEntry entry;
    entry.terminal = "A3";
    entry.network = "mellon";
    entry.tid = "64999964";
    entry.amount = Money::parse(amount, "amount");
    if (!key.empty()) {
        entry.idempotencyKey = key;
    }
    entry.invoiceSeries = "A";
    entry.invoiceAa = "2";
    entry.invoiceType = "11.1";
    entry.request = R"({"invoice": {"series": "A", "aa": "2"}, "amount": "1.24"})";
    return entry;
}

// Takes an entry through a whole approved payment; returns it.
JournalEntry approvedSale(Fixture& f, const std::string& key, const std::string& reference) {
    const auto opened = f.journal.openEntry(sale(key));
    const std::string id = opened.entry.id;
    EntryChanges signature;
    signature.invoiceUid = "E8C3B1F0A4";
    signature.signatureId = "sig-1";
    signature.signatureInput = "E8C3B1F0A4;;64999964;20240510164340;1.00;0.24;1.24;1.24";
    signature.signature = "MEUCIQ==";
    signature.providerId = "999";
    auto provider = EventRecord::make(event_kind::ProviderResponse);
    provider.httpMethod = "POST";
    provider.url = "https://provider.example/v2/signatures";
    provider.httpStatus = 201;
    provider.responseBody = R"({"id": "sig-1", "payment_amount": 1.24})";
    f.journal.append(id, provider, signature);
    f.clock.advance(std::chrono::seconds(1));
    EntryChanges sending = EntryChanges::to(EntryState::Sending);
    sending.networkReference = reference;
    f.journal.append(id, EventRecord::make(event_kind::ReferenceChosen), sending);
    auto start = EventRecord::make(event_kind::NetworkResponse);
    start.httpMethod = "POST";
    start.httpStatus = 201;
    start.responseBody = R"({"Id": "intent-7"})";
    EntryChanges sent = EntryChanges::to(EntryState::Sent);
    sent.networkIntentId = "intent-7";
    f.journal.append(id, start, sent);
    f.clock.advance(std::chrono::seconds(5));
    EntryChanges approved = EntryChanges::to(EntryState::Approved);
    approved.rrn = "412345678901";
    approved.authCode = "123456";
    approved.maskedPan = "411111******1111";
    approved.cardType = "VISA";
    approved.transactionId = "0751217022851763151";
    approved.outcome = "Approved";
    return f.journal.append(id, EventRecord::make(event_kind::State), approved);
}

bool hasProblem(const VerifyReport& report, std::int64_t seq, const std::string& part) {
    for (const auto& p : report.problems) {
        if (p.seq == seq && p.what.find(part) != std::string::npos) {
            return true;
        }
    }
    return false;
}

std::string describe(const VerifyReport& report) {
    return fiscpos::core::dumpJson(report.toJson());
}

std::string fileBytes(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

template <class E> std::string fieldOf(const std::function<void()>& action) {
    try {
        action();
    } catch (const E& e) {
        return e.field();
    }
    return "(no error)";
}

} // namespace

BOOST_AUTO_TEST_SUITE(cash_journal)

BOOST_FIXTURE_TEST_CASE(the_journal_is_durable, Fixture) {
    if (fiscpos::test::onPostgres()) {
        BOOST_TEST(journal.pragma("synchronous_commit") == "on");
    } else {
        BOOST_TEST(journal.pragma("journal_mode") == "wal");
        BOOST_TEST(journal.pragma("synchronous") == "2"); // FULL
        BOOST_TEST(journal.pragma("foreign_keys") == "1");
    }
    BOOST_TEST(journal.url() == url);
}

// What a journal URL must not be, with a word of the reason each is refused for.
BOOST_AUTO_TEST_CASE(bad_journal_urls_are_configuration_errors) {
    fiscpos::core::SystemClock clock;
    const std::pair<const char*, const char*> cases[] = {
        {"postgresql://fiscpos@db.example.com/journal?sslmode=require", "verify-full"},
        {"postgresql://fiscpos@db.example.com/journal?sslmode=disable", "verify-full"},
        {"postgresql://fiscpos@127.0.0.1:5432/", "names no database"},
        {"postgresql:///journal", "names no host"},
        {"postgresql://fiscpos@127.0.0.1/journal?options=-c%20x", "\"options\" is not one"},
        {"postgresql://fiscpos@127.0.0.1/journal?application_name=a%20b", "space"},
        {"postgresql://fiscpos:Zx9-secret@127.0.0.1:1/journal", "cannot open the journal"},
    };
    for (const auto& [url, reason] : cases) {
        try {
            CashJournal::open(url, clock);
            BOOST_ERROR(std::string(url) + " accepted");
        } catch (const fiscpos::core::ConfigError& e) {
            const std::string text = e.what();
            BOOST_TEST(e.field() == "journal.url", url);
            BOOST_TEST(text.find(reason) != std::string::npos, url << ": " << text);
            BOOST_TEST(text.find("Zx9-secret") == std::string::npos, text);
        }
    }
    for (const char* url : {"sqlite:", "mysql://x", "sqlite::memory:", "journal.db"}) {
        BOOST_TEST(fieldOf<fiscpos::core::ConfigError>([&] { CashJournal::open(url, clock); }) ==
                       "journal.url",
                   url);
    }
    BOOST_TEST(fieldOf<fiscpos::core::ConfigError>([&] {
                   CashJournal::open("sqlite:/nonexistent-dir/x/journal.db", clock);
               }) == "journal.url");
}

BOOST_FIXTURE_TEST_CASE(an_entry_goes_through_its_states_with_one_event_each, Fixture) {
    const auto entry = approvedSale(*this, "pay-1", "REF-1");
    BOOST_TEST(stateName(entry.state) == "APPROVED");
    BOOST_TEST(entry.rrn.value() == "412345678901");
    BOOST_TEST(entry.networkReference.value() == "REF-1");
    BOOST_TEST(entry.signatureId.value() == "sig-1");
    BOOST_TEST(entry.createdAt == "2024-05-10T13:43:40Z");
    BOOST_TEST(entry.updatedAt == "2024-05-10T13:43:46Z");
    BOOST_TEST(entry.amount.toString() == "1.24");
    BOOST_TEST(!entry.open());

    const auto events = journal.events(entry.id);
    BOOST_REQUIRE(events.size() == 5U);
    BOOST_TEST(events[0].record.kind == "opened");
    BOOST_TEST(!events[0].fromState.has_value());
    BOOST_TEST(stateName(*events[0].toState) == "SIGNING");
    BOOST_TEST(events[0].prevHash == std::string(64, '0'));
    BOOST_TEST(events[0].record.requestBody.value().find("\"amount\": \"1.24\"") !=
               std::string::npos);
    BOOST_TEST(events[1].record.kind == "provider.response");
    BOOST_TEST(events[1].record.httpStatus.value() == 201);
    BOOST_TEST(!events[1].toState.has_value());
    BOOST_TEST(stateName(*events[2].fromState) == "SIGNING");
    BOOST_TEST(stateName(*events[2].toState) == "SENDING");
    BOOST_TEST(stateName(*events[4].fromState) == "SENT");
    BOOST_TEST(stateName(*events[4].toState) == "APPROVED");
    for (std::size_t i = 1; i < events.size(); ++i) {
        BOOST_TEST(events[i].seq == events[i - 1].seq + 1);
        BOOST_TEST(events[i].prevHash == events[i - 1].hash);
        BOOST_TEST(events[i].hash.size() == 64U);
    }
    BOOST_TEST(fiscpos::core::Json::parse(events[4].changes)["rrn"] == "412345678901");

    BOOST_TEST(journal.find(entry.id)->rrn.value() == "412345678901");
    BOOST_TEST(journal.findByIdempotencyKey("pay-1")->id == entry.id);
    BOOST_TEST(journal.findByNetworkReference("mellon", "REF-1")->id == entry.id);
    BOOST_TEST(!journal.findByNetworkReference("viva", "REF-1").has_value());
    BOOST_TEST(!journal.find("no-such-entry").has_value());
    BOOST_TEST(fieldOf<fiscpos::core::InputError>([&] { journal.get("no-such-entry"); }) ==
               "entry");

    const auto report = journal.verify();
    BOOST_TEST(report.ok, describe(report));
    BOOST_TEST(report.eventsChecked == 5);
    BOOST_TEST(report.entriesChecked == 1);
    BOOST_TEST(report.lastSeq == 5);
    BOOST_TEST(report.lastHash == events[4].hash);
}

BOOST_FIXTURE_TEST_CASE(an_http_exchange_becomes_one_redacted_event, Fixture) {
    const auto id = journal.openEntry(sale("k")).entry.id;
    fiscpos::core::HttpExchange exchange;
    exchange.method = "POST";
    exchange.url = "https://www.mreceipts.com/api/v2.2/terminal/358046/txninit/";
    exchange.requestHeaders = {{"Authorization", "Bearer eyJhbGciOi.eyJ1c2VyIjoxfQ.c2ln"},
                               {"X-Api-Key", "Zg6xxfx_R1eXTOs39BPzqQ"},
                               {"Content-Type", "application/json"}};
    exchange.requestBody = R"({"Amount": 124, "CustomerReference": "REF-9"})";
    exchange.status = 200;
    exchange.responseBody = R"({"Id": "intent-9", "Status": 0})";
    exchange.duration = std::chrono::microseconds(1500);
    const auto record = EventRecord::fromExchange(event_kind::NetworkResponse, exchange);
    journal.append(id, record);
    const auto event = journal.events(id).back();
    BOOST_TEST(event.record.httpMethod.value() == "POST");
    BOOST_TEST(event.record.url.value() == exchange.url);
    BOOST_TEST(event.record.httpStatus.value() == 200);
    BOOST_TEST(event.record.durationUs.value() == 1500);
    BOOST_TEST(event.record.requestHeaders.value() ==
               "Authorization: [redacted]\nX-Api-Key: [redacted]\n"
               "Content-Type: application/json\n");
    BOOST_TEST(event.record.requestBody.value() == exchange.requestBody);
    BOOST_TEST(event.record.responseBody.value() == exchange.responseBody);
    BOOST_TEST(!event.record.transportError.has_value());

    fiscpos::core::HttpExchange lost = exchange;
    lost.status = 0;
    lost.error = "connection reset after the request was sent";
    const auto noAnswer = EventRecord::fromExchange(event_kind::NetworkResponse, lost);
    BOOST_TEST(!noAnswer.httpStatus.has_value());
    BOOST_TEST(!noAnswer.responseBody.has_value());
    BOOST_TEST(noAnswer.transportError.value() == lost.error);
}

BOOST_FIXTURE_TEST_CASE(an_idempotency_key_opens_one_entry_only, Fixture) {
    const auto first = journal.openEntry(sale("erp-42"));
    BOOST_TEST(first.created);
    const auto again = journal.openEntry(sale("erp-42"));
    BOOST_TEST(!again.created);
    BOOST_TEST(again.entry.id == first.entry.id);
    BOOST_TEST(journal.events(first.entry.id).size() == 1U);
    BOOST_TEST(journal.list().size() == 1U);

    // The same key for another payment is refused, naming the field that differs.
    try {
        journal.openEntry(sale("erp-42", "2.00"));
        BOOST_FAIL("a reused key with another amount was accepted");
    } catch (const fiscpos::core::InputError& e) {
        BOOST_TEST(e.field() == "idempotency_key");
        BOOST_TEST(std::string(e.what()).find("amount") != std::string::npos);
    }
    // Entries without a key are all new.
    BOOST_TEST(journal.openEntry(sale()).created);
    BOOST_TEST(journal.openEntry(sale()).created);
    BOOST_TEST(journal.list().size() == 3U);
}

// What a person types for an entry: the whole id, or its first characters when they begin one
// entry only.
BOOST_FIXTURE_TEST_CASE(an_entry_is_found_by_the_start_of_its_id, Fixture) {
    const std::string a = journal.openEntry(sale()).entry.id;
    const std::string b = journal.openEntry(sale()).entry.id;
    BOOST_TEST(journal.resolveId(a, "--entry") == a);
    // The shortest start of `a` that `b` does not share (at least 6 characters) names `a`.
    std::size_t shared = 0;
    while (shared < a.size() && a[shared] == b[shared]) {
        ++shared;
    }
    const std::string unique = a.substr(0, std::max<std::size_t>(6, shared + 1));
    BOOST_TEST(journal.resolveId(unique, "--entry") == a);
    // Too short to mean anything, or no entry begins so: unchanged (get() then says so).
    BOOST_TEST(journal.resolveId(a.substr(0, 5), "--entry") == a.substr(0, 5));
    BOOST_TEST(journal.resolveId("zzzzzzzz", "--entry") == "zzzzzzzz");
    BOOST_TEST(fieldOf<fiscpos::core::InputError>([&] { journal.get("zzzzzzzz"); }) == "entry");
}

BOOST_FIXTURE_TEST_CASE(bad_new_entries_name_the_field, Fixture) {
    auto with = [&](auto change) {
        NewEntry entry = sale();
        change(entry);
        return fieldOf<fiscpos::core::InputError>([&] { journal.openEntry(entry); });
    };
    BOOST_TEST(with([](NewEntry& e) { e.terminal.clear(); }) == "terminal");
    BOOST_TEST(with([](NewEntry& e) { e.tid.clear(); }) == "tid");
    BOOST_TEST(with([](NewEntry& e) { e.currency = "eur"; }) == "currency");
    BOOST_TEST(with([](NewEntry& e) { e.amount = Money(); }) == "amount");
    BOOST_TEST(with([](NewEntry& e) { e.idempotencyKey = ""; }) == "idempotency_key");
    BOOST_TEST(with([](NewEntry& e) { e.originalEntry = "x"; }) == "original_entry");
    BOOST_TEST(with([](NewEntry& e) { e.kind = EntryKind::Void; }) == "original_entry");
    BOOST_TEST(with([](NewEntry& e) {
                   e.kind = EntryKind::Refund;
                   e.originalEntry = "no-such-entry";
               }) == "original_entry");
    BOOST_TEST(journal.list().empty());
}

BOOST_FIXTURE_TEST_CASE(refunds_and_voids_link_to_their_sale, Fixture) {
    const auto original = approvedSale(*this, "s1", "REF-S1");
    NewEntry refund = sale("r1", "0.50");
    refund.kind = EntryKind::Refund;
    refund.originalEntry = original.id;
    const auto opened = journal.openEntry(refund).entry;
    BOOST_TEST(opened.originalEntry.value() == original.id);
    BOOST_TEST(kindName(opened.kind) == "refund");

    // A refund of a refund is refused.
    NewEntry twice = sale("r2");
    twice.kind = EntryKind::Refund;
    twice.originalEntry = opened.id;
    BOOST_TEST(fieldOf<fiscpos::core::InputError>([&] { journal.openEntry(twice); }) ==
               "original_entry");

    // A refund under way: a void of the same sale would give the money back twice.
    NewEntry voiding = sale("v1");
    voiding.kind = EntryKind::Void;
    voiding.originalEntry = original.id;
    BOOST_TEST(fieldOf<fiscpos::core::InputError>([&] { journal.openEntry(voiding); }) ==
               "original_entry");

    const auto other = approvedSale(*this, "s2", "REF-S2");
    voiding.originalEntry = other.id;
    const auto voidEntry = journal.openEntry(voiding).entry;
    EntryChanges mark;
    mark.voided = true;
    const auto voided = journal.append(
        other.id, EventRecord::make(event_kind::Voided, "void " + voidEntry.id), mark);
    BOOST_TEST(voided.voided());
    BOOST_TEST(voided.voidedAt.value() == voided.updatedAt);
    BOOST_TEST(stateName(voided.state) == "APPROVED"); // a void books nothing, the sale stays

    JournalFilter linked;
    linked.originalEntry = original.id;
    BOOST_TEST(journal.list(linked).size() == 1U);
    linked.originalEntry = other.id;
    BOOST_TEST(journal.list(linked).size() == 1U);
    // Once voided, the sale takes no refund.
    NewEntry late = sale("r3", "0.10");
    late.kind = EntryKind::Refund;
    late.originalEntry = other.id;
    BOOST_TEST(fieldOf<fiscpos::core::InputError>([&] { journal.openEntry(late); }) ==
               "original_entry");
    BOOST_CHECK_THROW(journal.append(other.id, EventRecord::make(event_kind::Voided), mark),
                      JournalError);
    BOOST_CHECK_THROW(journal.append(opened.id, EventRecord::make(event_kind::Voided), mark),
                      JournalError);
    BOOST_TEST(journal.verify().ok);
}

BOOST_FIXTURE_TEST_CASE(completions_name_their_preauth_and_batch_closes_name_nothing, Fixture) {
    const auto sold = approvedSale(*this, "s1", "REF-S1");
    NewEntry hold = sale("p1");
    hold.kind = EntryKind::Preauth;
    const auto preauth = journal.openEntry(hold).entry;
    BOOST_TEST(kindName(preauth.kind) == "preauth");
    // Only an approved pre-authorisation takes a completion.
    NewEntry early = sale("c0");
    early.kind = EntryKind::Completion;
    early.originalEntry = preauth.id;
    BOOST_TEST(fieldOf<fiscpos::core::InputError>([&] { journal.openEntry(early); }) ==
               "original_entry");
    EntryChanges approved = EntryChanges::to(EntryState::Approved);
    journal.append(preauth.id, EventRecord::make(event_kind::State, "approved"), approved);

    NewEntry capture = sale("c1");
    capture.kind = EntryKind::Completion;
    BOOST_TEST(fieldOf<fiscpos::core::InputError>([&] { journal.openEntry(capture); }) ==
               "original_entry"); // a completion without its pre-authorisation
    capture.originalEntry = sold.id;
    BOOST_TEST(fieldOf<fiscpos::core::InputError>([&] { journal.openEntry(capture); }) ==
               "original_entry"); // a sale is not a pre-authorisation
    capture.originalEntry = preauth.id;
    BOOST_TEST(journal.openEntry(capture).entry.originalEntry.value() == preauth.id);

    // Money back without a sale (an unreferenced refund) names no original.
    NewEntry unreferenced = sale("r1");
    unreferenced.kind = EntryKind::Refund;
    BOOST_TEST(!journal.openEntry(unreferenced).entry.originalEntry.has_value());

    NewEntry close = sale("b1", "0.00");
    close.kind = EntryKind::BatchClose;
    BOOST_TEST(kindName(journal.openEntry(close).entry.kind) == "batch_close");
    close.idempotencyKey = "b2";
    close.originalEntry = sold.id;
    BOOST_TEST(fieldOf<fiscpos::core::InputError>([&] { journal.openEntry(close); }) ==
               "original_entry");
    BOOST_TEST(journal.verify().ok);
}

BOOST_FIXTURE_TEST_CASE(the_journal_refuses_changes_that_would_make_the_record_wrong, Fixture) {
    const auto sold = approvedSale(*this, "a", "REF-A");
    const auto other = journal.openEntry(sale("b")).entry;
    auto note = EventRecord::make(event_kind::State);
    BOOST_CHECK_THROW(journal.append(other.id, note, EntryChanges::to(EntryState::Signing)),
                      JournalError);
    BOOST_CHECK_THROW(journal.append(sold.id, note, EntryChanges::to(EntryState::Sending)),
                      JournalError);
    EntryChanges reuse;
    reuse.networkReference = "REF-A";
    BOOST_CHECK_THROW(journal.append(other.id, note, reuse), JournalError);
    EntryChanges change;
    change.networkReference = "REF-OTHER";
    BOOST_CHECK_THROW(journal.append(sold.id, note, change), JournalError);
    EntryChanges voiding;
    voiding.voided = true;
    BOOST_CHECK_THROW(journal.append(other.id, note, voiding), JournalError);
    BOOST_TEST(fieldOf<fiscpos::core::InputError>([&] { journal.append("no-such-entry", note); }) ==
               "entry");
    BOOST_TEST(fieldOf<fiscpos::core::InputError>(
                   [&] { journal.append(other.id, EventRecord::make("opened")); }) == "event.kind");
    // Nothing of the refused appends was written.
    BOOST_TEST(journal.events(other.id).size() == 1U);
    BOOST_TEST(journal.verify().ok);
    // A final outcome may still be corrected by a status refresh.
    BOOST_TEST(
        stateName(journal.append(sold.id, note, EntryChanges::to(EntryState::Declined)).state) ==
        "DECLINED");
}

BOOST_FIXTURE_TEST_CASE(lists_filter_by_state_time_terminal_and_kind, Fixture) {
    const auto a = journal.openEntry(sale("a")).entry;
    clock.advance(std::chrono::hours(1));
    auto entryB = sale("b");
    entryB.terminal = "V1";
    entryB.network = "viva";
    const auto b = journal.openEntry(entryB).entry;
    journal.append(b.id, EventRecord::make(event_kind::State),
                   EntryChanges::to(EntryState::Failed));
    clock.advance(std::chrono::hours(1));
    const auto c = journal.openEntry(sale("c")).entry;
    journal.append(c.id, EventRecord::make(event_kind::State),
                   EntryChanges::to(EntryState::InDoubt));

    auto ids = [&](const JournalFilter& filter) {
        std::vector<std::string> out;
        for (const auto& e : journal.list(filter)) {
            out.push_back(e.id);
        }
        return out;
    };
    BOOST_TEST(ids({}) == (std::vector<std::string>{a.id, b.id, c.id}));
    BOOST_TEST(ids(JournalFilter::openEntries()) == (std::vector<std::string>{a.id, c.id}));
    BOOST_TEST(ids(JournalFilter::openEntries(at("2024-05-10T14:00:00Z"))) ==
               (std::vector<std::string>{c.id}));
    JournalFilter window;
    window.since = at("2024-05-10T14:43:40Z");
    window.until = at("2024-05-10T15:43:40Z");
    BOOST_TEST(ids(window) == (std::vector<std::string>{b.id}));
    JournalFilter terminal;
    terminal.terminal = "A3";
    BOOST_TEST(ids(terminal) == (std::vector<std::string>{a.id, c.id}));
    JournalFilter limited;
    limited.limit = 2;
    BOOST_TEST(ids(limited).size() == 2U);
    JournalFilter refunds;
    refunds.kind = EntryKind::Refund;
    BOOST_TEST(ids(refunds).empty());
}

BOOST_FIXTURE_TEST_CASE(verify_finds_an_edited_event, Fixture) {
    const auto entry = approvedSale(*this, "k", "REF");
    BOOST_REQUIRE(journal.verify().ok);
    tamper("UPDATE cash_events SET response_body = '{\"id\": \"sig-2\"}' WHERE seq = 2");
    const auto report = journal.verify();
    BOOST_TEST(!report.ok);
    BOOST_TEST(hasProblem(report, 2, "changed after it was written"), describe(report));
    BOOST_TEST(report.problems.size() == 1U, describe(report));
    BOOST_TEST(report.problems.front().entryId == entry.id);
}

BOOST_FIXTURE_TEST_CASE(verify_finds_an_edit_whose_hash_was_recomputed, Fixture) {
    approvedSale(*this, "k", "REF");
    // The tamperer rewrites event 3 and gives it a fresh, self-consistent hash: event 4 no
    // longer links to it.
    tamper("UPDATE cash_events SET note = 'x', hash = '" + std::string(64, 'a') +
           "' WHERE seq = 3");
    const auto report = journal.verify();
    BOOST_TEST(hasProblem(report, 3, "changed after it was written"), describe(report));
    BOOST_TEST(hasProblem(report, 4, "prev_hash does not match"), describe(report));
}

BOOST_FIXTURE_TEST_CASE(verify_finds_a_move_the_state_table_forbids, Fixture) {
    approvedSale(*this, "k", "REF");
    // The approval rewritten as a move back to SIGNING: the table of moves forbids it.
    tamper("UPDATE cash_events SET to_state = 'SIGNING', changes = "
           "replace(changes, '\"APPROVED\"', '\"SIGNING\"') WHERE to_state = 'APPROVED'");
    const auto report = journal.verify();
    BOOST_TEST(!report.ok);
    BOOST_TEST(hasProblem(report, 5, "SENT -> SIGNING breaks a rule: only opening an entry"),
               describe(report));
}

BOOST_FIXTURE_TEST_CASE(a_cancel_request_keeps_a_signing_entry_from_the_network, Fixture) {
    const auto opened = journal.openEntry(sale("k"));
    const std::string id = opened.entry.id;
    journal.append(id, EventRecord::make(event_kind::CancelRequested));
    EntryChanges sending = EntryChanges::to(EntryState::Sending);
    sending.networkReference = "REF";
    BOOST_CHECK_THROW(journal.append(id, EventRecord::make(event_kind::ReferenceChosen), sending),
                      MoveRefused);
    // Nothing was written: the entry is SIGNING, without a reference, and may end CANCELLED.
    const auto entry = journal.get(id);
    BOOST_TEST(stateName(entry.state) == "SIGNING");
    BOOST_TEST(!entry.networkReference);
    BOOST_TEST(journal.events(id).size() == 2U);
    journal.append(id, EventRecord::make(event_kind::State),
                   EntryChanges::to(EntryState::Cancelled));
    BOOST_TEST(journal.verify().ok);
}

BOOST_FIXTURE_TEST_CASE(a_cancel_request_after_the_reference_is_refused, Fixture) {
    const auto entry = approvedSale(*this, "k", "REF");
    BOOST_CHECK_THROW(journal.append(entry.id, EventRecord::make(event_kind::CancelRequested)),
                      MoveRefused);
    BOOST_TEST(journal.events(entry.id).size() == 5U);
}

BOOST_FIXTURE_TEST_CASE(verify_finds_a_payment_sent_after_its_cancel_request, Fixture) {
    approvedSale(*this, "k", "REF");
    // The provider's answer (event 2) rewritten as the ERP's cancel request: the entry went to
    // SENDING after it, which the state table forbids.
    tamper("UPDATE cash_events SET kind = 'cancel.requested' WHERE seq = 2");
    const auto report = journal.verify();
    BOOST_TEST(!report.ok);
    BOOST_TEST(hasProblem(report, 3, "SIGNING -> SENDING breaks a rule: the ERP cancelled"),
               describe(report));
}

BOOST_FIXTURE_TEST_CASE(verify_finds_a_deleted_middle_event, Fixture) {
    approvedSale(*this, "k", "REF");
    tamper("DELETE FROM cash_events WHERE seq = 3");
    const auto report = journal.verify();
    BOOST_TEST(!report.ok);
    BOOST_TEST(hasProblem(report, 4, "event 3 missing"), describe(report));
}

BOOST_FIXTURE_TEST_CASE(verify_finds_a_deleted_last_event, Fixture) {
    const auto entry = approvedSale(*this, "k", "REF");
    tamper("DELETE FROM cash_events WHERE seq = 5");
    const auto report = journal.verify();
    BOOST_TEST(!report.ok);
    BOOST_TEST(hasProblem(report, 5, "missing at the end"), describe(report));
    // The entry still says APPROVED, which its remaining events no longer do.
    BOOST_TEST(hasProblem(report, 0, "state is \"APPROVED\" but its events say \"SENT\""),
               describe(report));
}

BOOST_FIXTURE_TEST_CASE(verify_finds_an_edited_entry_row, Fixture) {
    const auto entry = approvedSale(*this, "k", "REF");
    tamper("UPDATE cash_entries SET amount_cents = 100 WHERE id = '" + entry.id + "'");
    const auto report = journal.verify();
    BOOST_TEST(!report.ok);
    BOOST_TEST(hasProblem(report, 0, "amount_cents is \"100\" but its events say \"124\""),
               describe(report));
}

BOOST_FIXTURE_TEST_CASE(verify_finds_a_deleted_entry_and_a_checked_anchor, Fixture) {
    const auto first = approvedSale(*this, "k1", "REF1");
    const auto anchor = journal.verify();
    BOOST_TEST(journal.verify(JournalAnchor{anchor.lastSeq, anchor.lastHash}).ok);
    BOOST_TEST(!journal.verify(JournalAnchor{anchor.lastSeq, std::string(64, 'f')}).ok);
    BOOST_TEST(!journal.verify(JournalAnchor{99, anchor.lastHash}).ok);

    const auto second = journal.openEntry(sale("k2")).entry;
    {
        auto session = raw();
        if (!fiscpos::test::onPostgres()) {
            *session << "PRAGMA foreign_keys = OFF", now;
        } else {
            *session << "ALTER TABLE cash_events DROP CONSTRAINT cash_events_entry_id_fkey", now;
        }
        *session << "DELETE FROM cash_entries WHERE id = '" + second.id + "'", now;
    }
    const auto report = journal.verify();
    BOOST_TEST(hasProblem(report, second.openedSeq, "row is missing"), describe(report));
    BOOST_TEST(first.openedSeq == 1);
}

BOOST_FIXTURE_TEST_CASE(an_empty_journal_verifies_and_a_deleted_head_does_not, Fixture) {
    const auto empty = journal.verify();
    BOOST_TEST(empty.ok, describe(empty));
    BOOST_TEST(empty.eventsChecked == 0);
    BOOST_TEST(empty.lastHash == std::string(64, '0'));
    journal.openEntry(sale("k"));
    tamper("DELETE FROM journal_head");
    BOOST_TEST(hasProblem(journal.verify(), 0, "head row is missing"));
    BOOST_CHECK_THROW(journal.openEntry(sale("k2")), JournalError);
}

BOOST_FIXTURE_TEST_CASE(a_journal_of_a_newer_schema_is_refused, Fixture) {
    tamper("UPDATE journal_schema SET version = 5");
    try {
        CashJournal::open(url, clock);
        BOOST_FAIL("a newer schema was opened");
    } catch (const fiscpos::core::ConfigError& e) {
        BOOST_TEST(std::string(e.what()).find("schema version 5") != std::string::npos);
    }
}

BOOST_FIXTURE_TEST_CASE(a_journal_of_schema_1_gains_the_later_columns_and_keeps_its_chain,
                        Fixture) {
    const JournalEntry before = approvedSale(*this, "k", "REF");
    // What a journal written before preloaded payments looks like.
    tamper("ALTER TABLE cash_entries DROP COLUMN preload_until");
    tamper("ALTER TABLE cash_entries DROP COLUMN autonomous_reason");
    tamper("ALTER TABLE cash_entries DROP COLUMN network_transaction_ref");
    tamper("UPDATE journal_schema SET version = 1");
    CashJournal reopened = CashJournal::open(url, clock);
    const JournalEntry after = reopened.get(before.id);
    BOOST_TEST((after.state == EntryState::Approved));
    BOOST_TEST((after.transactionId == before.transactionId));
    BOOST_TEST(!after.preloaded());
    auto session = raw();
    int version = 0;
    *session << "SELECT version FROM journal_schema", Poco::Data::Keywords::into(version), now;
    BOOST_TEST(version == 4);
    EntryChanges lapse;
    lapse.preloadUntil = "2024-05-10T15:43:40Z";
    lapse.autonomousReason = "lock";
    lapse.networkTransactionRef = "b5f6a1f0-viva";
    reopened.append(before.id, EventRecord::make(event_kind::Note, "preload"), lapse);
    BOOST_TEST(reopened.get(before.id).preloadUntil.value_or("") == "2024-05-10T15:43:40Z");
    BOOST_TEST(reopened.get(before.id).networkTransactionRef.value_or("") == "b5f6a1f0-viva");
    const auto report = reopened.verify();
    BOOST_TEST(report.ok, describe(report));
}

BOOST_FIXTURE_TEST_CASE(events_cannot_be_changed_through_sql_while_the_triggers_stand, Fixture) {
    approvedSale(*this, "k", "REF");
    auto session = raw();
    BOOST_CHECK_THROW((*session << "UPDATE cash_events SET note = 'x' WHERE seq = 2", now),
                      Poco::Exception);
    BOOST_CHECK_THROW((*session << "DELETE FROM cash_events WHERE seq = 5", now), Poco::Exception);
    BOOST_TEST(journal.verify().ok);
}

BOOST_FIXTURE_TEST_CASE(no_secret_reaches_the_file, Fixture) {
    const std::vector<std::string> secrets = {
        "hunter2-Pa55",   "s3cr3t-client",    "Zg6xxfx_R1eXTOs39BPzqQ", "eyJhbGciOiJIUzI1NiJ9",
        "refresh-JWT-77", "access-JWT-66",    "gptom-pass-99",          "9ocuFREXR9i1ZgvHH8qhSQ",
        "87654321",       "4111111111111111",
    };
    const auto id = journal.openEntry(sale("k")).entry.id;
    auto login = EventRecord::make(event_kind::NetworkRequest);
    login.httpMethod = "POST";
    login.url = "https://www.mreceipts.com/api/token/?api_key=s3cr3t-client";
    login.requestHeaders = "Authorization: Bearer "
                           "eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjoxfQ.c2lnbmF0dXJl\n"
                           "X-Api-Key: Zg6xxfx_R1eXTOs39BPzqQ\n";
    login.requestBody = R"({"username": "erp@example.com", "password": "hunter2-Pa55"})";
    login.responseBody = R"({"access": "access-JWT-66", "refresh": "refresh-JWT-77"})";
    journal.append(id, login);
    auto oauth = EventRecord::make(event_kind::NetworkRequest);
    oauth.requestBody = "grant_type=password&username=m&password=gptom-pass-99&tid=T1";
    oauth.transportError = "refused: client_secret=s3cr3t-client";
    oauth.note = "token: refresh-JWT-77";
    journal.append(id, oauth);
    // A pairing: its request declared the code and the key it is exchanged for secret.
    fiscpos::core::HttpExchange paired;
    paired.method = "POST";
    paired.url = "https://pair.example.gr/redeem/";
    paired.requestBody = R"({"Type": "pair", "Code": "87654321"})";
    paired.status = 200;
    paired.responseBody = R"({"Id": "9ocuFREXR9i1ZgvHH8qhSQ", "Type": "pair"})";
    paired.secretFields = {"Code", "Id"};
    journal.append(id, EventRecord::fromExchange(event_kind::NetworkResponse, paired));
    auto card = EventRecord::make(event_kind::NetworkResponse);
    card.responseBody = R"({"cardNumber": "4111111111111111", "amount": 124})";
    EntryChanges pan;
    pan.maskedPan = "4111111111111111";
    const auto entry = journal.append(id, card, pan);
    BOOST_TEST(entry.maskedPan.value() == "411111******1111");
    BOOST_TEST(journal.verify().ok);

    // Every byte the journal wrote: in the database file and its write-ahead log, or on
    // PostgreSQL every row of its tables as text.
    std::string bytes;
    if (fiscpos::test::onPostgres()) {
        auto session = raw();
        for (const char* table : {"cash_entries", "cash_events", "journal_head"}) {
            std::vector<std::string> rows;
            *session << std::string("SELECT CAST(t AS TEXT) FROM ") + table + " t", into(rows), now;
            for (const auto& row : rows) {
                bytes += row;
            }
        }
    } else {
        for (const auto& item : std::filesystem::directory_iterator(dir)) {
            bytes += fileBytes(item.path());
        }
    }
    BOOST_TEST(bytes.size() > 1000U);
    for (const auto& secret : secrets) {
        BOOST_TEST(bytes.find(secret) == std::string::npos, secret);
    }
    // What is not secret is kept.
    BOOST_TEST(bytes.find("erp@example.com") != std::string::npos);
    BOOST_TEST(bytes.find("411111******1111") != std::string::npos);
    const auto events = journal.events(id);
    BOOST_TEST(events[1].record.requestBody.value() ==
               R"({"username": "erp@example.com", "password": "[redacted]"})");
    BOOST_TEST(events[1].record.url.value() ==
               "https://www.mreceipts.com/api/token/?api_key=[redacted]");
    BOOST_TEST(journal.exportJson().find("hunter2") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(reopening_the_file_keeps_everything) {
    const auto dir = fiscpos::test::freshTempDir("journal-reopen");
    const std::string url = fiscpos::test::testJournalUrl(dir);
    fiscpos::core::ManualClock clock{at("2024-05-10T13:43:40Z")};
    std::string id;
    std::string exported;
    {
        auto journal = CashJournal::open(url, clock);
        id = journal.openEntry(sale("k")).entry.id;
        journal.append(id, EventRecord::make(event_kind::State),
                       EntryChanges::to(EntryState::Failed));
        exported = journal.exportJson();
    }
    auto journal = CashJournal::open(url, clock);
    BOOST_TEST(journal.exportJson() == exported);
    BOOST_TEST(stateName(journal.get(id).state) == "FAILED");
    BOOST_TEST(journal.findByIdempotencyKey("k")->id == id);
    BOOST_TEST(!journal.openEntry(sale("k")).created);
    const auto next = journal.openEntry(sale("k2")).entry;
    BOOST_TEST(next.openedSeq == 3);
    const auto report = journal.verify();
    BOOST_TEST(report.ok, describe(report));
    BOOST_TEST(report.eventsChecked == 3);
}

BOOST_FIXTURE_TEST_CASE(json_export_has_entries_with_their_events, Fixture) {
    const auto entry = approvedSale(*this, "k", "REF");
    const auto json = fiscpos::core::Json::parse(journal.exportJson());
    BOOST_TEST(json["format"] == "fiscpos.cash_journal.v1");
    BOOST_TEST(json["head"]["last_seq"] == 5);
    BOOST_REQUIRE(json["entries"].size() == 1U);
    const auto& item = json["entries"][0];
    BOOST_TEST(item["id"] == entry.id);
    BOOST_TEST(item["amount"] == "1.24");
    BOOST_TEST(item["tip"] == "0.00");
    BOOST_TEST(!item.contains("amount_cents"));
    BOOST_TEST(item["state"] == "APPROVED");
    BOOST_TEST(item["voided_at"].is_null());
    BOOST_TEST(item["rrn"] == "412345678901");
    BOOST_TEST(item["business_day"] == "2024-05-10");
    BOOST_TEST(item["net_amount"] == "1.24");
    BOOST_REQUIRE(item["events"].size() == 5U);
    BOOST_TEST(item["events"][1]["http_status"] == 201);
    BOOST_TEST(item["events"][4]["changes"]["auth_code"] == "123456");
    BOOST_TEST(item["events"][4]["prev_hash"] == item["events"][3]["hash"]);

    JournalFilter none;
    none.terminal = "nowhere";
    BOOST_TEST(fiscpos::core::Json::parse(journal.exportJson(none))["entries"].empty());
}

BOOST_FIXTURE_TEST_CASE(csv_export_has_one_quoted_row_per_entry, Fixture) {
    const auto entry = approvedSale(*this, "k", "REF");
    const auto other = journal.openEntry(sale("k2", "10.05")).entry;
    journal.append(other.id, EventRecord::make(event_kind::State), [] {
        EntryChanges failed = EntryChanges::to(EntryState::Failed);
        failed.outcome = "=HYPERLINK(\"x\"), declined\nby \"issuer\"";
        return failed;
    }());
    const std::string csv = journal.exportCsv();
    std::vector<std::string> lines;
    std::size_t start = 0;
    for (std::size_t end; (end = csv.find("\r\n", start)) != std::string::npos; start = end + 2) {
        lines.push_back(csv.substr(start, end - start));
    }
    BOOST_TEST(start == csv.size()); // every line ends in CRLF
    BOOST_REQUIRE(lines.size() == 3U);
    BOOST_TEST(lines[0] ==
               "id,opened_seq,created_at,updated_at,kind,terminal,network,tid,amount,tip,"
               "currency,idempotency_key,original_entry,state,outcome,invoice_uid,"
               "invoice_series,invoice_aa,invoice_type,invoice_issued_at,signature_id,"
               "signature_input,signature,provider_id,signature_expires_at,network_reference,"
               "network_intent_id,transaction_id,rrn,auth_code,masked_pan,card_type,voided_at,"
               "preload_until,autonomous_reason,network_transaction_ref,business_day,net_amount");
    BOOST_TEST(lines[1].starts_with(entry.id + ",1,2024-05-10T13:43:40Z,2024-05-10T13:43:46Z,"
                                               "sale,A3,mellon,64999964,1.24,0.00,EUR,k,,"
                                               "APPROVED,Approved,E8C3B1F0A4,A,2,11.1,,sig-1,"));
    BOOST_TEST(
        lines[1].ends_with(",412345678901,123456,411111******1111,VISA,,,,,2024-05-10,1.24"));
    BOOST_TEST(lines[2].find(",10.05,0.00,EUR,k2,,FAILED,\"'=HYPERLINK(\"\"x\"\"), declined") !=
               std::string::npos);
    BOOST_TEST(csv.find("declined\nby \"\"issuer\"\"\",") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(appends_from_many_threads_form_one_chain, Fixture) {
    std::vector<std::string> ids;
    for (int i = 0; i < 4; ++i) {
        ids.push_back(journal.openEntry(sale("t" + std::to_string(i))).entry.id);
    }
    std::vector<std::thread> threads;
    for (const auto& id : ids) {
        threads.emplace_back([this, id] {
            for (int n = 0; n < 10; ++n) {
                journal.append(id, EventRecord::make(event_kind::Note, std::to_string(n)));
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    const auto report = journal.verify();
    BOOST_TEST(report.ok, describe(report));
    BOOST_TEST(report.eventsChecked == 44);
}

// Writes that arrive together share one commit; one refused among them is rolled back alone and
// its writer hears why, the others stand.
BOOST_FIXTURE_TEST_CASE(writes_arriving_together_share_a_commit_and_a_refusal_stays_alone,
                        Fixture) {
    std::vector<std::string> ids;
    for (int i = 0; i < 8; ++i) {
        ids.push_back(journal.openEntry(sale("g" + std::to_string(i))).entry.id);
    }
    const auto before = journal.writeStats();
    std::atomic<int> refused{0};
    std::vector<std::thread> threads;
    for (std::size_t t = 0; t < ids.size(); ++t) {
        threads.emplace_back([&, t] {
            for (int n = 0; n < 50; ++n) {
                if (t == 0 && n % 10 == 5) {
                    // A network reference never changes: refused, nothing of it written.
                    EntryChanges other;
                    other.networkReference = "OTHER-" + std::to_string(n);
                    try {
                        journal.append(ids[t], EventRecord::make(event_kind::Note, "refused"),
                                       other);
                    } catch (const JournalError&) {
                        ++refused;
                    }
                    continue;
                }
                if (t == 0 && n == 0) {
                    EntryChanges reference;
                    reference.networkReference = "REF-G0";
                    journal.append(ids[t], EventRecord::make(event_kind::Note, "0"), reference);
                    continue;
                }
                journal.append(ids[t], EventRecord::make(event_kind::Note, std::to_string(n)));
            }
        });
    }
    for (auto& thread : threads) {
        thread.join();
    }
    const auto after = journal.writeStats();
    BOOST_TEST(refused.load() == 5);
    BOOST_TEST(after.writes - before.writes == 400);
    BOOST_TEST(after.commits - before.commits < after.writes - before.writes);
    BOOST_TEST(journal.events(ids[0]).size() == 46U); // opened + 45 notes
    BOOST_TEST(journal.get(ids[0]).networkReference.value() == "REF-G0");
    const auto report = journal.verify();
    BOOST_TEST(report.ok, describe(report));
    BOOST_TEST(report.eventsChecked == 8 + 395);
}

BOOST_AUTO_TEST_SUITE_END()
