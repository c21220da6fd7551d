#include "core/money.hpp"

#include "core/errors.hpp"

namespace fiscpos::core {

namespace {
constexpr std::size_t maxIntegerDigits = 13;

bool isDigit(char c) {
    return c >= '0' && c <= '9';
}
} // namespace

Money Money::parse(std::string_view text, std::string_view field, Sign sign) {
    const std::string name(field);
    if (text.empty()) {
        throw InputError(name, "amount is empty");
    }
    bool negative = false;
    std::string_view rest = text;
    if (rest.front() == '-' || rest.front() == '+') {
        negative = rest.front() == '-';
        rest.remove_prefix(1);
        if (negative && sign == Sign::NonNegative) {
            throw InputError(name, "amount \"" + std::string(text) + "\" must not be negative");
        }
    }
    const auto dot = rest.find('.');
    const std::string_view whole = rest.substr(0, dot);
    const std::string_view fraction =
        dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
    auto invalid = [&](const std::string& reason) {
        return InputError(name, "\"" + std::string(text) + "\" is not an amount: " + reason);
    };
    if (whole.empty()) {
        throw invalid("digits are required before the decimal point");
    }
    for (char c : whole) {
        if (!isDigit(c)) {
            throw invalid("expected a decimal number such as 12.40");
        }
    }
    if (dot != std::string_view::npos) {
        if (fraction.empty()) {
            throw invalid("digits are required after the decimal point");
        }
        for (char c : fraction) {
            if (!isDigit(c)) {
                throw invalid("expected a decimal number such as 12.40");
            }
        }
        if (fraction.size() > 2) {
            throw invalid("more than two decimals (binary floating point is not accepted; send "
                          "the amount rounded to cents)");
        }
    }
    std::size_t firstSignificant = whole.find_first_not_of('0');
    const std::size_t significantDigits =
        firstSignificant == std::string_view::npos ? 0 : whole.size() - firstSignificant;
    if (significantDigits > maxIntegerDigits) {
        throw invalid("too large (at most 13 digits before the decimal point)");
    }
    std::int64_t cents = 0;
    for (char c : whole) {
        cents = cents * 10 + (c - '0');
    }
    cents *= 100;
    if (!fraction.empty()) {
        cents += (fraction[0] - '0') * 10;
        if (fraction.size() == 2) {
            cents += fraction[1] - '0';
        }
    }
    return Money(negative ? -cents : cents);
}

std::string Money::toString(char decimalMark) const {
    const bool negative = cents_ < 0;
    const std::uint64_t magnitude =
        negative ? 0 - static_cast<std::uint64_t>(cents_) : static_cast<std::uint64_t>(cents_);
    std::string out = std::to_string(magnitude / 100);
    const auto fraction = magnitude % 100;
    out += decimalMark;
    out += static_cast<char>('0' + fraction / 10);
    out += static_cast<char>('0' + fraction % 10);
    return negative ? "-" + out : out;
}

} // namespace fiscpos::core
