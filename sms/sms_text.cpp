#include "sms/sms_text.hpp"

#include "core/errors.hpp"

#include <Poco/TextIterator.h>
#include <Poco/UTF8Encoding.h>

#include <algorithm>
#include <array>
#include <vector>

namespace fiscpos::sms {

namespace {

constexpr int gsmSingle = 160, gsmPart = 153, ucsSingle = 70, ucsPart = 67;

// The code points of `utf8`; InputError naming "sms.text" when it is not UTF-8.
std::vector<int> codePoints(std::string_view utf8) {
    const std::string text(utf8);
    Poco::UTF8Encoding encoding;
    std::vector<int> points;
    for (Poco::TextIterator it(text, encoding), end(text); it != end; ++it) {
        const int point = *it;
        if (point < 0 || (point >= 0xD800 && point <= 0xDFFF)) {
            throw core::InputError("sms.text", "is not UTF-8 text");
        }
        points.push_back(point);
    }
    return points;
}

std::string utf8Of(const std::vector<int>& points) {
    Poco::UTF8Encoding encoding;
    std::string out;
    std::array<unsigned char, 4> bytes{};
    for (const int point : points) {
        const int length = encoding.convert(point, bytes.data(), static_cast<int>(bytes.size()));
        out.append(reinterpret_cast<const char*>(bytes.data()), static_cast<std::size_t>(length));
    }
    return out;
}

// The GSM 03.38 basic set beyond printable ASCII, and the ASCII characters it lacks or escapes.
constexpr std::array<int, 38> gsmBasicBeyondAscii{
    0x0A, 0x0D, 0xA1, 0xA3, 0xA4, 0xA5,  0xA7,  0xBF,  0xC4,  0xC5,  0xC6,  0xC7, 0xC9,
    0xD1, 0xD6, 0xD8, 0xDC, 0xDF, 0xE0,  0xE4,  0xE5,  0xE6,  0xE8,  0xE9,  0xEC, 0xF1,
    0xF2, 0xF6, 0xF8, 0xF9, 0xFC, 0x393, 0x394, 0x398, 0x39B, 0x39E, 0x3A0, 0x3A3};
constexpr std::array<int, 3> gsmGreekRest{0x3A6, 0x3A8, 0x3A9}; // Φ Ψ Ω
constexpr std::array<int, 10> gsmEscaped{0x0C, '^', '{', '}', '\\', '[', '~', ']', '|', 0x20AC};

template <std::size_t N> bool among(const std::array<int, N>& set, int point) {
    return std::find(set.begin(), set.end(), point) != set.end();
}

// Septets of one character in GSM-7: 1, 2 (escape table) or 0 (not in GSM-7).
int septets(int point) {
    if (among(gsmEscaped, point)) {
        return 2;
    }
    if ((point >= 0x20 && point < 0x7F && point != '`') || among(gsmBasicBeyondAscii, point) ||
        among(gsmGreekRest, point)) {
        return 1;
    }
    return 0;
}

int utf16Units(int point) {
    return point > 0xFFFF ? 2 : 1;
}

// Parts of a text whose characters cost `costs`: one up to `single`, else parts of `part`, a
// character never split.
int partsOf(const std::vector<int>& costs, int total, int single, int part) {
    if (total <= single) {
        return 1;
    }
    int parts = 1;
    int used = 0;
    for (const int cost : costs) {
        if (used + cost > part) {
            ++parts;
            used = 0;
        }
        used += cost;
    }
    return parts;
}

bool isGreek(int point) {
    return point >= 0x370 && point <= 0x3FF;
}

// A Greek letter in capitals without tonos or dialytika; other characters as they are.
int greekCapital(int point) {
    switch (point) {
    case 0x386:
    case 0x3AC:
        return 0x391; // Ά ά → Α
    case 0x388:
    case 0x3AD:
        return 0x395; // Έ έ → Ε
    case 0x389:
    case 0x3AE:
        return 0x397; // Ή ή → Η
    case 0x38A:
    case 0x3AF:
    case 0x3AA:
    case 0x3CA:
    case 0x390:
        return 0x399; // Ί ί Ϊ ϊ ΐ → Ι
    case 0x38C:
    case 0x3CC:
        return 0x39F; // Ό ό → Ο
    case 0x38E:
    case 0x3CD:
    case 0x3AB:
    case 0x3CB:
    case 0x3B0:
        return 0x3A5; // Ύ ύ Ϋ ϋ ΰ → Υ
    case 0x38F:
    case 0x3CE:
        return 0x3A9; // Ώ ώ → Ω
    case 0x3C2:
        return 0x3A3; // ς → Σ
    default:
        break;
    }
    if (point >= 0x3B1 && point <= 0x3C9) {
        return point - 0x20; // α..ω → Α..Ω
    }
    return point;
}

// The Latin letter a Greek capital GSM-7 lacks looks like; 0 for none.
int latinLookAlike(int point) {
    switch (point) {
    case 0x391:
        return 'A';
    case 0x392:
        return 'B';
    case 0x395:
        return 'E';
    case 0x396:
        return 'Z';
    case 0x397:
        return 'H';
    case 0x399:
        return 'I';
    case 0x39A:
        return 'K';
    case 0x39C:
        return 'M';
    case 0x39D:
        return 'N';
    case 0x39F:
        return 'O';
    case 0x3A1:
        return 'P';
    case 0x3A4:
        return 'T';
    case 0x3A5:
        return 'Y';
    case 0x3A7:
        return 'X';
    default:
        return 0;
    }
}

// Combining acute, diaeresis and Greek dialytika tonos: the accents of a decomposed Greek text.
bool isGreekAccent(int point) {
    return point == 0x301 || point == 0x308 || point == 0x344;
}

std::vector<int> greekCaps(const std::vector<int>& points) {
    std::vector<int> out;
    out.reserve(points.size());
    bool afterGreek = false; // the last character kept was a Greek letter
    for (const int point : points) {
        if (isGreekAccent(point) && afterGreek) {
            continue;
        }
        afterGreek = isGreek(point);
        if (point == 0x37E) { // Greek question mark
            out.push_back(';');
            continue;
        }
        const int capital = greekCapital(point);
        const int latin = latinLookAlike(capital);
        out.push_back(latin != 0 ? latin : capital);
    }
    return out;
}

} // namespace

std::string_view encodingName(SmsEncoding encoding) {
    return encoding == SmsEncoding::Ucs2 ? "ucs2" : "gsm7-greek-caps";
}

std::string gsm7GreekCaps(std::string_view utf8) {
    return utf8Of(greekCaps(codePoints(utf8)));
}

std::string wireText(std::string_view utf8, SmsEncoding encoding) {
    if (encoding == SmsEncoding::Gsm7GreekCaps) {
        return gsm7GreekCaps(utf8);
    }
    codePoints(utf8); // checks it is UTF-8
    return std::string(utf8);
}

bool isGsm7(std::string_view utf8) {
    const auto points = codePoints(utf8);
    return std::all_of(points.begin(), points.end(), [](int point) { return septets(point) > 0; });
}

SmsLength smsLength(std::string_view utf8, SmsEncoding encoding) {
    std::vector<int> points = codePoints(utf8);
    if (encoding == SmsEncoding::Gsm7GreekCaps) {
        points = greekCaps(points);
    }
    std::vector<int> costs;
    costs.reserve(points.size());
    SmsLength length;
    for (const int point : points) {
        costs.push_back(septets(point));
        if (costs.back() == 0) {
            length.unicode = true;
        }
    }
    if (length.unicode) {
        std::transform(points.begin(), points.end(), costs.begin(), utf16Units);
    }
    for (const int cost : costs) {
        length.characters += cost;
    }
    length.parts = length.unicode ? partsOf(costs, length.characters, ucsSingle, ucsPart)
                                  : partsOf(costs, length.characters, gsmSingle, gsmPart);
    return length;
}

std::string normalisedNumber(std::string_view raw, const std::string& field) {
    std::string number;
    for (const char c : raw) {
        if (c == ' ' || c == '\t' || c == '-' || c == '.' || c == '(' || c == ')') {
            continue;
        }
        number += c;
    }
    const auto given = "\"" + std::string(raw) + "\" ";
    if (number.starts_with("00")) {
        number = "+" + number.substr(2);
    }
    const bool plus = number.starts_with("+");
    const std::string digits = plus ? number.substr(1) : number;
    if (digits.empty() ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        throw core::InputError(field, given + "is not a phone number: only digits, with + or 00 "
                                              "before the country code");
    }
    std::string international = digits;
    if (!plus) {
        if (digits.size() == 10 && digits.starts_with("69")) {
            international = "30" + digits;
        } else if (!(digits.size() == 12 && digits.starts_with("3069"))) {
            throw core::InputError(field, given + "is not a Greek mobile number (69 and 8 more "
                                                  "digits); write another country's number "
                                                  "with + and its country code");
        }
    }
    if (international.starts_with("0")) {
        throw core::InputError(field, given + "has no country code after + (e.g. +30)");
    }
    if (international.starts_with("30")) {
        if (international.size() != 12 || !international.starts_with("3069")) {
            throw core::InputError(field, given + "is not a Greek mobile number: +30 69 and 8 "
                                                  "more digits");
        }
    } else if (international.size() < 8 || international.size() > 15) {
        throw core::InputError(field, given + "is not an international number: 8 to 15 digits "
                                              "with the country code");
    }
    return "+" + international;
}

} // namespace fiscpos::sms
