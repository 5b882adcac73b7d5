package io.quorumvip.agent.ship;

import java.net.URI;

/**
 * One coordinator this node ships to, and how it proves who it is there.
 *
 * @param coordinator {@code http(s)://HOST:PORT}, as in the config's {@code url}
 * @param token       the node's bearer token; toString hides it
 */
record ShipTarget(URI coordinator, String node, String token) {

    /** {@code POST} here: {@code /v1/nodes/NODE/records}. */
    URI recordsUri() {
        return coordinator.resolve("/v1/nodes/" + node + "/records");
    }

    /** The {@code coordinator} label of the metrics: host and port. */
    String label() {
        return coordinator.getRawAuthority();
    }

    @Override
    public String toString() {
        return "ShipTarget[coordinator=" + coordinator + ", node=" + node + "]";
    }
}
