#include "signing/nsp.hpp"

#include "core/errors.hpp"
#include "core/names.hpp"

#include <Poco/String.h>

#include <array>
#include <string>

namespace fiscpos::signing {

namespace {

constexpr auto nsps = core::nameTable<Nsp>({{Nsp::Viva, "viva"},
                                            {Nsp::WebEcr, "webecr"},
                                            {Nsp::Worldline, "worldline"},
                                            {Nsp::Edps, "edps"},
                                            {Nsp::EpaySoftPos, "epay-softpos"}});

std::string knownNames() {
    std::string out;
    for (const auto& entry : nsps.rows()) {
        out += (out.empty() ? "" : ", ") + std::string(entry.name) + " (" +
               std::to_string(static_cast<int>(entry.value)) + ")";
    }
    return out;
}

} // namespace

std::string_view nspName(Nsp nsp) {
    return nsps.name(nsp);
}

Nsp parseNsp(std::string_view text, std::string_view field) {
    const std::string name = Poco::toLower(std::string(text));
    if (const auto nsp = nsps.find(name)) {
        return *nsp;
    }
    for (const auto& entry : nsps.rows()) {
        if (name == std::to_string(static_cast<int>(entry.value))) {
            return entry.value;
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
    for (const auto& entry : nsps.rows()) {
        if (static_cast<long long>(entry.value) == value) {
            return entry.value;
        }
    }
    throw core::ResponseError(std::string(field), "unknown network value " + std::to_string(value) +
                                                      "; expected " + knownNames());
}

InputLayout layoutFor(Nsp nsp) {
    return nsp == Nsp::Viva ? InputLayout::Viva : InputLayout::Mellon;
}

} // namespace fiscpos::signing
