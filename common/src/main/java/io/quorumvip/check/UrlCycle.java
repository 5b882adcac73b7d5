package io.quorumvip.check;

/**
 * Which {@code url} of an HTTP_GET/SSL_GET the next probe tests: keepalived tests one url per delay_loop, in the
 * order written, moving on after a success and retrying the same url after a failure, so a failing url keeps the
 * retry count (and the evidence) to itself.
 *
 * @param size    how many urls the checker has, at least one
 * @param current the index the next probe tests
 */
public record UrlCycle(int size, int current) {

    public UrlCycle {
        if (size < 1 || current < 0 || current >= size) {
            throw new IllegalArgumentException("url " + current + " of " + size + ": a checker needs at least one url"
                    + " and the index must be one of them");
        }
    }

    public static UrlCycle start(int size) {
        return new UrlCycle(size, 0);
    }

    /** After a probe of {@link #current}: the next url on success, the same one on failure. */
    public UrlCycle after(boolean success) {
        int next = success ? (current + 1) % size : current;
        return next == current ? this : new UrlCycle(size, next);
    }
}
