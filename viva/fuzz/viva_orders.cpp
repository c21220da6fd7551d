// What Viva's legacy Basic-auth API answers (viva/orders_records): one JSON answer read as a
// created order, a transaction list and a single transaction.
#include "core/json.hpp"
#include "fuzz/fuzz_support.hpp"
#include "viva/orders_records.hpp"

using fiscpos::fuzz::refusable;
namespace viva = fiscpos::viva;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    refusable([&] {
        const auto json = fiscpos::core::parseJson(fiscpos::fuzz::text(data, size), "orders",
                                                   fiscpos::core::JsonOrigin::Response);
        refusable([&] { (void)viva::OrderCreated::fromJson(json, "order"); });
        refusable([&] {
            for (const auto& transaction :
                 viva::TransactionList::fromJson(json, "list").transactions) {
                (void)transaction.paid();
            }
        });
        refusable([&] { (void)viva::LegacyTransaction::fromJson(json, "transaction"); });
    });
    return 0;
}
