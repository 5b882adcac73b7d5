package io.quorumvip.sim;

/** Deliberate bugs the simulation can switch on, to prove that its checker catches a broken rule. */
enum SimulationBugs {
    /** The VIP is bound without a kernel lifetime, as keepalived does: a frozen or dead owner keeps it. */
    NO_KERNEL_LIFETIME,
    /** The ownership rule is fed a validity that never runs out: a held lease counts as valid for good. */
    NO_LEASE_CHECK,
    /**
     * Not a code bug but a broken assumption: the kernel removes an expired address up to 1.5 s late instead of
     * the 1.25 s the margin budgets (docs/lease.md). Shows how close to the edge the honest runs go.
     */
    KERNEL_LATER_THAN_ASSUMED
}
