// What Viva's Cloud Terminal API answers (viva/viva_records): one JSON answer read as a session,
// a list of sessions, a device list, an access token, and field by field with the tolerant
// scalar readers; the bytes as an error body ({"detail": ...}).
#include "viva/viva_records.hpp"
#include "core/json.hpp"
#include "fuzz/fuzz_support.hpp"

using fiscpos::core::Json;
using fiscpos::fuzz::refusable;
namespace viva = fiscpos::viva;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input = fiscpos::fuzz::text(data, size);
    refusable([&] { (void)viva::detailOf(std::string(input)); });
    refusable([&] {
        const Json json =
            fiscpos::core::parseJson(input, "viva", fiscpos::core::JsonOrigin::Response);
        refusable([&] { (void)viva::Session::fromJson(json, "session"); });
        refusable([&] { (void)viva::Session::listFromJson(json, "sessions"); });
        refusable([&] {
            for (const auto& device : viva::Device::listFromJson(json, "devices")) {
                if (device.statusId) {
                    (void)viva::deviceStatusName(*device.statusId);
                }
            }
        });
        refusable([&] { (void)viva::AccessToken::fromJson(json, "token"); });
        refusable([&] { (void)viva::eurosFromJson(json, "amount"); });
        refusable([&] { (void)viva::scalarText(json, "value"); });
        if (json.is_object()) {
            for (const auto& member : json.items()) {
                const std::string key = member.key();
                refusable([&] { (void)viva::scalarField(json, key, "record"); });
                refusable([&] { (void)viva::integerField(json, key, "record"); });
                refusable([&] { (void)viva::boolField(json, key, "record"); });
                refusable([&] { (void)viva::eurosField(json, key, "record"); });
            }
        }
    });
    return 0;
}
