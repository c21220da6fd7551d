// The channels a receipt leaves through, from the configuration: e-mail when there is a [mail]
// section, SMS when there is an [sms] section; the outbox (receipt_delivery.hpp) decides what is
// sent.
#pragma once

#include "core/config.hpp"
#include "plugin/receipt_delivery.hpp"
#include "receipt/mail_sender.hpp"
#include "sms/sms_gateway.hpp"

#include <memory>

namespace fiscpos::plugin {

// E-mail through `settings`: the text and HTML parts with the QR code of the link as an inline
// PNG, the Message-ID "<outbox id>@<the sender's domain>" (the same on every attempt of a row).
ChannelSender mailChannel(receipt::MailSettings settings);

// SMS through `gateway`: the number in E.164, the text checked against [sms] max_parts before the
// row is written; the gateway's reference is the outbox id, shortened to its 40 characters.
ChannelSender smsChannel(std::shared_ptr<sms::SmsGateway> gateway);

// Sets every channel the configuration has a section for (ConfigError naming a bad setting).
void setUpReceiptChannels(ReceiptDelivery& delivery, const core::Config& config);

// The language of the message: `code` when given ("el" | "en", InputError naming `field`), else
// [receipt] language, else Greek.
receipt::ReceiptLanguage receiptLanguage(const core::Config& config,
                                         const std::optional<std::string>& code,
                                         const std::string& field);

} // namespace fiscpos::plugin
