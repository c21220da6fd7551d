// The SMS gateways fiscpos is built with: the one place outside their folders that names them. A
// new gateway is a folder that fills in an SmsGatewayModule, plus a line here and in
// sms/CMakeLists.txt.
#include "sms/routee/routee_gateway.hpp"
#include "sms/sms_gateway.hpp"
#include "sms/yuboto/yuboto_gateway.hpp"

namespace fiscpos::sms {

const SmsGatewayRegistry& builtinGateways() {
    static const SmsGatewayRegistry registry = [] {
        SmsGatewayRegistry made;
        yuboto::registerGateway(made);
        routee::registerGateway(made);
        return made;
    }();
    return registry;
}

} // namespace fiscpos::sms
