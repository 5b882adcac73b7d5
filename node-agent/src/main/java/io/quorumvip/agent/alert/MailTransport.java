package io.quorumvip.agent.alert;

import io.quorumvip.alert.AlertMail;

/** Hands one mail to a mail server; blocking, called only from the alerter's own thread. */
interface MailTransport {

    /** @throws Exception when the server cannot be reached or refuses the mail: the alerter retries it */
    void send(AlertMail mail) throws Exception;
}
