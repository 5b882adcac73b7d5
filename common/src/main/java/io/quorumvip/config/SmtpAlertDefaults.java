package io.quorumvip.config;

import java.util.Optional;

/**
 * The global switches for e-mail alerts, each absent when not written, because keepalived tells "off" from "not
 * said": an instance without its own {@code smtp_alert} takes {@code smtp_alert_vrrp}, else {@code smtp_alert},
 * else no mail.
 *
 * @param all     {@code smtp_alert}: the default for every kind of alert
 * @param vrrp    {@code smtp_alert_vrrp}: the default for VRRP instances, ahead of {@code smtp_alert}
 * @param checker {@code smtp_alert_checker}: the default for real-server checkers, ahead of {@code smtp_alert}
 */
public record SmtpAlertDefaults(Optional<Boolean> all, Optional<Boolean> vrrp, Optional<Boolean> checker) {

    public static final SmtpAlertDefaults UNSET = new SmtpAlertDefaults(Optional.empty(), Optional.empty(),
            Optional.empty());

    /** Whether a VRRP instance that says nothing itself sends mail (keepalived's {@code vrrp_complete_instance}). */
    public boolean forVrrp() {
        return vrrp.or(() -> all).orElse(false);
    }

    /** Whether a real-server checker that says nothing itself sends mail. */
    public boolean forChecker() {
        return checker.or(() -> all).orElse(false);
    }
}
