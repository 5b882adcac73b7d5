package io.quorumvip.agent.alert;

import io.quorumvip.alert.AlertMail;
import io.quorumvip.alert.MailAlertSettings;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.util.Date;
import java.util.Properties;

/**
 * Plain SMTP through Jakarta Mail (Eclipse Angus), as keepalived speaks it: no authentication, no TLS, the
 * configured HELO name, and {@code smtp_connect_timeout} bounding the connection and every read and write.
 */
final class SmtpMailTransport implements MailTransport {

    private final Session session;

    SmtpMailTransport(MailAlertSettings settings) {
        String timeoutMillis = Long.toString(settings.connectTimeout().toMillis());
        Properties properties = new Properties();
        properties.setProperty("mail.smtp.host", settings.server().host());
        properties.setProperty("mail.smtp.port", Integer.toString(settings.server().port()));
        properties.setProperty("mail.smtp.localhost", settings.heloName());
        properties.setProperty("mail.smtp.connectiontimeout", timeoutMillis);
        properties.setProperty("mail.smtp.timeout", timeoutMillis);
        properties.setProperty("mail.smtp.writetimeout", timeoutMillis);
        this.session = Session.getInstance(properties);
    }

    @Override
    public void send(AlertMail mail) throws MessagingException {
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress(mail.from()));
        for (String recipient : mail.recipients()) {
            message.addRecipient(Message.RecipientType.TO, new InternetAddress(recipient));
        }
        message.setSubject(mail.subject(), "UTF-8");
        message.setText(mail.body(), "UTF-8");
        message.setSentDate(new Date());
        message.setHeader("X-Mailer", "quorum-vip");
        Transport.send(message);
    }
}
