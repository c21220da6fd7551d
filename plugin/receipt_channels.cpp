#include "plugin/receipt_channels.hpp"

#include "core/errors.hpp"
#include "einvoice/receipt.hpp"

namespace fiscpos::plugin {

ChannelSender mailChannel(receipt::MailSettings settings) {
    auto sender = std::make_shared<const receipt::MailSender>(std::move(settings));
    ChannelSender channel;
    channel.recipient = [](const std::string& to, const std::string& field) {
        receipt::checkMailAddress(to, field);
        return to;
    };
    channel.send = [sender](const OutboxMessage& message, const std::function<void()>& handover) {
        const std::string& from = sender->settings().from;
        const std::string domain = from.substr(from.rfind('@') + 1);
        receipt::OutgoingMail mail;
        mail.to = message.to;
        mail.senderName = message.facts.issuer; // none: the address alone
        mail.subject = message.text.subject;
        mail.plain = message.text.plain;
        mail.imageId = "qr-" + message.outboxId + "@" + domain;
        mail.html = receipt::receiptHtml(message.facts, message.language, "cid:" + mail.imageId);
        mail.png = einvoice::qrPng(message.facts.url);
        mail.messageId = message.outboxId + "@" + domain;
        SendResult result;
        try {
            sender->send(mail, handover);
            result.outcome = SendResult::Outcome::Accepted;
            result.detail = "accepted by " + sender->settings().host;
        } catch (const receipt::MailRefused& e) {
            result.outcome = SendResult::Outcome::Refused;
            result.detail = e.what();
        } catch (const receipt::MailOutcomeUnknown& e) {
            result.outcome = SendResult::Outcome::Unknown;
            result.detail = e.what();
        } catch (const core::TransportError& e) {
            result.outcome =
                e.outcomeUnknown() ? SendResult::Outcome::Unknown : SendResult::Outcome::Refused;
            result.detail = e.what();
        }
        return result;
    };
    return channel;
}

void setUpReceiptChannels(ReceiptDelivery& delivery, const core::Config& config) {
    if (config.get("mail.host")) {
        delivery.setChannel(ReceiptChannel::Email,
                            mailChannel(receipt::mailSettingsFromConfig(config)));
    }
}

receipt::ReceiptLanguage receiptLanguage(const core::Config& config,
                                         const std::optional<std::string>& code,
                                         const std::string& field) {
    if (code) {
        return receipt::receiptLanguage(*code, field);
    }
    return receipt::receiptLanguage(config.getOr("receipt.language", "el"), "receipt.language");
}

} // namespace fiscpos::plugin
