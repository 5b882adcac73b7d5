package io.quorumvip.check;

import io.quorumvip.config.CheckKind;
import io.quorumvip.config.VrrpTrackFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * keepalived's FILE_CHECK (check/check_file.c, trackers/track_file.c): a {@code track_file}'s integer value, read
 * as a probe result of one real server.
 *
 * <p>keepalived's rules, for a value {@code v}, the checker's weight {@code w} (its own {@code weight}, else the
 * track_file's) and {@code m} = −1 with {@code reverse}, else 1:
 * <ul>
 *   <li>{@code w} = 0: the checker is down while {@code v} ≠ 0 (with {@code reverse}: while {@code v} = 0), and
 *       up, adding nothing, otherwise;</li>
 *   <li>otherwise {@code v × w × m}, kept inside the int range, is added to the real server's weight (keepalived's
 *       {@code cur_weight}); reaching the int minimum is the fault level, and the checker is down there.</li>
 * </ul>
 * The real server's weight is then its configured weight plus every FILE_CHECK's addition (and misc_dynamic's),
 * clamped to 0..{@link io.quorumvip.config.RealServerConfig#MAX_WEIGHT} ({@link RealServerHealth#weight}). A missing,
 * unreadable or empty file, or one that does not start with a number, reads 0 (keepalived: "if there is an error, we
 * want to use 0"); a number beyond ±2^31 is ignored (the value stays what it was). The text is read by
 * {@link io.quorumvip.track.TrackedFileStatus#parse}, keepalived's {@code strtol} with base 0.
 *
 * <p>keepalived acts on a change at once (it watches the file with inotify): no retry, no rise, no alpha, and the
 * value at start decides the first state. {@link #RULES} says the same to the checker cycle: down on the first fault,
 * up on the first read out of it.
 *
 * @param name    the track_file's name
 * @param path    the file read
 * @param weight  the multiplier
 * @param reverse negates it (with weight 0: a value of 0 means down)
 */
public record FileCheck(String name, Path path, int weight, boolean reverse) {

    /**
     * How often the agent reads the file. keepalived reacts to a write within milliseconds; the default delay_loop
     * (60 s) would make "write 0 to drain rs2" take a minute, so a file is read every second whatever delay_loop is.
     */
    public static final Duration POLL = Duration.ofSeconds(1);

    /** Retry 0, rise 1, no alpha, no warmup: each read decides at once, as keepalived's inotify handler does. */
    public static final CheckRules RULES = new CheckRules(0, CheckRules.KEEPALIVED_RISE, POLL.toNanos(), POLL.toNanos(),
            0, false);

    private static final long VALUE_LIMIT = 1L << 31;

    public FileCheck {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(path, "path");
    }

    /**
     * A FILE_CHECK block with the track_file it names: its own weight and reverse, or, without a weight of its own,
     * the track_file's weight and reverse (keepalived's check_file.c, file_end_handler, copies both together).
     */
    public static FileCheck of(CheckKind.File kind, VrrpTrackFile file) {
        return kind.weight().isPresent()
                ? new FileCheck(file.name(), file.path(), kind.weight().getAsInt(), kind.reverse())
                : new FileCheck(file.name(), file.path(), file.weight(), file.reverse());
    }

    /** The checker rules for one checker: {@link #RULES} for a FILE_CHECK, its timing for the others. */
    public static CheckRules rules(io.quorumvip.config.CheckerConfig checker) {
        return checker.kind() instanceof CheckKind.File ? RULES : CheckRules.of(checker);
    }

    /** What reading {@code value} means for the real server; the detail names the file and the value read. */
    public ProbeResult result(long value, Duration latency) {
        return decide("track_file " + name + " (" + path + ") reads " + value, value, latency);
    }

    /** The file is not there: keepalived reads that as 0 (deleting the file is how an operator clears it). */
    public ProbeResult missing(Duration latency) {
        return decide("track_file " + name + " (" + path + ") is missing, so reads 0", 0, latency);
    }

    /** The file could not be read ({@code error} says why): keepalived reads that as 0 too. */
    public ProbeResult unreadable(String error, Duration latency) {
        return decide("track_file " + name + " (" + path + ") is unreadable (" + error + "), so reads 0", 0,
                latency);
    }

    /** The file holds a number beyond ±2^31: keepalived ignores such a read and keeps {@code kept}, the last value. */
    public ProbeResult ignored(long kept, Duration latency) {
        return decide("track_file " + name + " (" + path + ") holds a number beyond ±2^31, ignored as keepalived "
                + "does, so still reads " + kept, kept, latency);
    }

    private ProbeResult decide(String read, long value, Duration latency) {
        if (weight == 0) {
            boolean down = (value != 0) != reverse;
            return new ProbeResult(!down, read + (down ? (reverse ? ": 0 with weight 0 reverse means down"
                    : ": not 0 with weight 0 means down") : ": up, weight unchanged"), OptionalInt.empty(),
                    OptionalInt.empty(), latency, OptionalInt.empty(), OptionalInt.of(0));
        }
        int status = status(value);
        if (status == Integer.MIN_VALUE) {
            return new ProbeResult(false, read + ": × weight " + signedWeight() + " reaches the fault level",
                    OptionalInt.empty(), OptionalInt.empty(), latency, OptionalInt.empty(), OptionalInt.empty());
        }
        return new ProbeResult(true, read + ": × weight " + signedWeight() + " = " + (status >= 0 ? "+" : "")
                + status + " to the weight", OptionalInt.empty(), OptionalInt.empty(), latency, OptionalInt.empty(),
                OptionalInt.of(status));
    }

    /**
     * value × weight × (reverse ? −1 : 1), kept inside the int range (keepalived's {@code weight_range}). The value
     * is first held to ±2^31, the most keepalived reads, so the product always fits a long.
     */
    int status(long value) {
        long held = Math.max(-VALUE_LIMIT, Math.min(VALUE_LIMIT, value));
        long product = held * weight * (reverse ? -1L : 1L);
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, product));
    }

    private String signedWeight() {
        return reverse ? "-(" + weight + ")" : Integer.toString(weight);
    }
}
