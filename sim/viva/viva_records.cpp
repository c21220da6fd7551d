#include "sim/viva/viva_records.hpp"

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/names.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <cstdio>
#include <set>
#include <utility>

namespace fiscpos::sim::viva {

namespace {

using core::allDigits;
using core::Json;

struct TestCard {
    const char* pan;
    const char* label;
    const char* bank;
    const char* aid;
};
constexpr TestCard testCards[] = {
    {"411111******1111", "VISA", "NET_VISA", "A0000000031010"},
    {"545454******5454", "MASTERCARD", "NET_MASTER", "A0000000041010"},
    {"476173******0119", "VISA", "NET_VISA", "A0000000031010"},
};

} // namespace

std::string eventMessage(int eventId) {
    static constexpr auto messages = core::nameTable<int>(
        {{events::ok, "Transaction successful"},
         {events::canceledByUser, "Canceled by user"},
         {events::declinedByServer, "Transaction declined by server"},
         {events::invalidAmountForVoid, "Invalid amount for void"},
         {events::invalidCard, "Invalid card"},
         {events::aborted, "Transaction aborted"},
         {events::invalidAmountForCapture, "Invalid amount for capture"},
         {events::signatureFailed, "Signature verification failed (ProviderID)"},
         {events::aadeMismatch, "AADE details mismatch"},
         {events::aadeMissing, "Not all required AADE request parameters"},
         {events::requestInProgress, "There is already a request in progress"},
         {events::noParent, "Could not fetch parameters for parentSessionId"},
         {events::expired, "Transaction expired"}});
    return std::string(messages.name(eventId, "Generic transaction error"));
}

Json Terminal::toJson() const {
    return Json{{"terminalId", terminalId},
                {"statusId", statusId},
                {"sourceCode", sourceCode},
                {"virtualTerminalId", virtualTerminalId}};
}

std::vector<Terminal> defaultTerminals() {
    return parseTerminals("16000010:1234:0820160010,16000011:1234:0820160011", "viva-terminals");
}

std::vector<Terminal> parseTerminals(std::string_view text, const std::string& setting) {
    std::vector<Terminal> terminals;
    std::set<std::string> seen;
    for (const std::string& entry : splitAt(text, ',')) {
        const std::vector<std::string> parts = splitAt(entry, ':');
        Terminal terminal;
        terminal.terminalId = parts[0];
        terminal.sourceCode = parts.size() > 1 ? parts[1] : "1234";
        terminal.serial = parts.size() > 2 ? parts[2] : "08" + parts[0];
        if (parts.size() > 3 || !allDigits(terminal.terminalId) ||
            terminal.terminalId.size() > 16 || !allDigits(terminal.sourceCode) ||
            !allDigits(terminal.serial)) {
            throw core::ConfigError(setting, "\"" + entry +
                                                 "\" is not TID[:SOURCECODE[:SERIAL]] (digits "
                                                 "each, the TID at most 16)");
        }
        terminal.virtualTerminalId = "9" + terminal.terminalId.substr(1);
        if (!seen.insert("t" + terminal.terminalId).second ||
            !seen.insert("s" + terminal.serial).second) {
            throw core::ConfigError(setting, "terminal \"" + entry + "\" repeats a TID or serial");
        }
        terminals.push_back(std::move(terminal));
    }
    return terminals;
}

std::deque<Step> scenarioSteps(std::int64_t cents, core::TimePoint start, const Timing& timing) {
    const core::TimePoint done = start + timing.completeAfter;
    const auto attempt = [](core::TimePoint at, bool success, int eventId) {
        return Step{at, Step::Kind::Attempt, success, eventId};
    };
    const auto finish = [](core::TimePoint at, bool success, int eventId) {
        return Step{at, Step::Kind::Finish, success, eventId};
    };
    switch (cents) {
    case amounts::declined:
        return {attempt(done, false, events::declinedByServer),
                finish(done, false, events::declinedByServer)};
    case amounts::pinRetry: {
        const core::TimePoint pin = done + timing.pinRetryAfter;
        return {attempt(done, false, events::invalidCard), attempt(pin, true, events::ok),
                finish(pin, true, events::ok)};
    }
    case amounts::lateSuccess: {
        const core::TimePoint late = done + timing.lateSuccessAfter;
        return {attempt(done, false, events::invalidCard), finish(done, false, events::invalidCard),
                attempt(late, true, events::ok), finish(late, true, events::ok)};
    }
    case amounts::cancelled:
        return {finish(done, false, events::canceledByUser)};
    case amounts::expires:
        return {finish(start + timing.expireAfter, false, events::expired)};
    case amounts::neverFinishes:
        return {};
    default:
        return {attempt(done, true, events::ok), finish(done, true, events::ok)};
    }
}

Json Transaction::eventData(const std::string& merchantId) const {
    const bool card = !cardNumber.empty();
    return Json{{"TransactionId", transactionId},
                {"OrderCode", orderCode},
                {"StatusId", statusId()},
                {"Amount", core::decimalNumber(amount)},
                {"TipAmount", core::decimalNumber(tip)},
                {"CurrencyCode", "978"},
                {"MerchantId", merchantId},
                {"MerchantTrns", textOrNull(merchantTrns)},
                {"CustomerTrns", textOrNull(customerTrns)},
                {"SourceCode", sourceCode},
                {"TerminalId", numericId(terminalId)},
                {"TransactionTypeId", transactionTypeId},
                {"ResponseCode", responseCode},
                {"ResponseEventId", responseEventId},
                {"AuthorizationId", textOrNull(authorizationId)},
                {"RetrievalReferenceNumber", rrn},
                {"ReferenceNumber", stan},
                {"CardNumber", textOrNull(cardNumber)},
                {"CardTypeId", card ? Json(applicationLabel == "VISA" ? 0 : 1) : Json(nullptr)},
                {"BankId", bankId},
                {"CardCountryCode", "GR"},
                {"CardIssuingBank", "Simulated Bank"},
                {"PanEntryMode", "07"},
                {"InsDate", core::athensIso8601(at)},
                {"TotalFee", core::decimalNumber(core::Money())},
                {"ChannelId", "POS"},
                {"Moto", false},
                {"DualMessage", false},
                {"TotalInstallments", 0},
                {"CurrentInstallment", 0},
                {"ParentId", textOrNull(parentId)}};
}

Json Transaction::legacyJson(const std::string& merchantId) const {
    Json json = eventData(merchantId);
    json["SessionId"] = textOrNull(sessionId);
    return json;
}

Ledger::Ledger()
    : random_(20240629) {}

std::int64_t Ledger::newOrderCode() {
    std::lock_guard lock(mutex_);
    // 16 digits that grow with every order (also across resets): a step larger than the random
    // part keeps them in creation order.
    return 3112212880000000LL + (++nextOrder_) * 104729 +
           static_cast<std::int64_t>(random_() % 1000);
}

std::string Ledger::digits(std::size_t count) {
    std::lock_guard lock(mutex_);
    std::string text;
    for (std::size_t i = 0; i < count; ++i) {
        text += static_cast<char>('0' + (i == 0 ? 1 + random_() % 9 : random_() % 10));
    }
    return text;
}

Transaction Transaction::attempt(const Step& step, std::int64_t orderCode, int typeId,
                                 Charge charge) {
    Transaction transaction;
    static_cast<Charge&>(transaction) = std::move(charge);
    transaction.transactionId = core::newUuid();
    transaction.orderCode = orderCode;
    transaction.approved = step.success;
    transaction.transactionTypeId = typeId;
    transaction.responseEventId = step.eventId;
    transaction.at = step.at;
    return transaction;
}

Transaction Ledger::add(Transaction transaction) {
    std::lock_guard lock(mutex_);
    transaction.stan = nextStan_;
    nextStan_ = nextStan_ % 999999 + 1;
    const TestCard& card = testCards[static_cast<std::size_t>(transaction.stan) %
                                     (sizeof testCards / sizeof testCards[0])];
    transaction.cardNumber = card.pan;
    transaction.applicationLabel = card.label;
    transaction.bankId = card.bank;
    transaction.aid = card.aid;
    if (transaction.verification.empty()) {
        transaction.verification = "NO_CVM";
    }
    char rrn[16];
    std::snprintf(rrn, sizeof rrn, "%06llu%06d",
                  static_cast<unsigned long long>(random_() % 1000000), transaction.stan);
    transaction.rrn = rrn;
    if (transaction.approved) {
        char code[8];
        std::snprintf(code, sizeof code, "%06llu",
                      static_cast<unsigned long long>(random_() % 1000000));
        transaction.authorizationId = code;
        transaction.responseCode = "00";
    } else {
        transaction.responseCode = transaction.responseEventId == events::invalidCard ? "65" : "05";
    }
    transactions_.push_back(transaction);
    return transaction;
}

std::optional<Transaction> Ledger::find(const std::string& transactionId) const {
    std::lock_guard lock(mutex_);
    for (const auto& transaction : transactions_) {
        if (transaction.transactionId == transactionId) {
            return transaction;
        }
    }
    return std::nullopt;
}

std::vector<Transaction> Ledger::byOrderCode(std::int64_t orderCode) const {
    std::lock_guard lock(mutex_);
    std::vector<Transaction> found;
    for (const auto& transaction : transactions_) {
        if (transaction.orderCode == orderCode) {
            found.push_back(transaction);
        }
    }
    return found;
}

std::vector<Transaction> Ledger::byAthensDate(const std::string& date) const {
    std::lock_guard lock(mutex_);
    std::vector<Transaction> found;
    for (const auto& transaction : transactions_) {
        if (athensDate(transaction.at) == date) {
            found.push_back(transaction);
        }
    }
    return found;
}

std::size_t Ledger::size() const {
    std::lock_guard lock(mutex_);
    return transactions_.size();
}

void Ledger::reset() {
    std::lock_guard lock(mutex_);
    transactions_.clear();
}

std::string athensDate(core::TimePoint t) {
    return core::isoDate(core::toAthens(t));
}

std::string utcDate(core::TimePoint t) {
    return core::utcIso8601(t).substr(0, 10);
}

std::string utcMillis(core::TimePoint t) {
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count() % 1000;
    char fraction[8];
    std::snprintf(fraction, sizeof fraction, ".%03lld", static_cast<long long>(millis));
    const std::string seconds = core::utcIso8601(t); // "...:40Z"
    return seconds.substr(0, seconds.size() - 1) + fraction + "Z";
}

Json numericId(const std::string& id) {
    if (allDigits(id) && id.size() < 19) {
        return std::stoll(id);
    }
    return id;
}

} // namespace fiscpos::sim::viva
