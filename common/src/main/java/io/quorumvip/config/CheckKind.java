package io.quorumvip.config;

import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** What a checker does, one record per keepalived checker block, with that block's own keywords. */
public sealed interface CheckKind {

    /** The block's keyword as keepalived writes it. */
    String keyword();

    /** {@code TCP_CHECK}: a TCP connection that completes is a success. */
    record Tcp() implements CheckKind {
        @Override
        public String keyword() {
            return "TCP_CHECK";
        }
    }

    /** {@code HTTP_GET} or {@code SSL_GET}: one {@code url} is tested per delay_loop, in turn. */
    record Http(boolean tls, List<HttpUrl> urls, String protocolVersion, boolean fastRecovery, boolean sni,
                Optional<String> virtualhost) implements CheckKind {
        public Http {
            urls = List.copyOf(urls);
        }

        @Override
        public String keyword() {
            return tls ? "SSL_GET" : "HTTP_GET";
        }
    }

    /**
     * {@code MISC_CHECK}: a program's exit code; 0 ok, 1 failed, and with {@code misc_dynamic} 2..255 ok with
     * weight exit−2.
     *
     * @param timeout {@code misc_timeout}; keepalived's default is the checker's delay_loop
     */
    record Misc(String command, java.time.Duration timeout, boolean dynamic, Optional<String> user)
            implements CheckKind {
        @Override
        public String keyword() {
            return "MISC_CHECK";
        }
    }

    /** {@code SMTP_CHECK}: 220 banner, HELO, 250, QUIT. */
    record Smtp(String heloName) implements CheckKind {
        @Override
        public String keyword() {
            return "SMTP_CHECK";
        }
    }

    /** {@code DNS_CHECK}: a query of {@code type} for {@code name} answered with the same id and RCODE 0. */
    record Dns(String type, String name) implements CheckKind {
        @Override
        public String keyword() {
            return "DNS_CHECK";
        }
    }

    /**
     * {@code UDP_CHECK}: a datagram sent; an ICMP unreachable fails it, and no reply fails it only with
     * {@code require_reply}.
     */
    record Udp(Optional<byte[]> payload, boolean requireReply, Optional<String> replyPattern, int minReplyLength,
               int maxReplyLength) implements CheckKind {
        @Override
        public String keyword() {
            return "UDP_CHECK";
        }

        @Override
        public String toString() {
            return "Udp[payload=" + payload.map(p -> HexFormat.of().formatHex(p)).orElse("random")
                    + ", requireReply=" + requireReply + ", replyPattern=" + replyPattern + "]";
        }
    }

    /** {@code PING_CHECK}: an ICMP echo answered. */
    record Ping() implements CheckKind {
        @Override
        public String keyword() {
            return "PING_CHECK";
        }
    }

    /**
     * {@code AGENT_CHECK} (HAProxy's agent-check, not keepalived's): the real server's own agent, at connect_port,
     * answers each connection with one line of words (a weight percentage, {@code drain}, {@code maint},
     * {@code ready}, {@code up}, {@code down}, ...) that sets its weight and place in the pool.
     */
    record Agent() implements CheckKind {
        @Override
        public String keyword() {
            return "AGENT_CHECK";
        }
    }

    /** {@code FILE_CHECK}: the value in a tracked file, times {@code weight}, sets the real server's weight. */
    record File(String trackFile, boolean dynamic, OptionalInt weight, boolean reverse) implements CheckKind {
        @Override
        public String keyword() {
            return "FILE_CHECK";
        }
    }
}
