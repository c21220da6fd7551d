// What Mellon's WebECR API answers (mellon/webecr_records): one JSON answer read as an intent, a
// transaction, a terminal entry and a page of a list (and each item of the page as an intent),
// and every string in it read as a record's time (core::timeIfReadable).
#include "mellon/webecr_records.hpp"
#include "core/json.hpp"
#include "fuzz/fuzz_support.hpp"

using fiscpos::core::Json;
using fiscpos::fuzz::refusable;
namespace mellon = fiscpos::mellon;

namespace {

void readTimes(const Json& value, int depth) {
    if (value.is_string()) {
        (void)fiscpos::core::timeIfReadable(value.get<std::string>());
    } else if (value.is_structured() && depth < 8) {
        for (const auto& item : value) {
            readTimes(item, depth + 1);
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    refusable([&] {
        const Json json = fiscpos::core::parseJson(fiscpos::fuzz::text(data, size), "webecr",
                                                   fiscpos::core::JsonOrigin::Response);
        refusable([&] {
            const auto intent = mellon::Intent::fromJson(json, "intent");
            (void)mellon::statusName(intent.status);
            if (intent.result) {
                (void)mellon::resultName(*intent.result);
            }
        });
        refusable([&] { (void)mellon::Transaction::fromJson(json, "transaction"); });
        refusable([&] { (void)mellon::TerminalInfo::fromJson(json, "terminal"); });
        refusable([&] {
            for (const auto& item : mellon::Page::fromJson(json, "page").results) {
                refusable([&] { (void)mellon::Intent::fromJson(item, "page.results[]"); });
            }
        });
        readTimes(json, 0);
    });
    return 0;
}
