package io.quorumvip.alert;

import io.quorumvip.config.GlobalDefs;
import io.quorumvip.config.KeepalivedConfig;
import io.quorumvip.config.SmtpServer;
import io.quorumvip.config.VrrpInstanceConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything e-mail alerts need from a configuration, resolved once: keepalived sends mail only with an
 * {@code smtp_server}, at least one {@code notification_email} and at least one instance whose {@code smtp_alert}
 * is on, so without all three there are no settings at all.
 *
 * @param routerId          the {@code [router_id]} that starts every subject (keepalived's default: the host name)
 * @param heloName          the name given in SMTP's HELO
 * @param alertingInstances the vrrp_instances whose state changes are mailed
 * @param leaseDecides      whether a {@code quorum} block is configured, so MASTER alone does not mean the VIPs
 *                          are owned: the body says so rather than repeat keepalived's "now owning" line
 */
public record MailAlertSettings(String routerId, String from, List<String> recipients, SmtpServer server,
                                String heloName, Duration connectTimeout, Set<String> alertingInstances,
                                boolean leaseDecides) {

    public MailAlertSettings {
        recipients = List.copyOf(recipients);
        alertingInstances = Set.copyOf(alertingInstances);
    }

    /**
     * @param node     this node's name, the router_id when the config has none
     * @param hostName the host's name, for the default sender ({@code keepalived@HOST} in keepalived) and HELO
     */
    public static Optional<MailAlertSettings> of(KeepalivedConfig config, String node, String hostName) {
        GlobalDefs global = config.globalDefs();
        Set<String> alerting = config.vrrpInstances().stream().filter(VrrpInstanceConfig::smtpAlert)
                .map(VrrpInstanceConfig::name).collect(Collectors.toSet());
        if (global.smtpServer().isEmpty() || global.notificationEmail().isEmpty() || alerting.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new MailAlertSettings(global.routerId().orElse(node),
                global.notificationEmailFrom().orElse("quorum-vip@" + hostName), global.notificationEmail(),
                global.smtpServer().get(), global.smtpHeloName().orElse(hostName), global.smtpConnectTimeout(),
                alerting, config.quorum().isPresent()));
    }
}
