package io.quorumvip.agent.lb;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * MAC addresses DR needs, read from the kernel without a fork: the neighbour table ({@code /proc/net/arp}, complete
 * entries only) for real servers and {@code /sys/class/net/DEV/address} for this director. The checks themselves
 * keep the real servers' entries fresh, and the load balancer asks the kernel to resolve the ones it lacks.
 */
final class Neighbours {

    private static final int ATF_COM = 0x2;
    /** Compiled once: {@code String.split("\\s+")} compiles its pattern on every line, of 10,000 per read. */
    private static final Pattern BLANKS = Pattern.compile("\\s+");

    private Neighbours() {
    }

    static Map<InetAddress, String> arpTable(Path procNetArp) {
        Map<InetAddress, String> table = new HashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(procNetArp);
        } catch (IOException e) {
            return table;
        }
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] fields = BLANKS.split(line.trim());
            if (fields.length < 4) {
                continue;
            }
            int flags = Integer.decode(fields[2]);
            if ((flags & ATF_COM) == 0 || fields[3].equals("00:00:00:00:00:00")) {
                continue;
            }
            try {
                table.put(InetAddress.getByName(fields[0]), fields[3].toLowerCase(Locale.ROOT));
            } catch (IOException e) {
                // not an address: skip the line
            }
        }
        return table;
    }

    /**
     * The MACs to program for {@code wanted} after reading {@code table}: a complete entry wins, and a real server
     * missing from this read (its entry being re-resolved, or collected) keeps the MAC it had, so a blink of the
     * neighbour table does not change the hash's members and move stateless flows.
     */
    static Map<InetAddress, String> follow(Map<InetAddress, String> known, Map<InetAddress, String> table,
                                           Collection<InetAddress> wanted) {
        Map<InetAddress, String> next = new HashMap<>();
        for (InetAddress address : wanted) {
            String mac = table.getOrDefault(address, known.get(address));
            if (mac != null) {
                next.put(address, mac);
            }
        }
        return Map.copyOf(next);
    }

    static Optional<String> interfaceMac(String device) {
        try {
            return Optional.of(Files.readString(Path.of("/sys/class/net", device, "address")).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
