#include "core/tls_context.hpp"

#include <Poco/Net/IPAddress.h>
#include <Poco/Net/RejectCertificateHandler.h>
#include <Poco/Net/SSLManager.h>

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

bool isLoopbackHost(const std::string& host) {
    if (host == "localhost") {
        return true;
    }
    Poco::Net::IPAddress address;
    return Poco::Net::IPAddress::tryParse(host, address) && address.isLoopback();
}

} // namespace fiscpos::core
