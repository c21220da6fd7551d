// A simulated network's command-line options in one table: each row is an option's line of --help
// and how its value is read into the network's options struct, so an option's name is written
// once and what --help offers is what is read.
//
//   using Table = SimOptionTable<AcmeOptions>;
//   const Table table{{
//       Table::text({"acme-username", "login (default sim-user)", "NAME"}, &AcmeOptions::username),
//       Table::seconds({"acme-run-for", "simulated seconds ... (default 3)", "S"},
//                      &AcmeOptions::timing, &AcmeTiming::runFor),
//   }};
//   table.specs()      -> the rows' lines of --help, in order
//   table.read(values) -> AcmeOptions{} with every option given set, in the rows' order
#pragma once

#include "core/errors.hpp"
#include "sim/server/sim_clock.hpp"
#include "sim/server/sim_options.hpp"
#include "sim/server/sim_server.hpp"

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace fiscpos::sim {

// The member `path` leads to inside `object`: memberAt(o, &O::timing, &Timing::runFor) is
// o.timing.runFor.
template <class Object, class Member, class... Rest>
auto& memberAt(Object& object, Member member, Rest... rest) {
    if constexpr (sizeof...(Rest) == 0) {
        return object.*member;
    } else {
        return memberAt(object.*member, rest...);
    }
}

template <class Options> class SimOptionTable {
public:
    // Reads the option `name` (when given) into `options`; ConfigError naming it on a bad value.
    using Reader =
        std::function<void(const SimOptionValues& values, const std::string& name, Options&)>;
    struct Row {
        SimOptionSpec spec;
        Reader read; // empty: an option read elsewhere (e.g. the provider key)
    };

    explicit SimOptionTable(std::vector<Row> rows)
        : rows_(std::move(rows)) {}

    std::vector<SimOptionSpec> specs() const {
        std::vector<SimOptionSpec> specs;
        for (const Row& row : rows_) {
            specs.push_back(row.spec);
        }
        return specs;
    }

    Options read(const SimOptionValues& values) const {
        Options options;
        for (const Row& row : rows_) {
            if (row.read) {
                row.read(values, row.spec.name, options);
            }
        }
        return options;
    }

    // An option only listed here.
    static Row listed(SimOptionSpec spec) { return {std::move(spec), {}}; }
    // Text, kept as given.
    template <class... Path> static Row text(SimOptionSpec spec, Path... path) {
        return {std::move(spec), [path...](const auto& values, const auto& name, Options& o) {
                    auto& field = memberAt(o, path...);
                    field = values.text(name, field);
                }};
    }
    // Simulated seconds (SimOptionValues::seconds).
    template <class... Path> static Row seconds(SimOptionSpec spec, Path... path) {
        return {std::move(spec), [path...](const auto& values, const auto& name, Options& o) {
                    auto& field = memberAt(o, path...);
                    field = values.seconds(name, field);
                }};
    }
    // Simulated seconds, refused below `minimum` with `reason`.
    template <class... Path>
    static Row secondsAtLeast(SimOptionSpec spec, Millis minimum, std::string reason,
                              Path... path) {
        return {std::move(spec),
                [minimum, reason, path...](const auto& values, const auto& name, Options& o) {
                    auto& field = memberAt(o, path...);
                    field = values.seconds(name, field);
                    if (field < minimum) {
                        throw core::ConfigError(name, reason);
                    }
                }};
    }
    // A whole number from 1 to `max`, into a field of any integer type.
    template <class... Path> static Row count(SimOptionSpec spec, std::size_t max, Path... path) {
        return {std::move(spec), [max, path...](const auto& values, const auto& name, Options& o) {
                    auto& field = memberAt(o, path...);
                    using Field = std::remove_reference_t<decltype(field)>;
                    field = static_cast<Field>(
                        values.count(name, static_cast<std::size_t>(field), max));
                }};
    }
    // A comma-separated list.
    template <class... Path> static Row list(SimOptionSpec spec, Path... path) {
        return {std::move(spec), [path...](const auto& values, const auto& name, Options& o) {
                    auto& field = memberAt(o, path...);
                    field = values.list(name, field);
                }};
    }
    // A flag: the field is `whenGiven` when the flag is given, its opposite otherwise.
    template <class... Path> static Row flag(SimOptionSpec spec, bool whenGiven, Path... path) {
        return {std::move(spec),
                [whenGiven, path...](const auto& values, const auto& name, Options& o) {
                    memberAt(o, path...) = values.flag(name) == whenGiven;
                }};
    }
    // A value `parse(text, name)` reads (terminals as a list, ...), when the option is given.
    template <class Parse, class... Path>
    static Row parsed(SimOptionSpec spec, Parse parse, Path... path) {
        return {std::move(spec),
                [parse, path...](const auto& values, const auto& name, Options& o) {
                    if (values.has(name)) {
                        memberAt(o, path...) = parse(values.text(name, ""), name);
                    }
                }};
    }
    // Read by `reader` itself.
    static Row custom(SimOptionSpec spec, Reader reader) {
        return {std::move(spec), std::move(reader)};
    }

private:
    std::vector<Row> rows_;
};

// The module of a network of one party made as Party(providerKey, options, clock) from the
// options `table` reads, with its `sample`.
template <class Party, class Options>
SimNetworkModule partyModule(std::string name, std::string where, std::string help,
                             std::shared_ptr<const SimOptionTable<Options>> table,
                             std::optional<SimNetworkSample> sample = std::nullopt) {
    SimNetworkModule module{std::move(name),  std::move(where), table->specs(), std::move(help), {},
                            std::move(sample)};
    module.add = [table](SimServer& server, const SimOptionValues& values,
                         signing::PublicKey providerKey) {
        server.addParty(
            std::make_shared<Party>(std::move(providerKey), table->read(values), server.clock()));
    };
    return module;
}

} // namespace fiscpos::sim
