package io.quorumvip.forensics;

import java.util.concurrent.CancellationException;

/**
 * Forensics over years of history runs for seconds: a caller that no longer wants the answer (the coordinator,
 * when its client went away) interrupts the thread, and the long loops stop at their next check.
 */
final class Cancellation {

    /** How many steps a loop takes between two checks. */
    static final int EVERY = 1 << 14;

    private Cancellation() {
    }

    static void check() {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("forensics stopped: its thread was interrupted (the caller gave up)");
        }
    }
}
