package io.quorumvip.config;

/** One {@code host:port} of the {@code connect} list. */
public record ZooKeeperServer(String host, int port) {

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
