// What the Cloud Terminal API answers, read tolerantly into typed records: ids and codes as
// strings or numbers (a 21-digit aadeTransactionId even as a bare number), amounts in cents as
// integers or digit strings, `success` as a boolean or "true"/"false", and every field kept in
// `raw` (the answer as received, for the journal). A field that is required and missing or
// mistyped is a core::ResponseError naming it ("session.success").
#pragma once

#include "core/json.hpp"
#include "core/money.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace fiscpos::viva {

// A JSON scalar as text: a string as is, an integer in digits, a number too long for 64 bits in
// its exact digits, true/false. nullopt for null; a ResponseError naming `field` for an object,
// an array or a fraction.
std::optional<std::string> scalarText(const core::Json& value, std::string_view field);
// The field `key` of `object` (an object) as scalarText; nullopt when missing or null.
std::optional<std::string> scalarField(const core::Json& object, std::string_view key,
                                       std::string_view context);

// The field `key` of `object` as an integer written as a number or as digits; nullopt when
// missing or null; a ResponseError naming "<context>.<key>" otherwise.
std::optional<std::int64_t> integerField(const core::Json& object, std::string_view key,
                                         std::string_view context);
// The field `key` as a boolean: true/false, "true"/"false" (any case), 1/0.
std::optional<bool> boolField(const core::Json& object, std::string_view key,
                              std::string_view context);

// An amount in euros (webhooks, the legacy API) read exactly: a JSON number kept as its decimal
// text (42.0, 12.4), an integer, or a decimal string; never through binary floating point.
// Trailing zeros beyond the cents are accepted (42.000); anything finer than a cent, negative or
// not a number is a ResponseError naming `field`.
core::Money eurosFromJson(const core::Json& value, std::string_view field);
// The field `key` of `object` in euros; nullopt when missing or null.
std::optional<core::Money> eurosField(const core::Json& object, std::string_view key,
                                      std::string_view context);

// The answer of POST {accounts}/connect/token.
struct AccessToken {
    std::string accessToken;
    std::optional<std::chrono::seconds> expiresIn;
    std::string tokenType;
    std::string scope;

    static AccessToken fromJson(const core::Json& json, std::string_view context);
};

// devices:search statusId: 0 WareHouse, 1 Live, 2 Ready To Ship, 3 In Stock, 4 Pending Key
// Injection, 5 Lost, 6 Broken, 7 Locked; "status <n>" otherwise.
std::string deviceStatusName(std::int64_t statusId);

// An entry of devices:search.
struct Device {
    std::string terminalId;
    std::optional<std::int64_t> statusId;
    std::string sourceCode;
    std::string virtualTerminalId;
    std::string merchantId;
    core::Json raw;

    static Device fromJson(const core::Json& json, std::string_view context);
    // The answer of devices:search: an array, or an object holding one under a known key.
    static std::vector<Device> listFromJson(const core::Json& json, std::string_view context);
};

// A session: the 200 answer of GET /ecr/v1/sessions/{id} (final), and the items of
// GET /ecr/v1/sessions?date=.
struct Session {
    std::string sessionId;
    std::string terminalId;
    std::string cashRegisterId;
    std::optional<core::Money> amount; // cents, tip included
    std::optional<core::Money> tip;
    std::string currencyCode;
    std::string merchantReference;
    std::string customerTrns;
    std::optional<bool> success; // a final session always says; a listed one may not yet
    std::optional<std::int64_t> eventId;
    std::optional<std::int64_t> transactionEventId;
    std::string message;
    std::string transactionId; // Viva's own (a UUID)
    std::optional<std::int64_t> transactionTypeId;
    std::string authorizationId;
    std::string retrievalReferenceNumber;
    std::string referenceNumber; // STAN
    std::string orderCode;
    std::string shortOrderCode;
    std::string panEntryMode;
    std::string applicationLabel;
    std::string cardType;
    std::string bankId;
    std::string primaryAccountNumberMasked;
    std::string aid;
    std::string verificationMethod;
    std::string tid;
    std::string transactionDateTime;
    std::optional<std::int64_t> installments;
    std::optional<bool> preauth;
    std::optional<bool> abortOperation;
    std::optional<bool> abortSuccess;
    std::string abortAckTime;
    std::string aadeTransactionId; // the myDATA transactionId
    core::Json raw;

    static Session fromJson(const core::Json& json, std::string_view context);
    // The answer of sessions?date=: an array of sessions, a single one, or an object holding the
    // array under a known key ("sessions", "items", "results").
    static std::vector<Session> listFromJson(const core::Json& json, std::string_view context);
};

// `{"detail": "..."}` of an answer, when it has one.
std::optional<std::string> detailOf(const std::string& body);

} // namespace fiscpos::viva
