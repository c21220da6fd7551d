#include "sim/viva/viva_local_party.hpp"

#include "core/errors.hpp"
#include "sim/viva/viva_aade.hpp"
#include "sim/viva/viva_http.hpp"

namespace fiscpos::sim {

namespace {

using core::Json;
using viva::HttpError;
using viva::SessionKind;

constexpr std::string_view posRoot = "/pos/v1/";
constexpr std::int64_t maxCents = 99999999999;
// The cash register the session book files this terminal's sessions under.
constexpr const char* localRegister = "viva-local";

std::string sessionType(SessionKind kind) {
    return kind == SessionKind::Refund ? "CANCEL" : "SALE";
}

SimResponse stateAnswer(int status, const std::string& state, const std::string& sessionId,
                        const std::string& type) {
    Json body{{"state", state}, {"sessionId", sessionId}};
    if (!type.empty()) {
        body["sessionType"] = type;
    }
    return SimResponse::json(status, body);
}

// A Cloud session object as the local API's result: other names for three fields, the RRN as
// text, no terminal or cash register, and the Store-and-Forward amounts approved offline.
Json localResult(const Json& cloud, std::int64_t amountCents) {
    Json result = cloud;
    const std::pair<const char*, const char*> renamed[] = {
        {"success", "isSuccess"},
        {"transactionDateTime", "transactionDate"},
        {"abortOperation", "isAbortRequested"}};
    for (const auto& [from, to] : renamed) {
        result[to] = result[from];
        result.erase(from);
    }
    result.erase("terminalId");
    result.erase("cashRegisterId");
    if (result["retrievalReferenceNumber"].is_number()) {
        result["retrievalReferenceNumber"] = core::dumpJson(result["retrievalReferenceNumber"]);
    }
    const bool offline = amountCents == viva::local_amounts::offlineApproved ||
                         amountCents == viva::local_amounts::offlineWithoutAade;
    if (offline && result["isSuccess"] == true) {
        result["merchantApproved"] = true;
        result["transactionId"] = nullptr;
        if (amountCents == viva::local_amounts::offlineWithoutAade) {
            result["aadeTransactionId"] = nullptr;
            result["tid"] = nullptr;
        }
    }
    return result;
}

[[noreturn]] void refuseField(const core::InputError& error) {
    throw HttpError::problem(400, error.what());
}

} // namespace

VivaLocalParty::VivaLocalParty(std::shared_ptr<viva::Merchant> merchant,
                               signing::PublicKey providerKey, VivaLocalOptions options)
    : VivaMerchantParty("viva_local", options.prefix, std::move(merchant), Refusals::Counted)
    , providerKey_(std::move(providerKey))
    , options_(std::move(options)) {
    const auto& terminals = merchant_->options().terminals;
    const viva::Terminal* terminal =
        options_.tid.empty() ? &terminals.front() : merchant_->terminal(options_.tid);
    if (terminal == nullptr) {
        throw core::ConfigError("viva.local_tid",
                                "the simulated account has no terminal " + options_.tid);
    }
    terminal_ = *terminal;
}

SimResponse VivaLocalParty::route(const SimRequest& request) {
    const std::string& sub = request.subpath;
    if (sub == "/_control/reboot") {
        viva::requirePost(request, sub);
        return reboot();
    }
    if (sub.rfind(posRoot, 0) != 0) {
        throw HttpError::problem(404, "No Local Terminal API endpoint at " + sub);
    }
    const std::string path = sub.substr(posRoot.size());
    const std::pair<const char*, SessionKind> starts[] = {
        {"sale", SessionKind::Sale},
        {"refund", SessionKind::Refund},
        {"preauth-completion", SessionKind::PreauthCompletion}};
    for (const auto& [name, kind] : starts) {
        if (path == name) {
            viva::requirePost(request, sub);
            return start(request, kind);
        }
    }
    if (path == "abort") {
        viva::requirePost(request, sub);
        return abort(request);
    }
    constexpr std::string_view sessions = "sessions/";
    if (path.rfind(sessions, 0) == 0 && path.size() > sessions.size() &&
        path.find('/', sessions.size()) == std::string::npos) {
        if (request.method != "GET") {
            throw HttpError::problem(405, "/pos/v1/sessions/{sessionId} takes GET");
        }
        return session(path.substr(sessions.size()));
    }
    throw HttpError::problem(404, "No Local Terminal API endpoint at " + sub);
}

bool VivaLocalParty::busyLocked() {
    for (const auto& [id, kind] : known_) {
        const auto found = merchant_->sessions().find(id);
        if (found && !found->final) {
            return true;
        }
    }
    return false;
}

SimResponse VivaLocalParty::start(const SimRequest& request, SessionKind kind) {
    const Json body = viva::readObject(request, false);
    viva::SessionRequest r;
    r.kind = kind;
    r.terminal = terminal_;
    r.cashRegisterId = localRegister;
    try {
        const core::JsonFields fields(body, "", core::JsonOrigin::Input);
        r.sessionId = fields.requireString("sessionId");
        if (r.sessionId.empty() || r.sessionId.size() > 128) {
            fields.fail("sessionId", "must be 1 to 128 characters");
        }
        const std::int64_t amount = fields.requireInteger("amount");
        if (amount < 1 || amount > maxCents) {
            fields.fail("amount", "must be from 1 to " + std::to_string(maxCents));
        }
        r.amount = core::Money::fromCents(amount);
        if (const auto currency = fields.optionalScalarText("currencyCode");
            currency && *currency != "978") {
            fields.fail("currencyCode", "only 978 (EUR) is accepted, not " + *currency);
        }
        r.merchantReference = fields.optionalString("merchantReference");
        r.customerTrns = fields.optionalString("customerTrns");
        if (kind == SessionKind::Sale) {
            const std::int64_t tip = fields.optionalInteger("tipAmount").value_or(0);
            if (tip < 0 || tip > maxCents) {
                fields.fail("tipAmount", "must be from 0 to " + std::to_string(maxCents));
            }
            r.tip = core::Money::fromCents(tip);
            r.preauth = fields.optionalBool("preauth").value_or(false);
            if (r.preauth && tip > 0) {
                fields.fail("tipAmount", "is not compatible with preauth");
            }
            r.maxInstalments =
                static_cast<int>(fields.optionalInteger("maxInstalments").value_or(0));
        } else {
            // The parent is named by its Viva transactionId; the session book by its sessionId.
            const std::string parent = fields.requireString("transactionId");
            const auto original = merchant_->ledger().find(parent);
            r.parentSessionId = original && original->sessionId ? *original->sessionId
                                                                : "unknown-transaction-" + parent;
        }
    } catch (const core::InputError& e) {
        refuseField(e);
    }
    r.aadeEventId = viva::checkAade(
        body, r.amount, terminal_.terminalId, kind != SessionKind::PreauthCompletion,
        viva::AadeTrust{providerKey_, options_.providerIds}, r.aadeFailure);
    const std::string id = r.sessionId;
    std::lock_guard lock(mutex_);
    ++posts_[id];
    if (busyLocked()) {
        ++busy_;
        return stateAnswer(200, "BUSY_ERROR", id, sessionType(kind));
    }
    (kind == SessionKind::Sale     ? sales_
     : kind == SessionKind::Refund ? refunds_
                                   : completions_)
        .
        operator++();
    merchant_->sessions().create(std::move(r));
    known_[id] = kind;
    merchant_->wake();
    return stateAnswer(200, "PROCESSING", id, sessionType(kind));
}

SimResponse VivaLocalParty::session(const std::string& sessionId) {
    ++polls_;
    std::lock_guard lock(mutex_);
    const auto known = known_.find(sessionId);
    const auto found = known == known_.end() ? std::nullopt : merchant_->sessions().find(sessionId);
    if (!found) {
        ++notFound_;
        return stateAnswer(404, "SESSION_NOT_FOUND_ERROR", sessionId, "");
    }
    const std::string type = sessionType(known->second);
    if (!found->final) {
        Json body{{"state", "PROCESSING"},
                  {"sessionId", sessionId},
                  {"sessionType", type},
                  {"payloadData", nullptr}};
        return SimResponse::json(200, body);
    }
    const Json& cloud = found->body;
    const bool cardRead = !cloud["aid"].is_null();
    const std::int64_t amount =
        cloud["amount"].get<std::int64_t>() - cloud["tipAmount"].get<std::int64_t>();
    Json body{{"state", cloud["success"] == true || cardRead ? "SUCCESS" : "FAILURE"},
              {"sessionId", sessionId},
              {"sessionType", type},
              {"payloadData",
               {{known->second == SessionKind::Refund ? "cancelResponse" : "saleResponse",
                 localResult(cloud, amount)}}}};
    return SimResponse::json(200, body);
}

SimResponse VivaLocalParty::abort(const SimRequest& request) {
    const Json body = viva::readObject(request, false);
    std::string id;
    try {
        id = core::JsonFields(body, "", core::JsonOrigin::Input).requireString("sessionId");
    } catch (const core::InputError& e) {
        refuseField(e);
    }
    ++aborts_;
    std::lock_guard lock(mutex_);
    if (known_.count(id) == 0 || merchant_->sessions().abort(id, localRegister) ==
                                     viva::SessionBook::AbortAnswer::NotFound) {
        return stateAnswer(200, "SESSION_NOT_FOUND_ERROR", id, "");
    }
    merchant_->wake();
    return stateAnswer(200, "PROCESSING", id, "ABORT");
}

SimResponse VivaLocalParty::reboot() {
    ++reboots_;
    std::lock_guard lock(mutex_);
    const std::size_t forgotten = known_.size();
    for (const auto& [id, kind] : known_) {
        const auto found = merchant_->sessions().find(id);
        if (found && !found->final) {
            merchant_->sessions().finish(id, false, viva::events::aborted);
        }
    }
    known_.clear();
    merchant_->wake();
    return SimResponse::json(200, Json{{"forgotten", forgotten}});
}

void VivaLocalParty::resetRecords() {
    VivaMerchantParty::resetRecords();
    std::lock_guard lock(mutex_);
    known_.clear();
    posts_.clear();
}

Json VivaLocalParty::recordStats() const {
    std::lock_guard lock(mutex_);
    Json posts = Json::object();
    for (const auto& [id, count] : posts_) {
        posts[id] = count;
    }
    return Json{{"session_posts", posts}, {"sessions_known", known_.size()}};
}

} // namespace fiscpos::sim
