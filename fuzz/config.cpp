// The configuration file (plugin/config.cpp) over any text, read the way fiscpos opens a payment:
// the provider (makeSigner), every [terminal.NAME] read by every network's module (whatever its
// nsp says) and through terminalsFromConfig, [serve], and the journal's URL as the journal reads
// it (sqlite: or postgresql://, without connecting). Relative paths resolve in an empty scratch
// folder.
#include "core/config.hpp"
#include "core/clock.hpp"
#include "fuzz/fuzz_support.hpp"
#include "network/network_module.hpp"
#include "plugin/http_api/serve_settings.hpp"
#include "plugin/journal/journal_db.hpp"
#include "plugin/provider_settings.hpp"
#include "plugin/terminal_settings.hpp"

#include <filesystem>

using fiscpos::fuzz::refusable;
namespace core = fiscpos::core;
namespace network = fiscpos::network;
namespace plugin = fiscpos::plugin;

namespace {

std::filesystem::path scratch;

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    scratch = std::filesystem::temp_directory_path() / "fiscpos-fuzz-config";
    std::filesystem::create_directories(scratch);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const core::Clock& clock = core::systemClock();
    const auto& networks = network::builtinNetworks();
    refusable([&] {
        const auto config =
            core::Config::fromText(std::string(fiscpos::fuzz::text(data, size)), scratch);
        refusable([&] { (void)plugin::makeSigner(config, clock); });
        refusable([&] { (void)plugin::signatureDuration(config); });
        refusable([&] { (void)config.getInt("payment.deadline_seconds", 240, 10, 3600); });
        refusable([&] { (void)config.getInt("payment.workers", 8, 1, 64); });
        refusable([&] { (void)config.getPath("mydata.xsd_dir"); });
        refusable([&] { (void)plugin::http_api::serveSettings(config); });
        refusable([&] {
            (void)plugin::journal_detail::parseJournalUrl(config.getOr("journal.url", "sqlite:x"));
        });
        for (const auto& name : config.sections("terminal")) {
            for (const auto& nsp : networks.names()) {
                const auto& module = *networks.find(nsp);
                refusable([&] {
                    (void)module.terminal(config, name, clock, network::TerminalUse::Account);
                });
                refusable([&] { (void)module.signatureNsp(config, name); });
            }
        }
        refusable([&] { (void)plugin::terminalsFromConfig(config, clock); });
    });
    return 0;
}
