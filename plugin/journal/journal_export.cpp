// The accountant's exports of the cash journal: JSON with every event, CSV with one row per entry,
// and the CSV writer they and the daily summary share.
#include "plugin/journal/journal_export.hpp"

#include "plugin/journal/journal_impl.hpp"

namespace fiscpos::plugin {

using journal_detail::DbValue;

namespace {

// amount_cents and tip_cents are shown as decimal amounts named amount and tip.
std::optional<std::string_view> amountName(std::string_view column) {
    if (column == "amount_cents") {
        return "amount";
    }
    if (column == "tip_cents") {
        return "tip";
    }
    return std::nullopt;
}

std::string decimal(const DbValue& cents) {
    const auto* value = std::get_if<std::int64_t>(&cents);
    return value ? core::Money::fromCents(*value).toString() : "";
}

// What a spreadsheet runs as a formula when a text field starts with it.
bool formulaStart(std::string_view value) {
    return !value.empty() &&
           std::string_view("=+-@\t\r").find(value.front()) != std::string_view::npos;
}

// What a spreadsheet would read as a number or a date rather than text: digits with separators,
// signs, exponents or a percent sign ("0751217022851763151", "11.1", "10/05", "1E5").
bool numberLike(std::string_view value) {
    return value.find_first_of("0123456789") != std::string_view::npos &&
           value.find_first_not_of("0123456789.,/:-+eE% ") == std::string_view::npos;
}

std::string csvQuoted(std::string_view value) {
    std::string out = "\"";
    for (char c : value) {
        out += c;
        if (c == '"') {
            out += '"';
        }
    }
    return out + "\"";
}

// The entry columns that hold a time.
bool timeColumn(std::string_view column) {
    return column == "created_at" || column == "updated_at" || column == "invoice_issued_at" ||
           column == "signature_expires_at" || column == "voided_at" || column == "preload_until";
}

// The entry's original, looked up inside the journal's lock.
EntryLookup lookupIn(const CashJournal::Impl& impl) {
    return [&impl](const std::string& id) {
        return impl.findWhere("id = ?", {id});
    };
}

core::Json headJson(const std::pair<std::int64_t, std::string>& head) {
    return {{"last_seq", head.first}, {"last_hash", head.second}};
}

} // namespace

core::Json entryToJson(const JournalEntry& entry) {
    core::Json json = core::Json::object();
    for (const auto& [column, value] : journal_detail::entryToRow(entry)) {
        if (auto name = amountName(column)) {
            json[std::string(*name)] = decimal(value);
        } else if (const auto* integer = std::get_if<std::int64_t>(&value)) {
            json[column] = *integer;
        } else if (const auto* text = std::get_if<std::string>(&value)) {
            json[column] = *text;
        } else {
            json[column] = nullptr;
        }
    }
    return json;
}

core::Json eventToJson(const JournalEvent& event) {
    core::Json json = core::Json::object();
    for (const auto& [column, value] : journal_detail::eventToRow(event)) {
        if (const auto* integer = std::get_if<std::int64_t>(&value)) {
            json[column] = *integer;
        } else if (const auto* text = std::get_if<std::string>(&value)) {
            json[column] = *text;
        } else {
            json[column] = nullptr;
        }
    }
    // The changes were written as a JSON object; shown as one (as text if that fails).
    try {
        json["changes"] = core::Json::parse(event.changes);
    } catch (const core::Json::exception&) {
        json["changes"] = event.changes;
    }
    return json;
}

CsvWriter::CsvWriter(CsvDialect dialect)
    : dialect_(dialect) {}

void CsvWriter::field(std::string_view value) {
    if (rowStarted_) {
        out_ += dialect_ == CsvDialect::ElGr ? ';' : ',';
    }
    rowStarted_ = true;
    out_ += value;
}

CsvWriter& CsvWriter::text(std::string_view value) {
    std::string guarded(value);
    if (formulaStart(value) || (dialect_ == CsvDialect::ElGr && numberLike(value))) {
        guarded.insert(0, 1, '\'');
    }
    const bool quote = dialect_ == CsvDialect::ElGr
                           ? !guarded.empty()
                           : guarded.find_first_of(",\"\r\n") != std::string::npos;
    field(quote ? csvQuoted(guarded) : guarded);
    return *this;
}

CsvWriter& CsvWriter::integer(std::int64_t value) {
    field(std::to_string(value));
    return *this;
}

CsvWriter& CsvWriter::money(core::Money value) {
    field(value.toString(dialect_ == CsvDialect::ElGr ? ',' : '.'));
    return *this;
}

CsvWriter& CsvWriter::time(std::string_view iso) {
    const auto at = dialect_ == CsvDialect::ElGr ? core::timeIfReadable(iso) : std::nullopt;
    if (!at) {
        return text(iso);
    }
    field(core::greekDateTime(core::toAthens(*at)));
    return *this;
}

CsvWriter& CsvWriter::day(std::string_view isoDay) {
    if (dialect_ != CsvDialect::ElGr || isoDay.empty()) {
        return text(isoDay);
    }
    field(core::greekDate(core::toAthens(core::athensDay(isoDay, "business_day").begin)));
    return *this;
}

CsvWriter& CsvWriter::empty() {
    field("");
    return *this;
}

void CsvWriter::endRow() {
    out_ += "\r\n";
    rowStarted_ = false;
}

std::string CsvWriter::take() {
    std::string bytes = dialect_ == CsvDialect::ElGr ? "\xEF\xBB\xBF" + out_ : out_;
    out_.clear();
    rowStarted_ = false;
    return bytes;
}

std::string CashJournal::exportJson(const JournalFilter& filter) const {
    std::lock_guard lock(impl_->mutex);
    return guarded("exporting", [&] {
        core::Json out = {{"format", "fiscpos.cash_journal.v1"},
                          {"exported_at", core::utcIso8601(impl_->clock->now())},
                          {"head", headJson(impl_->head())},
                          {"entries", core::Json::array()}};
        for (const auto& [entry, day, net] : bookEntries(impl_->list(filter), lookupIn(*impl_))) {
            core::Json item = entryToJson(entry);
            item["business_day"] = day;
            item["net_amount"] = net.toString();
            item["events"] = core::Json::array();
            for (const auto& event : impl_->events(entry.id)) {
                item["events"].push_back(eventToJson(event));
            }
            out["entries"].push_back(std::move(item));
        }
        return core::dumpJson(out, 2) + "\n";
    });
}

std::string CashJournal::exportCsv(const JournalFilter& filter, CsvDialect dialect) const {
    std::lock_guard lock(impl_->mutex);
    return guarded("exporting", [&] {
        CsvWriter csv(dialect);
        for (const auto& column : journal_detail::entryColumns()) {
            csv.text(amountName(column.name).value_or(column.name));
        }
        csv.text("business_day").text("net_amount").endRow();
        for (const auto& [entry, day, net] : bookEntries(impl_->list(filter), lookupIn(*impl_))) {
            const auto row = journal_detail::entryToRow(entry);
            for (const auto& column : journal_detail::entryColumns()) {
                const DbValue& value = row.at(std::string(column.name));
                const auto* integer = std::get_if<std::int64_t>(&value);
                if (amountName(column.name)) {
                    csv.money(core::Money::fromCents(integer ? *integer : 0));
                } else if (integer) {
                    csv.integer(*integer);
                } else if (timeColumn(column.name)) {
                    csv.time(journal_detail::displayValue(value));
                } else {
                    csv.text(journal_detail::displayValue(value));
                }
            }
            csv.day(day).money(net).endRow();
        }
        return csv.take();
    });
}

} // namespace fiscpos::plugin
