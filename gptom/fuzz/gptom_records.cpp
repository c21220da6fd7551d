// What GP tom's Cloud API answers, in its provisional shape (gptom/provisional_api over
// gptom/gptom_records): one JSON answer read as a task view, a task list (each item as a task), a
// transaction detail and a batch-close result, its value as a task state and a payment result, and
// the bytes as an error body.
#include "gptom/gptom_records.hpp"
#include "core/json.hpp"
#include "fuzz/fuzz_support.hpp"
#include "gptom/provisional_api.hpp"

using fiscpos::fuzz::refusable;
namespace gptom = fiscpos::gptom;
namespace provisional = fiscpos::gptom::provisional;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input = fiscpos::fuzz::text(data, size);
    refusable([&] { (void)provisional::errorText(std::string(input)); });
    refusable([&] { (void)provisional::originReference(std::string(input)); });
    refusable([&] {
        const auto json =
            fiscpos::core::parseJson(input, "gptom", fiscpos::core::JsonOrigin::Response);
        refusable([&] {
            const auto task = provisional::readTask(json, "task");
            (void)gptom::taskStateName(task.state);
            (void)gptom::taskKindName(task.kind);
            if (task.error) {
                (void)task.error->describe();
            }
            if (task.transaction) {
                (void)gptom::txnOutcomeName(task.transaction->outcome);
            }
        });
        refusable([&] {
            for (const auto& item : provisional::readTaskList(json, "tasks")) {
                refusable([&] { (void)provisional::readTask(item, "tasks[]"); });
            }
        });
        refusable([&] { (void)provisional::readTransaction(json, "transaction"); });
        refusable([&] { (void)provisional::readBatch(json, "batch"); });
        refusable([&] { (void)provisional::taskStateOf(json); });
        refusable([&] { (void)provisional::runningState(json); });
        refusable([&] { (void)provisional::txnOutcomeOf(json); });
    });
    return 0;
}
