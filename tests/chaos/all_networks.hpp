// The world both chaos suites run in: one in-process simulator with the provider, Mellon WebECR,
// Viva (the Cloud and the Local Terminal API, one merchant account) and GP tom (time scale 10), a
// configuration with one terminal of each (M1, V1, L1, G1) and a SQLite journal, the fiscpos
// command run against it, and fresh invoices of 1.24 EUR.
#pragma once

#include "core/clock.hpp"
#include "core/http_client.hpp"
#include "tests/support/gptom_sim.hpp"
#include "tests/support/payment_sim.hpp"
#include "tests/support/process.hpp"
#include "tests/support/shared_dir.hpp"
#include "tests/support/viva_sim.hpp"

#include <fstream>

namespace fiscpos::test {

class AllNetworks {
public:
    // `payment` is the [payment] section's settings (deadline_seconds = ...); `everyParty` is
    // added to the provider's and every terminal's section (read_timeout_ms = ...).
    AllNetworks(const std::string& name, const std::string& payment,
                const std::string& everyParty = "")
        : server(fastSimOptions(10))
        , dir(freshTempDir(name.c_str()))
        , config(dir / "fiscpos.ini") {
        addPaymentParties(server, "chaos-token"); // the provider and Mellon WebECR
        addVivaParties(server);
        addGptomParty(server);
        server.start();
        const std::string base = server.baseUrl();
        std::ofstream(config)
            << "[journal]\nurl = sqlite:journal.db\n"
            << "[provider]\nurl = " << base << "/provider\ntoken = chaos-token\nprovider_id = 999\n"
            << everyParty << "[payment]\n"
            << payment << "[terminal.M1]\nnsp = mellon\nurl = " << base
            << "/mellon\napi_version = v2.2\nusername = sim-user\npassword = sim-password\n"
            << "api_key = c2ltLXdlYmVjci1rZXktMQ\npos_id = 358046\ntid = 99000031\n"
            << "provider_id = 999\nwait_seconds = 2\n"
            << everyParty << "[terminal.V1]\nnsp = viva\naccounts_url = " << base
            << "/viva-accounts\napi_url = " << base << "/viva-api\nlegacy_url = " << base
            << "/viva-legacy\nclient_id = " << viva_defaults::clientId
            << "\nclient_secret = " << viva_defaults::clientSecret
            << "\nmerchant_id = " << viva_defaults::merchantId
            << "\napi_key = " << viva_defaults::apiKey
            << "\nterminal_id = " << viva_defaults::terminalId
            << "\ntid = " << viva_defaults::terminalId
            << "\ncash_register = ERP-1\nprovider_id = 999\nregister_grace_seconds = 1\n"
            << everyParty << "[terminal.L1]\nnsp = viva-local\nurl = " << base
            << "/viva-local\ntid = " << viva_defaults::terminalId << "\nprovider_id = 999\n"
            << everyParty << "[terminal.G1]\nnsp = gptom\nurl = " << base
            << "/gptom\nusername = sim-user\npassword = sim-password\n"
            << "client_credential = Z3B0b20tc2ltOnNpbS1zZWNyZXQ=\ntid = 12345678\n"
            << "provider_id = 999\na1155_confirmed = true\n"
            << everyParty;
    }

    ProcessResult fiscpos(const std::vector<std::string>& args,
                          const std::map<std::string, std::string>& env = {}) const {
        std::vector<std::string> all{"--config", config.string(), "--json"};
        all.insert(all.end(), args.begin(), args.end());
        return runProcess(fiscposBinary(), all, env);
    }

    // A control endpoint of the simulator (POST /mellon/_control/revoke-key, ...): its answer.
    core::Json control(const std::string& target, const core::Json& body = core::Json::object()) {
        core::HttpClient http(server.baseUrl());
        const auto answer = http.send(core::HttpRequest::json("POST", target, body));
        if (answer.status >= 300) {
            throw std::runtime_error(target + " answered " + std::to_string(answer.status));
        }
        return answer.body.empty() ? core::Json::object() : answer.json(target);
    }

    // A fresh invoice file of `gross` EUR without VAT (its own number, so its own UID).
    std::string invoiceOf(const std::string& gross) {
        const auto file = dir / ("invoice-" + std::to_string(++invoices) + ".json");
        std::ofstream(file) << R"({"issuer": {"vat": "999999999", "branch": 0, "country": "GR"},
            "series": "A", "aa": ")"
                            << invoices << R"(", "type": "11.1", "issued_at": ")"
                            << core::athensIso8601(std::chrono::system_clock::now()) << R"(",
            "totals": {"net": ")"
                            << gross << R"(", "vat": "0.00", "gross": ")" << gross
                            << R"("}, "lines": [{"net": ")" << gross
                            << R"(", "vat_category": 1, "vat": "0.00",
                       "income": {"type": "E3_561_003", "category": "category1_1"}}]})";
        return file.string();
    }

    // A fresh invoice file of 1.24 EUR (its own number, so its own UID).
    std::string invoice(const std::string& type = "11.1") {
        const auto file = dir / ("invoice-" + std::to_string(++invoices) + ".json");
        std::ofstream(file) << R"({"issuer": {"vat": "999999999", "branch": 0, "country": "GR"},
            "series": "A", "aa": ")"
                            << invoices << R"(", "type": ")" << type << R"(", "issued_at": ")"
                            << core::athensIso8601(std::chrono::system_clock::now()) << R"(",
            "totals": {"net": "1.00", "vat": "0.24", "gross": "1.24"},
            "lines": [{"net": "1.00", "vat_category": 1, "vat": "0.24",
                       "income": {"type": "E3_561_003", "category": "category1_1"}}]})";
        return file.string();
    }

    sim::SimServer server;
    std::filesystem::path dir;
    std::filesystem::path config;

private:
    int invoices = 0;
};

} // namespace fiscpos::test
