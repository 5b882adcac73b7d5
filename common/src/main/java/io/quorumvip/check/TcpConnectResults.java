package io.quorumvip.check;

import java.time.Duration;

/**
 * TCP_CHECK's result from how its connect ended, in the words an event's evidence carries: the connection completed
 * ("connected"), the real server refused it ("connect refused"), connect_timeout passed ("timed out"), or another
 * error named by its errno text. The same words the Netty-based prober gave, so verdicts and evidence read the same.
 */
public final class TcpConnectResults {

    // asm-generic/errno.h (the same on x86_64 and aarch64)
    static final int ETIMEDOUT = 110;
    static final int ECONNREFUSED = 111;
    static final int EHOSTUNREACH = 113;

    private TcpConnectResults() {
    }

    public static ProbeResult connected(Duration latency) {
        return ProbeResult.success("connected", latency);
    }

    public static ProbeResult timedOut(Duration latency) {
        return ProbeResult.failure("timed out", latency);
    }

    /**
     * The connect failed with {@code errno} (from connect(2), or SO_ERROR once it ended).
     *
     * @param errnoText strerror's text for it, for the errors that have no words of their own here
     */
    public static ProbeResult failed(int errno, String errnoText, Duration latency) {
        return ProbeResult.failure(switch (errno) {
            case ECONNREFUSED -> "connect refused";
            case ETIMEDOUT -> "timed out";
            case EHOSTUNREACH -> "no route to host";
            default -> "connect failed: " + errnoText;
        }, latency);
    }

    /**
     * No connect was tried: the probe's socket could not be made or set up (too many open files, a bindto address
     * not on this machine).
     *
     * @param what the call that failed and why, e.g. "socket(): Too many open files (errno 24)"
     */
    public static ProbeResult notTried(String what, Duration latency) {
        return ProbeResult.failure("no connect tried: " + what, latency);
    }
}
