// What a card network is to fiscpos: the value of `nsp = ...` in a [terminal.NAME] section, the
// provider's layout for its signatures, the terminal it builds from the section, and what else it
// can do (pair a terminal by a code, list its account's devices). Each network's folder fills in
// one NetworkModule and adds it to the registry; the payment engine, the CLI, the C ABI and
// `serve` ask the registry and name no network.
#pragma once

#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/json.hpp"
#include "core/terminal.hpp"
#include "signing/nsp.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fiscpos::network {

// What a [terminal.NAME] section is loaded for.
enum class TerminalUse {
    Payments, // everything a payment needs is checked
    Account,  // only the network account (listing its devices while the section is filled in)
};

// A terminal paired by a code it shows: the code is redeemed with the account of the section for
// the key the network wants on every call, which the caller saves as `keySetting`.
struct Pairing {
    std::string keySetting = "api_key";
    // Where the installer finds the code and what is redeemed with what, for `pair --help`.
    std::string howTo;
    // One progress line saying where the code goes ("redeeming the code with URL as USER").
    std::function<std::string(const core::Config&, const std::string& name)> describe;
    // The key `code` (spaces and dashes removed, not empty) is redeemed for. The section is read
    // without its key. Errors name the field or are the network's (a code used or expired).
    std::function<std::string(const core::Config&, const std::string& name,
                              const std::string& code)>
        redeem;
};

// A webhook event as `serve` acts on it: a hint, never proof (it makes `serve` ask the network by
// our reference).
struct WebhookNotice {
    std::string messageId;   // for de-duplication: networks re-send a message ("" : none)
    std::string description; // for the log: "message M event 1796 (payment_created)"
    bool payment = false;    // false: not about a payment (acknowledged and ignored)
    std::optional<std::string> reference; // the network reference of ours it names
    std::string instead; // naming none of ours, what it names (for the log: MerchantTrns "...")
};

// A network's webhooks, received by `serve` at /webhooks/{nsp}/{token} (or, where a network has
// several accounts, /webhooks/{nsp}/{terminal}/{token}). `serve` checks the token, de-duplicates,
// and asks the network about the entry an event names; the receiver reads the network's words.
class WebhookReceiver {
public:
    virtual ~WebhookReceiver() = default;
    // Whether [terminal.NAME] is a terminal of this network (its entries are the ones events name).
    virtual bool serves(const std::string& terminal) const = 0;
    // The paths below /webhooks/{nsp}/ to register with the network, the token written as
    // {webhook_token}: "{webhook_token}", "V1/{webhook_token}"; empty when no account can be
    // verified (`why` says why).
    virtual std::vector<std::string> pathsToRegister(std::string& why) const = 0;
    // The answer to the network's verification GET for the account of `terminal` ("" : the only
    // one). ConfigError when there is no such account; another core::Error when the network could
    // not be asked.
    virtual core::Json verification(const std::string& terminal) = 0;
    // A POSTed event; core::InputError naming the field when it cannot be read.
    virtual WebhookNotice read(std::string_view body) const = 0;
};

struct NetworkModule {
    std::string nsp;   // "mellon"
    std::string title; // "Mellon WebECR", for messages
    // The network the provider is told a payment of [terminal.NAME] runs on (its Input layout).
    // ConfigError naming the setting when the section chooses one that does not exist.
    std::function<signing::Nsp(const core::Config&, const std::string& name)> signatureNsp;
    // The terminal of [terminal.NAME], checked for `use`: ConfigError naming the setting that
    // cannot work.
    std::function<std::shared_ptr<core::Terminal>(const core::Config&, const std::string& name,
                                                  const core::Clock&, TerminalUse)>
        terminal;
    std::optional<Pairing> pairing; // none: the network's terminals are not paired by a code
    // The setting a listed device's id goes into ("pos_id"; "" when the section names the device
    // by its tid alone), and how an installer puts a listed device into the section.
    std::string devicesIdSetting;
    std::string devicesHint;
    // The network's webhooks for the terminals of `config`; empty: it sends none.
    std::function<std::unique_ptr<WebhookReceiver>(const core::Config& config)> webhooks;
};

// The signatureNsp of a network whose terminals all sign as `nsp`.
inline std::function<signing::Nsp(const core::Config&, const std::string&)>
alwaysSignsAs(signing::Nsp nsp) {
    return [nsp](const core::Config&, const std::string&) {
        return nsp;
    };
}

class NetworkRegistry {
public:
    // std::logic_error when a module with the same nsp is there already.
    void add(NetworkModule module);
    const NetworkModule* find(std::string_view nsp) const;
    // The module of [terminal.NAME]'s nsp: ConfigError naming terminal.NAME.nsp (it lists the
    // networks there are) when it is missing or unknown.
    const NetworkModule& of(const core::Config& config, const std::string& name) const;
    std::vector<std::string> names() const; // in the order added
    // "mellon, viva, viva-orders, gptom"
    std::string list() const;

private:
    std::vector<NetworkModule> modules_;
};

// The networks fiscpos is built with (network/builtin_networks.cpp: the one file naming them).
const NetworkRegistry& builtinNetworks();

} // namespace fiscpos::network
