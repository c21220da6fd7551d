#include "core/tls_context.hpp"

#include "core/errors.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLManager.h>

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cctype>
#include <cstdint>
#include <filesystem>
#include <map>
#include <mutex>

namespace fiscpos::core {

void initialiseTls() {
    static std::once_flag once;
    std::call_once(once, [] {
        Poco::Net::initializeSSL();
        // A certificate that does not verify is rejected; nobody is ever asked to accept it.
        Poco::Net::SSLManager::InvalidCertificateHandlerPtr reject(
            new Poco::Net::RejectCertificateHandler(false));
        Poco::Net::Context::Ptr context(new Poco::Net::Context(
            Poco::Net::Context::TLS_CLIENT_USE, "", Poco::Net::Context::VERIFY_STRICT, 9, true));
        Poco::Net::SSLManager::instance().initializeClient(nullptr, reject, context);
    });
}

Poco::Net::Context::Ptr tlsClientContext(const std::string& caFile) {
    initialiseTls();
    struct Loaded {
        std::filesystem::file_time_type written;
        std::uintmax_t size = 0;
        Poco::Net::Context::Ptr context;
    };
    static std::mutex mutex;
    static std::map<std::string, Loaded> loaded;
    Loaded now;
    if (!caFile.empty()) {
        now.written = std::filesystem::last_write_time(caFile);
        now.size = std::filesystem::file_size(caFile);
    }
    const std::lock_guard lock(mutex);
    auto found = loaded.find(caFile);
    if (found != loaded.end() && found->second.written == now.written &&
        found->second.size == now.size) {
        return found->second.context;
    }
    now.context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, caFile,
                                         Poco::Net::Context::VERIFY_STRICT, 9, caFile.empty());
    now.context->enableExtendedCertificateVerification(true);
    loaded.insert_or_assign(caFile, now);
    return now.context;
}

namespace {

// Where a pinned context keeps its pin (the key of the map below, which outlives it).
int pinIndex() {
    static const int index = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
    return index;
}

// OpenSSL's verification of a pinned context: the server's own certificate must be the pinned
// one; the rest of the chain and the names do not matter.
int verifyPinned(int preverified, X509_STORE_CTX* store) {
    (void)preverified;
    const auto* ssl = static_cast<const SSL*>(
        X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
    const auto* pin = ssl == nullptr ? nullptr
                                     : static_cast<const std::string*>(
                                           SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), pinIndex()));
    const X509* server = X509_STORE_CTX_get0_cert(store);
    if (pin != nullptr && server != nullptr && certificateSha256(server) == *pin) {
        return 1;
    }
    X509_STORE_CTX_set_error(store, X509_V_ERR_CERT_REJECTED);
    return 0;
}

} // namespace

Poco::Net::Context::Ptr tlsServerContext(const std::string& certificateFile,
                                         const std::string& keyFile, const std::string& setting) {
    initialiseTls();
    try {
        // On a server the mode is about the client's certificate: one presented is checked,
        // none is required (fiscpos's clients present none).
        Poco::Net::Context::Ptr context(new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE,
                                                               keyFile, certificateFile, "",
                                                               Poco::Net::Context::VERIFY_RELAXED));
        context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
        return context;
    } catch (const Poco::Exception& e) {
        throw ConfigError(setting, "cannot serve HTTPS with certificate " + certificateFile +
                                       " and key " + keyFile + ": " + e.displayText());
    }
}

Poco::Net::Context::Ptr tlsPinnedContext(const std::string& sha256) {
    initialiseTls();
    static std::mutex mutex;
    static std::map<std::string, Poco::Net::Context::Ptr> pinned;
    const std::lock_guard lock(mutex);
    const auto found = pinned.find(sha256);
    if (found != pinned.end()) {
        return found->second;
    }
    Poco::Net::Context::Ptr context(new Poco::Net::Context(
        Poco::Net::Context::TLS_CLIENT_USE, "", Poco::Net::Context::VERIFY_STRICT, 9, false));
    // The pin names the certificate; the host name it carries (a LAN address) does not matter.
    context->enableExtendedCertificateVerification(false);
    const auto& key = pinned.emplace(sha256, context).first->first;
    SSL_CTX* ssl = context->sslContext();
    SSL_CTX_set_ex_data(ssl, pinIndex(), const_cast<std::string*>(&key));
    SSL_CTX_set_verify(ssl, SSL_VERIFY_PEER, verifyPinned);
    return context;
}

std::string certificateSha256(const x509_st* certificate) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (X509_digest(certificate, EVP_sha256(), digest, &length) != 1) {
        return std::string();
    }
    static constexpr char hex[] = "0123456789abcdef";
    std::string text;
    for (unsigned int i = 0; i < length; ++i) {
        text += hex[digest[i] >> 4];
        text += hex[digest[i] & 0x0f];
    }
    return text;
}

std::optional<std::string> normalSha256(std::string_view text) {
    std::string hex;
    for (const char c : text) {
        if (c == ':' || c == ' ' || c == '\t') {
            continue;
        }
        if (!std::isxdigit(static_cast<unsigned char>(c))) {
            return std::nullopt;
        }
        hex += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    if (hex.size() != 64) {
        return std::nullopt;
    }
    return hex;
}

bool isLoopbackHost(const std::string& host) {
    if (host == "localhost") {
        return true;
    }
    Poco::Net::IPAddress address;
    return Poco::Net::IPAddress::tryParse(host, address) && address.isLoopback();
}

} // namespace fiscpos::core
