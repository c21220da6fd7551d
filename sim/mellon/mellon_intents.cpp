#include "sim/mellon/mellon_intents.hpp"

#include "core/errors.hpp"
#include "core/text.hpp"

#include <algorithm>
#include <set>

namespace fiscpos::sim::mellon {

namespace {

using core::allDigits;
using core::Json;

constexpr int posEntryContactless = 7;

// Query bounds and record times compare at whole seconds, the precision the records are written
// with, so a record shown as 12:00:00Z is inside Timestamp_max=12:00:00Z.
core::TimePoint toSeconds(core::TimePoint t) {
    return std::chrono::floor<std::chrono::seconds>(t);
}

bool inPeriod(core::TimePoint t, const std::optional<core::TimePoint>& from,
              const std::optional<core::TimePoint>& to) {
    const core::TimePoint at = toSeconds(t);
    return (!from || at >= toSeconds(*from)) && (!to || at <= toSeconds(*to));
}

struct TestCard {
    const char* pan;
    const char* type;
};
constexpr TestCard testCards[] = {
    {"476173******0119", "VISA"}, {"545454******5454", "MASTERCARD"}, {"402400******7014", "VISA"}};

} // namespace

ApiError ApiError::detail(int status, const std::string& text) {
    return ApiError(status, Json{{"detail", text}});
}

ApiError ApiError::field(const std::string& field, const std::string& text) {
    return ApiError(400, Json{{field, Json::array({text})}});
}

ApiError ApiError::nested(const std::string& object, const std::string& field,
                          const std::string& text) {
    return ApiError(400, Json{{object, Json{{field, Json::array({text})}}}});
}

Json Terminal::toJson() const {
    return Json{{"id", id},
                {"TerminalID", tid},
                {"FriendlyName", friendlyName},
                {"TerminalType", terminalType},
                {"Merchant", merchant},
                {"Acquirer", acquirer},
                {"Locked", locked},
                {"CurrentBatchNumber", batchNumber}};
}

std::vector<Terminal> defaultTerminals() {
    std::vector<Terminal> terminals(3);
    terminals[0].id = 358046;
    terminals[0].tid = "99000031";
    terminals[0].friendlyName = "Counter 1";
    terminals[1].id = 358047;
    terminals[1].tid = "99000032";
    terminals[1].friendlyName = "Counter 2";
    terminals[2].id = 358048;
    terminals[2].tid = "64999964";
    terminals[2].friendlyName = "Test softPOS";
    return terminals;
}

std::vector<Terminal> parseTerminals(std::string_view text, const std::string& setting) {
    std::vector<Terminal> terminals;
    std::set<std::int64_t> ids;
    std::set<std::string> tids;
    for (const std::string& entry : splitAt(text, ',')) {
        const std::size_t colon = entry.find(':');
        const std::size_t second = colon == std::string::npos ? colon : entry.find(':', colon + 1);
        const std::string id = entry.substr(0, colon);
        const std::string tid =
            colon == std::string::npos ? "" : entry.substr(colon + 1, second - colon - 1);
        if (!allDigits(id) || id.size() > 12 || tid.empty() ||
            tid.find_first_of("; ") != std::string::npos) {
            throw core::ConfigError(setting, "\"" + entry +
                                                 "\" is not ID:TID[:NAME] (a numeric id, then "
                                                 "the TerminalID without ';' or spaces)");
        }
        Terminal terminal;
        terminal.id = std::stoll(id);
        terminal.tid = tid;
        terminal.friendlyName =
            second == std::string::npos ? "Terminal " + tid : entry.substr(second + 1);
        if (!ids.insert(terminal.id).second || !tids.insert(terminal.tid).second) {
            throw core::ConfigError(setting, "terminal \"" + entry + "\" repeats an id or a TID");
        }
        terminals.push_back(std::move(terminal));
    }
    return terminals;
}

Json IntentBook::Transaction::toJson() const {
    return Json{{"Id", std::to_string(id)},
                {"ExternalId", textOrNull(transactionId)},
                {"Approved", approved},
                {"Voided", voided},
                {"TxnType", txnType},
                {"STAN", stan},
                {"BatchNumber", batchNumber},
                {"Instalments", instalments},
                {"PosEntryMode", posEntryContactless},
                {"CurrencyCode", currencyCode},
                {"PaymentType", paymentType},
                {"Amount", amount.cents()},
                {"DccAmount", nullptr},
                {"TipAmount", tip.cents()},
                {"CashbackAmount", cashback.cents()},
                {"LoyaltyRedemptionAmount", 0},
                {"Timestamp", core::utcIso8601(at)},
                {"VoidTimestamp", voidedAt ? Json(core::utcIso8601(*voidedAt)) : Json(nullptr)},
                {"CardPAN", textOrNull(cardPan)},
                {"CardHash", cardHash},
                {"Batch", nullptr},
                {"Acquirer", acquirer},
                {"TID", tid},
                {"MID", mid},
                {"Cryptogram", cryptogram},
                {"HostResponseCode", hostResponseCode},
                {"RRN", rrn},
                {"AuthCode", textOrNull(authCode)},
                {"OriginalRRN", textOrNull(originalRrn)},
                {"OriginalAuthCode", textOrNull(originalAuthCode)},
                {"DccCurrencyCode", nullptr},
                {"CustomerReference", textOrNull(customerReference)},
                {"CardType", cardType}};
}

Json IntentBook::Transaction::embedded() const {
    const std::string receipt = std::string(approved ? "APPROVED" : "DECLINED") + "\nTID " + tid +
                                "\nMID " + mid + "\nAMOUNT " + amount.toString() + " EUR" +
                                "\nRRN " + rrn + "\nAUTH " + authCode + "\n";
    return Json{{"Id", std::to_string(id)},
                {"TID", tid},
                {"MID", mid},
                {"RRN", rrn},
                {"AuthCode", textOrNull(authCode)},
                {"CardPAN", textOrNull(cardPan)},
                {"CardType", cardType},
                {"STAN", stan},
                {"BatchNumber", batchNumber},
                {"Instalments", instalments},
                {"CustomerReceipt", "CUSTOMER COPY\n" + receipt},
                {"MerchantReceipt", "MERCHANT COPY\n" + receipt}};
}

IntentBook::IntentBook(Timing timing, const core::Clock& clock)
    : SimRecordBook(timing, clock)
    , random_(20240701) {}

bool IntentBook::claims(const Intent& intent, IntentKind kind, std::int64_t original) {
    return intent.request.kind == kind && intent.original == original &&
           (intent.status != Status::Completed || intent.result == Result::Approved);
}

IntentBook::Transaction* IntentBook::findTransaction(std::int64_t id) {
    const auto it = transactions_.find(id);
    return it == transactions_.end() ? nullptr : &it->second;
}

IntentBook::Transaction* IntentBook::findTransaction(const std::string& reference) {
    for (auto& [id, transaction] : transactions_) {
        if (transaction.transactionId == reference) {
            return &transaction;
        }
    }
    // A transaction `Id` (what the intent's "Transaction" holds).
    if (allDigits(reference) && reference.size() < 19) {
        return findTransaction(std::stoll(reference));
    }
    return nullptr;
}

std::int64_t IntentBook::resolveInitial(const IntentRequest& request) {
    const std::string& reference = *request.initialTransaction;
    const Transaction* original = findTransaction(reference);
    if (!original || !original->approved || original->txnType != 0) {
        throw ApiError::field("InitialTransaction",
                              "No approved sale with transaction Id or TransactionId \"" +
                                  reference + "\".");
    }
    if (original->voided) {
        throw ApiError::field("InitialTransaction",
                              "The sale " + reference + " is voided; it cannot be refunded.");
    }
    // IRIS payments go back through the bank, not the terminal (the contract's Mellon rule).
    if (original->cardType == "IRIS") {
        throw ApiError::field("InitialTransaction", "The sale " + reference +
                                                        " was paid by IRIS; it is refunded "
                                                        "through the bank, not the terminal.");
    }
    core::Money claimed = request.amount;
    for (const auto& [id, intent] : intents_) {
        if (claims(intent, IntentKind::Refund, original->id)) {
            claimed = claimed + intent.request.amount;
        }
    }
    if (claimed > original->amount) {
        throw ApiError::field("Amount", "The refunds of transaction " + reference +
                                            " would add up to " + claimed.toString() +
                                            ", more than its amount " +
                                            original->amount.toString() + ".");
    }
    return original->id;
}

std::int64_t IntentBook::resolveVoidTarget(IntentRequest& request) {
    const std::string& identifier = request.originalIdentifier;
    const Transaction* target = nullptr;
    if (request.originalIdentifierType == 1) {
        const auto it = allDigits(identifier) && identifier.size() < 19
                            ? intents_.find(std::stoll(identifier))
                            : intents_.end();
        if (it == intents_.end()) {
            throw ApiError::field("OriginalIdentifier", "No intent with Id " + identifier + ".");
        }
        const Intent& original = it->second;
        if (original.request.kind == IntentKind::Void || original.result != Result::Approved ||
            !original.transaction) {
            throw ApiError::field("OriginalIdentifier",
                                  "The intent " + identifier + " has no approved transaction.");
        }
        target = findTransaction(*original.transaction);
    } else {
        for (const auto& [id, transaction] : transactions_) {
            if (!transaction.transactionId.empty() && transaction.transactionId == identifier) {
                target = &transaction;
            }
        }
        if (!target) {
            throw ApiError::field("OriginalIdentifier",
                                  "No approved transaction with TransactionId " + identifier + ".");
        }
    }
    if (target->terminalId != request.terminal.id) {
        throw ApiError::field("OriginalIdentifier", "The transaction " + identifier +
                                                        " was made on another terminal (TID " +
                                                        target->tid + ").");
    }
    if (target->voided) {
        throw ApiError::field("OriginalIdentifier",
                              "The transaction " + identifier + " is already voided.");
    }
    for (const auto& [id, intent] : intents_) {
        if (claims(intent, IntentKind::Void, target->id)) {
            throw ApiError::field("OriginalIdentifier", "The transaction " + identifier +
                                                            " already has a void in progress.");
        }
    }
    static_cast<CardPayment&>(request) = *target; // a void reverses its target as it was
    return target->id;
}

std::int64_t IntentBook::create(IntentRequest request) {
    const auto [lock, now] = upToDate();

    Intent intent;
    if (request.kind == IntentKind::Void) {
        intent.original = resolveVoidTarget(request);
    } else if (request.kind == IntentKind::Refund && request.initialTransaction) {
        intent.original = resolveInitial(request);
    }
    intent.id = nextIntentId_++;
    intent.createdAt = now;
    intent.sentAt = now + timing_.sentAfter;
    intent.completeAt = now + std::max(timing_.completeAfter, timing_.sentAfter);
    const std::int64_t amount = request.amount.cents();
    if (!request.signatureFailure.empty()) {
        intent.outcome = Result::Failed;
        signatureFailures_.add(Json{{"intent", intent.id},
                                    {"customer_reference", textOrNull(request.customerReference)},
                                    {"tid", request.terminal.tid},
                                    {"reason", request.signatureFailure}});
    } else if (request.kind == IntentKind::Void) {
        intent.outcome = Result::Approved;
    } else if (request.preloadMinutes) {
        // Held for the customer; lapses FAILED unless customerPays() comes first.
        intent.outcome = Result::Failed;
        intent.completeAt = now + std::chrono::minutes(*request.preloadMinutes);
    } else if (amount == amounts::declined) {
        intent.outcome = Result::Declined;
        intent.chargeAt = intent.completeAt;
    } else if (amount == amounts::lateApproval) {
        intent.completeAt = now + std::max(timing_.lateApproval, timing_.sentAfter);
        intent.chargeAt = intent.completeAt;
    } else if (amount == amounts::communicationLost) {
        intent.outcome = Result::Unknown;
        intent.chargeAt = intent.completeAt;
        intent.completeAt = now + std::max(timing_.deviceTimeout, timing_.completeAfter);
    } else if (amount == amounts::unknownRecordLate) {
        intent.outcome = Result::Unknown;
        intent.chargeAt = intent.completeAt + timing_.unknownRecordLag;
    } else if (amount == amounts::unknownNotCharged) {
        intent.outcome = Result::Unknown;
    } else if (amount == amounts::cancelled) {
        intent.outcome = Result::Cancelled;
    } else if (amount == amounts::busy || amount == amounts::maxTransactions) {
        intent.outcome = amount == amounts::busy ? Result::Busy : Result::MaxTransactions;
        intent.completeAt = intent.sentAt;
    } else {
        intent.chargeAt = intent.completeAt;
    }

    ++created_;
    // A terminal serves one card at a time: an intent sent while another of the same terminal is
    // still on it shows that two requests did not take turns.
    for (const auto& [otherId, other] : intents_) {
        if (other.status != Status::Completed && !other.request.preloadMinutes &&
            !request.preloadMinutes && other.request.terminal.tid == request.terminal.tid) {
            ++overlapping_;
            break;
        }
    }
    switch (request.kind) {
    case IntentKind::Sale:
        ++(request.txnType == 2 ? preauths_ : request.txnType == 3 ? completions_ : sales_);
        preloads_ += request.preloadMinutes ? 1 : 0;
        break;
    case IntentKind::Refund:
        ++refunds_;
        break;
    case IntentKind::Void:
        ++voids_;
        break;
    }
    if (request.customerReference) {
        ++byReference_[*request.customerReference];
    }
    intent.request = std::move(request);
    const std::int64_t id = intent.id;
    intents_.emplace(id, std::move(intent));
    catchUp(now); // a zero delay takes effect at once
    return id;
}

std::optional<core::TimePoint> IntentBook::completesAt(std::int64_t id) const {
    std::lock_guard lock(mutex_);
    const auto it = intents_.find(id);
    return it == intents_.end() ? std::nullopt : std::optional(it->second.completeAt);
}

Json IntentBook::customerPays(const std::string& customerReference,
                              const Presentation& presentation) {
    const auto [lock, now] = upToDate();
    for (auto& [id, intent] : intents_) {
        if (intent.request.preloadMinutes && intent.status != Status::Completed &&
            intent.request.customerReference == customerReference) {
            if (intent.request.signatureFailure.empty()) {
                intent.outcome = intent.request.amount.cents() == amounts::declined
                                     ? Result::Declined
                                     : Result::Approved;
                intent.chargeAt = now;
            }
            intent.completeAt = now;
            catchUp(now);
            return render(intent, presentation);
        }
    }
    throw ApiError::field("CustomerReference",
                          "No preloaded sale under \"" + customerReference + "\" is still open.");
}

std::int64_t IntentBook::charge(Intent& intent, bool approved, core::TimePoint at) {
    const IntentRequest& request = intent.request;
    Transaction transaction;
    transaction.id = nextTransactionId_++;
    transaction.intentId = intent.id;
    transaction.terminalId = request.terminal.id;
    static_cast<CardPayment&>(transaction) = request;
    transaction.approved = approved;
    transaction.stan = nextStan_;
    nextStan_ = nextStan_ % 999999 + 1;
    transaction.batchNumber = request.terminal.batchNumber;
    transaction.tid = request.terminal.tid;
    transaction.mid = request.terminal.merchant;
    transaction.acquirer = std::to_string(request.terminal.acquirer);
    transaction.rrn = zeroPadded(static_cast<std::int64_t>(random_() % 1000000), 6) +
                      zeroPadded(transaction.stan, 6);
    transaction.hostResponseCode = approved ? "00" : "05";
    if (approved) {
        transaction.authCode = zeroPadded(static_cast<std::int64_t>(random_() % 1000000), 6);
        // Acquirer (3) + batch (6) + sequence (6) + approval (6), as the 21-digit ids seen.
        transaction.transactionId = "075" + zeroPadded(transaction.batchNumber, 6) +
                                    zeroPadded(transaction.stan, 6) + transaction.authCode;
    }
    if (request.paymentType == 1) {
        transaction.cardType = "IRIS";
    } else {
        const TestCard& card = testCards[static_cast<std::size_t>(transaction.stan) %
                                         (sizeof testCards / sizeof testCards[0])];
        transaction.cardPan = card.pan;
        transaction.cardType = card.type;
    }
    for (int i = 0; i < 4; ++i) {
        transaction.cardHash +=
            zeroPadded(static_cast<std::int64_t>(random_() % 10000000000000000ULL), 16);
    }
    transaction.cryptogram =
        zeroPadded(static_cast<std::int64_t>(random_() % 10000000000000000ULL), 16);
    transaction.customerReference = request.customerReference;
    if (intent.original) {
        if (const Transaction* original = findTransaction(*intent.original)) {
            transaction.originalRrn = original->rrn;
            transaction.originalAuthCode = original->authCode;
        }
    }
    transaction.at = at;
    const std::int64_t id = transaction.id;
    transactions_.emplace(id, std::move(transaction));
    return id;
}

void IntentBook::complete(Intent& intent) {
    intent.status = Status::Completed;
    intent.result = intent.outcome;
    ++results_[static_cast<int>(intent.outcome)];
    if (intent.request.kind == IntentKind::Void && intent.outcome == Result::Approved) {
        if (Transaction* target = findTransaction(*intent.original)) {
            target->voided = true;
            target->voidedAt = intent.completeAt;
            intent.transaction = target->id;
        }
    }
}

void IntentBook::catchUp(core::TimePoint now) {
    for (auto& [id, intent] : intents_) {
        // A charge may land after the intent completed (UNKNOWN, then the record).
        if (!intent.charged && intent.chargeAt && now >= *intent.chargeAt) {
            intent.charged = true;
            const std::int64_t made =
                charge(intent, intent.outcome != Result::Declined, *intent.chargeAt);
            // Communication lost: the card is charged but the back end never learns of it.
            if (intent.outcome != Result::Unknown) {
                intent.transaction = made;
            }
        }
        if (intent.status == Status::Completed) {
            continue;
        }
        if (intent.status == Status::Pending && now >= intent.sentAt) {
            intent.status = Status::Sent;
        }
        if (now >= intent.completeAt) {
            complete(intent);
        }
    }
}

Json IntentBook::render(const Intent& intent, const Presentation& presentation) {
    const IntentRequest& request = intent.request;
    const Transaction* transaction =
        intent.transaction ? findTransaction(*intent.transaction) : nullptr;
    Json transactionJson = nullptr;
    if (transaction) {
        transactionJson =
            presentation.transactionAsObject ? transaction->embedded() : Json(transaction->id);
    }
    const bool ownApproved = request.kind != IntentKind::Void &&
                             intent.result == Result::Approved && transaction &&
                             !transaction->transactionId.empty();
    Json json{{presentation.idKey, intent.id},
              {"Status", static_cast<int>(intent.status)},
              {"Result", intent.result ? Json(static_cast<int>(*intent.result)) : Json(nullptr)},
              {"TxnType", request.txnType},
              {"Amount", request.amount.cents()},
              {"TipAmount", request.tip.cents()},
              {"CashbackAmount", request.cashback.cents()},
              {"CurrencyCode", request.currencyCode},
              {"Instalments", request.instalments},
              {"PaymentType", request.paymentType},
              {"CustomerReference", textOrNull(request.customerReference)},
              {"CustomerEmail", textOrNull(request.customerEmail)},
              {"CustomerPhone", textOrNull(request.customerPhone)},
              {"Terminal", request.terminal.id},
              {"Transaction", transactionJson},
              {"InitialTransaction", request.kind == IntentKind::Refund && intent.original
                                         ? Json(*intent.original)
                                         : Json(nullptr)},
              {"TransactionId", ownApproved ? Json(transaction->transactionId) : Json(nullptr)},
              {"Timestamp", core::utcIso8601(intent.createdAt)}};
    if (request.kind == IntentKind::Void) {
        json["OriginalIdentifier"] = request.originalIdentifier;
        json["OriginalIdentifierType"] = request.originalIdentifierType;
    }
    return json;
}

std::optional<Json> IntentBook::intent(std::int64_t id, const Presentation& presentation) {
    const auto current = upToDate();
    const auto it = intents_.find(id);
    if (it == intents_.end()) {
        return std::nullopt;
    }
    return render(it->second, presentation);
}

std::vector<Json> IntentBook::intents(const IntentFilter& filter,
                                      const Presentation& presentation) {
    const auto current = upToDate();
    std::vector<Json> found;
    for (const auto& [id, intent] : intents_) {
        const IntentRequest& request = intent.request;
        if (filter.customerReference && request.customerReference != filter.customerReference) {
            continue;
        }
        if (filter.tid && request.terminal.tid != *filter.tid) {
            continue;
        }
        if (!inPeriod(intent.createdAt, filter.from, filter.to)) {
            continue;
        }
        Json json = render(intent, presentation);
        if (filter.transactionId && json["TransactionId"] != *filter.transactionId) {
            continue;
        }
        found.push_back(std::move(json));
    }
    return found;
}

std::optional<Json> IntentBook::transaction(std::int64_t id) {
    const auto current = upToDate();
    const Transaction* found = findTransaction(id);
    return found ? std::optional(found->toJson()) : std::nullopt;
}

std::vector<Json> IntentBook::transactions(const TransactionFilter& filter) {
    const auto current = upToDate();
    std::vector<Json> found;
    for (const auto& [id, transaction] : transactions_) {
        if ((filter.tid && transaction.tid != *filter.tid) ||
            (filter.customerReference &&
             transaction.customerReference != filter.customerReference) ||
            !inPeriod(transaction.at, filter.from, filter.to)) {
            continue;
        }
        found.push_back(transaction.toJson());
    }
    return found;
}

void IntentBook::reset() {
    // Ids keep counting up, so an id a client still holds from before never names a new record.
    std::lock_guard lock(mutex_);
    intents_.clear();
    transactions_.clear();
    byReference_.clear();
    results_.clear();
    created_ = sales_ = refunds_ = voids_ = preauths_ = completions_ = preloads_ = overlapping_ = 0;
    signatureFailures_.clear();
}

Json IntentBook::stats() {
    const auto current = upToDate();
    Json results = Json::object();
    for (const auto& [result, count] : results_) {
        results[std::to_string(result)] = count;
    }
    Json stats{{"intents_created", created_},
               {"sales", sales_},
               {"preauths", preauths_},
               {"completions", completions_},
               {"preloads", preloads_},
               {"refunds", refunds_},
               {"voids", voids_},
               {"intents_by_reference", countsJson(byReference_)},
               {"overlapping_intents", overlapping_},
               {"results", results},
               {"transactions", transactions_.size()}};
    signatureFailures_.addTo(stats);
    return stats;
}

} // namespace fiscpos::sim::mellon
