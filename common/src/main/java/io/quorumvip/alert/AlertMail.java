package io.quorumvip.alert;

import java.util.List;
import java.util.Objects;

/** One e-mail alert, ready to send: who gets it, its subject and its plain-text body. */
public record AlertMail(String from, List<String> recipients, String subject, String body) {

    public AlertMail {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(body, "body");
        recipients = List.copyOf(recipients);
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("alert mail `" + subject + "` has no recipient (expected at least one"
                    + " notification_email address)");
        }
    }
}
