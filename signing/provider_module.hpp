// What an e-invoicing provider is to fiscpos: the value of `kind = ...` in the [provider] section,
// the Signer it builds from that section, and what else it can do (issue invoices through its
// API). Each provider's code fills in one ProviderModule and adds it to the registry; the payment
// runtime, the CLI and `serve` ask the registry and name no provider.
#pragma once

#include "core/clock.hpp"
#include "core/config.hpp"
#include "signing/provider_invoices.hpp"
#include "signing/signer.hpp"

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace fiscpos::signing {

struct ProviderModule {
    std::string kind;  // "mydataprovider", the value of provider.kind
    std::string title; // "mydataprovider v2 (Oxygen)", for messages
    // The Signer of the [provider] section: ConfigError naming the setting that cannot work.
    std::function<std::unique_ptr<Signer>(const core::Config&, const core::Clock&)> signer;
    // The provider's invoices API (issuing invoices, adding a card paid later); empty: this kind
    // cannot issue invoices, and asking for it is a ConfigError naming provider.kind.
    std::function<std::unique_ptr<ProviderInvoices>(const core::Config&)> invoices;
};

class ProviderRegistry {
public:
    // std::logic_error when a module of the same kind is there already. The first module added
    // is the kind of a [provider] section that names none.
    void add(ProviderModule module);
    const ProviderModule* find(std::string_view kind) const;
    // The module of provider.kind (the first added when it is not set): ConfigError naming
    // provider.kind, listing the kinds there are, when it is unknown.
    const ProviderModule& of(const core::Config& config) const;
    // The invoices API of the [provider] section; ConfigError naming provider.kind when its kind
    // cannot issue invoices (it names the kinds that can).
    std::unique_ptr<ProviderInvoices> invoices(const core::Config& config) const;
    std::vector<std::string> kinds() const; // in the order added
    // "mydataprovider, local, etimologiera"
    std::string list() const;

private:
    std::vector<ProviderModule> modules_;
};

// The providers fiscpos is built with (signing/builtin_providers.cpp: the one file naming them).
const ProviderRegistry& builtinProviders();

} // namespace fiscpos::signing
