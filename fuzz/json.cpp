// core::parseJson (decimal nodes for fractions) over any text; what parses is dumped and parsed
// again to the same value, and read through JsonFields the way every client reads a response.
#include "core/json.hpp"
#include "fuzz/fuzz_support.hpp"

#include <cstdlib>

using fiscpos::core::Json;
using fiscpos::core::JsonFields;
using fiscpos::core::JsonOrigin;
using fiscpos::fuzz::refusable;

namespace {

void readFields(const Json& value) {
    const JsonFields fields(value, "fuzz", JsonOrigin::Response);
    for (const auto& member : value.items()) {
        const std::string key = member.key();
        const Json& item = member.value();
        refusable([&] { (void)fields.requireString(key); });
        refusable([&] { (void)fields.requireInteger(key); });
        refusable([&] { (void)fields.requireBool(key); });
        refusable([&] { (void)fields.requireMoney(key); });
        refusable(
            [&] { (void)fields.requireMoney(key, fiscpos::core::Money::Sign::AllowNegative); });
        refusable([&] { (void)fields.requireObject(key); });
        refusable([&] { (void)fields.optionalString(key); });
        refusable([&] { (void)fields.optionalInteger(key); });
        refusable([&] { (void)fields.optionalScalarText(key); });
        if (fiscpos::core::isDecimal(item)) {
            (void)fiscpos::core::decimalText(item);
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input = fiscpos::fuzz::text(data, size);
    for (const auto origin : {JsonOrigin::Input, JsonOrigin::Response}) {
        refusable([&] {
            const Json value = fiscpos::core::parseJson(input, "fuzz", origin);
            const std::string dumped = fiscpos::core::dumpJson(value);
            if (fiscpos::core::parseJson(dumped, "dumped", origin) != value) {
                std::abort();
            }
            (void)fiscpos::core::dumpJson(value, 2);
            refusable([&] { readFields(value); });
        });
    }
    return 0;
}
