// The accountant's exports of the cash journal: JSON with every event, CSV with one row per entry.
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

// RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled. A text field
// that a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading '.
std::string csvField(std::string value, bool text) {
    if (text && !value.empty() &&
        std::string_view("=+-@\t\r").find(value.front()) != std::string_view::npos) {
        value.insert(0, 1, '\'');
    }
    if (value.find_first_of(",\"\r\n") == std::string::npos) {
        return value;
    }
    std::string quoted = "\"";
    for (char c : value) {
        quoted += c;
        if (c == '"') {
            quoted += '"';
        }
    }
    return quoted + "\"";
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

std::string CashJournal::exportJson(const JournalFilter& filter) const {
    std::lock_guard lock(impl_->mutex);
    return guarded("exporting", [&] {
        core::Json out = {{"format", "fiscpos.cash_journal.v1"},
                          {"exported_at", core::utcIso8601(impl_->clock->now())},
                          {"head", headJson(impl_->head())},
                          {"entries", core::Json::array()}};
        for (const auto& entry : impl_->list(filter)) {
            core::Json item = entryToJson(entry);
            item["events"] = core::Json::array();
            for (const auto& event : impl_->events(entry.id)) {
                item["events"].push_back(eventToJson(event));
            }
            out["entries"].push_back(std::move(item));
        }
        return core::dumpJson(out, 2) + "\n";
    });
}

std::string CashJournal::exportCsv(const JournalFilter& filter) const {
    std::lock_guard lock(impl_->mutex);
    return guarded("exporting", [&] {
        std::string csv;
        bool first = true;
        for (const auto& column : journal_detail::entryColumns()) {
            csv += (first ? "" : ",") + std::string(amountName(column.name).value_or(column.name));
            first = false;
        }
        csv += "\r\n";
        for (const auto& entry : impl_->list(filter)) {
            const auto row = journal_detail::entryToRow(entry);
            first = true;
            for (const auto& column : journal_detail::entryColumns()) {
                const DbValue& value = row.at(std::string(column.name));
                csv += first ? "" : ",";
                first = false;
                if (amountName(column.name)) {
                    csv += decimal(value);
                } else {
                    csv += csvField(journal_detail::displayValue(value),
                                    column.type == journal_detail::ColumnType::Text);
                }
            }
            csv += "\r\n";
        }
        return csv;
    });
}

} // namespace fiscpos::plugin
