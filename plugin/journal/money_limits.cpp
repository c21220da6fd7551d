#include "plugin/journal/money_limits.hpp"

#include "core/errors.hpp"

namespace fiscpos::plugin {

namespace {

// Approved (and not voided) or still under way: money that moved or may have moved.
bool counts(const JournalEntry& entry) {
    return (entry.state == EntryState::Approved && !entry.voided()) || entry.open();
}

std::string describe(const JournalEntry& entry) {
    return entry.id + " (" + std::string(kindName(entry.kind)) + " " + entry.amount.toString() +
           " " + std::string(stateName(entry.state)) + ")";
}

std::string describeAll(const std::vector<JournalEntry>& entries) {
    std::string text;
    for (const auto& entry : entries) {
        text += (text.empty() ? "" : ", ") + describe(entry);
    }
    return text;
}

std::vector<JournalEntry> counted(const EntryLister& list, const std::string& original,
                                  EntryKind kind) {
    JournalFilter filter;
    filter.originalEntry = original;
    filter.kind = kind;
    std::vector<JournalEntry> out;
    for (auto& entry : list(filter)) {
        if (counts(entry)) {
            out.push_back(std::move(entry));
        }
    }
    return out;
}

core::Money sum(const std::vector<JournalEntry>& entries) {
    core::Money total;
    for (const auto& entry : entries) {
        total = total + entry.amount;
    }
    return total;
}

void checkOriginal(const NewEntry& entry, const JournalEntry& original, const EntryLister& list) {
    const EntryKind expected = originalKindOf(entry.kind).value_or(EntryKind::Sale);
    const std::string doing = std::string(kindName(entry.kind));
    if (original.state != EntryState::Approved) {
        throw core::InputError("original_entry",
                               "entry " + original.id + " is " +
                                   std::string(stateName(original.state)) + "; only an approved " +
                                   std::string(kindName(expected)) + " can have a " + doing);
    }
    if (original.voided()) {
        throw core::InputError("original_entry",
                               "the sale " + original.id + " was voided at " + *original.voidedAt +
                                   ": nothing is left to " +
                                   (entry.kind == EntryKind::Void ? "void" : "refund"));
    }
    if (entry.kind == EntryKind::Void || entry.kind == EntryKind::Refund) {
        const auto voids = counted(list, original.id, EntryKind::Void);
        if (!voids.empty()) {
            throw core::InputError("original_entry", "the sale " + original.id +
                                                         " is being voided already by " +
                                                         describeAll(voids));
        }
    }
    if (entry.kind == EntryKind::Void) {
        const auto refunds = counted(list, original.id, EntryKind::Refund);
        if (!refunds.empty()) {
            throw core::InputError(
                "original_entry",
                "the sale " + original.id + " has refunds " + describeAll(refunds) +
                    ": a void would give the money back twice; refund what is left instead");
        }
        return;
    }
    const auto earlier = counted(list, original.id, entry.kind);
    const core::Money before = sum(earlier);
    if (core::Money::add(before, entry.amount, "amount") > original.amount) {
        throw core::InputError(
            "amount",
            doing + " " + entry.amount.toString() + " would take more than the " +
                std::string(kindName(original.kind)) + "'s " + original.amount.toString() +
                (earlier.empty()
                     ? std::string()
                     : " (already " + before.toString() + " by " + describeAll(earlier) + ")"));
    }
}

void checkInvoiceTotal(const NewEntry& entry, const EntryLister& list) {
    if (!entry.invoiceUid || !entry.invoiceTotal ||
        (entry.kind != EntryKind::Sale && entry.kind != EntryKind::Completion)) {
        return;
    }
    // One question on the payment's path: the invoice's entries, of which sales and completions
    // count.
    JournalFilter filter;
    filter.invoiceUid = entry.invoiceUid;
    std::vector<JournalEntry> paid;
    for (auto& other : list(filter)) {
        if ((other.kind == EntryKind::Sale || other.kind == EntryKind::Completion) &&
            counts(other)) {
            paid.push_back(std::move(other));
        }
    }
    const core::Money before = sum(paid);
    if (core::Money::add(before, entry.amount, "amount") > *entry.invoiceTotal) {
        throw core::InputError("amount",
                               "the invoice " + entry.invoiceSeries.value_or("") + "/" +
                                   entry.invoiceAa.value_or("") + " (UID " + *entry.invoiceUid +
                                   ") totals " + entry.invoiceTotal->toString() + " and " +
                                   before.toString() + " of it is paid or under way by " +
                                   describeAll(paid) + ": another " + entry.amount.toString() +
                                   " would charge more than the invoice");
    }
}

} // namespace

void checkMoneyLimits(const NewEntry& entry, const JournalEntry* original,
                      const EntryLister& list) {
    if (original != nullptr) {
        checkOriginal(entry, *original, list);
    }
    checkInvoiceTotal(entry, list);
}

} // namespace fiscpos::plugin
