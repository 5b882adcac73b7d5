package io.quorumvip.config;

/** keepalived's {@code lb_kind} / {@code lvs_method}; TUN is refused at parse time (no ipip on this kernel). */
public enum ForwardingMethod {
    /** The director rewrites the destination address ({@code dnat}); replies come back through it. */
    NAT,
    /** The director rewrites the destination MAC and forwards the frame; the real server answers the client. */
    DR
}
