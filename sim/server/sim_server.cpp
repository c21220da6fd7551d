#include "sim/server/sim_server.hpp"

#include "core/errors.hpp"
#include "core/http_server.hpp"

#include <Poco/Net/IPAddress.h>

#include <atomic>
#include <map>
#include <mutex>

namespace fiscpos::sim {

namespace {

// What a "malformed" fault answers: the start of a JSON object that never ends.
constexpr std::string_view malformedBody =
    R"({"message": "simulated malformed answer", "data": [{)";

bool isLoopbackHost(const std::string& host) {
    if (host == "localhost") {
        return true;
    }
    Poco::Net::IPAddress address;
    return Poco::Net::IPAddress::tryParse(host, address) && address.isLoopback();
}

bool isControlPath(const std::string& path) {
    return path == "/_sim" || path.rfind("/_sim/", 0) == 0;
}

SimResponse validationError(const core::InputError& error) {
    return SimResponse::json(
        422,
        core::Json{{"message", error.what()},
                   {"errors", core::Json{{error.field(), core::Json::array({error.what()})}}}});
}

// No answer: the client sees the connection close, the way a crashed server or a broken network
// path looks.
SimResponse dropped() {
    SimResponse answer;
    answer.ending = core::ServerAnswer::Ending::Drop;
    return answer;
}

} // namespace

struct PartySlot {
    std::shared_ptr<SimParty> party;
    std::string name;
    std::string prefix;
    std::atomic<std::int64_t> requests{0};
    mutable std::mutex methodsMutex;
    std::map<std::string, std::int64_t> byMethod;

    void count(const std::string& method) {
        ++requests;
        std::lock_guard lock(methodsMutex);
        ++byMethod[method];
    }
    core::Json methods() const {
        std::lock_guard lock(methodsMutex);
        core::Json json = core::Json::object();
        for (const auto& [method, n] : byMethod) {
            json[method] = n;
        }
        return json;
    }
    void clearCounts() {
        requests = 0;
        std::lock_guard lock(methodsMutex);
        byMethod.clear();
    }
};

struct SimServer::Impl {
    explicit Impl(SimServerOptions o)
        : options(std::move(o))
        , clock(options.timeScale)
        , http(httpOptions()) {
        http.route("", "/_sim", [this](const core::ServerRequest& request) {
            return core::ServerAnswer(control(request));
        });
    }

    SimServerOptions options;
    SimClock clock;
    FaultBook faults;

    mutable std::mutex partiesMutex;
    std::map<std::string, std::shared_ptr<PartySlot>> parties; // by prefix
    std::atomic<std::int64_t> unmatched{0};
    std::atomic<std::int64_t> keepAliveClosed{0}; // connections closed after an answer

    std::mutex lifecycleMutex;
    core::HttpServer http; // last: its threads use everything above

    core::HttpServerOptions httpOptions() {
        core::HttpServerOptions o;
        o.host = options.host;
        o.port = options.port;
        o.maxThreads = options.maxThreads;
        o.maxQueued = options.maxQueued;
        o.keepAlive = options.keepAlive;
        o.tlsCertificateFile = options.tlsCertificateFile;
        o.tlsKeyFile = options.tlsKeyFile;
        o.tlsSetting = "tls-cert";
        o.maxBodyBytes = 4 * 1024 * 1024;
        o.softwareVersion = std::string("fiscpos-sim/") + FISCPOS_VERSION;
        o.problemAnswer = [this](core::ServerProblem problem, const std::string& detail) {
            return core::ServerAnswer(problemAnswer(problem, detail));
        };
        return o;
    }

    SimResponse problemAnswer(core::ServerProblem problem, const std::string& detail) {
        switch (problem) {
        case core::ServerProblem::BodyTooLarge:
            return SimResponse::message(413, "The request body is too large.");
        case core::ServerProblem::BadTarget:
            return SimResponse::message(400, "The request target is not a valid URI.");
        case core::ServerProblem::NoRoute:
            ++unmatched;
            return SimResponse::message(404, "No simulated party serves " + detail);
        case core::ServerProblem::Failed:
            return SimResponse::message(500, "Server Error: " + detail);
        case core::ServerProblem::Stopping:
        case core::ServerProblem::Busy:
            break;
        }
        return SimResponse::message(503, "The simulator is stopping.");
    }

