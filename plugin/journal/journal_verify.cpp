// verify(): the integrity check of the cash journal.
#include "plugin/journal/event_hash.hpp"
#include "plugin/journal/journal_impl.hpp"

#include <map>

namespace fiscpos::plugin {

using journal_detail::DbRow;
using journal_detail::DbValue;

namespace {

constexpr std::size_t kPage = 500;         // events read per query
constexpr std::size_t kMaxProblems = 1000; // listed; more are counted in one last problem

// An entry as its events build it.
struct Replay {
    DbRow row;
    std::int64_t openedSeq = 0;
    bool incomplete = false;      // its opening event is missing; reported once
    bool cancelRequested = false; // the ERP's cancel request is among its events
};

class Checker {
public:
    explicit Checker(VerifyReport& report)
        : report_(report) {}

    void problem(std::int64_t seq, std::string entryId, std::string what) {
        report_.ok = false;
        if (report_.problems.size() < kMaxProblems) {
            report_.problems.push_back({seq, std::move(entryId), std::move(what)});
        } else {
            ++suppressed_;
        }
    }

    void finish() {
        if (suppressed_ > 0) {
            report_.problems.push_back(
                {0, "", std::to_string(suppressed_) + " more problems not listed"});
        }
    }

private:
    VerifyReport& report_;
    std::size_t suppressed_ = 0;
};

std::string shown(const DbValue& value) {
    if (std::holds_alternative<std::monostate>(value)) {
        return "NULL";
    }
    std::string text = journal_detail::displayValue(value);
    if (text.size() > 60) {
        text = text.substr(0, 57) + "...";
    }
    return "\"" + text + "\"";
}

std::string range(std::int64_t from, std::int64_t to) {
    return from == to ? "event " + std::to_string(from)
                      : "events " + std::to_string(from) + " to " + std::to_string(to);
}

// Applies one event to the entry it belongs to, reporting what does not fit.
void replayEvent(const DbRow& event, std::map<std::string, Replay>& replays, Checker& check) {
    const std::int64_t seq = journal_detail::integerOf(event, "seq").value_or(0);
    const std::string entryId = journal_detail::textOf(event, "entry_id").value_or("");
    const std::string kind = journal_detail::textOf(event, "kind").value_or("");
    const std::string at = journal_detail::textOf(event, "at").value_or("");
    const auto fromState = journal_detail::textOf(event, "from_state");
    const auto toState = journal_detail::textOf(event, "to_state");

    core::Json changes;
    try {
        changes = core::Json::parse(journal_detail::textOf(event, "changes").value_or(""));
    } catch (const core::Json::exception&) {
        check.problem(seq, entryId, "its changes are not readable JSON");
        return;
    }

    auto it = replays.find(entryId);
    if (kind == event_kind::Opened) {
        if (it != replays.end()) {
            check.problem(seq, entryId, "the entry is opened a second time");
            return;
        }
        if (fromState) {
            check.problem(seq, entryId, "the opening event has a from_state");
        }
        Replay replay;
        replay.openedSeq = seq;
        replay.row["id"] = entryId;
        replay.row["opened_seq"] = seq;
        replay.row["created_at"] = at;
        it = replays.emplace(entryId, std::move(replay)).first;
    } else if (it == replays.end()) {
        check.problem(seq, entryId, "the entry's opening event is missing");
        Replay replay;
        replay.openedSeq = seq;
        replay.incomplete = true;
        replays.emplace(entryId, std::move(replay));
        return;
    } else if (it->second.incomplete) {
        return;
    } else {
        const auto state = journal_detail::textOf(it->second.row, "state");
        if (fromState != state) {
            check.problem(seq, entryId,
                          "from_state is " + shown(fromState ? DbValue(*fromState) : DbValue()) +
                              " but the entry was " + shown(state ? DbValue(*state) : DbValue()));
        }
    }
    const bool changesState = changes.is_object() && changes.contains("state");
    if (changesState != toState.has_value() ||
        (changesState && changes["state"] != core::Json(*toState))) {
        check.problem(seq, entryId, "to_state does not match the state its changes set");
    }
    if (kind == event_kind::CancelRequested && fromState) {
        try {
            if (const auto rule = brokenCancelRule(parseState(*fromState, "from_state"))) {
                check.problem(seq, entryId,
                              "a cancel request of a " + *fromState +
                                  " entry breaks a rule: " + std::string(*rule));
            }
        } catch (const core::InputError& e) {
            check.problem(seq, entryId, e.what());
        }
    }
    if (fromState && toState) {
        try {
            const auto rule =
                brokenMoveRule(parseState(*fromState, "from_state"),
                               parseState(*toState, "to_state"), it->second.cancelRequested);
            if (rule) {
                check.problem(seq, entryId,
                              *fromState + " -> " + *toState +
                                  " breaks a rule: " + std::string(*rule));
            }
        } catch (const core::InputError& e) {
            check.problem(seq, entryId, e.what());
        }
    }
    try {
        journal_detail::applyChanges(it->second.row, changes);
    } catch (const core::Error& e) {
        check.problem(seq, entryId, e.what());
    }
    it->second.row["updated_at"] = at;
    if (kind == event_kind::CancelRequested) {
        it->second.cancelRequested = true;
    }
}

// Compares every entry row with what its events made of it.
void compareEntries(const CashJournal::Impl& journal, std::map<std::string, Replay>& replays,
                    VerifyReport& report, Checker& check) {
    std::int64_t after = -1;
    while (true) {
        const auto rows = journal_detail::query(
            *journal.session,
            "SELECT " + journal_detail::selectList(journal_detail::entryColumns()) +
                " FROM cash_entries WHERE opened_seq > ? ORDER BY opened_seq LIMIT " +
                std::to_string(kPage),
            {after}, journal_detail::entryColumns());
        for (const auto& row : rows) {
            ++report.entriesChecked;
            after = journal_detail::integerOf(row, "opened_seq").value_or(after);
            const std::string id = journal_detail::textOf(row, "id").value_or("");
            auto it = replays.find(id);
            if (it == replays.end()) {
                check.problem(0, id,
                              "the entry has no events (its opening event was deleted or "
                              "the row was added outside fiscpos)");
                continue;
            }
            for (const auto& column : journal_detail::entryColumns()) {
                if (it->second.incomplete) {
                    break;
                }
                auto stored = row.find(column.name);
                auto built = it->second.row.find(column.name);
                const DbValue storedValue = stored == row.end() ? DbValue() : stored->second;
                const DbValue builtValue =
                    built == it->second.row.end() ? DbValue() : built->second;
                if (storedValue != builtValue) {
                    check.problem(0, id,
                                  std::string(column.name) + " is " + shown(storedValue) +
                                      " but its events say " + shown(builtValue));
                }
            }
            replays.erase(it);
        }
        if (rows.size() < kPage) {
            break;
        }
    }
    for (const auto& [id, replay] : replays) {
        if (replay.incomplete) {
            continue;
        }
        check.problem(replay.openedSeq, id,
                      "the entry's row is missing (deleted) but its events remain");
    }
}

} // namespace

VerifyReport CashJournal::Impl::verify(const std::optional<JournalAnchor>& anchor) const {
    VerifyReport report;
    Checker check(report);
    std::map<std::string, Replay> replays;
    std::int64_t expected = 1;
    std::string prevHash(kGenesisHash);
    bool anchorSeen = false;

    while (true) {
        const auto rows = journal_detail::query(
            *session,
            "SELECT " + journal_detail::selectList(journal_detail::eventColumns()) +
                " FROM cash_events WHERE seq >= ? ORDER BY seq LIMIT " + std::to_string(kPage),
            {expected}, journal_detail::eventColumns());
        for (const auto& row : rows) {
            const std::int64_t seq = journal_detail::integerOf(row, "seq").value_or(0);
            const std::string entryId = journal_detail::textOf(row, "entry_id").value_or("");
            const std::string hash = journal_detail::textOf(row, "hash").value_or("");
            ++report.eventsChecked;
            if (seq != expected) {
                check.problem(seq, entryId, range(expected, seq - 1) + " missing (deleted)");
            } else if (journal_detail::textOf(row, "prev_hash") != prevHash) {
                check.problem(seq, entryId,
                              seq == 1 ? "prev_hash is not the genesis hash"
                                       : "prev_hash does not match the hash of event " +
                                             std::to_string(seq - 1) +
                                             " (an event before it was changed or replaced)");
            }
            if (journal_detail::eventHash(row) != hash) {
                check.problem(seq, entryId,
                              "the event was changed after it was written (its content does not "
                              "match its hash)");
            }
            if (anchor && anchor->seq == seq) {
                anchorSeen = true;
                if (anchor->hash != hash) {
                    check.problem(seq, entryId, "the hash differs from the anchor noted down");
                }
            }
            replayEvent(row, replays, check);
            prevHash = hash;
            report.lastSeq = seq;
            expected = seq + 1;
        }
        if (rows.size() < kPage) {
            break;
        }
    }
    report.lastHash = report.lastSeq == 0 ? std::string(kGenesisHash) : prevHash;

    static constexpr journal_detail::Column kHead[] = {
        {"last_seq", journal_detail::ColumnType::Integer},
        {"last_hash", journal_detail::ColumnType::Text}};
    const auto heads = journal_detail::query(
        *session, "SELECT last_seq, last_hash FROM journal_head WHERE id = 1", {}, kHead);
    if (heads.empty()) {
        check.problem(0, "", "the head row is missing");
    } else {
        const std::int64_t headSeq =
            journal_detail::integerOf(heads.front(), "last_seq").value_or(0);
        const auto headHash = journal_detail::textOf(heads.front(), "last_hash");
        if (headSeq > report.lastSeq) {
            check.problem(report.lastSeq + 1, "",
                          range(report.lastSeq + 1, headSeq) +
                              " missing at the end (deleted; the head says " +
                              std::to_string(headSeq) + ")");
        } else if (headSeq < report.lastSeq) {
            check.problem(headSeq + 1, "",
                          range(headSeq + 1, report.lastSeq) +
                              " are past the head (added outside fiscpos)");
        } else if (headHash != report.lastHash) {
            check.problem(report.lastSeq, "", "the head's hash does not match the last event");
        }
    }
    if (anchor && !anchorSeen) {
        check.problem(anchor->seq, "", "the anchored event is missing");
    }
    compareEntries(*this, replays, report, check);
    check.finish();
    return report;
}

core::Json VerifyReport::toJson() const {
    core::Json json = {{"ok", ok},
                       {"events_checked", eventsChecked},
                       {"entries_checked", entriesChecked},
                       {"last_seq", lastSeq},
                       {"last_hash", lastHash},
                       {"problems", core::Json::array()}};
    for (const auto& p : problems) {
        core::Json item = {{"what", p.what}};
        if (p.seq != 0) {
            item["seq"] = p.seq;
        }
        if (!p.entryId.empty()) {
            item["entry"] = p.entryId;
        }
        json["problems"].push_back(std::move(item));
    }
    return json;
}

} // namespace fiscpos::plugin
