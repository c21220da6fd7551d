target_sources(fiscpos_sim PRIVATE
    viva_records.cpp
    viva_sessions.cpp
    viva_orders.cpp
    viva_webhooks.cpp
    viva_merchant.cpp
    viva_http.cpp
    viva_accounts_party.cpp
    viva_api_party.cpp
    viva_legacy_party.cpp
    viva_parties.cpp
    viva_options.cpp)
