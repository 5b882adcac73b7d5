package io.quorumvip.check;

/**
 * Whether a TCP probe asks connect(2) a second time ({@link ConnectProgress}), per target. A real server on this
 * machine answers inside the first call, and the second one settles the probe at once; one across a network never
 * has by then, and the second call would only cost a syscall per probe. So after a second call that found the
 * handshake still underway, the next {@link #SKIPPED_AFTER_A_MISS} probes of the target skip it, then one asks again
 * (a local real server whose answer was late once, under load, gets the shortcut back).
 * Not thread-safe: the probe loop's thread alone uses it.
 */
public final class ConnectShortcut {

    /** A target across a network pays one second connect in 64 probes. */
    public static final int SKIPPED_AFTER_A_MISS = 63;

    private int skip;

    /** Whether this probe makes the second connect; each call counts as one probe of the target. */
    public boolean ask() {
        if (skip == 0) {
            return true;
        }
        skip--;
        return false;
    }

    /** What the second connect said. */
    public void answered(ConnectProgress progress) {
        if (progress == ConnectProgress.IN_PROGRESS) {
            skip = SKIPPED_AFTER_A_MISS;
        }
    }
}