    std::vector<std::shared_ptr<PartySlot>> allParties() const {
        std::lock_guard lock(partiesMutex);
        std::vector<std::shared_ptr<PartySlot>> slots;
        for (const auto& entry : parties) {
            slots.push_back(entry.second);
        }
        return slots;
    }

    core::Json stats() const {
        core::Json json = core::Json::object();
        for (const auto& slot : allParties()) {
            core::Json partyStats = slot->party->stats();
            if (!partyStats.is_object()) {
                partyStats = core::Json::object();
            }
            partyStats["requests"] = slot->requests.load();
            partyStats["requests_by_method"] = slot->methods();
            json[slot->name] = std::move(partyStats);
        }
        json["_sim"] = {{"faults_applied", faults.applied()},
                        {"unmatched_requests", unmatched.load()},
                        {"connections_closed_after_answer", keepAliveClosed.load()}};
        return json;
    }

    void reset() {
        faults.clear();
        faults.resetCounters();
        unmatched = 0;
        keepAliveClosed = 0;
        for (const auto& slot : allParties()) {
            slot->party->reset();
            slot->clearCounts();
        }
    }

    static SimResponse callParty(SimParty& party, const SimRequest& request) {
        try {
            return party.handle(request);
        } catch (const std::exception& e) {
            return SimResponse::message(500, std::string("Server Error: ") + e.what());
        }
    }

    SimResponse control(const core::ServerRequest& request) {
        const std::string& path = request.path;
        const std::string& method = request.method;
        if (path == "/_sim/faults") {
            if (method == "GET") {
                core::Json list = core::Json::array();
                for (const auto& rule : faults.list()) {
                    list.push_back(rule.toJson());
                }
                return SimResponse::json(200, core::Json{{"faults", list}});
            }
            if (method == "POST") {
                try {
                    const core::Json body =
                        core::parseJson(request.body, "fault", core::JsonOrigin::Input);
                    return SimResponse::json(201, faults.add(FaultRule::fromJson(body)).toJson());
                } catch (const core::InputError& e) {
                    return validationError(e);
                }
            }
            if (method == "DELETE") {
                return SimResponse::json(200, core::Json{{"cleared", faults.clear()}});
            }
            return SimResponse::message(405, "/_sim/faults takes GET, POST and DELETE");
        }
        if (path == "/_sim/stats") {
            if (method != "GET") {
                return SimResponse::message(405, "/_sim/stats takes GET");
            }
            return SimResponse::json(200, stats());
        }
        if (path == "/_sim/time") {
            if (method != "GET") {
                return SimResponse::message(405, "/_sim/time takes GET");
            }
            const core::TimePoint now = clock.now();
            return SimResponse::json(200,
                                     core::Json{{"now", core::athensIso8601(now)},
                                                {"now_utc", core::utcIso8601(now)},
                                                {"started_at", core::athensIso8601(clock.start())},
                                                {"elapsed_ms", clock.elapsed().count()},
                                                {"scale", clock.scale()}});
        }
        if (path == "/_sim/reset") {
            if (method != "POST") {
                return SimResponse::message(405, "/_sim/reset takes POST");
            }
            reset();
            return SimResponse::json(200, core::Json{{"reset", true}});
        }
        return SimResponse::message(404, "No simulator control endpoint at " + path);
    }

