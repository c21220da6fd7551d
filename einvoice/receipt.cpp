#include "einvoice/receipt.hpp"

#include "core/errors.hpp"

#include <qrencode.h>

#include <climits>
#include <memory>

namespace fiscpos::einvoice {

namespace {

constexpr const char* urlField = "receipt.url";
// Modules of light border the QR standard asks for around the symbol.
constexpr int quietZone = 4;

struct FreeQrCode {
    void operator()(QRcode* code) const noexcept { QRcode_free(code); }
};
using QrCodePtr = std::unique_ptr<QRcode, FreeQrCode>;

bool hasBlankOrControl(std::string_view text) {
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte == 0x7F) {
            return true;
        }
    }
    return false;
}

} // namespace

QrCode qrCode(std::string_view text) {
    if (text.empty()) {
        throw core::InputError(urlField, "nothing to put in the QR code");
    }
    if (text.size() > static_cast<std::size_t>(INT_MAX)) {
        throw core::InputError(urlField, "too long for a QR code");
    }
    const QrCodePtr encoded(QRcode_encodeData(static_cast<int>(text.size()),
                                              reinterpret_cast<const unsigned char*>(text.data()),
                                              0, QR_ECLEVEL_M));
    if (encoded == nullptr) {
        throw core::InputError(urlField, "too long for a QR code (" + std::to_string(text.size()) +
                                             " bytes)");
    }
    QrCode code;
    code.size = encoded->width;
    const auto modules = static_cast<std::size_t>(code.size) * static_cast<std::size_t>(code.size);
    code.dark.reserve(modules);
    for (std::size_t i = 0; i < modules; ++i) {
        code.dark.push_back((encoded->data[i] & 1U) != 0);
    }
    return code;
}

std::string qrSvg(std::string_view text) {
    const QrCode code = qrCode(text);
    const std::string side = std::to_string(code.size + 2 * quietZone);
    std::string svg =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " +
        side + " " + side + "\" width=\"" + side + "mm\" height=\"" + side +
        "mm\" shape-rendering=\"crispEdges\">\n"
        "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n<path fill=\"#000\" d=\"";
    // One horizontal run of dark modules per subpath.
    for (int y = 0; y < code.size; ++y) {
        for (int x = 0; x < code.size;) {
            if (!code.isDark(x, y)) {
                ++x;
                continue;
            }
            int run = 0;
            while (x + run < code.size && code.isDark(x + run, y)) {
                ++run;
            }
            svg += "M" + std::to_string(x + quietZone) + " " + std::to_string(y + quietZone) + "h" +
                   std::to_string(run) + "v1h-" + std::to_string(run) + "z";
            x += run;
        }
    }
    svg += "\"/>\n</svg>\n";
    return svg;
}

std::string qrText(std::string_view text) {
    const QrCode code = qrCode(text);
    const int side = code.size + 2 * quietZone;
    // Light (drawn) unless a dark module of the symbol.
    auto light = [&](int x, int y) {
        const int cx = x - quietZone;
        const int cy = y - quietZone;
        return cx < 0 || cy < 0 || cx >= code.size || cy >= code.size || !code.isDark(cx, cy);
    };
    std::string out;
    for (int y = 0; y < side; y += 2) {
        for (int x = 0; x < side; ++x) {
            const bool top = light(x, y);
            const bool bottom = y + 1 < side && light(x, y + 1);
            out += top && bottom ? "\u2588" : top ? "\u2580" : bottom ? "\u2584" : " ";
        }
        out += '\n';
    }
    return out;
}

std::string receiptMessage(const ReceiptLink& link) {
    if (!(link.url.starts_with("https://") || link.url.starts_with("http://")) ||
        hasBlankOrControl(link.url)) {
        throw core::InputError(urlField, "\"" + link.url +
                                             "\" is not an absolute http(s) URL without spaces");
    }
    std::string message = "Payment receipt " + link.amount.toString() + " " + link.currency + "\n";
    if (link.mark) {
        message += "MARK " + *link.mark + "\n";
    }
    message += link.url;
    return message;
}

} // namespace fiscpos::einvoice
