#include "plugin/http_api/viva_webhook_endpoint.hpp"

#include "core/errors.hpp"
#include "plugin/http_api/secret_compare.hpp"
#include "viva/legacy_client.hpp"
#include "viva/viva_network.hpp"

#include <algorithm>

namespace fiscpos::plugin::http_api {

namespace {

constexpr std::size_t rememberedMessages = 4096;

std::string accountId(const viva::VivaSettings& settings) {
    return settings.legacyUrl + "\n" + settings.merchantId;
}

std::string describe(const viva::WebhookEvent& event) {
    return "webhook viva message " + (event.messageId.empty() ? "-" : printable(event.messageId)) +
           " event " + std::to_string(event.eventTypeId) + " (" +
           std::string(viva::webhookKindName(event.kind)) + ")";
}

} // namespace

VivaWebhookEndpoint::VivaWebhookEndpoint(PaymentRuntime& runtime, std::string token, ServeLog& log)
    : runtime_(runtime)
    , token_(std::move(token))
    , log_(log) {
    const core::Config& config = runtime_.config();
    for (const auto& name : config.sections("terminal")) {
        const std::string nsp = config.getOr("terminal." + name + ".nsp", "");
        if (nsp != "viva" && nsp != "viva-orders") {
            continue;
        }
        viva::VivaSettings settings = viva::vivaSettings(config, name);
        if (!settings.merchantId.empty() && !settings.apiKey.empty()) {
            const bool known = std::any_of(accounts_.begin(), accounts_.end(), [&](const auto& a) {
                return accountId(a.settings) == accountId(settings);
            });
            if (!known) {
                accounts_.push_back(Account{name, settings});
            }
        }
        terminals_.emplace(name, std::move(settings));
    }
    dispatcher_ = std::thread([this] { dispatchLoop(); });
    refresher_ = std::thread([this] { refreshLoop(); });
}

VivaWebhookEndpoint::~VivaWebhookEndpoint() {
    stop();
}

void VivaWebhookEndpoint::stop() {
    std::size_t dropped = 0;
    {
        std::lock_guard lock(queueMutex_);
        if (stopping_) {
            return;
        }
        stopping_ = true;
        dropped = events_.size() + refreshes_.size();
        events_.clear();
        refreshes_.clear();
        refreshQueued_.clear();
    }
    queueChanged_.notify_all();
    dispatcher_.join();
    refresher_.join();
    if (dropped > 0) {
        log_.line("webhook viva: stopping; " + std::to_string(dropped) +
                  " events were not acted on (reconcile settles their entries)");
    }
}

std::vector<std::string> VivaWebhookEndpoint::pathsToRegister() const {
    if (accounts_.size() == 1) {
        return {"/webhooks/viva/{webhook_token}"};
    }
    std::vector<std::string> paths;
    for (const auto& account : accounts_) {
        paths.push_back("/webhooks/viva/" + account.terminal + "/{webhook_token}");
    }
    return paths;
}

core::Json VivaWebhookEndpoint::stats() const {
    std::size_t queued = 0;
    {
        std::lock_guard lock(queueMutex_);
        queued = events_.size() + refreshes_.size();
    }
    return core::Json{{"received", received_.load()},
                      {"duplicates", duplicates_.load()},
                      {"ignored", ignored_.load()},
                      {"unreadable", unreadable_.load()},
                      {"woke", woke_.load()},
                      {"refreshed", refreshed_.load()},
                      {"unknown_reference", unknownReference_.load()},
                      {"failed", failed_.load()},
                      {"queued", queued}};
}

ServeResponse VivaWebhookEndpoint::handle(const ServeRequest& request, const std::string& rest) {
    std::string terminal;
    std::string presented = rest;
    if (const auto slash = rest.find('/'); slash != std::string::npos) {
        terminal = rest.substr(0, slash);
        presented = rest.substr(slash + 1);
    }
    if (presented.empty() || presented.find('/') != std::string::npos ||
        !secretEquals(presented, token_)) {
        return ServeResponse::notFound();
    }
    if (!terminal.empty() && !terminals_.contains(terminal)) {
        log_.line("webhook viva: " + request.method + " for \"" + printable(terminal, 40) +
                  "\", which is not a [terminal.NAME] with nsp = viva or viva-orders");
        return ServeResponse::notFound();
    }
    if (request.method == "GET") {
        return verificationKey(terminal);
    }
    if (request.method == "POST") {
        return receive(request.body);
    }
    ServeResponse answer = ServeResponse::error(405, "input", "the webhook URL takes GET and POST");
    answer.headers.emplace_back("Allow", "GET, POST");
    return answer;
}

const VivaWebhookEndpoint::Account* VivaWebhookEndpoint::accountFor(const std::string& terminal,
                                                                    std::string& why) const {
    if (!terminal.empty()) {
        const viva::VivaSettings& settings = terminals_.at(terminal);
        for (const auto& account : accounts_) {
            if (accountId(account.settings) == accountId(settings)) {
                return &account;
            }
        }
        why = "[terminal." + terminal + "] has no merchant_id and api_key";
        return nullptr;
    }
    if (accounts_.size() == 1) {
        return &accounts_.front();
    }
    why = accounts_.empty()
              ? "no [terminal.NAME] with nsp = viva or viva-orders has merchant_id and api_key"
              : std::to_string(accounts_.size()) +
                    " Viva accounts are configured: register /webhooks/viva/{terminal}/{token} "
                    "in each account instead";
    return nullptr;
}

ServeResponse VivaWebhookEndpoint::verificationKey(const std::string& terminal) {
    std::string why;
    const Account* account = accountFor(terminal, why);
    if (account == nullptr) {
        log_.line("webhook viva: verification key asked for, but " + why);
        return ServeResponse::error(503, "config", "no verification key: " + why);
    }
    std::lock_guard lock(keyMutex_);
    const std::string id = accountId(account->settings);
    auto cached = keys_.find(id);
    if (cached == keys_.end()) {
        try {
            viva::LegacyClient client(account->settings);
            cached = keys_.emplace(id, client.webhookKey()).first;
            log_.line("webhook viva: verification key fetched for the account of [terminal." +
                      account->terminal + "]");
        } catch (const core::Error& e) {
            log_.line("webhook viva: could not fetch the verification key for the account of "
                      "[terminal." +
                      account->terminal + "]: " + e.what());
            return ServeResponse::error(502, e.code(),
                                        std::string("no verification key: ") + e.what());
        }
    }
    return ServeResponse::json(200, viva::webhookKeyAnswer(cached->second));
}

bool VivaWebhookEndpoint::remember(const std::string& messageId) {
    std::lock_guard lock(seenMutex_);
    if (!seen_.insert(messageId).second) {
        return false;
    }
    seenOrder_.push_back(messageId);
    if (seenOrder_.size() > rememberedMessages) {
        seen_.erase(seenOrder_.front());
        seenOrder_.pop_front();
    }
    return true;
}

ServeResponse VivaWebhookEndpoint::receive(const std::string& body) {
    ++received_;
    viva::WebhookEvent event;
    try {
        event = viva::parseWebhookEvent(body);
    } catch (const core::InputError& e) {
        ++unreadable_;
        log_.line("webhook viva: unreadable event, refused: " + printable(e.what(), 200));
        return ServeResponse::error(400, e.code(), e.what(), e.field());
    }
    const core::Json acknowledged{{"ok", true}};
    if (!event.handled()) {
        ++ignored_;
        log_.line(describe(event) + ": not a payment event; acknowledged and ignored");
        return ServeResponse::json(200, acknowledged);
    }
    if (!remember(event.messageId)) {
        ++duplicates_;
        log_.line(describe(event) + ": duplicate of a message already received; acknowledged "
                                    "and ignored");
        return ServeResponse::json(200, acknowledged);
    }
    {
        std::lock_guard lock(queueMutex_);
        if (!stopping_) {
            events_.push_back(std::move(event));
        }
    }
    queueChanged_.notify_all();
    return ServeResponse::json(200, acknowledged);
}

template <typename Item> bool VivaWebhookEndpoint::take(std::deque<Item>& queue, Item& item) {
    std::unique_lock lock(queueMutex_);
    queueChanged_.wait(lock, [&] { return stopping_ || !queue.empty(); });
    if (stopping_) {
        return false;
    }
    item = std::move(queue.front());
    queue.pop_front();
    return true;
}

void VivaWebhookEndpoint::dispatchLoop() {
    viva::WebhookEvent event;
    while (take(events_, event)) {
        try {
            dispatch(event);
        } catch (const std::exception& e) {
            ++failed_;
            log_.line(describe(event) + ": not acted on: " + e.what());
        }
    }
}

void VivaWebhookEndpoint::dispatch(const viva::WebhookEvent& event) {
    if (!event.reference) {
        ++unknownReference_;
        log_.line(describe(event) + ": names no payment of fiscpos (MerchantTrns \"" +
                  printable(event.merchantTrns, 60) + "\"); acknowledged");
        return;
    }
    const std::string& reference = *event.reference;
    const std::string head = describe(event) + " reference " + printable(reference);
    if (runtime_.service().nudge(reference)) {
        ++woke_;
        log_.line(head + ": woke the payment waiting on it, which asks the network now");
        return;
    }
    JournalFilter filter;
    filter.networkReference = reference;
    std::optional<JournalEntry> entry;
    for (auto& candidate : runtime_.journal().list(filter)) {
        if (candidate.network.starts_with("viva")) {
            entry = std::move(candidate);
            break;
        }
    }
    if (!entry) {
        ++unknownReference_;
        log_.line(head + ": no journal entry has this reference; acknowledged");
        return;
    }
    bool queued = false;
    {
        std::lock_guard lock(queueMutex_);
        if (stopping_) {
            return;
        }
        if (refreshQueued_.insert(entry->id).second) {
            refreshes_.push_back(Refresh{entry->id, event.messageId, describe(event)});
            queued = true;
        }
    }
    if (queued) {
        queueChanged_.notify_all();
    } else {
        log_.line(head + ": entry " + entry->id +
                  " is already about to be asked about; nothing more to do");
    }
}

void VivaWebhookEndpoint::refreshLoop() {
    Refresh job;
    while (take(refreshes_, job)) {
        {
            // From here on, news of the entry needs another question: the one below may be
            // under way already.
            std::lock_guard lock(queueMutex_);
            refreshQueued_.erase(job.entryId);
        }
        refresh(job);
    }
}

void VivaWebhookEndpoint::refresh(const Refresh& job) {
    const std::string head = job.eventType + " entry " + job.entryId;
    try {
        const EntryState before = runtime_.journal().get(job.entryId).state;
        const JournalEntry after = runtime_.service().status(job.entryId);
        ++refreshed_;
        const std::string now(stateName(after.state));
        log_.line(head + ": asked the network; " +
                  (before == after.state
                       ? "still " + now
                       : std::string(stateName(before)) + " -> " + now + " recorded"));
    } catch (const std::exception& e) {
        ++failed_;
        log_.line(head + ": asking the network failed: " + e.what());
    }
}

} // namespace fiscpos::plugin::http_api
