package io.quorumvip.agent.lb;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * MAC addresses DR needs, read from the kernel without a fork: the neighbour table ({@code /proc/net/arp}, complete
 * entries only) for real servers and {@code /sys/class/net/DEV/address} for this director. The checks themselves
 * keep the real servers' entries fresh; every read follows a changed MAC.
 */
final class Neighbours {

    private static final int ATF_COM = 0x2;

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
            String[] fields = line.trim().split("\\s+");
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

    static Optional<String> interfaceMac(String device) {
        try {
            return Optional.of(Files.readString(Path.of("/sys/class/net", device, "address")).strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
