#include "signing/nsp.hpp"

#include "core/errors.hpp"

#include <Poco/String.h>

#include <array>
#include <string>

namespace fiscpos::signing {

namespace {

struct NspNames {
    Nsp nsp;
    std::string_view name;         // ours, in configuration files and the journal
    std::string_view providerName; // the provider's, in its `nsp.name`
};

constexpr std::array<NspNames, 5> nsps{{
    {Nsp::Viva, "viva", "Viva"},
    {Nsp::WebEcr, "webecr", "WebEcr"},
    {Nsp::Worldline, "worldline", "Worldline"},
    {Nsp::Edps, "edps", "Edps"},
    {Nsp::EpaySoftPos, "epay-softpos", "EpaySoftPos"},
}};

const NspNames* find(Nsp nsp) {
    for (const auto& entry : nsps) {
        if (entry.nsp == nsp) {
            return &entry;
        }
    }
    return nullptr;
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
    const auto* entry = find(nsp);
    return entry ? entry->name : "unknown";
}

std::string_view providerNspName(Nsp nsp) {
    const auto* entry = find(nsp);
    return entry ? entry->providerName : "Unknown";
}

Nsp parseNsp(std::string_view text, std::string_view field) {
    for (const auto& entry : nsps) {
        // Ours, the provider's ("WebEcr", "EpaySoftPos") in any case, or the number.
        if (Poco::icompare(std::string(text), std::string(entry.name)) == 0 ||
            Poco::icompare(std::string(text), std::string(entry.providerName)) == 0 ||
            text == std::to_string(static_cast<int>(entry.nsp))) {
            return entry.nsp;
        }
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
