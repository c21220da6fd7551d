// A simulated provider, Mellon, Viva and GP tom in the test process, a configuration with the
// Mellon terminals A3 (358046/99000031) and A4 (358047/99000032), the Viva terminal V1 (16000010)
// and the GP tom terminal G1 (12345678), and an invoice file: what the C ABI tests and the sample
// tests pay through.
#pragma once

#include "core/clock.hpp"
#include "signing/ecdsa.hpp"
#include "sim/mellon/mellon_party.hpp"
#include "sim/provider/provider_party.hpp"
#include "sim/server/sim_server.hpp"
#include "tests/support/gptom_sim.hpp"
#include "tests/support/payment_sim.hpp"
#include "tests/support/shared_dir.hpp"
#include "tests/support/viva_sim.hpp"

#include <filesystem>
#include <fstream>
#include <string>

namespace fiscpos::test {

struct AbiWorld {
    sim::SimServer server{[] {
        sim::SimServerOptions options;
        options.timeScale = 100; // a 4-second approval takes 40 ms
        return options;
    }()};
    std::filesystem::path dir;
    std::filesystem::path config;
    std::filesystem::path invoice;

    explicit AbiWorld(const std::string& name)
        : dir(freshTempDir(name.c_str()))
        , config(dir / "fiscpos.ini")
        , invoice(dir / "sale.json") {
        addPaymentParties(server, "abi-token");
        addVivaParties(server);
        addGptomParty(server);
        server.start();
        std::ofstream(config) << "[journal]\nurl = sqlite:journal.db\n"
                              << "[provider]\nurl = " << server.baseUrl()
                              << "/provider\ntoken = abi-token\nprovider_id = 999\n"
                              << terminal("A3", "358046", "99000031")
                              << terminal("A4", "358047", "99000032") << vivaTerminal()
                              << gptomTerminal();
        std::ofstream(invoice) << invoiceJson("41");
    }

    std::string terminal(const std::string& name, const std::string& pos,
                         const std::string& tid) const {
        return "[terminal." + name + "]\nnsp = mellon\nurl = " + server.baseUrl() +
               "/mellon\nusername = sim-user\npassword = sim-password\n"
               "api_key = c2ltLXdlYmVjci1rZXktMQ\npos_id = " +
               pos + "\ntid = " + tid + "\nprovider_id = 999\n";
    }

    std::string vivaTerminal() const {
        const std::string base = server.baseUrl();
        return "[terminal.V1]\nnsp = viva\naccounts_url = " + base +
               "/viva-accounts\napi_url = " + base + "/viva-api\nlegacy_url = " + base +
               "/viva-legacy\nclient_id = " + viva_defaults::clientId +
               "\nclient_secret = " + viva_defaults::clientSecret +
               "\nmerchant_id = " + viva_defaults::merchantId +
               "\napi_key = " + viva_defaults::apiKey +
               "\nterminal_id = 16000010\ntid = 16000010\ncash_register = ERP-1\n"
               "provider_id = 999\n";
    }

    std::string gptomTerminal() const {
        return "[terminal.G1]\nnsp = gptom\nurl = " + server.baseUrl() +
               "/gptom\nusername = sim-user\npassword = sim-password\n"
               "client_credential = Z3B0b20tc2ltOnNpbS1zZWNyZXQ=\ntid = 12345678\n"
               "provider_id = 999\na1155_confirmed = true\n";
    }

    // A 1.24 sale issued now, numbered `aa`.
    static std::string invoiceJson(const std::string& aa) {
        return R"({"issuer": {"vat": "999999999", "branch": 0, "country": "GR"},
            "series": "A", "aa": ")" +
               aa + R"(", "type": "11.1", "issued_at": ")" +
               core::athensIso8601(std::chrono::system_clock::now()) + R"(",
            "totals": {"net": "1.00", "vat": "0.24", "gross": "1.24"},
            "lines": [{"net": "1.00", "vat_category": 1, "vat": "0.24",
                       "income": {"type": "E3_561_003", "category": "category1_1"}}]})";
    }
};

} // namespace fiscpos::test
