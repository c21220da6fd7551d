// Money::parse over any text, both signs. Whatever parses prints back (toString) to text that
// parses to the same amount.
#include "core/money.hpp"
#include "fuzz/fuzz_support.hpp"

#include <cstdlib>

using fiscpos::core::Money;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input = fiscpos::fuzz::text(data, size);
    for (const auto sign : {Money::Sign::NonNegative, Money::Sign::AllowNegative}) {
        fiscpos::fuzz::refusable([&] {
            const Money amount = Money::parse(input, "amount", sign);
            if (sign == Money::Sign::NonNegative && amount.cents() < 0) {
                std::abort();
            }
            if (Money::parse(amount.toString(), "again", Money::Sign::AllowNegative) != amount) {
                std::abort();
            }
        });
    }
    return 0;
}
