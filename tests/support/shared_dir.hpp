// Where the tests find ../shared (contracts, myDATA XSDs, Mellon's test keys) and the build tree.
#pragma once

#include <filesystem>

namespace fiscpos::test {

// $FISCPOS_SHARED_DIR, set by CTest; the test fails if it is missing or wrong.
std::filesystem::path sharedDir();
std::filesystem::path mellonPublicKey();  // ref/mellon-test-keys/public_key.pem
std::filesystem::path mellonPrivateKey(); // ref/mellon-test-keys/private_key.pem
std::filesystem::path mydataXsdDir();     // ref/mydata-xsd/v2.0.1
// $FISCPOS_BINARY_DIR: the build tree, where fiscpos and fiscpos-sim are.
std::filesystem::path binaryDir();
// $FISCPOS_SOURCE_DIR: the repository, where samples/ is.
std::filesystem::path sourceDir();
// A fresh empty directory under the system temp dir, unique per call.
std::filesystem::path freshTempDir(const char* label);

} // namespace fiscpos::test
