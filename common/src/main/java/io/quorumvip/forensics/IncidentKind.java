package io.quorumvip.forensics;

/** The kinds of incident forensics reports, each with how loudly. */
public enum IncidentKind {
    /** Two nodes VRRP MASTER for one VRID at once: the heartbeat path was split. */
    DUAL_MASTER(Severity.WARNING),
    /** Two nodes had the same address bound at once: a true split brain. */
    DUAL_OWNERSHIP(Severity.CRITICAL),
    /** A node held the lease without being MASTER, or was MASTER without the lease, longer than the grace. */
    LEASE_VRRP_DISAGREEMENT(Severity.WARNING),
    /** No node had an address bound that some node had bound before: an outage. */
    NO_OWNER(Severity.WARNING),
    /** Nodes running the same instance loaded different configuration files. */
    CONFIG_DISAGREEMENT(Severity.INFO),
    /** A director's pool still held a real server after its checks had failed: the detection latency. */
    POOL_HELD_FAILED_SERVER(Severity.INFO),
    /** Directors of one virtual server had different pools at once: a fail-over then changes who serves. */
    POOL_DISAGREEMENT(Severity.WARNING);

    /** How loud an incident is. */
    public enum Severity {
        INFO, WARNING, CRITICAL
    }

    private final Severity severity;

    IncidentKind(Severity severity) {
        this.severity = severity;
    }

    public Severity severity() {
        return severity;
    }
}
