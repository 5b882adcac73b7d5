package io.quorumvip.forensics;

/** Waiting for the report's helper threads (decoding ahead, writing behind). */
final class Threads {

    private Threads() {
    }

    /**
     * Waits until {@code thread} has ended, even when interrupted meanwhile (its source or sink may be closed only
     * after it), then restores the caller's interrupt status.
     */
    static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
