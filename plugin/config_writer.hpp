// Writes one setting back into the fiscpos configuration file (fiscpos pair stores the API key
// this way). Only that setting's line changes: comments, blank lines, indentation, the other keys
// and their "${NAME}" references stay byte for byte.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace fiscpos::plugin {

// Sets `key` in [section] of `file` to `value`. An existing line keeps its indentation and an
// inline "; comment"; a missing key is added after the section's last setting; a missing section
// is added at the end of the file. Section and key names match without regard to case, as the
// configuration reads them. The file is replaced atomically (a temporary file in the same folder,
// then rename) and keeps its permissions. ConfigError naming the file when it cannot be read or
// written, or the setting when the value cannot be written on one line.
void setConfigValue(const std::filesystem::path& file, const std::string& section,
                    const std::string& key, const std::string& value);

// The same on the text of a configuration file; returns the new text.
std::string withConfigValue(const std::string& text, const std::string& section,
                            const std::string& key, const std::string& value);

// NAME when `key` in [section] is written as a "${NAME}" reference (the value comes from the
// environment, and must not be overwritten by a clear-text value); nullopt otherwise.
std::optional<std::string> environmentReference(const std::filesystem::path& file,
                                                const std::string& section, const std::string& key);
std::optional<std::string> environmentReference(const std::string& text, const std::string& section,
                                                const std::string& key);

} // namespace fiscpos::plugin
