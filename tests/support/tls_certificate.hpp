// Self-signed certificates for tests over real TLS, made with the openssl command: a server
// certificate and its key as PEM files, and its SHA-256 fingerprint as people and tools print it.
#pragma once

#include "tests/support/process.hpp"
#include "tests/support/shared_dir.hpp"

#include <boost/test/unit_test.hpp>

#include <cctype>
#include <filesystem>
#include <string>
#include <vector>

namespace fiscpos::test {

// A self-signed P-256 certificate for `subjectAltName` ("DNS:localhost,IP:127.0.0.1"; none when
// empty), valid for a day.
struct Certificate {
    std::filesystem::path key;
    std::filesystem::path cert;
    Certificate(const std::string& commonName, const std::string& subjectAltName) {
        const auto dir = freshTempDir("tls");
        key = dir / "key.pem";
        cert = dir / "cert.pem";
        std::vector<std::string> args{"req",    "-x509",       "-newkey",
                                      "ec",     "-pkeyopt",    "ec_paramgen_curve:P-256",
                                      "-nodes", "-keyout",     key.string(),
                                      "-out",   cert.string(), "-days",
                                      "1",      "-subj",       "/CN=" + commonName};
        if (!subjectAltName.empty()) {
            args.insert(args.end(), {"-addext", "subjectAltName=" + subjectAltName});
        }
        const auto made = runProcess("/usr/bin/openssl", args);
        BOOST_TEST_REQUIRE(made.exitCode == 0, made.err);
    }
};

// The certificate's SHA-256 fingerprint as the openssl command prints it ("AB:CD:...").
inline std::string opensslFingerprint(const Certificate& certificate) {
    const auto printed = runProcess("/usr/bin/openssl", {"x509", "-noout", "-fingerprint",
                                                         "-sha256", "-in", certificate.cert.string()});
    BOOST_TEST_REQUIRE(printed.exitCode == 0, printed.err);
    const auto equals = printed.out.find('=');
    BOOST_TEST_REQUIRE(equals != std::string::npos, printed.out);
    std::string fingerprint = printed.out.substr(equals + 1);
    while (!fingerprint.empty() && std::isspace(static_cast<unsigned char>(fingerprint.back()))) {
        fingerprint.pop_back();
    }
    return fingerprint;
}

} // namespace fiscpos::test
