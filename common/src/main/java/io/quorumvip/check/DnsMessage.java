package io.quorumvip.check;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * DNS_CHECK's two messages (RFC 1035 §4.1): the query it sends (one question, RD set, as keepalived's check_dns.c
 * does) and the reading of the answer: same id, the QR bit, RCODE 0. Pure bytes in and out; a short or malformed
 * answer is a failure with its reason, never an exception.
 */
public final class DnsMessage {

    /** keepalived's query types and their numbers (RFC 1035 §3.2.2, RFC 3596 for AAAA). */
    public static final Map<String, Integer> TYPES = Map.of("A", 1, "NS", 2, "CNAME", 5, "SOA", 6, "MX", 15,
            "TXT", 16, "AAAA", 28);
    static final int HEADER_LENGTH = 12;
    private static final int FLAG_RD = 0x0100;
    private static final int FLAG_QR = 0x8000;
    private static final int CLASS_IN = 1;
    private static final String[] RCODES = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"};

    private DnsMessage() {
    }

    /** The query for {@code name} of {@code type} with {@code id}, recursion desired. */
    public static byte[] query(int id, String name, String type) {
        Integer code = TYPES.get(type.toUpperCase(Locale.ROOT));
        if (code == null) {
            throw new IllegalArgumentException("DNS type " + type + " is not one DNS_CHECK sends (expected "
                    + TYPES.keySet() + ")");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        short16(out, id);
        short16(out, FLAG_RD);
        short16(out, 1);
        short16(out, 0);
        short16(out, 0);
        short16(out, 0);
        for (String label : name.split("\\.")) {
            if (label.isEmpty()) {
                continue;
            }
            byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
            if (bytes.length > 63) {
                throw new IllegalArgumentException("DNS label " + label + " is longer than 63 bytes");
            }
            out.write(bytes.length);
            out.writeBytes(bytes);
        }
        out.write(0);
        short16(out, code);
        short16(out, CLASS_IN);
        return out.toByteArray();
    }

    /** Empty when {@code answer} answers query {@code id} with RCODE 0; otherwise why not, in a few words. */
    public static Optional<String> problem(int id, byte[] answer) {
        if (answer.length < HEADER_LENGTH) {
            return Optional.of("DNS answer of " + answer.length + " bytes is shorter than a header");
        }
        int answerId = ((answer[0] & 0xff) << 8) | (answer[1] & 0xff);
        int flags = ((answer[2] & 0xff) << 8) | (answer[3] & 0xff);
        if (answerId != id) {
            return Optional.of("DNS answer id " + answerId + " does not match the query's " + id);
        }
        if ((flags & FLAG_QR) == 0) {
            return Optional.of("DNS message is a query, not an answer");
        }
        int rcode = flags & 0x0f;
        if (rcode != 0) {
            return Optional.of("DNS RCODE " + rcode + (rcode < RCODES.length ? " " + RCODES[rcode] : ""));
        }
        return Optional.empty();
    }

    /** The RCODE of a well-formed answer, for the evidence's status code. */
    public static int rcode(byte[] answer) {
        return answer.length < HEADER_LENGTH ? -1 : answer[3] & 0x0f;
    }

    private static void short16(ByteArrayOutputStream out, int value) {
        out.write((value >> 8) & 0xff);
        out.write(value & 0xff);
    }
}
