package io.quorumvip.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code global_defs} block.
 *
 * @param routerIdPosition where {@code router_id} was written, for findings about it
 * @param vrrpVersion {@code vrrp_version}, the default VRRP version of instances (2 unless set)
 * @param garp        {@code vrrp_garp_master_*}, the defaults of every instance's gratuitous ARP settings
 * @param smtpHeloName {@code smtp_helo_name}, the name given in SMTP's HELO (keepalived's default: the host name)
 * @param smtpAlert    {@code smtp_alert}, {@code smtp_alert_vrrp} and {@code smtp_alert_checker} as written
 * @param scriptUser   {@code script_user USER [GROUP]}: who scripts with no user of their own run as
 * @param scriptSecurity {@code enable_script_security}: refuse scripts run as root that anyone else could change
 *                     (io.quorumvip.script.ScriptSecurity)
 */
public record GlobalDefs(
        Optional<String> routerId,
        Optional<SourcePosition> routerIdPosition,
        List<String> notificationEmail,
        Optional<String> notificationEmailFrom,
        Optional<SmtpServer> smtpServer,
        Duration smtpConnectTimeout,
        int vrrpVersion,
        GarpSettings garp,
        Optional<String> smtpHeloName,
        SmtpAlertDefaults smtpAlert,
        Optional<String> scriptUser,
        boolean scriptSecurity) {

    public static final Duration DEFAULT_SMTP_CONNECT_TIMEOUT = Duration.ofSeconds(30);

    public GlobalDefs {
        notificationEmail = List.copyOf(notificationEmail);
    }
}
