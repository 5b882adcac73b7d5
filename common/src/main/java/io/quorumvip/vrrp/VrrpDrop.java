package io.quorumvip.vrrp;

import java.net.InetAddress;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A datagram that {@link VrrpCodec#decode} refused, with the reason. The human-readable detail is only built when
 * asked for, so that a flood of bad datagrams costs no string building when its log lines are throttled.
 */
public final class VrrpDrop implements VrrpDecodeResult {

    /** Marks a VRID or source address that the datagram ended before. */
    public static final int UNKNOWN = -1;

    private final DropReason reason;
    private final int vrid;
    private final long sourceIpv4;
    private final InetAddress sourceIpv6;
    private final Supplier<String> detail;

    VrrpDrop(DropReason reason, int vrid, long sourceIpv4, Supplier<String> detail) {
        this(reason, vrid, sourceIpv4, null, detail);
    }

    /** A drop of an IPv6 datagram whose source was read. */
    VrrpDrop(DropReason reason, int vrid, InetAddress sourceIpv6, Supplier<String> detail) {
        this(reason, vrid, UNKNOWN, sourceIpv6, detail);
    }

    private VrrpDrop(DropReason reason, int vrid, long sourceIpv4, InetAddress sourceIpv6, Supplier<String> detail) {
        this.reason = Objects.requireNonNull(reason, "reason");
        this.vrid = vrid;
        this.sourceIpv4 = sourceIpv4;
        this.sourceIpv6 = sourceIpv6;
        this.detail = Objects.requireNonNull(detail, "detail");
    }

    public DropReason reason() {
        return reason;
    }

    /** The VRID field of the advert, or {@link #UNKNOWN} when the datagram was refused before it was read. */
    public int vrid() {
        return vrid;
    }

    /** What exactly was wrong, e.g. {@code "checksum 0x1234 (expected 0xabcd)"}. */
    public String detail() {
        return detail.get();
    }

    /**
     * One log line: reason, detail, sender, VRID and the hint, e.g. {@code "dropped VRRP advert (BAD_CHECKSUM):
     * checksum 0x1234 (expected 0xabcd); from 192.0.2.12, VRID 51; corrupted in transit, ..."}.
     */
    public String message() {
        StringBuilder line = new StringBuilder(160)
                .append("dropped VRRP advert (").append(reason).append("): ").append(detail());
        boolean knownSource = sourceIpv4 != UNKNOWN || sourceIpv6 != null;
        if (knownSource) {
            line.append("; from ").append(sourceIpv6 != null ? sourceIpv6.getHostAddress()
                    : Ipv4.format((int) sourceIpv4));
        }
        if (vrid != UNKNOWN) {
            line.append(knownSource ? ", VRID " : "; VRID ").append(vrid);
        }
        return line.append("; ").append(reason.hint()).toString();
    }

    @Override
    public String toString() {
        return message();
    }
}
