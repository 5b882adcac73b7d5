package io.quorumvip.agent.net;

import java.io.IOException;

/** A reply from the kernel that does not have the layout netlink promises; it says what was seen and expected. */
final class NetlinkFormatException extends IOException {
    NetlinkFormatException(String message) {
        super(message);
    }
}
