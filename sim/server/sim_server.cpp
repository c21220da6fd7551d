#include "sim/server/sim_server.hpp"

#include "core/errors.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/SharedPtr.h>
#include <Poco/ThreadPool.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

#include <atomic>
#include <istream>
#include <map>
#include <mutex>

namespace fiscpos::sim {

namespace {

constexpr std::size_t maxBodyBytes = 4 * 1024 * 1024;

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

bool underPrefix(const std::string& path, const std::string& prefix) {
    return path.rfind(prefix, 0) == 0 &&
           (path.size() == prefix.size() || path[prefix.size()] == '/');
}

// The status line and headers of an answer.
void setHead(Poco::Net::HTTPServerResponse& out, const SimResponse& answer) {
    out.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status));
    for (const auto& [name, value] : answer.headers) {
        out.set(name, value);
    }
    if (!answer.contentType.empty()) {
        out.setContentType(answer.contentType);
    }
    out.setContentLength(static_cast<std::streamsize>(answer.body.size()));
}

void send(Poco::Net::HTTPServerResponse& out, const SimResponse& answer) {
    setHead(out, answer);
    out.sendBuffer(answer.body.data(), answer.body.size());
}

// Like send(), but the answer has left when it returns (send() leaves part of it buffered until
// the handler is done), so the connection can be closed right after it.
void sendFlushed(Poco::Net::HTTPServerResponse& out, const SimResponse& answer) {
    setHead(out, answer);
    std::ostream& body = out.send();
    body.write(answer.body.data(), static_cast<std::streamsize>(answer.body.size()));
    body.flush();
}

// Ends the exchange without an answer: the client sees the connection close with nothing on it,
// the way a crashed server or a broken network path looks.
void dropConnection(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& out) {
    out.setKeepAlive(false);
    if (auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request)) {
        try {
            impl->socket().shutdown();
        } catch (const Poco::Exception&) {
            // Already gone: that is what we wanted.
        }
    }
}

SimResponse validationError(const core::InputError& error) {
    return SimResponse::json(
        422,
        core::Json{{"message", error.what()},
                   {"errors", core::Json{{error.field(), core::Json::array({error.what()})}}}});
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
        , clock(options.timeScale) {}

    SimServerOptions options;
    SimClock clock;
    FaultBook faults;

    mutable std::mutex partiesMutex;
    std::map<std::string, std::shared_ptr<PartySlot>> parties; // by prefix
    std::atomic<std::int64_t> unmatched{0};
    std::atomic<std::int64_t> keepAliveClosed{0}; // connections closed after an answer

    std::mutex lifecycleMutex;
    std::unique_ptr<Poco::ThreadPool> pool;
    std::unique_ptr<Poco::Net::HTTPServer> server;
    Poco::Net::ServerSocket listener;
    std::atomic<std::uint16_t> port{0};

    std::shared_ptr<PartySlot> findParty(const std::string& path) const {
        std::lock_guard lock(partiesMutex);
        std::shared_ptr<PartySlot> best;
        for (const auto& [prefix, slot] : parties) {
            if (underPrefix(path, prefix) && (!best || prefix.size() > best->prefix.size())) {
                best = slot;
            }
        }
        return best;
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

    static bool readRequest(Poco::Net::HTTPServerRequest& in, SimRequest& request) {
        request.method = in.getMethod();
        const Poco::URI uri(in.getURI());
        request.path = uri.getPath();
        request.rawQuery = uri.getRawQuery();
        for (const auto& [name, value] : uri.getQueryParameters()) {
            request.query.emplace(name, value);
        }
        for (const auto& [name, value] : in) {
            request.headers.emplace_back(name, value);
        }
        request.host = in.getHost();
        std::istream& body = in.stream();
        char buffer[8192];
        while (body.read(buffer, sizeof buffer) || body.gcount() > 0) {
            request.body.append(buffer, static_cast<std::size_t>(body.gcount()));
            if (request.body.size() > maxBodyBytes) {
                return false;
            }
        }
        return true;
    }

    static SimResponse callParty(SimParty& party, const SimRequest& request) {
        try {
            return party.handle(request);
        } catch (const std::exception& e) {
            return SimResponse::message(500, std::string("Server Error: ") + e.what());
        }
    }

    SimResponse control(const SimRequest& request) {
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

    void serve(Poco::Net::HTTPServerRequest& in, Poco::Net::HTTPServerResponse& out) {
        SimRequest request;
        try {
            if (!readRequest(in, request)) {
                send(out, SimResponse::message(413, "The request body is too large."));
                return;
            }
        } catch (const Poco::SyntaxException&) {
            send(out, SimResponse::message(400, "The request target is not a valid URI."));
            return;
        }
        if (isControlPath(request.path)) {
            send(out, control(request));
            return;
        }
        const auto slot = findParty(request.path);
        if (!slot) {
            ++unmatched;
            send(out, SimResponse::message(404, "No simulated party serves " + request.path));
            return;
        }
        slot->count(request.method);
        request.subpath = request.path.substr(slot->prefix.size());

        const auto fault = faults.take(request.method, request.path);
        if (!fault) {
            send(out, callParty(*slot->party, request));
            return;
        }
        switch (fault->kind) {
        case FaultKind::DropBefore:
            dropConnection(in, out);
            return;
        case FaultKind::DropAfter:
            callParty(*slot->party, request);
            dropConnection(in, out);
            return;
        case FaultKind::Status:
            if (fault->apply) {
                callParty(*slot->party, request);
            }
            if (!fault->body) {
                send(out, SimResponse::message(fault->status, "Simulated fault: HTTP " +
                                                                  std::to_string(fault->status)));
            } else if (fault->body->is_string()) {
                SimResponse raw; // a string is the body's text, as is (e.g. broken JSON)
                raw.status = fault->status;
                raw.body = fault->body->get<std::string>();
                send(out, raw);
            } else {
                send(out, SimResponse::json(fault->status, *fault->body));
            }
            return;
        case FaultKind::CloseAfter:
            sendFlushed(out, callParty(*slot->party, request));
            dropConnection(in, out);
            ++keepAliveClosed;
            return;
        case FaultKind::Malformed: {
            if (fault->apply) {
                callParty(*slot->party, request);
            }
            SimResponse broken;
            broken.body = std::string(malformedBody);
            send(out, broken);
            return;
        }
        case FaultKind::Delay: {
            // The party acts at once; only its answer is late, as with a slow network or a
            // server that commits before it replies.
            const SimResponse answer = callParty(*slot->party, request);
            if (!clock.sleepFor(fault->delay)) {
                dropConnection(in, out); // stopping
                return;
            }
            send(out, answer);
            return;
        }
        }
    }
};

namespace {

class Handler final : public Poco::Net::HTTPRequestHandler {
public:
    explicit Handler(SimServer::Impl& impl)
        : impl_(impl) {}

    void handleRequest(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) override {
        try {
            impl_.serve(request, response);
        } catch (const Poco::Exception&) {
            // The client went away while we answered; nothing more to do on this connection.
            response.setKeepAlive(false);
        } catch (const std::exception& e) {
            if (!response.sent()) {
                send(response, SimResponse::message(500, std::string("Server Error: ") + e.what()));
            }
        }
    }

private:
    SimServer::Impl& impl_;
};

class HandlerFactory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit HandlerFactory(SimServer::Impl& impl)
        : impl_(impl) {}

    Poco::Net::HTTPRequestHandler*
    createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        // Poco takes ownership of the handler and deletes it after the request.
        return std::make_unique<Handler>(impl_).release();
    }

private:
    SimServer::Impl& impl_;
};

} // namespace

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
    impl_->parties.emplace(slot->prefix, std::move(slot));
}

