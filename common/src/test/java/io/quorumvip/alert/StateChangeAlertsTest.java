package io.quorumvip.alert;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.config.KeepalivedConfig;
import io.quorumvip.config.KeepalivedConfigParser;
import io.quorumvip.config.ParseOptions;
import io.quorumvip.config.SmtpServer;
import io.quorumvip.events.Cause;
import io.quorumvip.events.Event;
import io.quorumvip.ownership.RoleInput;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateChangeAlertsTest {

    private static final long WALL_MICROS = 1_764_689_000_000_000L;

    private final MailAlertSettings settings = new MailAlertSettings("lb01", "lb1@example.org",
            List.of("ops@example.org"), new SmtpServer("192.0.2.25", 25), "lb1", Duration.ofSeconds(30),
            Set.of("VI_1"), false);

    @Test
    void shouldMailKeepalivedsSubjectAndTheCauseWhenAnInstanceEntersMaster() {
        StateChangeAlerts alerts = new StateChangeAlerts(settings, "node1");

        AlertMail mail = alerts.onRecord(WALL_MICROS, Cause.timer("master_down"), changed("VI_1", RoleInput.BACKUP,
                RoleInput.MASTER)).orElseThrow();

        assertThat(mail.subject()).isEqualTo("[lb01] VRRP Instance VI_1 - Entering MASTER state");
        assertThat(mail.from()).isEqualTo("lb1@example.org");
        assertThat(mail.recipients()).containsExactly("ops@example.org");
        assertThat(mail.body()).startsWith("=> VRRP Instance is now owning VRRP VIPs <=")
                .contains("Change:   BACKUP -> MASTER", "Why:      timer master_down fired",
                        "(journal cause: TIMER master_down)", "virtual_router_id 51", "Node:     node1",
                        "At:       2025-12-02T15:23:20Z");
    }

    @Test
    void shouldNameTheAdvertThatSentTheInstanceBackToBackup() {
        AlertMail mail = new StateChangeAlerts(settings, "node1").onRecord(WALL_MICROS,
                Cause.advert("192.0.2.12", 150), changed("VI_1", RoleInput.MASTER, RoleInput.BACKUP)).orElseThrow();

        assertThat(mail.subject()).isEqualTo("[lb01] VRRP Instance VI_1 - Entering BACKUP state");
        assertThat(mail.body()).contains("advert from 192.0.2.12 with priority 150");
    }

    @Test
    void shouldSayTheLeaseDecidesOwnershipWhenAQuorumIsConfigured() {
        MailAlertSettings withQuorum = new MailAlertSettings("lb01", "a@example.org", List.of("ops@example.org"),
                new SmtpServer("192.0.2.25", 25), "lb1", Duration.ofSeconds(30), Set.of("VI_1"), true);

        AlertMail mail = new StateChangeAlerts(withQuorum, "node1").onRecord(WALL_MICROS, Cause.timer("master_down"),
                changed("VI_1", RoleInput.BACKUP, RoleInput.MASTER)).orElseThrow();

        assertThat(mail.body()).startsWith("=> VRRP Instance is now MASTER; it owns its VIPs while it also holds"
                + " the quorum lease <=");
    }

    @Test
    void shouldMailFaultAndStopButNotAStateAlreadyMailed() {
        StateChangeAlerts alerts = new StateChangeAlerts(settings, "node1");

        assertThat(alerts.onRecord(WALL_MICROS, Cause.health("interface eth1", 0),
                changed("VI_1", RoleInput.BACKUP, RoleInput.FAULT))).map(AlertMail::subject)
                .contains("[lb01] VRRP Instance VI_1 - Entering FAULT state");
        assertThat(alerts.onRecord(WALL_MICROS, Cause.health("interface eth1", 0),
                changed("VI_1", RoleInput.BACKUP, RoleInput.FAULT))).isEmpty();
        assertThat(alerts.onRecord(WALL_MICROS, Cause.NONE, changed("VI_1", RoleInput.FAULT, RoleInput.INITIALIZE)))
                .map(AlertMail::subject).contains("[lb01] VRRP Instance VI_1 - Stopping");
    }

    @Test
    void shouldIgnoreInstancesWithoutSmtpAlertAndOtherEvents() {
        StateChangeAlerts alerts = new StateChangeAlerts(settings, "node1");

        assertThat(alerts.onRecord(WALL_MICROS, Cause.NONE, changed("VI_2", RoleInput.BACKUP, RoleInput.MASTER)))
                .isEmpty();
        assertThat(alerts.onRecord(WALL_MICROS, Cause.NONE, new Event.LeaseLost("VI_1", 7))).isEmpty();
    }

    @Test
    void shouldHaveNoSettingsWithoutAServerRecipientsOrAnAlertingInstance(@TempDir Path dir) throws IOException {
        String instance = "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n smtp_alert\n}\n";
        String mail = "global_defs {\n notification_email { ops@example.org }\n smtp_server 192.0.2.25\n}\n";

        assertThat(settings(dir, mail + instance)).hasValueSatisfying(s -> {
            assertThat(s.routerId()).isEqualTo("node1");
            assertThat(s.from()).isEqualTo("quorum-vip@host1");
            assertThat(s.heloName()).isEqualTo("host1");
            assertThat(s.alertingInstances()).containsExactly("VI_1");
        });
        assertThat(settings(dir, mail.replace("smtp_server 192.0.2.25\n", "") + instance)).isEmpty();
        assertThat(settings(dir, mail.replace("notification_email { ops@example.org }\n", "") + instance)).isEmpty();
        assertThat(settings(dir, mail + instance.replace("smtp_alert\n", ""))).isEmpty();
    }

    private static Optional<MailAlertSettings> settings(Path dir, String text) throws IOException {
        Path file = Files.writeString(dir.resolve("keepalived.conf"), text);
        KeepalivedConfig config = KeepalivedConfigParser.parse(file, ParseOptions.defaults()).config();
        return MailAlertSettings.of(config, "node1", "host1");
    }

    private static Event.VrrpStateChanged changed(String instance, RoleInput from, RoleInput to) {
        return new Event.VrrpStateChanged(instance, 51, from, to);
    }
}
