// The text rules of an SMS (contract receipt-delivery.md §4): which alphabet a text travels in,
// how many characters and parts it costs, the capital-letter form that keeps a Greek text in
// GSM-7, and the recipient's number in the E.164 form the gateways take.
#pragma once

#include <string>
#include <string_view>

namespace fiscpos::sms {

// How fiscpos sends a text ([sms] encoding).
enum class SmsEncoding {
    // As written: UCS-2 (70 characters in one SMS, 67 per part) unless every character is in the
    // GSM-7 alphabet, which then carries it unchanged (160 / 153).
    Ucs2,
    // gsm7GreekCaps() first, so that a Greek text fits GSM-7: capitals without accents, look-alike
    // capitals as their Latin letters. Anything still outside GSM-7 makes the text UCS-2.
    Gsm7GreekCaps,
};

// "ucs2" / "gsm7-greek-caps", as [sms] encoding writes them.
std::string_view encodingName(SmsEncoding encoding);

// The text with every Greek letter in capitals, tonos and dialytika removed (also as combining
// marks), and the capitals GSM-7 lacks written as the Latin letters that look the same (Α→A,
// Β→B, Ε→E, Ζ→Z, Η→H, Ι→I, Κ→K, Μ→M, Ν→N, Ο→O, Ρ→P, Τ→T, Υ→Y, Χ→X); the Greek question mark
// becomes ';'. Nothing else changes (a link keeps its lower-case letters). core::InputError
// naming "sms.text" when `utf8` is not UTF-8.
std::string gsm7GreekCaps(std::string_view utf8);

// The text as it goes to the gateway under `encoding`.
std::string wireText(std::string_view utf8, SmsEncoding encoding);

struct SmsLength {
    bool unicode = false; // UCS-2; false: GSM-7
    // GSM-7 septets (the escape table's characters, € among them, count 2) or UTF-16 code units.
    int characters = 0;
    // 1 up to 160 septets / 70 code units; above that, parts of 153 / 67, an escaped character or
    // a surrogate pair never split between two parts.
    int parts = 0;
};

// The length of `utf8` as it is sent under `encoding` (wireText). An empty text is one part.
// core::InputError naming "sms.text" when `utf8` is not UTF-8.
SmsLength smsLength(std::string_view utf8, SmsEncoding encoding);

// True when every character of `utf8` is in the GSM-7 alphabet (basic set or escape table).
bool isGsm7(std::string_view utf8);

// A mobile number as E.164 ("+3069XXXXXXXX"): blanks, dashes, dots and brackets removed, a
// leading "00" read as "+", a Greek mobile number of 10 digits (69...) or 12 (3069...) given
// +30. A Greek number must be a mobile one (+30 69 and 8 more digits); another country's, 8 to 15
// digits in all. core::InputError naming `field` and saying why otherwise.
std::string normalisedNumber(std::string_view raw, const std::string& field = "sms");

} // namespace fiscpos::sms
