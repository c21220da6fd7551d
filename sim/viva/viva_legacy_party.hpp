// The simulated legacy Viva API under /viva-legacy (contract §13.4, §19), authenticated with
// "Authorization: Basic base64(MerchantID:APIKey)" (401 otherwise):
//
//   GET  /viva-legacy/api/messages/config/token    {"Key": <webhook verification key>}
//   POST /viva-legacy/api/orders                   form (or JSON) Amount=<cents>&SourceCode=
//                                                  <the POS's serial>[&MerchantTrns&CustomerTrns
//                                                  &RequestLang&PaymentTimeOut&MaxInstallments
//                                                  &DisableCash...] -> {"OrderCode": <16 digits>,
//                                                  "ErrorCode": 0, "ErrorText": null, ...}
//   GET  /viva-legacy/api/transactions[/]?ordercode=N | ?date=YYYY-MM-DD (Athens day)
//   GET  /viva-legacy/api/transactions/{transactionId}
//                                                  {"Transactions": [...], "ErrorCode": 0,
//                                                  "ErrorText": null, ...}: every card transaction
//                                                  of the account (Cloud Terminal sessions
//                                                  included), Amount in euros as a decimal number,
//                                                  StatusId "F" or "E", with the webhook's
//                                                  EventData names
// A bad request answers 400 {"ErrorCode": 400, "ErrorText": ..., "Success": false}.
//
// Control (no authentication):
//   POST     /viva-legacy/_control/press-f1  {"source_code": "<serial>"} the cashier presses F1
//                                            now -> {"order_code": N or null}
//   GET|POST /viva-legacy/_control/settings  {"auto_pickup": bool}
//   GET|POST /viva-legacy/_control/webhooks, POST .../webhooks/verify (viva_http.hpp)
#pragma once

#include "sim/viva/viva_merchant_party.hpp"

#include <memory>
#include <string>

namespace fiscpos::sim {

class VivaLegacyParty final : public VivaMerchantParty {
public:
    explicit VivaLegacyParty(std::shared_ptr<viva::Merchant> merchant,
                             std::string prefix = "/viva-legacy");

private:
    // stats(): the order book's counters (orders_created, f1_presses, orders_picked_up,
    // orders_paid, orders_failed) plus key_requests, transaction_queries, unauthenticated, invalid.
    core::Json recordStats() const override;

    SimResponse route(const SimRequest& request) override;
    SimResponse control(const SimRequest& request, const std::string& action);
    void authenticate(const SimRequest& request);
    SimResponse createOrder(const SimRequest& request);
    SimResponse transactions(const SimRequest& request, const std::string& transactionId);

    SimCounter keyRequests_{counters_, "key_requests"}, queries_{counters_, "transaction_queries"};
};

} // namespace fiscpos::sim
