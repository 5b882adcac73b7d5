package io.quorumvip.agent.net;

/**
 * What the kernel says about one interface (RTM_GETLINK).
 *
 * @param adminUp  IFF_UP: the interface was set up ({@code ip link set DEV up})
 * @param carrier  IFF_LOWER_UP: the driver sees a link
 */
public record LinkStatus(String device, int index, boolean adminUp, boolean carrier, OperState operState,
                         MacAddress mac) {

    /** Can carry traffic: administratively up, with carrier, and operstate UP or UNKNOWN (drivers without operstate). */
    public boolean isUp() {
        return adminUp && carrier && (operState == OperState.UP || operState == OperState.UNKNOWN);
    }
}