    SimResponse serve(PartySlot& slot, const core::ServerRequest& in) {
        slot.count(in.method);
        SimRequest request;
        static_cast<core::ServerRequest&>(request) = in;
        request.subpath = in.path.substr(slot.prefix.size());

        const auto fault = faults.take(request.method, request.path);
        if (!fault) {
            return callParty(*slot.party, request);
        }
        switch (fault->kind) {
        case FaultKind::DropBefore:
            return dropped();
        case FaultKind::DropAfter:
            callParty(*slot.party, request);
            return dropped();
        case FaultKind::Status:
            if (fault->apply) {
                callParty(*slot.party, request);
            }
            if (!fault->body) {
                return SimResponse::message(fault->status, "Simulated fault: HTTP " +
                                                               std::to_string(fault->status));
            }
            if (fault->body->is_string()) {
                SimResponse raw; // a string is the body's text, as is (e.g. broken JSON)
                raw.status = fault->status;
                raw.body = fault->body->get<std::string>();
                return raw;
            }
            return SimResponse::json(fault->status, *fault->body);
        case FaultKind::CloseAfter: {
            SimResponse answer = callParty(*slot.party, request);
            answer.ending = core::ServerAnswer::Ending::CloseSilently;
            answer.afterSend = [this] {
                ++keepAliveClosed;
            };
            return answer;
        }
        case FaultKind::Malformed: {
            if (fault->apply) {
                callParty(*slot.party, request);
            }
            SimResponse broken;
            broken.body = std::string(malformedBody);
            return broken;
        }
        case FaultKind::Delay: {
            // The party acts at once; only its answer is late, as with a slow network or a
            // server that commits before it replies.
            const SimResponse answer = callParty(*slot.party, request);
            if (!clock.sleepFor(fault->delay)) {
                return dropped(); // stopping
            }
            return answer;
        }
        }
        return callParty(*slot.party, request);
    }
};

SimServer::SimServer(SimServerOptions options) {
    if (options.host.empty()) {
        throw core::ConfigError("listen", "the host is empty");
    }
    if (!options.allowRemote && !isLoopbackHost(options.host)) {
        throw core::ConfigError("listen", "host " + options.host +
                                              " is not a loopback address; the simulator listens "
                                              "on loopback only unless remote access is allowed");
    }
    if (options.maxThreads < 1 || options.maxQueued < 1) {
        throw core::ConfigError("threads", "needs at least one worker thread and queue slot");
    }
    if (options.host == "localhost") {
        options.host = "127.0.0.1";
    }
    impl_ = std::make_unique<Impl>(std::move(options));
}

SimServer::~SimServer() {
    try {
        stop();
    } catch (...) {
        // A destructor must not throw; the threads are gone either way.
    }
}

void SimServer::addParty(std::shared_ptr<SimParty> party) {
    if (!party) {
        throw core::ConfigError("party", "no party given");
    }
    auto slot = std::make_shared<PartySlot>();
    slot->prefix = party->prefix();
    slot->name = party->name();
    if (slot->prefix.size() < 2 || slot->prefix.front() != '/' || slot->prefix.back() == '/' ||
        isControlPath(slot->prefix)) {
        throw core::ConfigError("party." + slot->name,
                                "prefix \"" + slot->prefix + "\" must look like /name");
    }
    slot->party = std::move(party);
    std::lock_guard lock(impl_->partiesMutex);
    for (const auto& [prefix, existing] : impl_->parties) {
        if (prefix == slot->prefix || existing->name == slot->name) {
            throw core::ConfigError("party." + slot->name,
                                    "another party already serves " + prefix);
        }
    }
    impl_->http.route("", slot->prefix,
                      [impl = impl_.get(), slot](const core::ServerRequest& request) {
                          return core::ServerAnswer(impl->serve(*slot, request));
                      });
    impl_->parties.emplace(slot->prefix, std::move(slot));
}

void SimServer::start() {
    std::lock_guard lock(impl_->lifecycleMutex);
    if (impl_->http.running()) {
        return;
    }
    impl_->clock.resume();
    impl_->http.start();
}

void SimServer::stop() {
    std::lock_guard lock(impl_->lifecycleMutex);
    if (!impl_->http.running()) {
        return;
    }
    // Every simulated wait (a delayed answer) ends at once, so no worker thread holds the stop up.
    impl_->clock.interrupt();
    impl_->http.stop();
}

bool SimServer::running() const {
    return impl_->http.running();
}

std::uint16_t SimServer::port() const {
    return impl_->http.port();
}

std::string SimServer::baseUrl() const {
    return impl_->http.baseUrl();
}

SimClock& SimServer::clock() {
    return impl_->clock;
}

FaultBook& SimServer::faults() {
    return impl_->faults;
}

core::Json SimServer::stats() const {
    return impl_->stats();
}

void SimServer::reset() {
    impl_->reset();
}

} // namespace fiscpos::sim
