#include "tests/support/shared_dir.hpp"

#include <atomic>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <unistd.h>

namespace fiscpos::test {

namespace {
std::filesystem::path fromEnvironment(const char* variable) {
    const char* value = std::getenv(variable);
    if (value == nullptr || *value == '\0') {
        throw std::runtime_error(std::string(variable) + " is not set; run the tests with ctest");
    }
    std::filesystem::path path(value);
    if (!std::filesystem::is_directory(path)) {
        throw std::runtime_error(std::string(variable) + "=" + value + " is not a directory");
    }
    return path;
}
} // namespace

std::filesystem::path sharedDir() {
    return fromEnvironment("FISCPOS_SHARED_DIR");
}
std::filesystem::path mellonPublicKey() {
    return sharedDir() / "ref" / "mellon-test-keys" / "public_key.pem";
}
std::filesystem::path mellonPrivateKey() {
    return sharedDir() / "ref" / "mellon-test-keys" / "private_key.pem";
}
std::filesystem::path mydataXsdDir() {
    return sharedDir() / "ref" / "mydata-xsd" / "v2.0.1";
}
std::filesystem::path binaryDir() {
    return fromEnvironment("FISCPOS_BINARY_DIR");
}

std::filesystem::path sourceDir() {
    return fromEnvironment("FISCPOS_SOURCE_DIR");
}

std::filesystem::path freshTempDir(const char* label) {
    static std::atomic<int> counter{0};
    auto dir = std::filesystem::temp_directory_path() /
               ("fiscpos-test-" + std::string(label) + "-" + std::to_string(getpid()) + "-" +
                std::to_string(counter++));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

} // namespace fiscpos::test
