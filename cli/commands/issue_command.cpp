// fiscpos issue: issues the invoice of an approved card payment through the provider and prints
// its MARK (none while the provider has not reached myDATA yet) and the receipt link. Run again,
// it answers from the journal; after a lost answer it asks the provider by the invoice's UID
// before sending anything, so the invoice is issued once.
#include "cli/commands/commands.hpp"

#include "cli/commands/payment_context.hpp"
#include "plugin/invoice_issuing.hpp"

namespace fiscpos::cli {

namespace {

int runIssue(const CommandArgs& args, CommandContext& context) {
    PaymentContext payments(context, false);
    const auto outcome = payments.runtime().issue(entryArg(args, payments.journal()),
                                                  payments.progress(context.out), "--entry");
    const auto& issued = outcome.issued;
    const std::string state = issued.queued() ? "QUEUED" : "ISSUED";
    context.out.line(state + "  invoice " + issued.uid);
    context.out.field("entry", outcome.entry.id);
    context.out.field("MARK", issued.mark.value_or("(not yet: the provider has not reached "
                                                   "myDATA; run issue again later)"));
    context.out.field("receipt", issued.url);
    context.out.field("provider id", issued.id);
    if (outcome.payment) {
        context.out.field("card payment",
                          outcome.payment->queued()
                              ? "added (myDATA not reached yet)"
                              : "added, payment MARK " + *outcome.payment->paymentMethodMark);
    }
    context.out.result(plugin::issueOutcomeJson(outcome));
    return ExitDone;
}

} // namespace

Command makeIssueCommand() {
    return Command({"issue",
                    "issue an approved payment's invoice through the provider: MARK and receipt "
                    "link (once, however often it runs)",
                    "",
                    {entryOption("the approved payment's entry")}},
                   runIssue);
}

} // namespace fiscpos::cli
