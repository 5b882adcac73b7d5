package io.quorumvip.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * keepalived's {@code lb_algo} / {@code lvs_sched} names (IPVS schedulers) and the nftables choice each becomes.
 * nftables has no connection counts to choose by, so the connection-counting schedulers map to the nearest choice
 * that nftables can make; {@link #exact()} says which ones do so, and lint reports them.
 */
public enum LbScheduler {
    RR("rr", Choice.ROUND_ROBIN),
    WRR("wrr", Choice.WEIGHTED_ROUND_ROBIN),
    LC("lc", Choice.WEIGHTED_ROUND_ROBIN),
    WLC("wlc", Choice.WEIGHTED_ROUND_ROBIN),
    SED("sed", Choice.WEIGHTED_ROUND_ROBIN),
    NQ("nq", Choice.WEIGHTED_ROUND_ROBIN),
    TWOS("twos", Choice.WEIGHTED_ROUND_ROBIN),
    LBLC("lblc", Choice.DESTINATION_HASH),
    LBLCR("lblcr", Choice.DESTINATION_HASH),
    SH("sh", Choice.SOURCE_HASH),
    DH("dh", Choice.DESTINATION_HASH),
    MH("mh", Choice.MAGLEV),
    FO("fo", Choice.HIGHEST_WEIGHT),
    OVF("ovf", Choice.HIGHEST_WEIGHT);

    /** How the nftables program picks a real server. */
    public enum Choice {
        /** {@code numgen inc} over the slots, every live real server as many, whatever its weight (IPVS rr). */
        ROUND_ROBIN("rr"),
        /** {@code numgen inc} over the slots, each real server owning slots in proportion to its weight (IPVS wrr). */
        WEIGHTED_ROUND_ROBIN("wrr"),
        /** {@code jhash} of the client address (and port with sh-port) over the slots. */
        SOURCE_HASH("sh"),
        /** {@code jhash} of the destination address over the slots. */
        DESTINATION_HASH("dh"),
        /** A Maglev lookup table indexed by a hash of the client, the same on every director for the same pool. */
        MAGLEV("mh"),
        /** The live real server with the highest weight takes everything (IPVS fo). */
        HIGHEST_WEIGHT("fo");

        private final String keepalivedName;

        Choice(String keepalivedName) {
            this.keepalivedName = keepalivedName;
        }

        public String keepalivedName() {
            return keepalivedName;
        }
    }

    /** keepalived's default when {@code lb_algo} is absent (IPVS_DEF_SCHED). */
    public static final LbScheduler KEEPALIVED_DEFAULT = WLC;

    private final String keepalivedName;
    private final Choice choice;

    LbScheduler(String keepalivedName, Choice choice) {
        this.keepalivedName = keepalivedName;
        this.choice = choice;
    }

    public String keepalivedName() {
        return keepalivedName;
    }

    public Choice choice() {
        return choice;
    }

    /** The scheduler does in nftables what it does in IPVS; otherwise lint names what it maps to. */
    public boolean exact() {
        return choice.keepalivedName().equals(keepalivedName);
    }

    public static Optional<LbScheduler> byName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.keepalivedName.equals(lower)).findFirst();
    }
}
