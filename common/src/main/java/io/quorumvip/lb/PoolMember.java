package io.quorumvip.lb;

import java.net.InetAddress;

/**
 * One destination the data plane may send new connections to.
 *
 * @param weight 0 keeps it programmed (its flows stay) but gives it no new connection: inhibit_on_failure, a
 *               configured weight 0, or an inhibited sorry server while quorum holds
 * @param sorry  this is the virtual server's sorry_server
 */
public record PoolMember(InetAddress address, int port, int weight, boolean sorry) {

    public PoolMember {
        if (weight < 0) {
            throw new IllegalArgumentException("weight " + weight + " of " + address.getHostAddress() + " is negative");
        }
    }

    /** {@code 192.0.2.51:80}: the name the real server has in events and views. */
    public String endpoint() {
        String host = address.getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
