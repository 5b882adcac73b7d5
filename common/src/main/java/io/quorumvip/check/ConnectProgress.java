package io.quorumvip.check;

/**
 * How far a non-blocking TCP connect got, as a second connect(2) on its socket, made right after the first returned
 * EINPROGRESS, tells it: connected (0), still waiting for the SYN-ACK (EALREADY), or failed (any other errno: the
 * socket's error, ECONNREFUSED for a reset, which the call also clears). A real server on this machine (a veth, the
 * loopback) completes the handshake inside the first call, whose return value only says it was started: asked once
 * more, the probe is settled at once, and its socket closed, without an epoll registration and a wake-up to learn it.
 */
public enum ConnectProgress {
    CONNECTED,
    IN_PROGRESS,
    FAILED;

    /** asm-generic/errno.h (the same on x86_64 and aarch64). */
    static final int EALREADY = 114;
    static final int EAGAIN = 11;

    /**
     * @param returned what the second connect(2) returned
     * @param errno its errno when it returned -1 (ignored otherwise)
     */
    public static ConnectProgress of(int returned, int errno) {
        if (returned == 0) {
            return CONNECTED;
        }
        return errno == EALREADY ? IN_PROGRESS : FAILED;
    }

    /**
     * An exchange asks with its request's first write instead of a second connect: a connected socket takes bytes
     * (connected), a connecting one refuses them with EAGAIN (underway), and a failed connect's error (ECONNREFUSED
     * for a reset) comes back as the write's errno, which clears it as the connect would.
     *
     * @param written what write(2) returned: the bytes taken, or -1
     * @param errno its errno when it returned -1 (ignored otherwise)
     */
    public static ConnectProgress ofWrite(long written, int errno) {
        if (written >= 0) {
            return CONNECTED;
        }
        return errno == EAGAIN ? IN_PROGRESS : FAILED;
    }
}
