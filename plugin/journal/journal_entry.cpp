#include "plugin/journal/journal_entry.hpp"

#include "signing/signature.hpp"

namespace fiscpos::plugin {

EntryChanges EntryChanges::fromSignature(const signing::ProviderSignature& signature) {
    EntryChanges changes;
    changes.invoiceUid = signature.uid;
    changes.signatureId = signature.id;
    changes.signatureInput = signature.input;
    changes.signature = signature.signatureBase64;
    if (!signature.providerId.empty()) {
        changes.providerId = signature.providerId;
    }
    changes.signatureExpiresAt = signature.expiresAt;
    return changes;
}

} // namespace fiscpos::plugin
