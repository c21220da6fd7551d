#include "signing/provider_module.hpp"

#include "core/errors.hpp"

#include <stdexcept>

namespace fiscpos::signing {

void ProviderRegistry::add(ProviderModule module) {
    if (find(module.kind) != nullptr) {
        throw std::logic_error("two providers registered as kind = " + module.kind);
    }
    modules_.push_back(std::move(module));
}

const ProviderModule* ProviderRegistry::find(std::string_view kind) const {
    for (const auto& module : modules_) {
        if (module.kind == kind) {
            return &module;
        }
    }
    return nullptr;
}

const ProviderModule& ProviderRegistry::of(const core::Config& config) const {
    if (modules_.empty()) {
        throw core::ConfigError("provider.kind", "fiscpos is built without any provider");
    }
    const std::string kind = config.getOr("provider.kind", modules_.front().kind);
    if (const auto* module = find(kind)) {
        return *module;
    }
    throw core::ConfigError("provider.kind",
                            "\"" + kind + "\" is not a provider kind (use " + list() + ")");
}

std::unique_ptr<ProviderInvoices> ProviderRegistry::invoices(const core::Config& config) const {
    const ProviderModule& module = of(config);
    if (module.invoices) {
        return module.invoices(config);
    }
    std::string able;
    for (const auto& other : modules_) {
        if (other.invoices) {
            able += (able.empty() ? "" : ", ") + other.kind;
        }
    }
    throw core::ConfigError("provider.kind",
                            "is \"" + module.kind + "\" (" + module.title +
                                "), which only signs card payments: issuing invoices through the "
                                "provider needs a kind with an invoices API (" +
                                (able.empty() ? std::string("none is built in") : able) + ")");
}

std::vector<std::string> ProviderRegistry::kinds() const {
    std::vector<std::string> all;
    for (const auto& module : modules_) {
        all.push_back(module.kind);
    }
    return all;
}

std::string ProviderRegistry::list() const {
    std::string text;
    for (const auto& kind : kinds()) {
        text += (text.empty() ? "" : ", ") + kind;
    }
    return text;
}

} // namespace fiscpos::signing
