package io.quorumvip.agent.net;

import java.io.IOException;

/** Interface name to index, through if_nametoindex(3) in the calling thread's network namespace. */
final class Interfaces {
    private Interfaces() {
    }

    static int index(String device) throws IOException {
        if (device.isEmpty() || device.length() > Netlink.MAX_NAME_LENGTH) {
            throw new IOException("interface name '" + device + "' has " + device.length()
                    + " characters (expected 1.." + Netlink.MAX_NAME_LENGTH + ")");
        }
        int index = LibC.INSTANCE.if_nametoindex(device);
        if (index == 0) {
            throw new IOException("interface " + device + ": if_nametoindex failed: " + LibC.lastErrorText()
                    + " — check the interface name (ip link show)");
        }
        return index;
    }
}
