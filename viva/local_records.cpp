#include "viva/local_records.hpp"

#include "core/errors.hpp"

namespace fiscpos::viva::local {

namespace {

using core::Json;

std::string textOf(const Json& json, std::string_view key, std::string_view context) {
    return scalarField(json, key, context).value_or("");
}

// The Cloud session's names of the local result's fields.
constexpr std::pair<const char*, const char*> renamed[] = {
    {"isSuccess", "success"},
    {"transactionDate", "transactionDateTime"},
    {"isAbortRequested", "abortOperation"},
};

} // namespace

Immediate Immediate::fromJson(const Json& json, std::string_view context) {
    if (!json.is_object()) {
        throw core::ResponseError(std::string(context), "is not a JSON object");
    }
    Immediate answer;
    answer.state = textOf(json, "state", context);
    if (answer.state.empty()) {
        throw core::ResponseError(std::string(context) + ".state", "is missing");
    }
    answer.sessionId = textOf(json, "sessionId", context);
    answer.sessionType = textOf(json, "sessionType", context);
    answer.raw = json;
    return answer;
}

Session resultAsSession(const Json& result, std::string_view context) {
    if (!result.is_object()) {
        throw core::ResponseError(std::string(context), "is not a JSON object");
    }
    Json cloud = result;
    for (const auto& [local, name] : renamed) {
        if (const auto it = result.find(local); it != result.end() && !cloud.contains(name)) {
            cloud[name] = *it;
        }
    }
    Session session = Session::fromJson(cloud, context);
    session.raw = result;
    return session;
}

LocalSession LocalSession::fromJson(const Json& json, std::string_view context) {
    if (!json.is_object()) {
        throw core::ResponseError(std::string(context), "is not a JSON object");
    }
    LocalSession session;
    session.state = textOf(json, "state", context);
    if (session.state.empty()) {
        throw core::ResponseError(std::string(context) + ".state", "is missing");
    }
    session.sessionType = textOf(json, "sessionType", context);
    session.sessionId = textOf(json, "sessionId", context);
    session.raw = json;
    const auto payload = json.find("payloadData");
    if (payload == json.end() || payload->is_null()) {
        return session;
    }
    if (!payload->is_object()) {
        throw core::ResponseError(std::string(context) + ".payloadData", "is not a JSON object");
    }
    for (const char* key : {"saleResponse", "cancelResponse", "abortResponse"}) {
        const auto found = payload->find(key);
        if (found == payload->end() || found->is_null()) {
            continue;
        }
        const std::string where = std::string(context) + ".payloadData." + key;
        session.result = resultAsSession(*found, where);
        session.merchantApproved = boolField(*found, "merchantApproved", where).value_or(false);
        break;
    }
    return session;
}

Json saleBody(const TransactionRequest& request, const VivaSettings& settings) {
    Json body = viva::saleBody(request, settings);
    body.erase("terminalId");
    body.erase("cashRegisterId");
    return body;
}

Json refundBody(const TransactionRequest& request, const std::string& parentTransactionId,
                const VivaSettings& settings) {
    if (parentTransactionId.empty()) {
        throw core::InputError("original.networkTransactionRef",
                               "the terminal refunds a sale named by its Viva transactionId, which "
                               "the sale's entry does not have (a sale approved offline gets one "
                               "once it is authorised online)");
    }
    TransactionRequest unreferenced = request;
    unreferenced.parentSessionId.clear();
    Json body = viva::unreferencedRefundBody(unreferenced, settings);
    body.erase("terminalId");
    body.erase("cashRegisterId");
    body["transactionId"] = parentTransactionId;
    return body;
}

Json abortBody(const std::string& sessionId) {
    requireSessionId(sessionId, "reference");
    return Json{{"sessionId", sessionId}};
}

} // namespace fiscpos::viva::local
