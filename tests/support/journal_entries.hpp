// Entries written straight into a cash journal at chosen times and in chosen final states, as the
// payment service would leave them: for the tests of the accounting model and of the exports.
#pragma once

#include "core/clock.hpp"
#include "core/money.hpp"
#include "plugin/journal/cash_journal.hpp"

#include <optional>
#include <string>

namespace fiscpos::test {

struct JournalWriter {
    plugin::CashJournal& journal;
    core::ManualClock& clock;

    struct Entry {
        plugin::EntryKind kind = plugin::EntryKind::Sale;
        std::string terminal = "A3";
        std::string at; // UTC ISO-8601: when it is opened
        std::string amount = "0.00";
        std::string tip = "0.00";
        plugin::EntryState state = plugin::EntryState::Approved;
        std::optional<std::string> original = {};
        std::optional<std::string> outcome = {};
        std::optional<std::string> rrn = {};
    };

    // Opens the entry at `at` and, unless it is to stay SIGNING, moves it to its state a second
    // later; an approved void marks its sale voided, as the payment service does.
    plugin::JournalEntry write(const Entry& spec) const {
        clock.set(core::toTimePoint(core::parseIso8601(spec.at, "at")));
        plugin::NewEntry entry;
        entry.kind = spec.kind;
        entry.terminal = spec.terminal;
        entry.network = "mellon";
        entry.tid = "64999964";
        entry.amount = core::Money::parse(spec.amount, "amount");
        entry.tip = core::Money::parse(spec.tip, "tip");
        entry.originalEntry = spec.original;
        entry.request = "{}";
        const plugin::JournalEntry opened = journal.openEntry(entry).entry;
        if (spec.state == plugin::EntryState::Signing) {
            return opened;
        }
        clock.advance(std::chrono::seconds(1));
        plugin::EntryChanges changes = plugin::EntryChanges::to(spec.state);
        changes.outcome = spec.outcome;
        changes.rrn = spec.rrn;
        const plugin::JournalEntry written = journal.append(
            opened.id, plugin::EventRecord::make(plugin::event_kind::State), changes);
        if (spec.kind == plugin::EntryKind::Void && spec.state == plugin::EntryState::Approved) {
            plugin::EntryChanges voided;
            voided.voided = true;
            journal.append(*spec.original,
                           plugin::EventRecord::make(plugin::event_kind::Voided,
                                                     "voided by entry " + opened.id),
                           voided);
        }
        return written;
    }
};

} // namespace fiscpos::test