void SimServer::start() {
    std::lock_guard lock(impl_->lifecycleMutex);
    if (impl_->server) {
        return;
    }
    const SimServerOptions& options = impl_->options;
    Poco::Net::ServerSocket socket;
    try {
        socket.bind(Poco::Net::SocketAddress(options.host, options.port), true);
        socket.listen(64);
    } catch (const Poco::Exception& e) {
        throw core::ConfigError("listen", "cannot listen on " + options.host + ":" +
                                              std::to_string(options.port) + ": " +
                                              e.displayText());
    }
    auto params = Poco::makeAuto<Poco::Net::HTTPServerParams>();
    params->setMaxThreads(options.maxThreads);
    params->setMaxQueued(options.maxQueued);
    params->setKeepAlive(true);
    // An idle keep-alive connection holds a worker thread; let it go soon.
    params->setKeepAliveTimeout(Poco::Timespan(5, 0));
    params->setSoftwareVersion(std::string("fiscpos-sim/") + FISCPOS_VERSION);

    impl_->clock.resume();
    impl_->pool =
        std::make_unique<Poco::ThreadPool>(std::min(2, options.maxThreads), options.maxThreads);
    impl_->server = std::make_unique<Poco::Net::HTTPServer>(
        Poco::makeShared<HandlerFactory>(*impl_), *impl_->pool, socket, params);
    impl_->server->start();
    impl_->listener = socket;
    impl_->port = socket.address().port();
}

void SimServer::stop() {
    std::lock_guard lock(impl_->lifecycleMutex);
    if (!impl_->server) {
        return;
    }
    impl_->clock.interrupt();
    // Shutting the listening socket down wakes the accepting thread at once, instead of at the
    // end of its poll interval, so a stop takes milliseconds.
    try {
        impl_->listener.impl()->shutdown();
    } catch (const Poco::Exception&) {
        // Not supported here: the accepting thread notices the stop at its next poll.
    }
    impl_->server->stopAll(true);
    impl_->pool->joinAll();
    impl_->server.reset();
    impl_->pool.reset();
    impl_->listener.close();
    impl_->port = 0;
}

bool SimServer::running() const {
    return impl_->port.load() != 0;
}

std::uint16_t SimServer::port() const {
    return impl_->port.load();
}

std::string SimServer::baseUrl() const {
    const std::string& host = impl_->options.host;
    const bool ipv6 = host.find(':') != std::string::npos;
    return "http://" + (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port());
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
