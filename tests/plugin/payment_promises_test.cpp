// The promises under retries, faults and bad input, at the PaymentService: a repeated request at
// any state returns its entry (and never hangs), money back never exceeds the sale, one invoice is
// never charged beyond its total, a stuck payment is aborted before it is left in doubt, a request
// the network acknowledged is never "never arrived", a lost request settles in seconds, a decline
// that may still turn is asked again, and what cannot be a card charge is refused before anything
// is written. Each case was a break found by trying; the scripted terminal makes it happen exactly.
#include "signing/provider_error.hpp"
#include "tests/support/scripted_world.hpp"

#include <boost/test/unit_test.hpp>

#include <stdexcept>

using namespace fiscpos;
using namespace fiscpos::test;
using plugin::EntryKind;
using plugin::EntryState;

namespace {

using Stage = core::TerminalStage;
using Outcome = core::PaymentOutcome;

// Stands for a process killed at a step: the exception leaves the entry as the journal had it.
struct Killed : std::runtime_error {
    Killed()
        : std::runtime_error("killed") {}
};

plugin::ProgressListener killAt(const std::string& step) {
    return [step](const std::string&, const std::string& at, const std::string&) {
        if (at == step) {
            throw Killed();
        }
    };
}

std::size_t entryCount(const World& world) {
    return world.journal.list().size();
}

bool hasEvent(const World& world, const std::string& entryId, const std::string& kind) {
    for (const auto& event : world.journal.events(entryId)) {
        if (event.record.kind == kind) {
            return true;
        }
    }
    return false;
}

std::string messageOf(const std::function<void()>& f) {
    try {
        f();
    } catch (const core::Error& e) {
        return e.what();
    }
    return "no error";
}

plugin::RefundRequest refundOf(const plugin::JournalEntry& sale, const std::string& amount,
                               const std::string& aa) {
    plugin::RefundRequest request;
    request.originalEntry = sale.id;
    request.creditNoteJson = invoiceJson(aa);
    request.creditNote = einvoice::parseInvoice(request.creditNoteJson);
    request.creditNote.type = "11.4";
    request.amount = core::Money::parse(amount, "amount");
    return request;
}

} // namespace

BOOST_AUTO_TEST_CASE(a_payment_repeated_while_its_card_is_awaited_returns_and_waits_for_the_card) {
    World world;
    auto request = world.sale();
    request.idempotencyKey = "K-1";
    // The first process dies while the card is on the terminal: the entry stays SENT.
    world.terminal->onQuery = [](const std::string&, int) {
        return report(Stage::OnDevice);
    };
    BOOST_CHECK_THROW(world.service->pay(request, killAt("on_device")), Killed);
    BOOST_TEST(stateName(world.journal.list().front().state) == "SENT");

    // The same request again (same key): no second intent, and it waits for the card.
    world.terminal->onQuery = [](const std::string&, int n) {
        return n < 4 ? report(Stage::OnDevice) : report(Stage::Final, Outcome::Approved);
    };
    const auto again = world.service->pay(request);
    BOOST_TEST(stateName(again.state) == "APPROVED");
    BOOST_TEST(world.terminal->started.size() == 1U);
    BOOST_TEST(entryCount(world) == 1U);

    // And once more, final: the same entry, nothing asked.
    const auto queries = world.terminal->queries.begin()->second;
    BOOST_TEST(world.service->pay(request).id == again.id);
    BOOST_TEST(world.terminal->queries.begin()->second == queries);
}

BOOST_AUTO_TEST_CASE(every_operation_repeated_with_its_key_after_it_ended_returns_the_same_entry) {
    World world;
    auto request = world.sale();
    request.idempotencyKey = "S-1";
    const auto sale = world.service->pay(request);
    auto refund = refundOf(sale, "12.40", "8");
    refund.idempotencyKey = "R-1";
    const auto refunded = world.service->refund(refund);
    BOOST_TEST(stateName(refunded.state) == "APPROVED");
    // The sale is refunded in full: a new refund is refused, the same one comes back.
    BOOST_TEST(world.service->refund(refund).id == refunded.id);
    refund.idempotencyKey = "R-2";
    BOOST_CHECK_THROW(world.service->refund(refund), core::InputError);

    auto second = world.sale("9");
    second.idempotencyKey = "S-2";
    const auto sale2 = world.service->pay(second);
    const auto voided = world.service->voidSale(sale2.id, std::string("V-1"));
    BOOST_TEST(stateName(voided.state) == "APPROVED");
    BOOST_TEST(world.service->voidSale(sale2.id, std::string("V-1")).id == voided.id);
    BOOST_TEST(world.terminal->voided.size() == 1U);
}

