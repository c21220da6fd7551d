#include "signing/nsp.hpp"

#include "core/errors.hpp"

#include <array>
#include <string>

namespace fiscpos::signing {

namespace {

struct NspEntry {
    Nsp nsp;
    std::string_view name;
};

constexpr std::array<NspEntry, 5> nsps{{
    {Nsp::Viva, "viva"},
    {Nsp::WebEcr, "webecr"},
    {Nsp::Worldline, "worldline"},
    {Nsp::Edps, "edps"},
    {Nsp::EpaySoftPos, "epay-softpos"},
}};

std::string lowercase(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') {
            c = static_cast<char>(c - 'A' + 'a');
        }
    }
    return out;
}

std::string knownNames() {
    std::string out;
    for (const auto& entry : nsps) {
        out += (out.empty() ? "" : ", ") + std::string(entry.name) + " (" +
               std::to_string(static_cast<int>(entry.nsp)) + ")";
    }
    return out;
}

} // namespace

std::string_view nspName(Nsp nsp) {
    for (const auto& entry : nsps) {
        if (entry.nsp == nsp) {
            return entry.name;
        }
    }
    return "unknown";
}

Nsp parseNsp(std::string_view text, std::string_view field) {
    const std::string name = lowercase(text);
    for (const auto& entry : nsps) {
        if (name == entry.name || name == std::to_string(static_cast<int>(entry.nsp))) {
            return entry.nsp;
        }
    }
    // The provider's own spelling of the names ("WebEcr", "EpaySoftPos").
    if (name == "epaysoftpos") {
        return Nsp::EpaySoftPos;
    }
    throw core::InputError(std::string(field), "unknown network \"" + std::string(text) +
                                                   "\"; expected one of " + knownNames());
}

Nsp nspFromValue(long long value, std::string_view field) {
    for (const auto& entry : nsps) {
        if (static_cast<long long>(entry.nsp) == value) {
            return entry.nsp;
        }
    }
    throw core::ResponseError(std::string(field), "unknown network value " + std::to_string(value) +
                                                      "; expected " + knownNames());
}

InputLayout layoutFor(Nsp nsp) {
    return nsp == Nsp::Viva ? InputLayout::Viva : InputLayout::Mellon;
}

} // namespace fiscpos::signing
