#include "plugin/journal/journal_row.hpp"

#include "core/errors.hpp"

#include <array>

namespace fiscpos::plugin::journal_detail {

namespace {

constexpr ColumnType T = ColumnType::Text;
constexpr ColumnType I = ColumnType::Integer;

constexpr std::array<Column, 36> kEntryColumns{{
    {"id", T},
    {"opened_seq", I},
    {"created_at", T},
    {"updated_at", T},
    {"kind", T},
    {"terminal", T},
    {"network", T},
    {"tid", T},
    {"amount_cents", I},
    {"tip_cents", I},
    {"currency", T},
    {"idempotency_key", T},
    {"original_entry", T},
    {"state", T},
    {"outcome", T},
    {"invoice_uid", T},
    {"invoice_series", T},
    {"invoice_aa", T},
    {"invoice_type", T},
    {"invoice_issued_at", T},
    {"signature_id", T},
    {"signature_input", T},
    {"signature", T},
    {"provider_id", T},
    {"signature_expires_at", T},
    {"network_reference", T},
    {"network_intent_id", T},
    {"transaction_id", T},
    {"rrn", T},
    {"auth_code", T},
    {"masked_pan", T},
    {"card_type", T},
    {"voided_at", T},
    {"preload_until", T},
    {"autonomous_reason", T},
    {"network_transaction_ref", T},
}};

constexpr std::array<Column, 18> kEventColumns{{
    {"seq", I},
    {"entry_id", T},
    {"at", T},
    {"kind", T},
    {"from_state", T},
    {"to_state", T},
    {"http_method", T},
    {"url", T},
    {"http_status", I},
    {"duration_us", I},
    {"request_headers", T},
    {"request_body", T},
    {"response_body", T},
    {"transport_error", T},
    {"note", T},
    {"changes", T},
    {"prev_hash", T},
    {"hash", T},
}};

// The text fields every entry has, with their columns.
template <class Entry, class Visit> void forEachEntryText(Entry& entry, Visit&& visit) {
    visit("id", entry.id);
    visit("created_at", entry.createdAt);
    visit("updated_at", entry.updatedAt);
    visit("terminal", entry.terminal);
    visit("network", entry.network);
    visit("tid", entry.tid);
    visit("currency", entry.currency);
}

// The optional text fields JournalEntry and EntryChanges share, with their columns.
template <class Fields, class Visit> void forEachOptionalText(Fields& fields, Visit&& visit) {
    visit("outcome", fields.outcome);
    visit("invoice_uid", fields.invoiceUid);
    visit("invoice_series", fields.invoiceSeries);
    visit("invoice_aa", fields.invoiceAa);
    visit("invoice_type", fields.invoiceType);
    visit("invoice_issued_at", fields.invoiceIssuedAt);
    visit("signature_id", fields.signatureId);
    visit("signature_input", fields.signatureInput);
    visit("signature", fields.signature);
    visit("provider_id", fields.providerId);
    visit("signature_expires_at", fields.signatureExpiresAt);
    visit("network_reference", fields.networkReference);
    visit("network_intent_id", fields.networkIntentId);
    visit("transaction_id", fields.transactionId);
    visit("rrn", fields.rrn);
    visit("auth_code", fields.authCode);
    visit("masked_pan", fields.maskedPan);
    visit("card_type", fields.cardType);
    visit("preload_until", fields.preloadUntil);
    visit("autonomous_reason", fields.autonomousReason);
    visit("network_transaction_ref", fields.networkTransactionRef);
}

// The optional fields of an event record, with their columns.
template <class Record, class Visit> void forEachRecordText(Record& record, Visit&& visit) {
    visit("http_method", record.httpMethod);
    visit("url", record.url);
    visit("request_headers", record.requestHeaders);
    visit("request_body", record.requestBody);
    visit("response_body", record.responseBody);
    visit("transport_error", record.transportError);
    visit("note", record.note);
}

DbValue optionalText(const std::optional<std::string>& value) {
    return value ? DbValue(*value) : DbValue();
}

DbValue optionalInteger(const std::optional<std::int64_t>& value) {
    return value ? DbValue(*value) : DbValue();
}

std::string requireText(const DbRow& row, std::string_view column) {
    auto value = textOf(row, column);
    if (!value) {
        throw core::Error("journal", "journal row without " + std::string(column));
    }
    return *value;
}

std::int64_t requireInteger(const DbRow& row, std::string_view column) {
    auto value = integerOf(row, column);
    if (!value) {
        throw core::Error("journal", "journal row without " + std::string(column));
    }
    return *value;
}

std::optional<EntryState> optionalState(const DbRow& row, std::string_view column) {
    auto text = textOf(row, column);
    if (!text) {
        return std::nullopt;
    }
    return parseState(*text, column);
}

} // namespace

std::span<const Column> entryColumns() {
    return kEntryColumns;
}
std::span<const Column> eventColumns() {
    return kEventColumns;
}

std::string selectList(std::span<const Column> columns) {
    std::string list;
    for (const auto& column : columns) {
        list += (list.empty() ? "" : ", ") + std::string(column.name);
    }
    return list;
}

bool isDerivedEntryColumn(std::string_view name) {
    return name == "id" || name == "opened_seq" || name == "created_at" || name == "updated_at";
}

std::optional<std::string> textOf(const DbRow& row, std::string_view column) {
    auto it = row.find(column);
    if (it == row.end()) {
        return std::nullopt;
    }
    if (const auto* text = std::get_if<std::string>(&it->second)) {
        return *text;
    }
    if (const auto* integer = std::get_if<std::int64_t>(&it->second)) {
        return std::to_string(*integer);
    }
    return std::nullopt;
}

std::optional<std::int64_t> integerOf(const DbRow& row, std::string_view column) {
    auto it = row.find(column);
    if (it == row.end()) {
        return std::nullopt;
    }
    if (const auto* integer = std::get_if<std::int64_t>(&it->second)) {
        return *integer;
    }
    return std::nullopt;
}

std::string displayValue(const DbValue& value) {
    if (const auto* text = std::get_if<std::string>(&value)) {
        return *text;
    }
    if (const auto* integer = std::get_if<std::int64_t>(&value)) {
        return std::to_string(*integer);
    }
    return "";
}

DbRow entryToRow(const JournalEntry& entry) {
    DbRow row;
    forEachEntryText(entry,
                     [&](const char* column, const std::string& value) { row[column] = value; });
    row["opened_seq"] = entry.openedSeq;
    row["kind"] = std::string(kindName(entry.kind));
    row["amount_cents"] = entry.amount.cents();
    row["tip_cents"] = entry.tip.cents();
    row["idempotency_key"] = optionalText(entry.idempotencyKey);
    row["original_entry"] = optionalText(entry.originalEntry);
    row["state"] = std::string(stateName(entry.state));
    forEachOptionalText(entry, [&](const char* column, const std::optional<std::string>& value) {
        row[column] = optionalText(value);
    });
    row["voided_at"] = optionalText(entry.voidedAt);
    return row;
}

JournalEntry entryFromRow(const DbRow& row) {
    JournalEntry entry;
    forEachEntryText(
        entry, [&](const char* column, std::string& value) { value = requireText(row, column); });
    entry.openedSeq = requireInteger(row, "opened_seq");
    entry.kind = parseKind(requireText(row, "kind"), "cash_entries.kind");
    entry.amount = core::Money::fromCents(requireInteger(row, "amount_cents"));
    entry.tip = core::Money::fromCents(requireInteger(row, "tip_cents"));
    entry.idempotencyKey = textOf(row, "idempotency_key");
    entry.originalEntry = textOf(row, "original_entry");
    entry.state = parseState(requireText(row, "state"), "cash_entries.state");
    forEachOptionalText(entry, [&](const char* column, std::optional<std::string>& value) {
        value = textOf(row, column);
    });
    entry.voidedAt = textOf(row, "voided_at");
    return entry;
}

DbRow eventToRow(const JournalEvent& event) {
    DbRow row;
    row["seq"] = event.seq;
    row["entry_id"] = event.entryId;
    row["at"] = event.at;
    row["kind"] = event.record.kind;
    row["from_state"] =
        event.fromState ? DbValue(std::string(stateName(*event.fromState))) : DbValue();
    row["to_state"] = event.toState ? DbValue(std::string(stateName(*event.toState))) : DbValue();
    forEachRecordText(event.record,
                      [&](const char* column, const std::optional<std::string>& value) {
                          row[column] = optionalText(value);
                      });
    row["http_status"] = event.record.httpStatus
                             ? DbValue(static_cast<std::int64_t>(*event.record.httpStatus))
                             : DbValue();
    row["duration_us"] = optionalInteger(event.record.durationUs);
    row["changes"] = event.changes;
    row["prev_hash"] = event.prevHash;
    row["hash"] = event.hash;
    return row;
}

JournalEvent eventFromRow(const DbRow& row) {
    JournalEvent event;
    event.seq = requireInteger(row, "seq");
    event.entryId = requireText(row, "entry_id");
    event.at = requireText(row, "at");
    event.record.kind = requireText(row, "kind");
    event.fromState = optionalState(row, "from_state");
    event.toState = optionalState(row, "to_state");
    forEachRecordText(event.record, [&](const char* column, std::optional<std::string>& value) {
        value = textOf(row, column);
    });
    if (auto status = integerOf(row, "http_status")) {
        event.record.httpStatus = static_cast<int>(*status);
    }
    event.record.durationUs = integerOf(row, "duration_us");
    event.changes = textOf(row, "changes").value_or("{}");
    event.prevHash = textOf(row, "prev_hash").value_or("");
    event.hash = textOf(row, "hash").value_or("");
    return event;
}

core::Json changesToJson(const EntryChanges& changes, const std::string& at) {
    core::Json json = core::Json::object();
    if (changes.state) {
        json["state"] = std::string(stateName(*changes.state));
    }
    forEachOptionalText(changes, [&](const char* column, const std::optional<std::string>& value) {
        if (value) {
            json[column] = *value;
        }
    });
    if (changes.voided) {
        json["voided_at"] = at;
    }
    return json;
}

void applyChanges(DbRow& entry, const core::Json& changes) {
    if (!changes.is_object()) {
        throw core::Error("journal", "event changes are not a JSON object");
    }
    for (const auto& [key, value] : changes.items()) {
        const Column* column = nullptr;
        for (const auto& c : kEntryColumns) {
            if (c.name == key) {
                column = &c;
            }
        }
        if (column == nullptr || isDerivedEntryColumn(key)) {
            throw core::Error("journal", "event changes name an unknown column \"" + key + "\"");
        }
        if (value.is_null()) {
            entry[key] = DbValue();
        } else if (column->type == ColumnType::Integer && value.is_number_integer()) {
            entry[key] = value.get<std::int64_t>();
        } else if (column->type == ColumnType::Text && value.is_string()) {
            entry[key] = value.get<std::string>();
        } else {
            throw core::Error("journal", "event changes hold a mistyped \"" + key + "\"");
        }
    }
}

} // namespace fiscpos::plugin::journal_detail
