// Inside the cash journal: rows as column name → value, the column lists of both tables, and the
// database interface every query goes through. Not for use outside plugin/journal.
#pragma once

#include "core/json.hpp"
#include "plugin/journal/journal_entry.hpp"
#include "plugin/journal/journal_event.hpp"

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace fiscpos::plugin::journal_detail {

using DbValue = std::variant<std::monostate, std::string, std::int64_t>;
using DbRow = std::map<std::string, DbValue, std::less<>>;

enum class ColumnType { Text, Integer };
struct Column {
    std::string_view name;
    ColumnType type;
};

// Every column of cash_entries / cash_events, in table order. The event hash covers every event
// column but "hash" itself, in this order.
std::span<const Column> entryColumns();
std::span<const Column> eventColumns();
// "a, b, c" for a SELECT.
std::string selectList(std::span<const Column> columns);

// Columns of an entry that its events do not carry in their changes: they follow from the events
// themselves (id = entry_id, opened_seq and created_at from the opening event, updated_at from
// the last one).
bool isDerivedEntryColumn(std::string_view name);

DbRow entryToRow(const JournalEntry& entry);
JournalEntry entryFromRow(const DbRow& row);
DbRow eventToRow(const JournalEvent& event);
JournalEvent eventFromRow(const DbRow& row);

// The changes an event records, as a JSON object keyed by entry column; voided sets voided_at to
// `at`.
core::Json changesToJson(const EntryChanges& changes, const std::string& at);
// Writes the columns of a changes object onto an entry row; unknown columns are an error.
void applyChanges(DbRow& entry, const core::Json& changes);

std::optional<std::string> textOf(const DbRow& row, std::string_view column);
std::optional<std::int64_t> integerOf(const DbRow& row, std::string_view column);
// The value as text for messages and CSV: null → "", integers in decimal.
std::string displayValue(const DbValue& value);

enum class Dialect { SQLite, PostgreSQL };

// A connection to the journal's database (journal_db.hpp opens one): SQLite through its C API,
// PostgreSQL through libpq, each statement prepared once per connection. Statements are written
// with `?` placeholders, bound in order. A database failure is a JournalError.
class Database {
public:
    virtual ~Database() = default;
    virtual Dialect dialect() const = 0;
    // Runs a statement; returns the rows it changed.
    virtual std::size_t execute(const std::string& sql, const std::vector<DbValue>& params) = 0;
    // Runs a SELECT whose columns are `columns`, in order.
    virtual std::vector<DbRow> query(const std::string& sql, const std::vector<DbValue>& params,
                                     std::span<const Column> columns) = 0;
};

inline std::size_t execute(Database& database, const std::string& sql,
                           const std::vector<DbValue>& params = {}) {
    return database.execute(sql, params);
}
inline std::vector<DbRow> query(Database& database, const std::string& sql,
                                const std::vector<DbValue>& params,
                                std::span<const Column> columns) {
    return database.query(sql, params, columns);
}

} // namespace fiscpos::plugin::journal_detail
