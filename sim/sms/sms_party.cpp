#include "sim/sms/sms_party.hpp"

#include "core/http_client.hpp"

#include <Poco/URI.h>

#include "core/ids.hpp"

#include <Poco/TextIterator.h>
#include <Poco/UTF8Encoding.h>

#include <algorithm>
#include <array>
#include <string_view>

namespace fiscpos::sim::sms {

namespace {

using core::Json;

constexpr std::string_view controlPrefix = "/_control/";

std::vector<int> codePoints(const std::string& utf8) {
    Poco::UTF8Encoding encoding;
    std::vector<int> points;
    for (Poco::TextIterator it(utf8, encoding), end(utf8); it != end; ++it) {
        points.push_back(*it);
    }
    return points;
}

bool doubleSeptet(int point) {
    return std::string_view("^{}[]~\\|").find(static_cast<char>(point)) != std::string_view::npos ||
           point == 0x20AC;
}

bool simpleGsm(int point) {
    static constexpr std::array<int, 10> greek{0x394, 0x3A6, 0x393, 0x39B, 0x3A9,
                                               0x3A0, 0x3A8, 0x3A3, 0x398, 0x39E};
    if (point >= 0 && point < 0x80) {
        return point != '`';
    }
    return point == 0x20AC || std::find(greek.begin(), greek.end(), point) != greek.end();
}

int ceilDiv(int a, int b) {
    return (a + b - 1) / b;
}

} // namespace

Json SimSms::toJson() const {
    return Json{{"id", id},
                {"to", to},
                {"text", text},
                {"reference", reference},
                {"parts", parts},
                {"unicode", unicode},
                {"callback_url", textOrNull(callbackUrl)},
                {"accepted_at", core::utcIso8601(acceptedAt)}};
}

std::string textField(const Json& object, const std::string& key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool simNeedsUnicode(const std::string& utf8) {
    const auto points = codePoints(utf8);
    return !std::all_of(points.begin(), points.end(), simpleGsm);
}

// The cost of one character in the simulator's count.
int simCost(int point, bool unicode) {
    return unicode ? (point > 0xFFFF ? 2 : 1) : (doubleSeptet(point) ? 2 : 1);
}

std::string simOnePart(const std::string& utf8, bool unicode) {
    Poco::UTF8Encoding encoding;
    const int single = unicode ? 70 : 160;
    int used = 0;
    std::size_t bytes = 0;
    for (const int point : codePoints(utf8)) {
        used += simCost(point, unicode);
        if (used > single) {
            return utf8.substr(0, bytes);
        }
        bytes += static_cast<std::size_t>(std::max(1, encoding.convert(point, nullptr, 0)));
    }
    return utf8;
}

SimSmsLength simSmsLength(const std::string& utf8, bool unicode) {
    SimSmsLength length;
    length.unicode = unicode;
    for (const int point : codePoints(utf8)) {
        length.characters += simCost(point, unicode);
    }
    const int single = unicode ? 70 : 160;
    const int part = unicode ? 67 : 153;
    length.parts = length.characters <= single ? 1 : ceilDiv(length.characters, part);
    return length;
}

SmsGatewayParty::SmsGatewayParty(std::string name, std::string prefix, const core::Clock& clock)
    : SimPartyBase(std::move(name), std::move(prefix))
    , clock_(clock) {}

SimResponse SmsGatewayParty::handle(const SimRequest& request) {
    try {
        if (request.subpath.starts_with(controlPrefix)) {
            return controlRequest(request, request.subpath.substr(controlPrefix.size()));
        }
        return route(request);
    } catch (const SimAnswerError& e) {
        return SimResponse::json(e.status(), e.body());
    }
}

SimResponse SmsGatewayParty::controlRequest(const SimRequest& request, const std::string& action) {
    const std::string where = prefix() + std::string(controlPrefix) + action;
    if (action == "messages") {
        if (request.method != "GET") {
            return SimResponse::message(405, where + " takes GET.");
        }
        Json list = Json::array();
        std::lock_guard lock(mutex_);
        for (const auto& message : messages_) {
            list.push_back(message.toJson());
        }
        return SimResponse::json(200, Json{{"messages", list}});
    }
    if (request.method != "POST") {
        return SimResponse::message(405, where + " takes POST.");
    }
    const Json body = readJsonObject(request.body, where, true,
                                     "The body is not JSON: ", "The body is not a JSON object.",
                                     [](const std::string& text) {
                                         return SimAnswerError(400, Json{{"message", text}});
                                     });
    if (action == "refuse") {
        const auto count = body.value("count", Json(1));
        if (!count.is_number_integer() || count.get<std::int64_t>() < 0) {
            return SimResponse::message(400, "count must be a whole number of sends.");
        }
        std::lock_guard lock(mutex_);
        refusalsDue_ = count.get<std::int64_t>();
        refusal_ = body;
        return SimResponse::json(200, Json{{"refusing", refusalsDue_}});
    }
    if (action == "deliver") {
        return deliver(body);
    }
    if (auto answer = control(action, body)) {
        return *answer;
    }
    return SimResponse::message(404, where + " is not a control endpoint.");
}

SimResponse SmsGatewayParty::deliver(const Json& body) {
    const std::string id = textField(body, "id");
    const std::string status = body.value("status", std::string("Delivered"));
    const bool duplicate = body.value("duplicate", false);
    SimSms message;
    {
        std::lock_guard lock(mutex_);
        const auto it = std::find_if(messages_.begin(), messages_.end(),
                                     [&](const SimSms& kept) { return kept.id == id; });
        if (it == messages_.end()) {
            return SimResponse::message(404, "No message " + id + ".");
        }
        it->reported = status;
        message = *it;
    }
    Json answers = Json::array();
    if (message.callbackUrl.empty()) {
        return SimResponse::json(200, Json{{"callbacks", answers}});
    }
    for (int round = 0; round < (duplicate ? 2 : 1); ++round) {
        for (const Callback& callback : deliveryCallbacks(message, status)) {
            ++callbacks_;
            Json answer{{"status", nullptr}, {"error", nullptr}};
            try {
                const Poco::URI uri(callback.url);
                core::HttpClient client(uri.getScheme() + "://" + uri.getAuthority());
                core::HttpRequest request{callback.method,
                                          uri.getPathEtc(),
                                          {},
                                          callback.body,
                                          callback.body.empty() ? "" : "application/json",
                                          {}};
                answer["status"] = client.send(request).status;
            } catch (const std::exception& e) {
                answer["error"] = e.what();
            }
            answers.push_back(answer);
        }
    }
    return SimResponse::json(200, Json{{"callbacks", answers}});
}

SimSms SmsGatewayParty::accept(SimSms message) {
    message.id = core::newUuid();
    message.acceptedAt = clock_.now();
    {
        std::lock_guard lock(mutex_);
        messages_.push_back(message);
    }
    ++sent_;
    return message;
}

std::optional<SimSms> SmsGatewayParty::find(const std::string& id) const {
    std::lock_guard lock(mutex_);
    const auto it = std::find_if(messages_.begin(), messages_.end(),
                                 [&](const SimSms& message) { return message.id == id; });
    return it == messages_.end() ? std::nullopt : std::optional<SimSms>(*it);
}

std::optional<Json> SmsGatewayParty::takeRefusal() {
    std::lock_guard lock(mutex_);
    if (refusalsDue_ <= 0) {
        return std::nullopt;
    }
    --refusalsDue_;
    return refusal_;
}

void SmsGatewayParty::resetRecords() {
    {
        std::lock_guard lock(mutex_);
        messages_.clear();
        refusalsDue_ = 0;
        refusal_ = Json();
    }
    resetGateway();
}

} // namespace fiscpos::sim::sms