BOOST_AUTO_TEST_CASE(a_sale_refunded_cannot_be_voided_and_a_voided_sale_cannot_be_refunded) {
    World world;
    const auto sale = world.service->pay(world.sale());
    BOOST_TEST(stateName(world.service->refund(refundOf(sale, "12.40", "8")).state) == "APPROVED");
    const std::string refused = messageOf([&] { world.service->voidSale(sale.id); });
    BOOST_TEST(refused.find("refund") != std::string::npos, refused);
    BOOST_TEST(world.terminal->voided.empty());

    // A partial refund is enough to refuse the void: the rest can only be refunded.
    const auto sale2 = world.service->pay(world.sale("9"));
    world.service->refund(refundOf(sale2, "1.00", "10"));
    BOOST_CHECK_THROW(world.service->voidSale(sale2.id), core::InputError);

    const auto sale3 = world.service->pay(world.sale("11"));
    world.service->voidSale(sale3.id);
    BOOST_TEST(world.journal.get(sale3.id).voided());
    const auto entries = entryCount(world);
    BOOST_CHECK_THROW(world.service->refund(refundOf(sale3, "1.00", "12")), core::InputError);
    BOOST_TEST(entryCount(world) == entries); // nothing written
}

BOOST_AUTO_TEST_CASE(a_void_settled_later_by_status_still_marks_its_sale_voided) {
    World world;
    const auto sale = world.service->pay(world.sale());
    // The void's answer is lost and the process dies: status learns that it was approved.
    world.terminal->onVoid = [](const core::VoidRequest&) -> core::TerminalReport {
        throw core::TransportError(core::TransportError::Stage::Exchange, "connection reset");
    };
    world.terminal->onQuery = [](const std::string&, int) {
        return report(Stage::Pending);
    };
    std::string voidId;
    BOOST_CHECK_THROW(world.service->voidSale(
                          sale.id, std::nullopt,
                          [&](const std::string& id, const std::string& step, const std::string&) {
                              voidId = id;
                              if (step == "pending") {
                                  throw Killed();
                              }
                          }),
                      Killed);
    world.terminal->onQuery = [](const std::string&, int) {
        return report(Stage::Final, Outcome::Approved);
    };
    world.service->reconcile();
    BOOST_TEST(stateName(world.journal.get(voidId).state) == "APPROVED");
    BOOST_TEST(world.journal.get(sale.id).voided());
    // So a refund now is refused.
    BOOST_CHECK_THROW(world.service->refund(refundOf(sale, "1.00", "8")), core::InputError);
}

BOOST_AUTO_TEST_CASE(one_invoice_is_paid_in_parts_but_never_beyond_its_total) {
    World world;
    auto part = world.sale();
    part.amount = core::Money::parse("10.00", "amount");
    BOOST_TEST(stateName(world.service->pay(part).state) == "APPROVED");
    part.amount = core::Money::parse("2.40", "amount");
    const auto second = world.service->pay(part);
    BOOST_TEST(stateName(second.state) == "APPROVED");

    // A third card payment of the same 12.40 invoice: refused before the provider or the
    // terminal is asked, naming what paid it.
    part.amount = core::Money::parse("0.01", "amount");
    const auto entries = entryCount(world);
    const std::string refused = messageOf([&] { world.service->pay(part); });
    BOOST_TEST(refused.find(second.id) != std::string::npos, refused);
    BOOST_TEST(refused.find("12.40") != std::string::npos, refused);
    BOOST_TEST(entryCount(world) == entries);
    BOOST_TEST(world.terminal->started.size() == 2U);

    // A declined or voided payment frees its share.
    world.service->voidSale(second.id);
    part.amount = core::Money::parse("2.40", "amount");
    BOOST_TEST(stateName(world.service->pay(part).state) == "APPROVED");
}

