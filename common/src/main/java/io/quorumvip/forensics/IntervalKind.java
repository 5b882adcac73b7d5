package io.quorumvip.forensics;

/** What an {@link Interval} is a stretch of. */
public enum IntervalKind {
    /** The instance's VRRP role; the subject is the role (INITIALIZE, BACKUP, MASTER, FAULT). */
    ROLE,
    /** The node held the instance's lease; the subject is the epoch. */
    LEASE,
    /** The node had the address bound; the subject is the address as journaled (192.0.2.200/24). */
    VIP
}
