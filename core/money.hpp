// Amounts of money as integer cents, parsed from and printed as decimal strings ("1.24").
// Binary floating point never holds an amount anywhere in fiscpos.
#pragma once

#include "core/errors.hpp"

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

namespace fiscpos::core {

class Money {
public:
    enum class Sign { NonNegative, AllowNegative };

    constexpr Money() = default;
    static constexpr Money fromCents(std::int64_t cents) { return Money(cents); }

    // Parses "12", "12.4", "12.40", "-1.00" (if allowed). Rejects exponents, more than two
    // decimals, signs where not allowed, blanks, and values beyond 13 integer digits (myDATA's
    // 15 total digits). Errors are InputError naming `field`.
    static Money parse(std::string_view text, std::string_view field,
                       Sign sign = Sign::NonNegative);

    constexpr std::int64_t cents() const { return cents_; }
    // Always two decimals: "1.24", "0.05", "-3.00"; with decimalMark ',' as a Greek reader writes
    // it ("1,24").
    std::string toString(char decimalMark = '.') const;

    // Checked: a result beyond 64 bits of cents is an InputError naming "amount" (a sum of
    // thousands of lines must never wrap round to a small total). add() and subtract() name the
    // field.
    constexpr Money operator+(Money other) const { return add(*this, other, "amount"); }
    constexpr Money operator-(Money other) const { return subtract(*this, other, "amount"); }
    static constexpr Money add(Money a, Money b, std::string_view field) {
        std::int64_t out = 0;
        if (__builtin_add_overflow(a.cents_, b.cents_, &out)) {
            throw InputError(std::string(field), "the sum is too large to be an amount");
        }
        return Money(out);
    }
    static constexpr Money subtract(Money a, Money b, std::string_view field) {
        std::int64_t out = 0;
        if (__builtin_sub_overflow(a.cents_, b.cents_, &out)) {
            throw InputError(std::string(field), "the difference is too large to be an amount");
        }
        return Money(out);
    }
    // round(price × thousandths / 1000, 2), half away from zero, checked like add(): a line's net
    // from its unit price and a quantity of at most three decimals (2.5 → 2500).
    static constexpr Money timesThousandths(Money price, std::int64_t thousandths,
                                            std::string_view field) {
        std::int64_t product = 0;
        if (__builtin_mul_overflow(price.cents_, thousandths, &product) ||
            product > INT64_MAX - 500 || product < INT64_MIN + 500) {
            throw InputError(std::string(field), "the product is too large to be an amount");
        }
        return Money((product + (product < 0 ? -500 : 500)) / 1000);
    }
    constexpr auto operator<=>(const Money&) const = default;

private:
    constexpr explicit Money(std::int64_t cents)
        : cents_(cents) {}
    std::int64_t cents_ = 0;
};

} // namespace fiscpos::core