BOOST_AUTO_TEST_CASE(a_payment_still_open_at_the_deadline_is_aborted_and_followed_to_its_end) {
    World world;
    bool abortAsked = false;
    world.terminal->onAbort = [&](const std::string&) {
        abortAsked = true;
        return report(Stage::OnDevice);
    };
    int afterAbort = 0;
    world.terminal->onQuery = [&](const std::string&, int) {
        if (abortAsked && ++afterAbort == 3) {
            return report(Stage::Final, Outcome::Cancelled);
        }
        return report(Stage::OnDevice);
    };
    const auto entry = world.service->pay(world.sale());
    BOOST_TEST(abortAsked);
    BOOST_TEST(stateName(entry.state) == "CANCELLED");
    BOOST_TEST(world.terminal->aborted.size() == 1U);

    // The card got through before the abort: approved, never in doubt.
    World again;
    again.terminal->onAbort = [&](const std::string&) {
        return report(Stage::OnDevice);
    };
    again.terminal->onQuery = [&](const std::string&, int) {
        return again.terminal->aborted.empty() ? report(Stage::OnDevice)
                                               : report(Stage::Final, Outcome::Approved);
    };
    BOOST_TEST(stateName(again.service->pay(again.sale()).state) == "APPROVED");
}

BOOST_AUTO_TEST_CASE(a_network_that_cannot_abort_leaves_the_payment_in_doubt_at_the_deadline) {
    World world;
    world.terminal->onQuery = [](const std::string&, int) {
        return report(Stage::OnDevice);
    };
    const auto entry = world.service->pay(world.sale());
    BOOST_TEST(stateName(entry.state) == "IN_DOUBT");
    BOOST_TEST(world.terminal->aborted.empty());
}

BOOST_AUTO_TEST_CASE(a_request_the_network_acknowledged_is_never_closed_as_never_arrived) {
    World world;
    // 200 to the sale, then the network answers 404 for the session for ever.
    world.terminal->onQuery = [](const std::string&, int) {
        return report(Stage::NotFound);
    };
    const auto entry = world.service->pay(world.sale());
    BOOST_TEST(stateName(entry.state) == "IN_DOUBT");
    BOOST_TEST(stateName(world.service->status(entry.id).state) == "IN_DOUBT");
    world.service->reconcile();
    BOOST_TEST(stateName(world.journal.get(entry.id).state) == "IN_DOUBT");
    // When the network finally says how it ended, that is the outcome.
    world.terminal->onQuery = [](const std::string&, int) {
        return report(Stage::Final, Outcome::Approved);
    };
    BOOST_TEST(stateName(world.service->status(entry.id).state) == "APPROVED");
}

BOOST_AUTO_TEST_CASE(a_lost_request_the_network_never_received_settles_in_seconds) {
    World world;
    world.terminal->onStart = [](const core::PaymentRequest&) -> core::TerminalReport {
        throw core::TransportError(core::TransportError::Stage::Exchange, "HTTP 502 from the "
                                                                          "network");
    };
    world.terminal->onQuery = [](const std::string&, int) {
        return report(Stage::NotFound);
    };
    const auto before = world.clock.now();
    const auto entry = world.service->pay(world.sale());
    BOOST_TEST(stateName(entry.state) == "NOT_CHARGED");
    const auto waited = world.clock.now() - before;
    BOOST_TEST(waited >= std::chrono::seconds(3));
    BOOST_TEST(waited < std::chrono::seconds(10));
    BOOST_TEST(world.terminal->queries.begin()->second < 30);
    BOOST_TEST(world.terminal->started.size() == 1U); // never sent again
}

BOOST_AUTO_TEST_CASE(a_tentative_pending_does_not_count_as_the_network_having_the_request) {
    World world;
    world.terminal->onStart = [](const core::PaymentRequest&) -> core::TerminalReport {
        throw core::TransportError(core::TransportError::Stage::Exchange, "connection reset");
    };
    // The adapter waits out a registration delay (pending, tentative), then the network has none.
    world.terminal->onQuery = [](const std::string&, int n) {
        auto r = report(n < 5 ? Stage::Pending : Stage::NotFound);
        r.tentative = n < 5;
        return r;
    };
    BOOST_TEST(stateName(world.service->pay(world.sale()).state) == "NOT_CHARGED");
}

