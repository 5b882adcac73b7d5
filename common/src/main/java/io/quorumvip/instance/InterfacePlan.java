package io.quorumvip.instance;

import io.quorumvip.config.UseVmac;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Which interface each part of an instance's traffic uses, as keepalived 2.2 decides it with {@code use_vmac}
 * (RFC 5798 §7.3: the master answers for its addresses with the virtual router MAC 00-00-5E-00-01-VRID, IPv6
 * 00-00-5E-00-02-VRID).
 *
 * <ul>
 *   <li>Addresses without {@code dev}, or with the instance's own interface as {@code dev}, go on the macvlan,
 *       so ARP replies and gratuitous ARP (IPv6: neighbour advertisements) carry the virtual MAC; an address on
 *       another interface stays there (keepalived.conf(5): "which do not specify a different interface").</li>
 *   <li>Adverts go out of the macvlan, so their source MAC is the virtual MAC too, and the switches learn it from
 *       the adverts of whoever is master; they are received there too, as keepalived does, and must be: Linux
 *       hands a multicast frame whose source is the local macvlan's MAC (a peer's VMAC adverts) to that macvlan
 *       only, never to the base interface. With {@code vmac_xmit_base} (and always with unicast peers) adverts go
 *       out of and are received on the base interface, with its own MAC, as keepalived's are; the peers must then
 *       use vmac_xmit_base too, or their adverts go to the local macvlan and are not heard.</li>
 * </ul>
 * Without {@code use_vmac} everything is on the instance's interface.
 *
 * @param baseInterface the instance's {@code interface}
 * @param vmac          the macvlan, with {@code use_vmac}
 */
public record InterfacePlan(String baseInterface, Optional<Vmac> vmac) {

    /**
     * The macvlan keepalived makes: mode private (it talks to the wire, never to its siblings), on the base interface.
     *
     * @param name     the macvlan's name
     * @param mac      00:00:5e:00:01:VRID (IPv6 00:00:5e:00:02:VRID), lower case hex
     * @param xmitBase adverts go out of the base interface
     */
    public record Vmac(String name, String mac, boolean xmitBase) {
        public Vmac {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(mac, "mac");
        }

        public byte[] macBytes() {
            return HexFormat.ofDelimiter(":").parseHex(mac);
        }
    }

    public InterfacePlan {
        Objects.requireNonNull(baseInterface, "baseInterface");
        Objects.requireNonNull(vmac, "vmac");
    }

    /**
     * The plan for one instance. An IPv6 instance sends its adverts from the base interface (as with
     * {@code vmac_xmit_base}): keepalived gives its IPv6 macvlan a link-local address to send from, this agent does
     * not yet.
     */
    public static InterfacePlan of(String baseInterface, int vrid, boolean ipv6, Optional<UseVmac> useVmac) {
        if (vrid < 1 || vrid > 255) {
            throw new IllegalArgumentException("virtual_router_id " + vrid + " (expected 1..255)");
        }
        return new InterfacePlan(baseInterface, useVmac.map(u -> new Vmac(u.interfaceName(),
                virtualMac(vrid, ipv6), u.xmitBase() || ipv6)));
    }

    /** The virtual router MAC of RFC 5798 §7.3. */
    public static String virtualMac(int vrid, boolean ipv6) {
        return String.format("00:00:5e:00:%02x:%02x", ipv6 ? 2 : 1, vrid);
    }

    /** Where an address goes: another interface named by {@code dev}, else the macvlan, else the instance's. */
    public String addressDevice(Optional<String> configuredDevice) {
        return configuredDevice.filter(device -> !device.equals(baseInterface))
                .orElseGet(() -> vmac.map(Vmac::name).orElse(baseInterface));
    }

    /** The interface adverts are sent from (and so whose MAC they carry). */
    public String advertDevice() {
        return vmac.filter(v -> !v.xmitBase()).map(Vmac::name).orElse(baseInterface);
    }

    /** The interface adverts are received on: the one they are sent from. */
    public String receiveDevice() {
        return advertDevice();
    }

    /** The source MAC of adverts, when it is the virtual one; empty: the base interface's own. */
    public Optional<String> advertSourceMac() {
        return vmac.filter(v -> !v.xmitBase()).map(Vmac::mac);
    }

    /** One line for logs: where addresses and adverts go. */
    public String describe() {
        return vmac.map(v -> "addresses on " + v.name() + " (" + v.mac() + ", macvlan private on " + baseInterface
                + "), adverts sent and received on " + advertDevice())
                .orElse("addresses and adverts on " + baseInterface);
    }
}
