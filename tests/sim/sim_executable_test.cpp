// The fiscpos-sim program: started as a child process on port 0, it tells its address on stdout,
// serves the provider, honours its time scale, refuses bad options, and exits 0 on SIGTERM.
#include "core/http_client.hpp"
#include "core/json.hpp"
#include "signing/ecdsa.hpp"
#include "signing/signature.hpp"
#include "signing/signature_text.hpp"
#include "tests/support/process.hpp"
#include "tests/support/shared_dir.hpp"
#include "tests/support/sim_fixture.hpp"
#include "tests/support/tls_certificate.hpp"

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>

#include <boost/test/unit_test.hpp>

#include <csignal>
#include <fstream>
#include <istream>
#include <iterator>
#include <optional>

using namespace fiscpos;

namespace {

std::string simBinary() {
    return (test::binaryDir() / "sim" / "fiscpos-sim").string();
}

// A running fiscpos-sim; stopped with SIGTERM (and its exit status checked) by stop().
class SimProcess {
public:
    explicit SimProcess(std::vector<std::string> args)
        : handle_(Poco::Process::launch(simBinary(), args, nullptr, &out_, nullptr)) {
        Poco::PipeInputStream stream(out_);
        std::getline(stream, line_);
    }
    ~SimProcess() {
        if (handle_) {
            ::kill(handle_->id(), SIGKILL);
            handle_->wait();
        }
    }
    SimProcess(const SimProcess&) = delete;
    SimProcess& operator=(const SimProcess&) = delete;

