#include "tests/support/smtp_server.hpp"

#include "tests/support/process.hpp"
#include "tests/support/shared_dir.hpp"

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <sstream>

namespace fiscpos::test {

SmtpServer::SmtpServer(SmtpServerOptions options)
    : dir_(freshTempDir("smtp")) {
    std::vector<std::string> args{(sourceDir() / "tests" / "support" / "smtp_server.py").string(),
                                  "--dir", (dir_ / "mail").string()};
    if (!options.certificate.empty()) {
        args.insert(args.end(), {options.implicitTls ? "--tls" : "--starttls",
                                 options.certificate.string(), options.key.string()});
    }
    if (!options.user.empty()) {
        args.insert(args.end(), {"--user", options.user, "--password", options.password});
    }
    if (options.refuseRecipients != 0) {
        args.insert(args.end(), {"--refuse", std::to_string(options.refuseRecipients)});
    }
    if (options.dropAfterData) {
        args.emplace_back("--drop");
    }
    Poco::Pipe out;
    process_ = std::make_unique<Poco::ProcessHandle>(
        Poco::Process::launch("/usr/bin/python3", args, nullptr, &out, nullptr));
    Poco::PipeInputStream stream(out);
    std::string line;
    std::getline(stream, line);
    const std::string prefix = "smtp listening on ";
    BOOST_TEST_REQUIRE(line.rfind(prefix, 0) == 0U,
                       "the SMTP server did not start (is python3-aiosmtpd installed?): " << line);
    port_ = static_cast<unsigned short>(std::stoi(line.substr(prefix.size())));
}

SmtpServer::~SmtpServer() {
    if (process_) {
        ::kill(process_->id(), SIGKILL);
        process_->wait();
    }
}

std::vector<std::string> SmtpServer::messages() const {
    std::vector<std::filesystem::path> files;
    if (std::filesystem::exists(dir_ / "mail")) {
        for (const auto& file : std::filesystem::directory_iterator(dir_ / "mail")) {
            if (file.path().extension() == ".eml") {
                files.push_back(file.path());
            }
        }
    }
    std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
        return std::stoi(a.stem().string()) < std::stoi(b.stem().string());
    });
    std::vector<std::string> messages;
    for (const auto& file : files) {
        std::ifstream in(file, std::ios::binary);
        std::ostringstream bytes;
        bytes << in.rdbuf();
        messages.push_back(bytes.str());
    }
    return messages;
}

TestCertificate::TestCertificate() {
    const auto dir = freshTempDir("smtp-tls");
    key = dir / "key.pem";
    cert = dir / "cert.pem";
    const auto made =
        runProcess("/usr/bin/openssl",
                   {"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-nodes", "-keyout", key.string(), "-out", cert.string(), "-days", "1", "-subj",
                    "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"});
    BOOST_TEST_REQUIRE(made.exitCode == 0, made.err);
}

} // namespace fiscpos::test
