#include "cli/command.hpp"

#include "core/errors.hpp"

namespace fiscpos::cli {

std::optional<std::string> CommandArgs::get(const std::string& name) const {
    auto it = values_.find(name);
    if (it == values_.end()) {
        return std::nullopt;
    }
    return it->second;
}

std::string CommandArgs::require(const std::string& name) const {
    auto value = get(name);
    if (!value || value->empty()) {
        throw core::InputError("--" + name, "is required");
    }
    return *value;
}

} // namespace fiscpos::cli
