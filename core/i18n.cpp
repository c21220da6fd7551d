#include "core/i18n.hpp"

#include "core/errors.hpp"
#include "core/i18n_catalogue.hpp"
#include "core/text.hpp"

#include <cstdint>
#include <cstring>
#include <map>
#include <optional>

namespace fiscpos::core {

namespace {

// A GNU .mo file (msgfmt's output): a header of 32-bit words, then two tables of (length, offset)
// pairs, the originals and their translations.
class MoCatalogue {
public:
    explicit MoCatalogue(std::string_view bytes)
        : bytes_(bytes) {
        if (bytes_.size() < 28) {
            return;
        }
        const std::uint32_t magic = word(0, false);
        if (magic == 0x950412deU) {
            swapped_ = false;
        } else if (magic == 0xde120495U) {
            swapped_ = true;
        } else {
            return;
        }
        const std::uint32_t count = word(8);
        const std::uint32_t originals = word(12);
        const std::uint32_t translations = word(16);
        for (std::uint32_t i = 0; i < count; ++i) {
            const auto original = string(originals + 8 * i);
            const auto translation = string(translations + 8 * i);
            if (!original.empty() && !translation.empty()) {
                entries_.emplace(original, translation);
            }
        }
    }

    const std::map<std::string_view, std::string_view>& entries() const { return entries_; }

private:
    std::uint32_t word(std::size_t at, std::optional<bool> swap = std::nullopt) const {
        if (at + 4 > bytes_.size()) {
            return 0;
        }
        std::uint32_t value = 0;
        std::memcpy(&value, bytes_.data() + at, 4);
        if (swap.value_or(swapped_)) {
            value = __builtin_bswap32(value);
        }
        return value;
    }
    std::string_view string(std::size_t descriptor) const {
        const std::uint32_t length = word(descriptor);
        const std::uint32_t offset = word(descriptor + 4);
        if (std::size_t(offset) + length > bytes_.size()) {
            return {};
        }
        return bytes_.substr(offset, length);
    }

    std::string_view bytes_;
    bool swapped_ = false;
    std::map<std::string_view, std::string_view> entries_;
};

const MoCatalogue& greek() {
    static const MoCatalogue catalogue(i18n_detail::greekMo());
    return catalogue;
}

} // namespace

Language parseLanguage(std::string_view code, const std::string& field) {
    const std::string lower = asciiLower(code);
    if (lower == "el") {
        return Language::Greek;
    }
    if (lower == "en") {
        return Language::English;
    }
    throw InputError(field, "\"" + std::string(code) + "\" is not a language: el (Greek) or en");
}

std::string_view languageCode(Language language) {
    return language == Language::Greek ? "el" : "en";
}

std::string_view translate(Language language, std::string_view english) {
    if (language == Language::Greek) {
        const auto& entries = greek().entries();
        if (const auto found = entries.find(english); found != entries.end()) {
            return found->second;
        }
    }
    return english;
}

std::string fillIn(std::string_view text,
                   const std::vector<std::pair<std::string, std::string>>& values) {
    std::string out;
    out.reserve(text.size());
    std::size_t at = 0;
    while (at < text.size()) {
        const auto open = text.find('{', at);
        const auto close = open == std::string_view::npos ? open : text.find('}', open);
        if (close == std::string_view::npos) {
            out += text.substr(at);
            break;
        }
        out += text.substr(at, open - at);
        const std::string_view name = text.substr(open + 1, close - open - 1);
        const std::string* value = nullptr;
        for (const auto& [key, given] : values) {
            if (key == name) {
                value = &given;
                break;
            }
        }
        if (value != nullptr) {
            out += *value;
        } else {
            out += text.substr(open, close - open + 1);
        }
        at = close + 1;
    }
    return out;
}

std::string Message::in(Language language) const {
    return fillIn(translate(language, english), values);
}

std::string moneyText(Language language, Money amount) {
    return amount.toString(language == Language::Greek ? ',' : '.');
}

Message msg(std::string english, std::vector<std::pair<std::string, std::string>> values) {
    return {std::move(english), std::move(values)};
}

std::string tr(Language language, std::string_view english,
               const std::vector<std::pair<std::string, std::string>>& values) {
    return fillIn(translate(language, english), values);
}

std::vector<std::pair<std::string, std::string>> catalogueEntries() {
    std::vector<std::pair<std::string, std::string>> entries;
    for (const auto& [original, translation] : greek().entries()) {
        entries.emplace_back(original, translation);
    }
    return entries;
}

} // namespace fiscpos::core
