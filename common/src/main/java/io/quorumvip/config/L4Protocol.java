package io.quorumvip.config;

/** A virtual server's {@code protocol}; keepalived's default is TCP. */
public enum L4Protocol {
    TCP("tcp"),
    UDP("udp"),
    SCTP("sctp");

    private final String nftName;

    L4Protocol(String nftName) {
        this.nftName = nftName;
    }

    /** The name nftables uses for it in {@code meta l4proto}. */
    public String nftName() {
        return nftName;
    }
}
