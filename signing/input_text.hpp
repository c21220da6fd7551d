// The provider's Input: the signed clear text "UID;MARK;YYYYMMDDhhmmss;...;TID" in the layout of
// the network the payment runs on.
//   Mellon / WebECR: UID;MARK;TIMESTAMP;Net;Vat;Total;Payable;TID
//   Viva (DEFAULT):  UID;MARK;TIMESTAMP;Payable;Net;Vat;Total;TID
#pragma once

#include "core/money.hpp"

#include <string>
#include <string_view>

namespace fiscpos::signing {

enum class InputLayout { Mellon, Viva };

std::string_view layoutName(InputLayout layout); // "mellon" / "viva"
// The layout of a name above; InputError naming `field` otherwise.
InputLayout parseLayout(std::string_view name, std::string_view field);

class InputText {
public:
    struct Fields {
        std::string uid;       // 40 hex characters (stored uppercase)
        std::string mark;      // empty in the simultaneous flow, digits otherwise
        std::string timestamp; // YYYYMMDDhhmmss, Athens local time
        core::Money net, vat, total, payable;
        std::string tid; // non-empty, no ';'
    };

    // Validates every field; an InputError names the field ("input.uid", "input.payable", ...).
    InputText(Fields fields, InputLayout layout);

    // Parses and validates: exactly 8 ';'-separated fields, 40-hex UID, digits-only MARK,
    // a real YYYYMMDDhhmmss, non-negative integer cents, a non-empty TID.
    static InputText parse(std::string_view text, InputLayout layout);

    // The exact text that is signed, in this layout.
    std::string toString() const;

    const std::string& uid() const { return fields_.uid; }
    const std::string& mark() const { return fields_.mark; }
    const std::string& timestamp() const { return fields_.timestamp; }
    core::Money net() const { return fields_.net; }
    core::Money vat() const { return fields_.vat; }
    core::Money total() const { return fields_.total; }
    core::Money payable() const { return fields_.payable; }
    const std::string& tid() const { return fields_.tid; }
    InputLayout layout() const { return layout_; }
    const Fields& fields() const { return fields_; }

private:
    Fields fields_;
    InputLayout layout_;
};

} // namespace fiscpos::signing
