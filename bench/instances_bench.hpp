// fiscpos-bench --only instances: several `fiscpos serve` processes on one PostgreSQL journal,
// against one. ERP threads pay through POST /api/pay, each on a terminal of its own, against an
// in-process simulator (the provider and a network that counts its charges); then the same with
// one of three instances killed (SIGKILL) a third of the way through, its ERP threads going on
// through the others with the same idempotency keys, and `fiscpos reconcile` after. Counted
// against the network's own records: requests sent twice under one reference (double charges),
// approvals the journal does not hold as APPROVED (lost approvals), entries left open.
#pragma once

#include "core/json.hpp"
#include "signing/ecdsa.hpp"

#include <cstddef>
#include <filesystem>
#include <string>

namespace fiscpos::bench {

struct InstancesBenchOptions {
    std::filesystem::path fiscpos; // the fiscpos executable
    std::string journalUrl;        // postgresql://...: a database the bench may empty
    std::filesystem::path workDir; // configurations and the instances' logs
    std::size_t clients = 60;      // ERP threads, one terminal each
    std::size_t perClient = 20;    // payments per thread
    long paymentMillis = 0;        // how long a payment takes on the terminal
    std::string network;           // empty: the first network that counts its charges
};

// One JSON object: per run ("1", "3", "3-kill") payments_per_s, double_charges, lost_approvals,
// journal_open, ...; and speedup_3_vs_1.
core::Json instancesBenchmark(const InstancesBenchOptions& options, const signing::PrivateKey& key);

} // namespace fiscpos::bench
