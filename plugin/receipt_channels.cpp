#include "plugin/receipt_channels.hpp"

#include "core/errors.hpp"
#include "einvoice/receipt.hpp"

namespace fiscpos::plugin {

namespace {

// An attempt that ended in `outcome`, in the words of the error that says so.
SendResult ended(SendResult::Outcome outcome, const std::exception& error) {
    SendResult result;
    result.outcome = outcome;
    result.detail = error.what();
    return result;
}

// No connection at all: nothing was sent; an exchange cut short: it may have been.
SendResult ended(const core::TransportError& error) {
    return ended(error.outcomeUnknown() ? SendResult::Outcome::Unknown
                                        : SendResult::Outcome::Refused,
                 error);
}

} // namespace

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
        try {
            sender->send(mail, handover);
        } catch (const receipt::MailRefused& e) {
            return ended(SendResult::Outcome::Refused, e);
        } catch (const receipt::MailOutcomeUnknown& e) {
            return ended(SendResult::Outcome::Unknown, e);
        } catch (const core::TransportError& e) {
            return ended(e);
        }
        SendResult result;
        result.outcome = SendResult::Outcome::Accepted;
        result.detail = "accepted by " + sender->settings().host;
        return result;
    };
    return channel;
}

ChannelSender smsChannel(std::shared_ptr<sms::SmsGateway> gateway) {
    ChannelSender channel;
    channel.recipient = [](const std::string& to, const std::string& field) {
        return sms::normalisedNumber(to, field);
    };
    channel.check = [gateway](const std::string& to, const receipt::ReceiptText& text) {
        sms::prepareSms({to, text.sms, "check"}, gateway->settings());
    };
    channel.send = [gateway](const OutboxMessage& message, const std::function<void()>&) {
        sms::SmsAccepted accepted;
        try {
            accepted = gateway->send({message.to, message.text.sms, message.reference});
        } catch (const sms::SmsRefused& e) {
            return ended(SendResult::Outcome::Refused, e);
        } catch (const sms::SmsOutcomeUnknown& e) {
            return ended(SendResult::Outcome::Unknown, e);
        } catch (const core::TransportError& e) {
            return ended(e);
        } catch (const core::ConfigError& e) {
            // The gateway refused the credentials while a token was obtained: nothing was sent.
            return ended(SendResult::Outcome::Refused, e);
        }
        SendResult result;
        result.outcome = SendResult::Outcome::Accepted;
        result.gatewayId = accepted.gatewayId;
        result.parts = accepted.parts;
        result.detail = accepted.status;
        return result;
    };
    return channel;
}

void setUpReceiptChannels(ReceiptDelivery& delivery, const core::Config& config) {
    if (!config.sections("mail").empty()) {
        delivery.setChannel(ReceiptChannel::Email,
                            mailChannel(receipt::mailSettingsFromConfig(config)));
    }
    if (!config.sections("sms").empty()) {
        delivery.setChannel(ReceiptChannel::Sms, smsChannel(sms::smsGatewayFromConfig(
                                                     config, core::httpOptions(config, "sms"))));
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
