// Reading the files a user names (invoices, configuration, keys) with bounds: only a regular
// file, at most a given size, so that `--invoice /dev/zero` or a FIFO is a clear error instead of
// unbounded memory or a hang.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

namespace fiscpos::core {

// 4 MiB: far beyond any invoice or configuration fiscpos reads.
inline constexpr std::size_t maxInputFileBytes = 4U << 20U;

// The whole file as bytes. InputError naming `field` (e.g. "--invoice") when the path does not
// exist, is not a regular file (a directory, a FIFO, a device), cannot be read or holds more than
// `maxBytes`.
std::string readBoundedFile(const std::filesystem::path& path, const std::string& field,
                            std::size_t maxBytes = maxInputFileBytes);

// Writes `text` to a new file only its owner may read (mode 0600), replacing one that exists; for a
// secret the user must move elsewhere (a key for an environment variable). InputError naming
// `field` when it cannot be written.
void writePrivateFile(const std::filesystem::path& path, const std::string& text,
                      const std::string& field);

} // namespace fiscpos::core