BOOST_AUTO_TEST_CASE(a_recent_decline_that_the_network_may_still_turn_is_asked_again) {
    World world;
    world.terminal->traits().declineMayTurnWithin = std::chrono::minutes(10);
    world.terminal->onQuery = [](const std::string&, int) {
        return report(Stage::Final, Outcome::Declined);
    };
    const auto declined = world.service->pay(world.sale());
    BOOST_TEST(stateName(declined.state) == "DECLINED");
    // The cardholder retried the PIN: the network now reports success.
    world.terminal->onQuery = [](const std::string&, int) {
        return report(Stage::Final, Outcome::Approved);
    };
    world.clock.advance(std::chrono::minutes(2));
    world.service->reconcile();
    BOOST_TEST(stateName(world.journal.get(declined.id).state) == "APPROVED");

    // A terminal that has forgotten the session cannot tell: the decline it gave stands. The
    // question carries the entry's opening, the earliest its request can have left.
    world.terminal->onQuery = [](const std::string&, int) {
        return report(Stage::Final, Outcome::Declined);
    };
    const auto forgotten = world.service->pay(world.sale("8"));
    world.terminal->onQuery = [](const std::string&, int) {
        return report(Stage::Final, Outcome::InDoubt);
    };
    world.clock.advance(std::chrono::minutes(2));
    const auto& reference = forgotten.networkReference.value();
    const auto questions = world.terminal->queries[reference];
    world.service->reconcile();
    BOOST_TEST(world.terminal->queries[reference] == questions + 1);
    const auto kept = world.journal.get(forgotten.id);
    BOOST_TEST(stateName(kept.state) == "DECLINED");
    BOOST_TEST((kept.outcome == forgotten.outcome));
    BOOST_TEST(world.terminal->sentNoEarlier[reference].has_value());
    BOOST_TEST((world.terminal->sentNoEarlier[reference] == core::timeIfReadable(kept.createdAt)));

    // A decline older than the window is not asked about.
    world.terminal->onQuery = [](const std::string&, int) {
        return report(Stage::Final, Outcome::Declined);
    };
    const auto old = world.service->pay(world.sale("9"));
    world.clock.advance(std::chrono::minutes(11));
    const auto asked = world.terminal->queries[old.networkReference.value()];
    world.service->reconcile();
    BOOST_TEST(world.terminal->queries[old.networkReference.value()] == asked);
}

BOOST_AUTO_TEST_CASE(what_cannot_be_a_card_charge_is_refused_before_anything_is_written) {
    World world;
    auto usd = world.sale();
    usd.invoice.currency = "USD";
    BOOST_TEST(messageOf([&] { world.service->pay(usd); }).find("EUR") != std::string::npos);
    auto credit = world.sale();
    credit.invoice.type = "11.4";
    BOOST_TEST(messageOf([&] { world.service->pay(credit); }).find("credit") != std::string::npos);
    auto huge = world.sale();
    huge.invoice.totals.gross = core::Money::parse("9999999999999.99", "amount");
    BOOST_TEST(messageOf([&] { world.service->pay(huge); }).find("the most") != std::string::npos);
    world.terminal->onAdmit = [](const core::PaymentRequest& request) {
        if (request.preauth) {
            throw core::NotSupportedError("this network takes no pre-authorisation");
        }
    };
    auto preauth = world.sale();
    preauth.preauth = true;
    BOOST_CHECK_THROW(world.service->pay(preauth), core::NotSupportedError);
    BOOST_TEST(entryCount(world) == 0U);
    BOOST_TEST(world.terminal->started.empty());
}

BOOST_AUTO_TEST_CASE(customer_contacts_a_network_cannot_carry_are_said_to_be_dropped) {
    World world;
    auto request = world.sale();
    request.customerEmail = "customer@example.com";
    std::string notice;
    const auto entry = world.service->pay(
        request, [&](const std::string&, const std::string& step, const std::string& text) {
            if (step == "notice") {
                notice = text;
            }
        });
    BOOST_TEST(notice.find("e-mail") != std::string::npos, notice);
    BOOST_TEST(hasEvent(world, entry.id, plugin::event_kind::Note));

    world.terminal->traits().carriesCustomerContact = true;
    notice.clear();
    world.service->pay(world.sale("9"),
                       [&](const std::string&, const std::string& step, const std::string& text) {
                           if (step == "notice") {
                               notice = text;
                           }
                       });
    BOOST_TEST(notice.empty());
}

