package io.quorumvip.agent.alert;

import static io.quorumvip.lab.Await.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.quorumvip.agent.LabAgent;
import io.quorumvip.lab.Lab;
import io.quorumvip.lab.LabPreconditions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * E-mail alerts against a real SMTP server (Debian's aiosmtpd at 192.0.2.25 in the lab): the keepalived pair samples,
 * pointed at it and with {@code smtp_alert} on, go through a fail-over, and the server receives one mail per state
 * change with keepalived's subjects. The kernel's address list says who owns the VIP.
 */
class MailAlertLabTest {

    private static final String VIP = "192.0.2.200";
    private static final Duration BOUND = Duration.ofSeconds(30);

    @BeforeEach
    void requireLab() {
        LabPreconditions.assumeLabCanRun();
        LabPreconditions.assumeTools("curl");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "Debian's /usr/bin/python3 (with python3-aiosmtpd)"
                + " is not installed (run scripts/install-deps as root)");
    }

    @Test
    void shouldMailEveryStateChangeOfAFailOverToTheSmtpServer() {
        try (Lab lab = Lab.upWithSmtp(2, 0)) {
            LabAgent n1 = LabAgent.start(lab, lab.node(1), alerting(lab, "pair-node1.conf"));
            n1.awaitMaster();
            LabAgent n2 = LabAgent.start(lab, lab.node(2), alerting(lab, "pair-node2.conf"));
            awaitCondition("lb02 mailed that it entered BACKUP", BOUND, () -> subjects(lab),
                    s -> s.contains("[lb02] VRRP Instance VI_1 - Entering BACKUP state"));

            n1.process().stop();
            awaitCondition("n2 owns " + VIP + " after n1 stopped", BOUND, () -> lab.vipHolders(VIP),
                    Set.of("n2")::equals);
            List<String> subjects = awaitCondition("the fail-over's mails", BOUND, () -> subjects(lab),
                    s -> s.contains("[lb02] VRRP Instance VI_1 - Entering MASTER state")
                            && s.contains("[lb01] VRRP Instance VI_1 - Stopping"));

            assertThat(subjects).containsExactlyInAnyOrder(
                    "[lb01] VRRP Instance VI_1 - Entering BACKUP state",
                    "[lb01] VRRP Instance VI_1 - Entering MASTER state",
                    "[lb01] VRRP Instance VI_1 - Stopping",
                    "[lb02] VRRP Instance VI_1 - Entering BACKUP state",
                    "[lb02] VRRP Instance VI_1 - Entering MASTER state");
            assertThat(mail(lab, "[lb02] VRRP Instance VI_1 - Entering MASTER state"))
                    .contains("From: keepalived@example.org", "To: ops@example.org",
                            "=> VRRP Instance is now owning VRRP VIPs <=", "Change:   BACKUP -> MASTER", "Why:");
            assertThat(n2.metrics().value("qvip_mail_alerts_total", "outcome", "sent")).isEqualTo(2);
        }
    }

    /** The shared sample with its mail server moved to the lab's and alerts turned on for every instance. */
    private static String alerting(Lab lab, String sample) {
        String config = LabAgent.sampleConfig(lab, sample);
        assertThat(config).contains("smtp_server 127.0.0.1");
        return config.replace("smtp_server 127.0.0.1", "smtp_server 192.0.2.25 25\n   smtp_alert");
    }

    private static List<String> subjects(Lab lab) {
        return mails(lab).map(text -> text.lines().filter(l -> l.startsWith("Subject: ")).findFirst()
                .orElse("no subject").substring("Subject: ".length())).sorted().toList();
    }

    private static String mail(Lab lab, String subject) {
        return mails(lab).filter(text -> text.contains("Subject: " + subject)).findFirst().orElseThrow();
    }

    private static Stream<String> mails(Lab lab) {
        Path received = lab.smtpMaildir().resolve("new");
        if (!Files.isDirectory(received)) {
            return Stream.empty();
        }
        try (Stream<Path> files = Files.list(received)) {
            return files.map(MailAlertLabTest::read).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the mails in " + received, e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the mail " + file, e);
        }
    }
}
