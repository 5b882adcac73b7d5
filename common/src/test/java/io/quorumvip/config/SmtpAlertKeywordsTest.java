package io.quorumvip.config;

import static io.quorumvip.config.ConfigFixture.instance;
import static io.quorumvip.config.ConfigFixture.parseClean;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmtpAlertKeywordsTest {

    @TempDir
    Path dir;

    private static final String MINIMAL = "interface eth0\nvirtual_router_id 51\nvirtual_ipaddress { 192.0.2.200 }";
    private static final String OTHER = MINIMAL.replace("51", "52").replace("200", "201");

    @Test
    void shouldReadEveryMailKeywordOfGlobalDefs() {
        KeepalivedConfig config = parseClean(dir, """
                global_defs {
                    notification_email { ops@example.org }
                    notification_email_from lb1@example.org
                    smtp_server 192.0.2.25 2525
                    smtp_helo_name lb1.example.org
                    smtp_connect_timeout 5
                    smtp_alert
                    smtp_alert_vrrp off
                    smtp_alert_checker yes
                }
                """);
        GlobalDefs global = config.globalDefs();
        assertThat(global.smtpServer()).contains(new SmtpServer("192.0.2.25", 2525));
        assertThat(global.smtpHeloName()).contains("lb1.example.org");
        assertThat(global.smtpAlert()).isEqualTo(new SmtpAlertDefaults(Optional.of(true), Optional.of(false),
                Optional.of(true)));
    }

    @Test
    void shouldLetAnInstanceWithoutSmtpAlertTakeSmtpAlertVrrpBeforeSmtpAlert() {
        KeepalivedConfig config = parseClean(dir, "global_defs {\n smtp_alert on\n smtp_alert_vrrp off\n}\n"
                + instance("VI_1", MINIMAL) + instance("VI_2", OTHER, "smtp_alert"));
        assertThat(config.vrrpInstances()).extracting(VrrpInstanceConfig::smtpAlert).containsExactly(false, true);
    }

    @Test
    void shouldLetAnInstanceWithoutSmtpAlertTakeTheGlobalSmtpAlert() {
        KeepalivedConfig config = parseClean(dir, "global_defs {\n smtp_alert\n}\n" + instance("VI_1", MINIMAL)
                + instance("VI_2", OTHER, "smtp_alert off"));
        assertThat(config.vrrpInstances()).extracting(VrrpInstanceConfig::smtpAlert).containsExactly(true, false);
    }

    @Test
    void shouldSendNoMailWhenNothingTurnsAlertsOn() {
        KeepalivedConfig config = parseClean(dir, instance("VI_1", MINIMAL));
        assertThat(config.vrrpInstances().get(0).smtpAlert()).isFalse();
        assertThat(config.globalDefs().smtpAlert()).isEqualTo(SmtpAlertDefaults.UNSET);
    }
}
