#include "plugin/config_writer.hpp"

#include "core/errors.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <optional>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace fiscpos::plugin {

namespace {

bool blank(char c) {
    return c == ' ' || c == '\t' || c == '\r';
}

std::string trim(const std::string& text) {
    std::size_t first = 0;
    while (first < text.size() && blank(text[first])) {
        ++first;
    }
    std::size_t last = text.size();
    while (last > first && blank(text[last - 1])) {
        --last;
    }
    return text.substr(first, last - first);
}

bool sameName(const std::string& a, const std::string& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

// One line of the file without its "\n" (a "\r" before it stays part of `text`).
struct Line {
    std::string text;
    bool newline = true;
};

std::vector<Line> splitLines(const std::string& text) {
    std::vector<Line> lines;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto end = text.find('\n', pos);
        if (end == std::string::npos) {
            lines.push_back({text.substr(pos), false});
            break;
        }
        lines.push_back({text.substr(pos, end - pos), true});
        pos = end + 1;
    }
    return lines;
}

// "[name]" → name; nullopt for any other line.
std::optional<std::string> sectionName(const std::string& line) {
    const std::string trimmed = trim(line);
    if (trimmed.size() < 2 || trimmed.front() != '[') {
        return std::nullopt;
    }
    const auto close = trimmed.find(']');
    if (close == std::string::npos) {
        return std::nullopt;
    }
    return trim(trimmed.substr(1, close - 1));
}

bool isComment(const std::string& line) {
    const std::string trimmed = trim(line);
    return trimmed.empty() || trimmed.front() == ';' || trimmed.front() == '#';
}

// The key of a "key = value" line; nullopt for comments, blanks and sections.
std::optional<std::string> keyOf(const std::string& line) {
    if (isComment(line) || sectionName(line)) {
        return std::nullopt;
    }
    const auto equals = line.find('=');
    if (equals == std::string::npos) {
        return std::nullopt;
    }
    return trim(line.substr(0, equals));
}

// The line with its value replaced; the text up to the value and an inline comment stay.
std::string replaceValue(const std::string& line, const std::string& value) {
    const auto equals = line.find('=');
    std::size_t valueStart = equals + 1;
    while (valueStart < line.size() && blank(line[valueStart]) && line[valueStart] != '\r') {
        ++valueStart;
    }
    // An inline comment starts at a ';' after a blank (as the configuration reads it).
    // With no value before it ("key =   ; comment") the comment keeps its place after the value.
    std::size_t commentStart = std::string::npos;
    for (std::size_t i = equals + 2; i < line.size(); ++i) {
        if (line[i] == ';' && (line[i - 1] == ' ' || line[i - 1] == '\t')) {
            commentStart = i;
            break;
        }
    }
    std::size_t valueEnd = commentStart == std::string::npos ? line.size() : commentStart;
    while (valueEnd > valueStart && blank(line[valueEnd - 1])) {
        --valueEnd;
    }
    if (commentStart == valueStart) {
        return line.substr(0, equals + 1) + " " + value +
               line.substr(equals + 1, commentStart - equals - 1) + line.substr(commentStart);
    }
    std::string out = line.substr(0, valueStart);
    if (valueStart == equals + 1 && !value.empty()) {
        out += ' ';
    }
    out += value;
    if (commentStart != std::string::npos) {
        const std::string gap = line.substr(valueEnd, commentStart - valueEnd);
        out += gap.empty() ? " " : gap;
        out += line.substr(commentStart);
    } else {
        out += line.substr(valueEnd); // a "\r" of a CRLF file
    }
    return out;
}

void checkValue(const std::string& setting, const std::string& value) {
    if (value.find_first_of("\r\n") != std::string::npos) {
        throw core::ConfigError(setting, "a value cannot span lines");
    }
    if (value != trim(value)) {
        throw core::ConfigError(setting, "a value cannot begin or end with a blank");
    }
    for (std::size_t i = 1; i < value.size(); ++i) {
        if (value[i] == ';' && (value[i - 1] == ' ' || value[i - 1] == '\t')) {
            throw core::ConfigError(setting,
                                    "a value cannot hold \" ;\" (it would be read as a comment)");
        }
    }
}

std::string readFile(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        throw core::ConfigError("--config", "cannot read \"" + file.string() + "\"");
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// Closes a descriptor and removes the temporary file unless the rename happened.
class TempFile {
public:
    explicit TempFile(const std::filesystem::path& target)
        : pattern_(target.string() + ".XXXXXX") {
        std::vector<char> name(pattern_.begin(), pattern_.end());
        name.push_back('\0');
        fd_ = ::mkstemp(name.data());
        if (fd_ < 0) {
            fail(target, "cannot create a temporary file next to it");
        }
        path_ = name.data();
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    ~TempFile() {
        if (fd_ >= 0) {
            ::close(fd_);
        }
        if (!path_.empty()) {
            ::unlink(path_.c_str());
        }
    }

    void write(const std::filesystem::path& target, const std::string& text, mode_t mode) {
        std::size_t done = 0;
        while (done < text.size()) {
            const auto n = ::write(fd_, text.data() + done, text.size() - done);
            if (n < 0) {
                if (errno == EINTR) {
                    continue;
                }
                fail(target, "cannot write the temporary file");
            }
            done += static_cast<std::size_t>(n);
        }
        if (::fchmod(fd_, mode) != 0 || ::fsync(fd_) != 0) {
            fail(target, "cannot write the temporary file");
        }
        if (::close(fd_) != 0) {
            fd_ = -1;
            fail(target, "cannot write the temporary file");
        }
        fd_ = -1;
    }

    void renameTo(const std::filesystem::path& target) {
        if (::rename(path_.c_str(), target.c_str()) != 0) {
            fail(target, "cannot replace it");
        }
        path_.clear();
    }

private:
    [[noreturn]] static void fail(const std::filesystem::path& target, const std::string& what) {
        throw core::ConfigError("--config", "\"" + target.string() + "\": " + what + " (" +
                                                std::strerror(errno) + ")");
    }

    std::string pattern_;
    std::string path_;
    int fd_ = -1;
};

} // namespace

std::optional<std::string> environmentReference(const std::string& text, const std::string& section,
                                                const std::string& key) {
    bool inSection = false;
    for (const auto& line : splitLines(text)) {
        if (auto name = sectionName(line.text)) {
            inSection = sameName(*name, section);
            continue;
        }
        const auto lineKey = keyOf(line.text);
        if (!inSection || !lineKey || !sameName(*lineKey, key)) {
            continue;
        }
        std::string value = trim(line.text.substr(line.text.find('=') + 1));
        for (std::size_t i = 1; i < value.size(); ++i) { // drop an inline "; comment"
            if (value[i] == ';' && (value[i - 1] == ' ' || value[i - 1] == '\t')) {
                value = trim(value.substr(0, i));
                break;
            }
        }
        if (value.size() > 3 && value.compare(0, 2, "${") == 0 && value.back() == '}' &&
            value.find_first_of("${}", 2) == value.size() - 1) {
            return value.substr(2, value.size() - 3);
        }
        return std::nullopt;
    }
    return std::nullopt;
}

std::optional<std::string> environmentReference(const std::filesystem::path& file,
                                                const std::string& section,
                                                const std::string& key) {
    return environmentReference(readFile(file), section, key);
}

std::string withConfigValue(const std::string& text, const std::string& section,
                            const std::string& key, const std::string& value) {
    checkValue(section + "." + key, value);
    auto lines = splitLines(text);
    const bool crlf =
        !lines.empty() && !lines.front().text.empty() && lines.front().text.back() == '\r';
    const std::string eol = crlf ? "\r" : "";

    bool inSection = false;
    bool sectionFound = false;
    bool replaced = false;
    std::size_t lastSetting = 0; // index after the section's header or its last setting
    for (std::size_t i = 0; i < lines.size(); ++i) {
        if (auto name = sectionName(lines[i].text)) {
            inSection = sameName(*name, section);
            if (inSection) {
                sectionFound = true;
                lastSetting = i + 1;
            }
            continue;
        }
        if (!inSection) {
            continue;
        }
        if (auto name = keyOf(lines[i].text)) {
            lastSetting = i + 1;
            if (sameName(*name, key)) {
                lines[i].text = replaceValue(lines[i].text, value);
                replaced = true;
            }
        }
    }

    if (!replaced) {
        if (!lines.empty() && !lines.back().newline) {
            lines.back().newline = true;
        }
        const Line added{key + " = " + value + eol, true};
        if (sectionFound) {
            lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(lastSetting), added);
        } else {
            if (!lines.empty() && !trim(lines.back().text).empty()) {
                lines.push_back({eol, true});
            }
            lines.push_back({"[" + section + "]" + eol, true});
            lines.push_back(added);
        }
    }

    std::string out;
    out.reserve(text.size() + key.size() + value.size() + 8);
    for (const auto& line : lines) {
        out += line.text;
        if (line.newline) {
            out += '\n';
        }
    }
    return out;
}

void setConfigValue(const std::filesystem::path& file, const std::string& section,
                    const std::string& key, const std::string& value) {
    std::error_code ec;
    // A link stays a link: the file it points at is the one replaced.
    const auto target = std::filesystem::weakly_canonical(file, ec);
    const auto& path = ec ? file : target;
    const std::string text = readFile(path);
    const std::string updated = withConfigValue(text, section, key, value);
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) {
        throw core::ConfigError("--config", "cannot read \"" + file.string() + "\"");
    }
    TempFile temp(path);
    temp.write(path, updated, info.st_mode & 07777);
    temp.renameTo(path);
}

} // namespace fiscpos::plugin
