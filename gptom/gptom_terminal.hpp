// core::Terminal over GP tom's Cloud API (network "gptom"): a sale, a cancellation or a batch close
// becomes a task that the device running GP tom carries out; our reference travels on the task as
// originReferenceNum, so query(reference) finds the task again (by the task id this terminal
// remembers, else by searching GP's task list), polls it, and reads its transaction once the
// device is done. Several tasks may wait on one device and finish in any order.
//
// The task's state is not the payment's result. A finished task is read through its transaction
// (approved, declined, ...); a failed or cancelled task is "not charged" only when GP holds no
// transaction for it; a finished task without a transaction, or a result fiscpos does not know,
// is InDoubt. NotFound is reported only when GP's task list has nothing under the reference.
#pragma once

#include "core/terminal.hpp"
#include "gptom/gptom_client.hpp"

#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace fiscpos::gptom {

// How many references a terminal remembers the task id of.
inline constexpr std::size_t rememberedTasks = 10000;

// Cancellations are possible up to this long after the sale (GP's rule).
inline constexpr auto cancellationWindow = std::chrono::hours(24 * 93);

// Checks a payment request before anything is sent: a sale (refunds, pre-authorisations,
// completions, instalments and tips are NotSupportedError: GP's Cloud API has none of them), the
// amount is the signed payable, the signed TID is this terminal's, the reference can travel.
// InputError naming the field.
void checkSaleRequest(const core::PaymentRequest& request, const GptomSettings& settings);
// What the Cloud API can carry, checked before anything is signed or written: a sale without
// pre-authorisation, instalments or tip (NotSupportedError naming the field), a positive amount,
// and a terminal whose settings allow sales (provider_id set,
// a1155_confirmed true: ConfigError naming the setting).
void admitSaleRequest(const core::PaymentRequest& request, const GptomSettings& settings);

// The provider's signature as the sale task carries it. InputError naming "signature.<part>"
// when a part is missing.
TaskSignature taskSignature(const core::SignedPayment& signature, const std::string& providerId);

class GptomTerminal final : public core::Terminal {
public:
    // ConfigError naming the setting when the account settings are unusable; what a sale needs
    // beyond them (provider_id, a1155_confirmed) is checked when it starts.
    explicit GptomTerminal(GptomSettings settings, const core::Clock& clock = core::systemClock());

    void admit(const core::PaymentRequest& request) const override;

    GptomClient& client() { return client_; }

private:
    // Creates a sale task carrying the provider's signature and reports it (normally Pending). A
    // task GP refuses outright (4xx) is reported Final/Failed: nothing was charged.
    core::TerminalReport doStart(const core::PaymentRequest& request,
                                 const core::HttpObserver& record) override;
    // The task under our reference, its transaction when the device is done.
    core::TerminalReport doQuery(const std::string& reference,
                                 std::optional<core::TimePoint> sentNoEarlierThan,
                                 const core::HttpObserver& record) override;
    // Creates a cancellation (storno) task for the original's amsID. The original must have been
    // made on this terminal and at most 93 days ago: GP's record of it is read first, and a sale
    // of another TID or an older one is an InputError naming original.tid or original.date
    // before anything is created.
    core::TerminalReport doVoid(const core::VoidRequest& request,
                                const core::HttpObserver& record) override;
    // GP's Cloud API lists no devices: the configured terminal.
    std::vector<core::TerminalDevice> doDevices(const core::HttpObserver& record) override;
    // Creates a batch-close task; query(reference) follows it and its final report carries the
    // closed batch's totals (cancellations as refunds).
    core::TerminalReport doCloseBatch(const std::string& reference,
                                      const core::HttpObserver& record) override;

    // The report of a task, reading its transaction (or batch) when the device is done.
    core::TerminalReport describe(const TaskView& task, const core::HttpObserver& record);
    // describe() for a task just created: a failure to read its result leaves it for query().
    core::TerminalReport describeCreated(const TaskView& task, const std::string& reference,
                                         const core::HttpObserver& record);
    core::TerminalReport transactionReport(const TaskView& task, core::TerminalReport report,
                                           const core::HttpObserver& record);
    core::TerminalReport batchReport(const TaskView& task, core::TerminalReport report,
                                     const core::HttpObserver& record);
    // The form of `reference` that travels; InputError naming `field` when none can.
    std::string wireReference(const std::string& reference, const std::string& field) const;
    void remember(const std::string& wire, const std::string& taskId);
    std::string rememberedTask(const std::string& wire);
    // Refuses a cancellation GP would refuse: another terminal's sale, or one too old.
    std::string checkOriginal(const core::NetworkPaymentIds& original,
                              const core::HttpObserver& record);

    const core::Clock& clock_;
    GptomClient client_;
    std::mutex tasksMutex_;
    // Our reference's wire form -> GP's task id, for the newest `rememberedTasks` references
    // (older ones are found again through GP's task list).
    std::map<std::string, std::string> taskIds_;
    std::deque<std::string> taskOrder_;
};

} // namespace fiscpos::gptom
