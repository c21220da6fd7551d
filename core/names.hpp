// The words for an enum's values, kept in one table: a value's name for the journal, JSON and
// messages, and the value a name stands for when it is read back. One table per enum replaces a
// switch that names and a loop that parses, which could drift apart.
//
//   constexpr auto stageNames = core::nameTable<TerminalStage>(
//       {{TerminalStage::Pending, "pending"}, {TerminalStage::Final, "final"}});
//   stageNames.name(TerminalStage::Final)  -> "final"
//   stageNames.find("pending")            -> TerminalStage::Pending
#pragma once

#include "core/errors.hpp"

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace fiscpos::core {

template <typename Value> struct Named {
    Value value;
    std::string_view name;
};

template <typename Value, std::size_t Count> class NameTable {
public:
    constexpr explicit NameTable(const std::array<Named<Value>, Count>& rows)
        : rows_(rows) {}

    // The value's name; `otherwise` for a value the table does not hold (a number read from
    // outside that is not one of ours).
    constexpr std::string_view name(Value value, std::string_view otherwise = "unknown") const {
        for (const auto& row : rows_) {
            if (row.value == value) {
                return row.name;
            }
        }
        return otherwise;
    }

    constexpr std::optional<Value> find(std::string_view name) const {
        for (const auto& row : rows_) {
            if (row.name == name) {
                return row.value;
            }
        }
        return std::nullopt;
    }

    // The value `text` names, or an InputError naming `field`: "\"x\" is not <what> (one of a, b)".
    Value parse(std::string_view text, std::string_view field, std::string_view what) const {
        if (const auto value = find(text)) {
            return *value;
        }
        throw InputError(std::string(field), "\"" + std::string(text) + "\" is not " +
                                                 std::string(what) + " (one of " + list() + ")");
    }

    // "a, b, c": what an error message offers when a name is not one of these.
    std::string list() const {
        std::string out;
        for (const auto& row : rows_) {
            out += (out.empty() ? "" : ", ") + std::string(row.name);
        }
        return out;
    }

    constexpr const std::array<Named<Value>, Count>& rows() const { return rows_; }

private:
    std::array<Named<Value>, Count> rows_;
};

template <typename Value, std::size_t Count>
constexpr NameTable<Value, Count> nameTable(const Named<Value> (&rows)[Count]) {
    std::array<Named<Value>, Count> out{};
    for (std::size_t i = 0; i < Count; ++i) {
        out[i] = rows[i];
    }
    return NameTable<Value, Count>(out);
}

} // namespace fiscpos::core
