// A configured terminal ([terminal.NAME]) as the PaymentService uses it: the network adapter and
// what the provider's signature must name for it.
#pragma once

#include "core/terminal.hpp"
#include "signing/nsp.hpp"

#include <exception>
#include <memory>
#include <string>

namespace fiscpos::plugin {

struct TerminalBinding {
    std::string name;       // the section name, as the ERP names its payment method
    std::string network;    // "mellon", "viva", "gptom"
    std::string tid;        // the TID the provider signs
    std::string providerId; // the provider's id on this network
    signing::Nsp nsp = signing::Nsp::WebEcr;
    std::shared_ptr<core::Terminal> terminal; // null when the section cannot take payments
    // Why the section cannot take payments (a ConfigError naming the setting: not paired yet, a
    // setting missing): thrown when the terminal is used, so one unfinished section does not stop
    // the others.
    std::exception_ptr unusable;
    // `autonomous = allow`: the operator lets a payment go ahead without the provider's signature
    // when the provider cannot be reached (and the network has an autonomous form). Off by default.
    bool autonomousAllowed = false;

    // Throws `unusable`, if any.
    void requireUsable() const {
        if (unusable) {
            std::rethrow_exception(unusable);
        }
    }
};

} // namespace fiscpos::plugin
