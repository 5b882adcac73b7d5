package io.quorumvip.agent.alert;

import io.quorumvip.agent.http.AgentMetrics;
import io.quorumvip.alert.AlertMail;
import io.quorumvip.alert.MailAlertSettings;
import io.quorumvip.alert.StateChangeAlerts;
import io.quorumvip.config.KeepalivedConfig;
import io.quorumvip.events.EventDraft;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends keepalived's e-mail alerts for what the agent journals. The journal's observer only decides (pure, in
 * {@link StateChangeAlerts}) and queues, so the event loop never waits for a mail server; one daemon thread sends.
 * A mail the server does not take is retried a bounded number of times, then counted as failed; a full queue drops
 * the new mail and counts it. Nothing here can stop the agent.
 */
public final class MailAlerter implements AutoCloseable {

    static final int QUEUE_CAPACITY = 64;
    static final int ATTEMPTS = 3;
    static final Duration FIRST_RETRY_DELAY = Duration.ofSeconds(2);

    private static final Logger log = LoggerFactory.getLogger(MailAlerter.class);

    private final StateChangeAlerts alerts;
    private final MailTransport transport;
    private final AgentMetrics metrics;
    private final Duration firstRetryDelay;
    private final BlockingQueue<AlertMail> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread sender;

    MailAlerter(StateChangeAlerts alerts, MailTransport transport, AgentMetrics metrics, Duration firstRetryDelay) {
        this.alerts = alerts;
        this.transport = transport;
        this.metrics = metrics;
        this.firstRetryDelay = firstRetryDelay;
        this.sender = new Thread(this::sendLoop, "mail-alerts");
        sender.setDaemon(true);
        sender.start();
    }

    /** The alerter this configuration asks for, or none when it has no smtp_server, recipient or alerting instance. */
    public static Optional<MailAlerter> start(KeepalivedConfig config, String node, String hostName,
                                              AgentMetrics metrics) {
        return MailAlertSettings.of(config, node, hostName).map(settings -> {
            log.atInfo().setMessage("e-mail alerts on").addKeyValue("smtp_server", settings.server().host() + ":"
                    + settings.server().port()).addKeyValue("to", settings.recipients())
                    .addKeyValue("instances", settings.alertingInstances()).log();
            return new MailAlerter(new StateChangeAlerts(settings, node), new SmtpMailTransport(settings), metrics,
                    FIRST_RETRY_DELAY);
        });
    }

    /** The journal observer: decides and queues; returns at once. */
    public void onRecord(EventDraft draft) {
        Optional<AlertMail> mail;
        synchronized (alerts) {
            mail = alerts.onRecord(draft.wallMicros(), draft.cause(), draft.event());
        }
        if (mail.isEmpty() || closed.get()) {
            return;
        }
        if (!queue.offer(mail.get())) {
            metrics.mailAlert("dropped");
            log.atWarn().setMessage("e-mail alert dropped: the queue is full (is the SMTP server down?)")
                    .addKeyValue("subject", mail.get().subject()).addKeyValue("capacity", QUEUE_CAPACITY).log();
        }
    }

    /** Stops taking alerts, gives the queued ones up to {@code grace} to go out (the stop mails), then gives up. */
    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    public void close(Duration grace) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        sender.interrupt();
        try {
            sender.join(grace.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!queue.isEmpty()) {
            log.atWarn().setMessage("e-mail alerts not sent before exit").addKeyValue("count", queue.size()).log();
        }
    }

    private void sendLoop() {
        while (true) {
            AlertMail mail;
            try {
                mail = closed.get() ? queue.poll() : queue.take();
            } catch (InterruptedException e) {
                continue;
            }
            if (mail == null) {
                return;
            }
            deliver(mail);
        }
    }

    /** Up to {@link #ATTEMPTS} tries, the delay doubling between them; while closing, one try each. */
    private void deliver(AlertMail mail) {
        Duration delay = firstRetryDelay;
        for (int attempt = 1; ; attempt++) {
            try {
                transport.send(mail);
                metrics.mailAlert("sent");
                log.atInfo().setMessage("e-mail alert sent").addKeyValue("subject", mail.subject()).log();
                return;
            } catch (Exception e) {
                metrics.mailAttemptFailed();
                boolean last = attempt >= ATTEMPTS || closed.get();
                log.atWarn().setMessage(last ? "e-mail alert not sent; giving up" : "e-mail alert not sent; will retry")
                        .addKeyValue("subject", mail.subject()).addKeyValue("attempt", attempt)
                        .addKeyValue("error", e.getMessage()).log();
                if (last || !pause(delay)) {
                    metrics.mailAlert("failed");
                    return;
                }
                delay = delay.multipliedBy(2);
            }
        }
    }

    /** @return false when interrupted by {@link #close}: the mail is given up rather than delay the exit */
    private boolean pause(Duration delay) {
        try {
            TimeUnit.MILLISECONDS.sleep(delay.toMillis());
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }
}
