package io.quorumvip.forensics.wire;

import io.quorumvip.forensics.Incident;
import io.quorumvip.forensics.ForensicsSettings;
import io.quorumvip.forensics.Times;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The decoded frames of every capture, in time order, and what was on the wire in an incident's window. Pure: the
 * caller reads the files. Times are the capturing nodes' clocks, as the journals' are.
 */
public final class WireEvidence {

    private final List<WireRecord> records;
    private final long[] micros;

    private WireEvidence(List<WireRecord> records) {
        this.records = records;
        this.micros = records.stream().mapToLong(r -> r.frame().micros()).toArray();
    }

    /** Decodes {@code frames}; what is neither VRRP, ARP nor a Neighbour Advertisement is left out. */
    public static WireEvidence of(Collection<CapturedFrame> frames) {
        List<WireRecord> decoded = new ArrayList<>();
        for (CapturedFrame frame : frames) {
            WireDecoder.decode(frame).ifPresent(decoded::add);
        }
        decoded.sort(Comparator.comparingLong(r -> r.frame().micros()));
        return new WireEvidence(List.copyOf(decoded));
    }

    public int size() {
        return records.size();
    }

    /**
     * The window forensics looks at for {@code incident}: from as far back as its chain of causes reaches to its end
     * plus the clock bound (the capturing node's clock may run behind the journaling one's).
     */
    public static Window window(Incident incident, ForensicsSettings settings) {
        Set<InetAddress> addresses = new HashSet<>();
        if (!incident.address().isEmpty()) {
            addresses.add(parseAddress(incident.address()));
        }
        return new Window(incident.startMicros() - settings.causeLookbackMicros(),
                incident.endMicros() + settings.clockUncertaintyMicros(), incident.vrid(), Set.copyOf(addresses));
    }

    /**
     * The frames within {@code window}: adverts of its VRID, and ARP and Neighbour Advertisements about its
     * addresses or about any address those adverts carry. Nothing for a window without a VRID or address.
     */
    public List<WireRecord> select(Window window) {
        int first = firstAtOrAfter(window.fromMicros());
        Set<InetAddress> addresses = new HashSet<>(window.addresses());
        List<WireRecord> inWindow = new ArrayList<>();
        for (int i = first; i < records.size() && micros[i] <= window.toMicros(); i++) {
            inWindow.add(records.get(i));
            if (records.get(i) instanceof WireRecord.Advert advert && advert.packet().vrid() == window.vrid()) {
                addresses.addAll(advert.packet().addresses());
            }
        }
        return inWindow.stream().filter(r -> matches(r, window.vrid(), addresses)).toList();
    }

    /**
     * The report's lines for {@code incident}: one per sender, or why there are none. Empty for an incident about
     * neither a VRID nor an address (pools, configuration).
     */
    public List<String> lines(Incident incident, ForensicsSettings settings) {
        if (incident.vrid() == 0 && incident.address().isEmpty()) {
            return List.of();
        }
        Window window = window(incident, settings);
        List<SenderSummary> summaries = summarise(select(window), window);
        if (summaries.isEmpty()) {
            return List.of("nothing captured from " + Times.clock(window.fromMicros()) + " to "
                    + Times.clock(window.toMicros()) + (records.isEmpty() ? "" : " (the captures hold "
                    + Times.instant(micros[0]) + " .. " + Times.instant(micros[micros.length - 1]) + ")"));
        }
        return summaries.stream().map(SenderSummary::text).toList();
    }

    /** The frames of every incident's window, each once, in time order: what {@code --pcap} writes. */
    public List<CapturedFrame> framesOf(Iterable<Incident> incidents, ForensicsSettings settings) {
        Set<WireRecord> chosen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Incident incident : incidents) {
            if (incident.vrid() != 0 || !incident.address().isEmpty()) {
                chosen.addAll(select(window(incident, settings)));
            }
        }
        return records.stream().filter(chosen::contains).map(WireRecord::frame).toList();
    }

    /** One line per sender and kind, in the order each first appears, for the window the records were taken from. */
    public static List<SenderSummary> summarise(List<WireRecord> selected, Window window) {
        Map<String, List<WireRecord>> bySender = new LinkedHashMap<>();
        for (WireRecord record : selected) {
            bySender.computeIfAbsent(describe(record), k -> new ArrayList<>()).add(record);
        }
        List<SenderSummary> summaries = new ArrayList<>();
        bySender.forEach((what, group) -> summaries.add(SenderSummary.of(what, group, window)));
        return summaries;
    }

    private static boolean matches(WireRecord record, int vrid, Set<InetAddress> addresses) {
        if (record instanceof WireRecord.Advert advert) {
            return vrid != 0 && advert.packet().vrid() == vrid;
        }
        if (record instanceof WireRecord.Arp arp) {
            return addresses.contains(arp.senderAddress()) || addresses.contains(arp.targetAddress());
        }
        return addresses.contains(((WireRecord.NeighbourAdvert) record).target());
    }

    private static String describe(WireRecord record) {
        if (record instanceof WireRecord.Advert advert) {
            return "VRRPv" + advert.packet().version().byteValue() + " advert from " + advert.sender() + " VRID "
                    + advert.packet().vrid() + " every " + advert.packet().advertIntervalCentis() * 10 + " ms";
        }
        if (record instanceof WireRecord.Arp arp) {
            if (arp.gratuitous()) {
                return "gratuitous ARP " + (arp.reply() ? "reply " : "request ")
                        + arp.senderAddress().getHostAddress() + " is-at " + arp.senderMac();
            }
            return arp.reply()
                    ? "ARP reply " + arp.senderAddress().getHostAddress() + " is-at " + arp.senderMac() + " to "
                            + arp.targetAddress().getHostAddress()
                    : "ARP who-has " + arp.targetAddress().getHostAddress() + " from "
                            + arp.senderAddress().getHostAddress() + " " + arp.senderMac();
        }
        WireRecord.NeighbourAdvert na = (WireRecord.NeighbourAdvert) record;
        return "neighbour advert " + na.target().getHostAddress() + " is-at " + na.mac()
                + (na.override() ? " (override)" : "");
    }

    private int firstAtOrAfter(long from) {
        int low = 0;
        int high = micros.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (micros[middle] < from) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    private static InetAddress parseAddress(String address) {
        String bare = address.contains("/") ? address.substring(0, address.indexOf('/')) : address;
        try {
            // The journal holds literal addresses: parsing one does no name lookup.
            return InetAddress.getByName(bare);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("incident address got " + address
                    + " (expected an IPv4 or IPv6 address, optionally with /prefix)", e);
        }
    }

    /**
     * An incident's window on the wire.
     *
     * @param fromMicros first time in it, µs since 1970
     * @param toMicros   last time in it
     * @param vrid       the VRID whose adverts count (0: none)
     * @param addresses  the addresses whose ARP and Neighbour Advertisements count
     */
    public record Window(long fromMicros, long toMicros, int vrid, Set<InetAddress> addresses) {
        public Window {
            if (fromMicros > toMicros) {
                throw new IllegalArgumentException("wire window from " + fromMicros + " is after to " + toMicros
                        + " (expected from <= to)");
            }
            addresses = Set.copyOf(addresses);
        }
    }
}
