package io.quorumvip.sim;

/** Deliberate bugs the simulation can switch on, to prove that its checker catches a broken rule. */
enum SimulationBugs {
    /** The VIP is bound without a kernel lifetime, as keepalived does: a frozen or dead owner keeps it. */
    NO_KERNEL_LIFETIME,
    /** The session prover claims an answer without asking ZooKeeper: validity never runs out while connected. */
    NO_LEASE_CHECK,
    /**
     * The effector programs the lifetime the core computed at its step instead of re-reading the clock right before
     * the netlink call: a pause in between stretches the lifetime past validUntil.
     */
    STALE_LIFETIME,
    /**
     * Not a code bug but a broken assumption: the kernel removes an expired address up to 1.5 s late instead of
     * the 1.25 s the margin budgets (docs/lease.md). Shows how close to the edge the honest runs go.
     */
    KERNEL_LATER_THAN_ASSUMED
}
