package io.quorumvip.track;

/**
 * The health of one tracked check (a {@code vrrp_script}) after its results so far, with keepalived's rise/fall
 * hysteresis: a healthy check turns unhealthy after {@code fall} failures in a row, an unhealthy one turns healthy
 * after {@code rise} successes in a row. keepalived starts a script healthy unless {@code init_fail} is set.
 *
 * @param healthy the current verdict
 * @param streak  how many results in a row have disagreed with the verdict (0 when the last result agreed)
 */
public record ScriptHealth(boolean healthy, int streak) {

    public static ScriptHealth initial(boolean initFail) {
        return new ScriptHealth(!initFail, 0);
    }

    /** The health after one more result. */
    public ScriptHealth next(boolean success, int rise, int fall) {
        if (success == healthy) {
            return streak == 0 ? this : new ScriptHealth(healthy, 0);
        }
        int needed = healthy ? fall : rise;
        int disagreeing = streak + 1;
        return disagreeing >= Math.max(1, needed) ? new ScriptHealth(success, 0) : new ScriptHealth(healthy, disagreeing);
    }
}