BOOST_AUTO_TEST_CASE(
    the_provider_signature_of_a_payment_that_never_reached_the_network_is_cancelled) {
    World world;
    world.terminal->onStart = [](const core::PaymentRequest&) -> core::TerminalReport {
        throw core::TransportError(core::TransportError::Stage::Connect, "connection refused");
    };
    const auto failed = world.service->pay(world.sale());
    BOOST_TEST(stateName(failed.state) == "FAILED");
    world.service->reconcile();
    BOOST_TEST(hasEvent(world, failed.id, plugin::event_kind::ProviderCancelled));
    BOOST_TEST(world.signer.find(failed.signatureId.value()).cancelledAt.has_value());
    // Once: a second reconcile writes nothing more.
    const auto events = world.journal.events(failed.id).size();
    world.service->reconcile();
    BOOST_TEST(world.journal.events(failed.id).size() == events);

    // A payment killed while the provider signed: reconcile closes it and cancels its signature.
    world.terminal->onStart = [](const core::PaymentRequest&) {
        return report(Stage::Pending);
    };
    BOOST_CHECK_THROW(world.service->pay(world.sale("9"), killAt("signed")), Killed);
    world.service->reconcile();
    const auto killed = world.journal.list().back();
    BOOST_TEST(stateName(killed.state) == "NOT_CHARGED");
    BOOST_TEST(hasEvent(world, killed.id, plugin::event_kind::ProviderCancelled));
}

namespace {

// A provider that answers what the test says.
class ScriptedSigner final : public signing::Signer {
public:
    std::function<signing::ProviderSignature(const signing::SignatureRequest&)> onSign;
    signing::ProviderSignature sign(const signing::SignatureRequest& request) override {
        return onSign(request);
    }
    signing::ProviderSignature find(const std::string&) override {
        throw core::NotSupportedError("find");
    }
    signing::ProviderSignature cancel(const std::string&) override {
        throw core::NotSupportedError("cancel");
    }
    std::vector<signing::ProviderSignature> listPending() override { return {}; }
};

struct SignerWorld {
    World world;
    ScriptedSigner signer;
    plugin::PaymentService service{
        world.journal, signer,
        std::map<std::string, plugin::TerminalBinding>{
            {"T1", plugin::TerminalBinding{"T1", "scripted", "99000031", "999",
                                           signing::Nsp::WebEcr, world.terminal, nullptr}}},
        world.clock};
};

} // namespace

BOOST_AUTO_TEST_CASE(a_provider_record_refused_by_the_input_check_is_kept_in_the_journal) {
    SignerWorld w;
    w.signer.onSign = [](const signing::SignatureRequest&) -> signing::ProviderSignature {
        throw signing::RefusedProviderRecord(
            "signature.unsigned_text", "the Input's amount differs from the record's",
            R"({"id":"sig-9","unsigned_text":"AB;1;2;3;4;5;999;99000031"})");
    };
    const auto entry = w.service.pay(w.world.sale());
    BOOST_TEST(stateName(entry.state) == "FAILED");
    bool kept = false;
    for (const auto& event : w.world.journal.events(entry.id)) {
        kept = kept || (event.record.kind == plugin::event_kind::ProviderResponse &&
                        event.record.responseBody.value_or("").find("sig-9") != std::string::npos);
    }
    BOOST_TEST(kept);
    BOOST_TEST(w.world.terminal->started.empty());
}

BOOST_AUTO_TEST_CASE(a_provider_that_refuses_the_requests_content_is_an_input_error) {
    SignerWorld w;
    w.signer.onSign = [](const signing::SignatureRequest&) -> signing::ProviderSignature {
        throw signing::ProviderError(422, "The given data was invalid.",
                                     {{"terminal_id", {"The terminal id is not registered."}}});
    };
    BOOST_CHECK_THROW(w.service.pay(w.world.sale()), signing::ProviderError);
    // The refusal is in the journal all the same, as a finished (failed) entry.
    const auto entries = w.world.journal.list();
    BOOST_TEST_REQUIRE(entries.size() == 1U);
    BOOST_TEST(stateName(entries.front().state) == "FAILED");
    BOOST_TEST(entries.front().outcome.value().find("terminal_id") != std::string::npos);
}
