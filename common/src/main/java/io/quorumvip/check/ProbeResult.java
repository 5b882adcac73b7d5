package io.quorumvip.check;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What one probe of a real server found: the evidence a verdict change carries into the journal.
 *
 * @param detail        what happened, in words ("connect refused", "HTTP 503", "exit code 1", "timed out after 3 s")
 * @param statusCode    the HTTP status, when a response came
 * @param exitCode      a MISC_CHECK's exit code, when the program exited
 * @param latency       from the start of the attempt to its result
 * @param dynamicWeight a misc_dynamic exit 2..255: the weight the real server asks for (exit − 2)
 * @param weightOffset  a FILE_CHECK's value × weight: added to the real server's weight while this is the checker's
 *                      last result (keepalived's {@code cur_weight}; see {@link FileCheck})
 * @param weightPercent an AGENT_CHECK's report: the real server's weight scaled to this percentage while this is the
 *                      checker's last result (HAProxy's {@code 75%}; 0 for {@code drain}; see {@link AgentState})
 */
public record ProbeResult(boolean success, String detail, OptionalInt statusCode, OptionalInt exitCode,
                          Duration latency, OptionalInt dynamicWeight, OptionalInt weightOffset,
                          OptionalInt weightPercent) {

    public ProbeResult {
        Objects.requireNonNull(detail, "detail");
        Objects.requireNonNull(latency, "latency");
    }

    /** A result that asks nothing of the weight beyond misc_dynamic's and FILE_CHECK's. */
    public ProbeResult(boolean success, String detail, OptionalInt statusCode, OptionalInt exitCode, Duration latency,
                       OptionalInt dynamicWeight, OptionalInt weightOffset) {
        this(success, detail, statusCode, exitCode, latency, dynamicWeight, weightOffset, OptionalInt.empty());
    }

    /** A result that asks nothing of the weight beyond misc_dynamic's {@code dynamicWeight}. */
    public ProbeResult(boolean success, String detail, OptionalInt statusCode, OptionalInt exitCode, Duration latency,
                       OptionalInt dynamicWeight) {
        this(success, detail, statusCode, exitCode, latency, dynamicWeight, OptionalInt.empty());
    }

    /** A success that asks nothing of the weight: what TCP_CHECK, HTTP_GET and most checkers report. */
    public boolean plainSuccess() {
        return success && dynamicWeight.isEmpty() && weightOffset.isEmpty() && weightPercent.isEmpty();
    }

    public static ProbeResult success(String detail, Duration latency) {
        return new ProbeResult(true, detail, OptionalInt.empty(), OptionalInt.empty(), latency, OptionalInt.empty());
    }

    public static ProbeResult failure(String detail, Duration latency) {
        return new ProbeResult(false, detail, OptionalInt.empty(), OptionalInt.empty(), latency, OptionalInt.empty());
    }

    /** An HTTP response judged by the accepted codes (and body checks) of its url. */
    public static ProbeResult http(int status, boolean accepted, String detail, Duration latency) {
        return new ProbeResult(accepted, detail, OptionalInt.of(status), OptionalInt.empty(), latency,
                OptionalInt.empty());
    }

    /**
     * keepalived's MISC_CHECK reading of an exit code: 0 ok, 1 failed, 2..255 ok with weight exit−2 when
     * {@code misc_dynamic} is set (otherwise failed, as any code but 0).
     */
    public static ProbeResult exit(int code, boolean dynamic, Duration latency) {
        boolean weighted = dynamic && code >= 2 && code <= 255;
        return new ProbeResult(code == 0 || weighted, "exit code " + code, OptionalInt.empty(), OptionalInt.of(code),
                latency, weighted ? OptionalInt.of(code - 2) : OptionalInt.empty());
    }
}
