#include "einvoice/receipt.hpp"

#include "core/errors.hpp"

#include <png.h>
#include <qrencode.h>

#include <algorithm>
#include <climits>
#include <csetjmp>
#include <memory>
#include <new>

namespace fiscpos::einvoice {

namespace {

constexpr const char* urlField = "receipt.url";
// Modules of light border the QR standard asks for around the symbol.
constexpr int quietZone = 4;

struct FreeQrCode {
    void operator()(QRcode* code) const noexcept { QRcode_free(code); }
};
using QrCodePtr = std::unique_ptr<QRcode, FreeQrCode>;

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

namespace {

// libpng writes through this callback into a string.
void appendToString(png_structp png, png_bytep data, png_size_t length) {
    auto* out = static_cast<std::string*>(png_get_io_ptr(png));
    out->append(reinterpret_cast<const char*>(data), length);
}

void noFlush(png_structp) {}

// Owns libpng's write structures.
class PngWriter {
public:
    PngWriter()
        : png_(png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr)) {
        if (png_ != nullptr) {
            info_ = png_create_info_struct(png_);
        }
        if (png_ == nullptr || info_ == nullptr) {
            throw std::bad_alloc();
        }
    }
    ~PngWriter() { png_destroy_write_struct(&png_, &info_); }
    PngWriter(const PngWriter&) = delete;
    PngWriter& operator=(const PngWriter&) = delete;
    png_structp png() const { return png_; }
    png_infop info() const { return info_; }

private:
    png_structp png_ = nullptr;
    png_infop info_ = nullptr;
};

// Writes the rows; libpng reports an error by longjmp, so nothing here owns a resource that a
// jump would skip (the rows and the output are owned by the caller).
bool writePng(const PngWriter& writer, std::string& out, std::vector<png_bytep>& rows, int side) {
    if (setjmp(png_jmpbuf(writer.png())) != 0) {
        return false;
    }
    png_set_write_fn(writer.png(), &out, appendToString, noFlush);
    png_set_IHDR(writer.png(), writer.info(), static_cast<png_uint_32>(side),
                 static_cast<png_uint_32>(side), 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(writer.png(), writer.info());
    png_write_image(writer.png(), rows.data());
    png_write_end(writer.png(), nullptr);
    return true;
}

} // namespace

std::string qrPng(std::string_view text, int pixelsPerModule) {
    if (pixelsPerModule < 1 || pixelsPerModule > 32) {
        throw core::InputError("receipt.qr_scale", "must be from 1 to 32 pixels per module");
    }
    const QrCode code = qrCode(text);
    const int modules = code.size + 2 * quietZone;
    const int side = modules * pixelsPerModule;
    const auto width = static_cast<std::size_t>(side);
    std::vector<unsigned char> pixels(width * width, 0xFF);
    for (int y = 0; y < code.size; ++y) {
        for (int x = 0; x < code.size; ++x) {
            if (!code.isDark(x, y)) {
                continue;
            }
            for (int dy = 0; dy < pixelsPerModule; ++dy) {
                const auto row = static_cast<std::size_t>((y + quietZone) * pixelsPerModule + dy);
                const auto column = static_cast<std::size_t>((x + quietZone) * pixelsPerModule);
                std::fill_n(pixels.begin() + static_cast<std::ptrdiff_t>(row * width + column),
                            pixelsPerModule, 0x00);
            }
        }
    }
    std::vector<png_bytep> rows;
    rows.reserve(width);
    for (std::size_t y = 0; y < width; ++y) {
        rows.push_back(pixels.data() + y * width);
    }
    std::string out;
    const PngWriter writer;
    if (!writePng(writer, out, rows, side)) {
        throw core::InputError("receipt.url", "the QR code could not be written as PNG");
    }
    return out;
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

} // namespace fiscpos::einvoice
