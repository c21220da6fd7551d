// fiscpos-sim's HTTP server: one Poco HTTPServer on loopback that hosts every simulated remote
// party under its own prefix, plus the control endpoints tests and developers drive it with:
//   /_sim/faults  GET lists, POST adds a fault rule (see fault.hpp), DELETE clears them
//   /_sim/stats   GET: per party, requests received (in all and per method) and what it created
//   /_sim/time    GET: simulated time and the time scale
//   /_sim/reset   POST: clears faults and every party's records and counters
// A path under no party's prefix gets 404 {"message": ...}.
#pragma once

#include "core/json.hpp"
#include "sim/server/fault.hpp"
#include "sim/server/sim_clock.hpp"
#include "sim/server/sim_party.hpp"

#include <cstdint>
#include <memory>
#include <string>

namespace fiscpos::sim {

struct SimServerOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0; // 0: an ephemeral port, see SimServer::port()
    // Hosts other than loopback are refused unless this is set: the simulator has no
    // authentication of its own and must not be reachable from the network by accident.
    bool allowRemote = false;
    double timeScale = 1.0;
    int maxThreads = 16; // worker threads; connections beyond them wait in a queue
    int maxQueued = 64;
    // false: every connection is closed after its answer, so that a client with thousands of
    // connections costs the simulator threads only while it is being answered.
    bool keepAlive = true;
    // HTTPS with this certificate and key (PEM files): a Viva terminal's self-signed certificate
    // for a pinned viva-local terminal, or a CA-signed one for the other parties. Both empty:
    // plain HTTP.
    std::string tlsCertificateFile{};
    std::string tlsKeyFile{};
};

class SimServer {
public:
    // Checks the options (ConfigError naming "listen" or "time-scale"); nothing listens yet.
    explicit SimServer(SimServerOptions options = {});
    ~SimServer(); // stops
    SimServer(const SimServer&) = delete;
    SimServer& operator=(const SimServer&) = delete;

    // Registers a party under its prefix ("/name", unique). Allowed before and after start().
    void addParty(std::shared_ptr<SimParty> party);

    // Binds and starts serving; a port that cannot be bound is a ConfigError naming "listen".
    void start();
    // Wakes every simulated wait, drops open connections and joins the worker threads.
    void stop();
    bool running() const;

    // The bound port (the real one when started with port 0); 0 before start().
    std::uint16_t port() const;
    // "http://127.0.0.1:PORT", without a trailing slash.
    std::string baseUrl() const;

    // Simulated time: parties read it and wait on it.
    SimClock& clock();
    FaultBook& faults();
    // What GET /_sim/stats answers.
    core::Json stats() const;
    // What POST /_sim/reset does.
    void reset();

    struct Impl;

private:
    std::unique_ptr<Impl> impl_;
};

} // namespace fiscpos::sim
