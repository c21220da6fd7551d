// The providers fiscpos is built with: the one place outside their folders that names them. A new
// provider is a folder that fills in a ProviderModule, plus a line here and in CMakeLists.txt.
// The first one added is the kind of a [provider] section that names none.
#include "signing/provider_module.hpp"

#include "etimologiera/etimologiera_provider.hpp"
#include "signing/signing_providers.hpp"

namespace fiscpos::signing {

const ProviderRegistry& builtinProviders() {
    static const ProviderRegistry registry = [] {
        ProviderRegistry made;
        registerMydataProvider(made);
        registerLocalKey(made);
        etimologiera::registerProvider(made);
        return made;
    }();
    return registry;
}

} // namespace fiscpos::signing
