package io.quorumvip.agent.net;

import java.io.IOException;

/** The kernel refused a netlink request; {@link #errno()} says why (e.g. 17 EEXIST, 99 EADDRNOTAVAIL, 19 ENODEV). */
public final class NetlinkErrorException extends IOException {
    private final int errno;

    NetlinkErrorException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
