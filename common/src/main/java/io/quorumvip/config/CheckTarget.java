package io.quorumvip.config;

import java.net.InetAddress;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Where a checker connects and from where: {@code connect_ip}/{@code connect_port} default to the real server's,
 * {@code bindto}/{@code bind_port}/{@code bind_if} to the kernel's choice, {@code fwmark} marks the probe packets,
 * {@code close_with_reset} (ours, TCP_CHECK/HTTP_GET/SSL_GET) ends each connection with an RST instead of a FIN,
 * {@code untracked} (ours, TCP_CHECK/HTTP_GET) keeps the check's connections out of the director's conntrack.
 */
public record CheckTarget(InetAddress address, int port, Optional<InetAddress> bindAddress, OptionalInt bindPort,
                          Optional<String> bindInterface, OptionalLong fwmark, boolean closeWithReset,
                          boolean untracked) {
}
