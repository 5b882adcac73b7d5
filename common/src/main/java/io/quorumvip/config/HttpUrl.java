package io.quorumvip.config;

import java.util.List;
import java.util.Optional;

/**
 * One {@code url} block of HTTP_GET/SSL_GET.
 *
 * @param statusCodes the accepted status codes; keepalived's default is 200-299
 * @param digest      lower-case hex MD5 of the body, when set the body must match it
 */
public record HttpUrl(String path, List<StatusCodeRange> statusCodes, Optional<String> digest,
                      Optional<String> virtualhost, Optional<String> regex, boolean regexNoMatch) {

    public static final List<StatusCodeRange> DEFAULT_STATUS_CODES = List.of(new StatusCodeRange(200, 299));

    public HttpUrl {
        statusCodes = List.copyOf(statusCodes);
    }

    /** A loop, not a stream: it runs for every HTTP_GET answer, 10,000 a second at scale. */
    public boolean accepts(int status) {
        for (StatusCodeRange range : statusCodes) {
            if (range.contains(status)) {
                return true;
            }
        }
        return false;
    }

    /** {@code status_code 200} or {@code 200-299}. */
    public record StatusCodeRange(int from, int to) {
        public boolean contains(int status) {
            return status >= from && status <= to;
        }

        @Override
        public String toString() {
            return from == to ? Integer.toString(from) : from + "-" + to;
        }
    }
}
