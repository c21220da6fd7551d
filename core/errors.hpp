// The typed errors every fiscpos library throws. Each carries a stable machine code (used in JSON
// answers and across the C ABI) and a message a cashier or installer can act on.
#pragma once

#include <stdexcept>
#include <string>

namespace fiscpos::core {

class Error : public std::runtime_error {
public:
    Error(std::string code, const std::string& message)
        : std::runtime_error(message)
        , code_(std::move(code)) {}
    // Stable identifier such as "input", "config", "transport", "http_status", "response",
    // "crypto".
    const std::string& code() const noexcept { return code_; }

private:
    std::string code_;
};

// Bad input from the user or the ERP (invoice, amount, command line). Names the field.
class InputError : public Error {
public:
    InputError(std::string field, const std::string& reason)
        : Error("input", field + ": " + reason)
        , field_(std::move(field)) {}
    const std::string& field() const noexcept { return field_; }

protected:
    InputError(std::string code, std::string field, const std::string& message)
        : Error(std::move(code), message)
        , field_(std::move(field)) {}

private:
    std::string field_;
};

// Bad configuration (INI file, key files). Names the setting.
class ConfigError : public InputError {
public:
    ConfigError(std::string setting, const std::string& reason)
        : InputError("config", setting, "configuration " + setting + ": " + reason) {}
};

// A remote party (provider, network) answered with something we cannot read: not JSON, a missing
// or mistyped field. Names the field. Nothing may be built from such a response.
class ResponseError : public InputError {
public:
    ResponseError(std::string field, const std::string& reason)
        : InputError("response", field, "unreadable response, " + field + ": " + reason) {}

protected:
    // For a derived error that carries another ResponseError's field and whole message on.
    struct Verbatim {};
    ResponseError(Verbatim, std::string field, const std::string& message)
        : InputError("response", std::move(field), message) {}
};

// Keys, signatures and encodings that do not parse or verify.
class CryptoError : public Error {
public:
    explicit CryptoError(const std::string& message)
        : Error("crypto", message) {}
};

} // namespace fiscpos::core
