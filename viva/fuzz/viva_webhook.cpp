// A POSTed Viva webhook event (viva/webhook): any body, as the endpoint of `fiscpos serve`
// receives it.
#include "fuzz/fuzz_support.hpp"
#include "viva/webhook.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    fiscpos::fuzz::refusable([&] {
        const auto event = fiscpos::viva::parseWebhookEvent(fiscpos::fuzz::text(data, size));
        (void)fiscpos::viva::webhookKindName(event.kind);
        (void)fiscpos::viva::webhookKeyAnswer(event.messageId);
    });
    return 0;
}
