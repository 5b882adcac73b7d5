package io.quorumvip.vrrp;

/**
 * keepalived's {@code state MASTER} / {@code state BACKUP} hint.
 *
 * <p>In keepalived 2.x the hint does not skip the election: only an address owner (priority 255) with
 * {@code state MASTER} becomes master at start-up. A non-owner with {@code state MASTER} still starts in BACKUP but
 * waits one advert interval plus the minimum skew instead of the full Master_Down_Interval
 * (keepalived vrrp_scheduler.c {@code vrrp_init_state}: {@code ms_down_timer = master_adver_int + VRRP_TIMER_SKEW_MIN}).
 * Without a {@code state} keyword keepalived derives MASTER for priority 255 and BACKUP otherwise.
 */
public enum InitialState {
    BACKUP,
    MASTER;

    /** What keepalived assumes when the config has no {@code state} keyword. */
    public static InitialState keepalivedDefaultFor(int priority) {
        return priority == VrrpConfig.ADDRESS_OWNER_PRIORITY ? MASTER : BACKUP;
    }
}
