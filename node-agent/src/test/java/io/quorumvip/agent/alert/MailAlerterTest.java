package io.quorumvip.agent.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.agent.http.AgentMetrics;
import io.quorumvip.alert.AlertMail;
import io.quorumvip.alert.MailAlertSettings;
import io.quorumvip.alert.StateChangeAlerts;
import io.quorumvip.config.SmtpServer;
import io.quorumvip.events.Cause;
import io.quorumvip.events.Event;
import io.quorumvip.events.EventDraft;
import io.quorumvip.ownership.RoleInput;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MailAlerterTest {

    private final AgentMetrics metrics = new AgentMetrics();

    @Test
    void shouldSendOneMailPerStateChangeOfAnAlertingInstance() throws Exception {
        BlockingQueue<AlertMail> sent = new LinkedBlockingQueue<>();
        try (MailAlerter alerter = alerter(sent::add)) {
            alerter.onRecord(changed(RoleInput.INITIALIZE, RoleInput.BACKUP));
            alerter.onRecord(changed(RoleInput.BACKUP, RoleInput.MASTER));
            alerter.onRecord(EventDraft.of(1, 1, Cause.NONE, new Event.LeaseLost("VI_1", 3)));

            assertThat(sent.poll(5, TimeUnit.SECONDS).subject()).isEqualTo("[lb01] VRRP Instance VI_1 - Entering BACKUP state");
            assertThat(sent.poll(5, TimeUnit.SECONDS).subject()).isEqualTo("[lb01] VRRP Instance VI_1 - Entering MASTER state");
        }
        assertThat(sent).isEmpty();
        assertThat(metrics.scrape()).contains("qvip_mail_alerts_total{outcome=\"sent\"} 2");
    }

    @Test
    void shouldRetryADeadServerABoundedNumberOfTimesThenCountTheMailAsFailed() throws Exception {
        AtomicInteger attempts = new AtomicInteger();
        CountDownLatch gaveUp = new CountDownLatch(MailAlerter.ATTEMPTS);
        try (MailAlerter alerter = alerter(mail -> {
            attempts.incrementAndGet();
            gaveUp.countDown();
            throw new java.net.ConnectException("Connection refused");
        })) {
            alerter.onRecord(changed(RoleInput.BACKUP, RoleInput.MASTER));
            assertThat(gaveUp.await(5, TimeUnit.SECONDS)).isTrue();
            waitFor(() -> metrics.scrape().contains("qvip_mail_alerts_total{outcome=\"failed\"} 1"));
        }
        assertThat(attempts).hasValue(MailAlerter.ATTEMPTS);
        assertThat(metrics.scrape()).contains("qvip_mail_attempts_failed_total " + MailAlerter.ATTEMPTS);
    }

    @Test
    void shouldDropAndCountMailsWhileTheQueueIsFullWithoutBlockingTheCaller() throws Exception {
        CountDownLatch sending = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (MailAlerter alerter = alerter(mail -> {
            sending.countDown();
            release.await();
        })) {
            alerter.onRecord(changed(RoleInput.BACKUP, RoleInput.MASTER));
            assertThat(sending.await(5, TimeUnit.SECONDS)).as("the first mail is with the stuck server").isTrue();
            long started = System.nanoTime();
            RoleInput[] roles = {RoleInput.BACKUP, RoleInput.MASTER};
            for (int i = 0; i < MailAlerter.QUEUE_CAPACITY + 9; i++) {
                alerter.onRecord(changed(roles[(i + 1) % 2], roles[i % 2]));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
            assertThat(metrics.scrape()).contains("qvip_mail_alerts_total{outcome=\"dropped\"} 9");
            release.countDown();
        }
    }

    private MailAlerter alerter(MailTransport transport) {
        MailAlertSettings settings = new MailAlertSettings("lb01", "lb1@example.org", List.of("ops@example.org"),
                new SmtpServer("192.0.2.25", 25), "lb1", Duration.ofSeconds(1), Set.of("VI_1"), false);
        return new MailAlerter(new StateChangeAlerts(settings, "node1"), transport, metrics, Duration.ofMillis(10));
    }

    private static EventDraft changed(RoleInput from, RoleInput to) {
        return EventDraft.of(1_764_689_000_000_000L, 1, Cause.timer("master_down"),
                new Event.VrrpStateChanged("VI_1", 51, from, to));
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 5 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
