// What the customer gets after a card payment: a short message with the provider's receipt link
// (SMS or e-mail) and a QR code of that link (SVG for e-mail and screens, text for a terminal).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fiscpos::einvoice {

// A QR code: size x size modules, quiet zone not included.
struct QrCode {
    int size = 0;
    std::vector<bool> dark; // row by row
    bool isDark(int x, int y) const {
        return dark[static_cast<std::size_t>(y) * static_cast<std::size_t>(size) +
                    static_cast<std::size_t>(x)];
    }
};

// Encodes `text` as bytes (QR 8-bit mode, error correction level M, smallest version that
// fits). Empty text or text too long for a QR code is an InputError naming "receipt.url".
QrCode qrCode(std::string_view text);

// A standalone SVG document of the QR code of `text`, one unit per module, with the 4-module
// quiet zone of the QR standard, black on white.
std::string qrSvg(std::string_view text);

// A PNG image (8-bit greyscale) of the QR code of `text` with the 4-module quiet zone,
// `pixelsPerModule` pixels (1..32) per module: for e-mail (inline image) and printing.
std::string qrPng(std::string_view text, int pixelsPerModule = 8);

// The QR code of `text` drawn with Unicode half blocks, two module rows per line, for a terminal
// with a dark background: light modules and the quiet zone are drawn, dark modules are blank.
std::string qrText(std::string_view text);

} // namespace fiscpos::einvoice