    const std::string& firstLine() const { return line_; }
    // The URL of "fiscpos-sim listening on URL".
    std::string url() const {
        const std::string prefix = "fiscpos-sim listening on ";
        BOOST_TEST_REQUIRE(line_.rfind(prefix, 0) == 0U, "first line: " << line_);
        return line_.substr(prefix.size());
    }
    int stop() {
        ::kill(handle_->id(), SIGTERM);
        const int status = handle_->wait();
        handle_.reset();
        return status;
    }

private:
    Poco::Pipe out_;
    std::optional<Poco::ProcessHandle> handle_;
    std::string line_;
};

struct Finished {
    int status;
    std::string err;
};

// Runs fiscpos-sim to its end with `args`, collecting stderr.
Finished runToEnd(const std::vector<std::string>& args) {
    Poco::Pipe err;
    Poco::ProcessHandle handle = Poco::Process::launch(simBinary(), args, nullptr, nullptr, &err);
    Poco::PipeInputStream stream(err);
    std::string text((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
    return {handle.wait(), text};
}

std::vector<std::string> baseArgs(const std::string& scale = "1") {
    return {"--listen",     "127.0.0.1:0", "--provider-key", test::mellonPrivateKey().string(),
            "--time-scale", scale};
}

// The simulated provider's signature for the sample request.
signing::ProviderSignature signOnce(const std::string& url) {
    core::HttpClient http(url);
    const core::HttpResponse created =
        http.send(core::HttpRequest::json("POST", "/provider/v2/signatures",
                                          test::sampleRequest().toProviderJson())
                      .header("Authorization", "Bearer sim-token"));
    BOOST_TEST_REQUIRE(created.status == 201, created.body);
    return signing::ProviderSignature::fromProviderJson(created.json("record"), "signature");
}

} // namespace

BOOST_AUTO_TEST_SUITE(sim_executable)

BOOST_AUTO_TEST_CASE(serves_the_provider_and_exits_0_on_sigterm) {
    SimProcess sim(baseArgs());
    const auto sig = signOnce(sim.url());
    BOOST_TEST(signing::verifySignature(signing::PublicKey::fromPemFile(test::mellonPublicKey()),
                                        sig.input, sig.signatureBase64));
    BOOST_TEST(sig.providerId == "999");

    BOOST_TEST(sim.stop() == 0);
}

BOOST_AUTO_TEST_CASE(time_scale_shortens_simulated_delays) {
    SimProcess sim(baseArgs("100"));
    core::HttpOptions options;
    options.readTimeout = std::chrono::milliseconds(2000);
    core::HttpClient http(sim.url(), options);
    const core::Json time = http.send(core::HttpRequest::get("/_sim/time")).json("time");
    BOOST_TEST(std::stod(core::dumpJson(time["scale"])) == 100.0);
    const core::HttpResponse added = http.send(core::HttpRequest::json(
        "POST", "/_sim/faults",
        core::Json{{"path", "/provider/v2/signatures"}, {"kind", "delay"}, {"delay_ms", 10000}}));
    BOOST_TEST_REQUIRE(added.status == 201);

    // 10 s of simulated time is 0.1 s of real time: well inside the 2 s read timeout, which a
    // 10 s delay at scale 1 would overrun.
    const core::HttpResponse list =
        http.send(core::HttpRequest::get("/provider/v2/signatures?status=pending&page=1")
                      .header("Authorization", "Bearer sim-token"));
    BOOST_TEST(list.status == 200);
    const core::Json stats = http.send(core::HttpRequest::get("/_sim/stats")).json("stats");
    BOOST_TEST(stats["_sim"]["faults_applied"] == 1);
    BOOST_TEST(sim.stop() == 0);
}

BOOST_AUTO_TEST_CASE(honours_provider_options) {
    SimProcess sim({"--listen", "127.0.0.1:0", "--provider-key", test::mellonPrivateKey().string(),
                    "--provider-id", "42", "--provider-token", "other-token", "--company-vat",
                    "999999999"});
    core::HttpClient http(sim.url());
    const auto post = [&](const std::string& token, const std::string& vat) {
        auto request = test::sampleRequest();
        request.issuerVat = vat;
        return http.send(
            core::HttpRequest::json("POST", "/provider/v2/signatures", request.toProviderJson())
                .header("Authorization", "Bearer " + token));
    };
    BOOST_TEST(post("sim-token", "999999999").status == 401);
    BOOST_TEST(post("other-token", "123456789").status == 403);
    const core::HttpResponse created = post("other-token", "999999999");
    BOOST_TEST_REQUIRE(created.status == 201);
    BOOST_TEST(created.json("record")["signing_author"] == "42");
    BOOST_TEST(sim.stop() == 0);
}

// Without --provider-key (a newcomer without the shared reference files) the provider signs with
// a key made for the run, whose public half --public-key-out writes; the signatures verify with
// it and not with Mellon's test key.
BOOST_AUTO_TEST_CASE(signs_with_a_key_of_its_own_without_provider_key) {
    const auto dir = test::freshTempDir("sim-key");
    const auto keyFile = dir / "provider-public.pem";
    SimProcess sim({"--listen", "127.0.0.1:0", "--public-key-out", keyFile.string()});
    const auto sig = signOnce(sim.url());
    BOOST_TEST(signing::verifySignature(signing::PublicKey::fromPemFile(keyFile), sig.input,
                                        sig.signatureBase64));
    BOOST_TEST(!signing::verifySignature(signing::PublicKey::fromPemFile(test::mellonPublicKey()),
                                         sig.input, sig.signatureBase64));
    BOOST_TEST(sim.stop() == 0);
}

// An installer's check of a Viva terminal on the LAN, end to end: fiscpos-sim serves HTTPS with a
// self-signed certificate, fiscpos pays through the Local Terminal API with that certificate
// pinned (and trusts it as the provider's CA), and a terminal pinned to another certificate gets
// nothing.
BOOST_AUTO_TEST_CASE(serves_https_for_a_pinned_viva_local_terminal) {
    const test::Certificate terminal("viva-terminal", "DNS:localhost,IP:127.0.0.1");
    const test::Certificate other("viva-terminal", "DNS:localhost,IP:127.0.0.1");
    auto args = baseArgs("10");
    args.insert(args.end(),
                {"--tls-cert", terminal.cert.string(), "--tls-key", terminal.key.string()});
    SimProcess sim(args);
    const std::string url = sim.url();
    BOOST_TEST_REQUIRE(url.rfind("https://127.0.0.1:", 0) == 0U, url);

    const auto dir = test::freshTempDir("sim-https");
    const auto config = dir / "fiscpos.ini";
    std::ofstream(config) << "[journal]\nurl = sqlite:journal.db\n"
                          << "[provider]\nurl = " << url << "/provider\ntoken = sim-token\n"
                          << "provider_id = 999\nca_file = " << terminal.cert.string() << "\n"
                          << "[terminal.L1]\nnsp = viva-local\nurl = " << url << "/viva-local\n"
                          << "certificate_sha256 = " << test::opensslFingerprint(terminal) << "\n"
                          << "tid = 16000010\nprovider_id = 999\n"
                          << "[terminal.L2]\nnsp = viva-local\nurl = " << url << "/viva-local\n"
                          << "certificate_sha256 = " << test::opensslFingerprint(other) << "\n"
                          << "tid = 16000010\nprovider_id = 999\n";
    // The sample sale under its own number each time (its own UID, so nothing is paid yet).
    const auto pay = [&](const std::string& terminalName, const std::string& number) {
        std::ifstream sample(test::sourceDir() / "samples/invoices/sale-1.24.json");
        core::Json invoice = core::Json::parse(sample);
        invoice["aa"] = number;
        const auto file = dir / ("invoice-" + number + ".json");
        std::ofstream(file) << invoice.dump();
        return test::runProcess(test::fiscposBinary(),
                                {"--config", config.string(), "--json", "pay", "--terminal",
                                 terminalName, "--invoice", file.string()});
    };
    const auto paid = pay("L1", "901");
    BOOST_TEST(paid.exitCode == 0, paid.err);
    BOOST_TEST(paid.out.find("\"APPROVED\"") != std::string::npos, paid.out);

    const auto refused = pay("L2", "902");
    BOOST_TEST(refused.exitCode != 0);
    BOOST_TEST(refused.err.find("certificate_sha256") != std::string::npos, refused.err);

    core::HttpOptions trusting;
    trusting.caFile = terminal.cert.string();
    const auto stats =
        core::HttpClient(url, trusting).send(core::HttpRequest::get("/_sim/stats")).json("stats");
    BOOST_TEST(stats["viva_local"]["sales"] == 1);
    BOOST_TEST(sim.stop() == 0);
}

BOOST_AUTO_TEST_CASE(refuses_bad_options_with_a_clear_message) {
    const Finished unwritable =
        runToEnd({"--listen", "127.0.0.1:0", "--public-key-out", "/nonexistent/dir/key.pem"});
    BOOST_TEST(unwritable.status == 1);
    BOOST_TEST(unwritable.err.find("public-key-out") != std::string::npos, unwritable.err);

    const Finished unreadable =
        runToEnd({"--listen", "127.0.0.1:0", "--provider-key", "/nonexistent/key.pem"});
    BOOST_TEST(unreadable.status == 1);
    BOOST_TEST(unreadable.err.find("/nonexistent/key.pem") != std::string::npos, unreadable.err);

    auto remote = baseArgs();
    remote[1] = "0.0.0.0:0";
    const Finished notLoopback = runToEnd(remote);
    BOOST_TEST(notLoopback.status == 1);
    BOOST_TEST(notLoopback.err.find("loopback") != std::string::npos, notLoopback.err);

    auto badScale = baseArgs("fast");
    const Finished scale = runToEnd(badScale);
    BOOST_TEST(scale.status == 1);
    BOOST_TEST(scale.err.find("time-scale") != std::string::npos, scale.err);

    auto noThreads = baseArgs();
    noThreads.insert(noThreads.end(), {"--threads", "0"});
    const Finished threads = runToEnd(noThreads);
    BOOST_TEST(threads.status == 1);
    BOOST_TEST(threads.err.find("threads") != std::string::npos, threads.err);

    auto halfTls = baseArgs();
    halfTls.insert(halfTls.end(), {"--tls-cert", test::mellonPublicKey().string()});
    const Finished tls = runToEnd(halfTls);
    BOOST_TEST(tls.status == 1);
    BOOST_TEST(tls.err.find("tls-key") != std::string::npos, tls.err);

    auto notACertificate = baseArgs();
    notACertificate.insert(notACertificate.end(), {"--tls-cert", "/nonexistent/cert.pem",
                                                   "--tls-key", test::mellonPrivateKey().string()});
    const Finished certificate = runToEnd(notACertificate);
    BOOST_TEST(certificate.status == 1);
    BOOST_TEST(certificate.err.find("/nonexistent/cert.pem") != std::string::npos, certificate.err);

    const Finished unknown = runToEnd({"--frobnicate"});
    BOOST_TEST(unknown.status == 1);
    BOOST_TEST(unknown.err.find("frobnicate") != std::string::npos, unknown.err);
}

BOOST_AUTO_TEST_SUITE_END()
