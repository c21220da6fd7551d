// The provider's records (signing/): a mydataprovider v2 signature record read by
// ProviderSignature::fromProviderJson, an issued invoice's record and a deferred payment's answer
// (signing/provider_invoices.hpp), and the same bytes as the pieces such a record carries:
// an Input in both layouts, a signature in base64 or hex (DER checked), and a DER signature
// verified against a key.
#include "signing/signature.hpp"
#include "core/json.hpp"
#include "fuzz/fuzz_support.hpp"
#include "signing/ecdsa.hpp"
#include "signing/input_text.hpp"
#include "signing/provider_invoices.hpp"
#include "signing/signature_text.hpp"

#include <cstdlib>

using fiscpos::fuzz::refusable;
namespace signing = fiscpos::signing;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const signing::PublicKey key = signing::PrivateKey::generate().publicKey();
    const std::string_view input = fiscpos::fuzz::text(data, size);
    refusable([&] {
        const auto record =
            fiscpos::core::parseJson(input, "signature", fiscpos::core::JsonOrigin::Response);
        const auto signature = signing::ProviderSignature::fromProviderJson(record);
        // What was accepted is written back and read again to the same signature.
        const auto again = signing::ProviderSignature::fromProviderJson(signature.toProviderJson());
        if (again.input != signature.input || again.signatureHex != signature.signatureHex ||
            again.paymentAmount != signature.paymentAmount) {
            std::abort();
        }
        (void)signature.toSignedPayment("");
    });
    refusable([&] {
        const auto record =
            fiscpos::core::parseJson(input, "invoice", fiscpos::core::JsonOrigin::Response);
        refusable([&] { (void)signing::IssuedInvoice::fromProviderJson(record); });
        refusable([&] { (void)signing::AddedPayment::fromProviderJson(record); });
    });
    for (const auto layout : {signing::InputLayout::Mellon, signing::InputLayout::Viva}) {
        refusable([&] {
            const auto parsed = signing::InputText::parse(input, layout);
            if (signing::InputText::parse(parsed.toString(), layout).toString() !=
                parsed.toString()) {
                std::abort();
            }
        });
    }
    refusable([&] { (void)signing::decodeSignature(input); });
    refusable([&] { (void)signing::fromHex(input); });
    refusable([&] { (void)signing::fromBase64(input); });
    refusable([&] {
        const signing::Bytes der(data, data + size);
        (void)key.verify("input", der);
    });
    return 0;
}
