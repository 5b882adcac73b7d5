package io.quorumvip.agent.net;

import java.io.IOException;
import java.util.List;

/** {@link LinkState} and link details (index, MAC) from RTM_GETLINK, looked up by name on each call. */
public final class NetlinkLinkState implements LinkState {
    private final RtNetlinkSocket socket;

    private NetlinkLinkState(RtNetlinkSocket socket) {
        this.socket = socket;
    }

    public static NetlinkLinkState open() throws IOException {
        return new NetlinkLinkState(RtNetlinkSocket.open());
    }

    public boolean isUp(String device) throws IOException {
        return status(device).isUp();
    }

    /** @throws IOException naming the device when there is no such interface (ENODEV) */
    @Override
    public LinkStatus status(String device) throws IOException {
        if (device.isEmpty() || device.length() > Netlink.MAX_NAME_LENGTH) {
            throw new IOException("interface name '" + device + "' has " + device.length()
                    + " characters (expected 1.." + Netlink.MAX_NAME_LENGTH + ")");
        }
        List<NetlinkMessage> reply;
        try {
            reply = socket.exchange("RTM_GETLINK " + device, sequence -> RtNetlinkMessages.getLink(sequence, device));
        } catch (NetlinkErrorException e) {
            if (e.errno() == LibC.ENODEV) {
                throw new IOException(e.getMessage() + " — check the interface name (ip link show)", e);
            }
            throw e;
        }
        if (reply.size() != 1) {
            throw new NetlinkFormatException("RTM_GETLINK " + device + " got " + reply.size() + " messages (expected 1)");
        }
        return RtNetlinkMessages.decodeLink(reply.get(0));
    }

    public MacAddress macAddress(String device) throws IOException {
        return status(device).mac();
    }

    @Override
    public void close() {
        socket.close();
    }
}
