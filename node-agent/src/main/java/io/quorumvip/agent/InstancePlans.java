package io.quorumvip.agent;

import io.quorumvip.agent.net.InterfaceAddress;
import io.quorumvip.agent.net.NetlinkAddressManager;
import io.quorumvip.config.Authentication;
import io.quorumvip.config.KeepalivedConfig;
import io.quorumvip.config.VirtualIpAddress;
import io.quorumvip.config.VrrpInstanceConfig;
import io.quorumvip.config.VrrpTrackFile;
import io.quorumvip.config.VrrpTrackProcess;
import io.quorumvip.instance.InterfacePlan;
import io.quorumvip.track.TrackerWeightings;
import io.quorumvip.track.Weighting;
import io.quorumvip.vrrp.AuthType;
import io.quorumvip.vrrp.InitialState;
import io.quorumvip.vrrp.VridExpectation;
import io.quorumvip.vrrp.VrrpConfig;
import io.quorumvip.vrrp.VrrpExpectations;
import io.quorumvip.vrrp.VrrpPacket;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a parsed keepalived.conf into what the agent runs: per instance the state machine's config, the advert
 * template, the expectations received adverts must meet, the kernel addresses, and which instances share a socket.
 * Where keepalived quietly overrides a setting (nopreempt from state MASTER), this does the same and says so.
 */
final class InstancePlans {

    private static final Logger log = LoggerFactory.getLogger(InstancePlans.class);

    record InstancePlan(VrrpInstanceConfig config, VrrpConfig machineConfig, VrrpPacket advertTemplate,
                        VridExpectation expectation, List<InterfaceAddress> vips, InetAddress source,
                        List<InetAddress> unicastPeers, InterfacePlan interfaces) {
    }

    /**
     * Instances that share one socket: same interface, source (so same family) and peers. {@code device} is where
     * the socket sends and receives (a VMAC macvlan, or the instance's interface), {@code base} the instance's
     * interface, which has the source address.
     */
    record ChannelPlan(String device, String base, Optional<InetAddress> source, List<InetAddress> unicastPeers,
                       List<InstancePlan> instances) {

        boolean ipv6() {
            return source.orElseThrow() instanceof Inet6Address;
        }
    }

    private final List<InstancePlan> instances;
    private final KeepalivedConfig config;

    private InstancePlans(List<InstancePlan> instances, KeepalivedConfig config) {
        this.instances = List.copyOf(instances);
        this.config = config;
    }

    static InstancePlans resolve(KeepalivedConfig config, NetlinkAddressManager addresses) throws IOException {
        List<InstancePlan> plans = new ArrayList<>();
        for (VrrpInstanceConfig instance : config.vrrpInstances()) {
            plans.add(plan(instance, addresses));
        }
        return new InstancePlans(plans, config);
    }

    List<InstancePlan> instances() {
        return instances;
    }

    List<ChannelPlan> channels() {
        Map<List<Object>, List<InstancePlan>> grouped = new LinkedHashMap<>();
        for (InstancePlan plan : instances) {
            grouped.computeIfAbsent(List.of(plan.interfaces().advertDevice(), plan.source(), plan.unicastPeers()),
                    k -> new ArrayList<>()).add(plan);
        }
        List<ChannelPlan> channels = new ArrayList<>();
        grouped.forEach((key, members) -> {
            InstancePlan first = members.get(0);
            channels.add(new ChannelPlan(first.interfaces().advertDevice(), first.config().interfaceName(),
                    Optional.of(first.source()), first.unicastPeers(), members));
        });
        return channels;
    }

    /**
     * Every VRID configured on each interface and family (keyed {@code eth0} and {@code eth0/ipv6}), so a channel
     * does not count a sibling channel's adverts as unknown.
     */
    Map<String, VrrpExpectations> expectationsByDevice() {
        Map<String, List<VridExpectation>> byDevice = new LinkedHashMap<>();
        for (InstancePlan plan : instances) {
            byDevice.computeIfAbsent(expectationsKey(plan.config().interfaceName(),
                    plan.source() instanceof Inet6Address), d -> new ArrayList<>()).add(plan.expectation());
        }
        Map<String, VrrpExpectations> result = new LinkedHashMap<>();
        byDevice.forEach((device, list) -> result.put(device, VrrpExpectations.of(list)));
        return result;
    }

    static String expectationsKey(String device, boolean ipv6) {
        return ipv6 ? device + "/ipv6" : device;
    }

    int order(String instanceName) {
        for (int i = 0; i < instances.size(); i++) {
            if (instances.get(i).config().name().equals(instanceName)) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    /** The weighting the instance gives a vrrp_script it or its sync group tracks, or empty. */
    Optional<Weighting> scriptWeighting(String instanceName, String scriptName) {
        return TrackerWeightings.script(config, instance(instanceName), scriptName);
    }

    Optional<Weighting> trackFileWeighting(String instanceName, VrrpTrackFile file) {
        return TrackerWeightings.trackFile(config, instance(instanceName), file);
    }

    Optional<Weighting> trackProcessWeighting(String instanceName, VrrpTrackProcess process) {
        return TrackerWeightings.trackProcess(config, instance(instanceName), process);
    }

    Map<String, Weighting> interfaceWeightings(String instanceName) {
        return TrackerWeightings.interfaces(config, instance(instanceName));
    }

    private VrrpInstanceConfig instance(String name) {
        return instances.stream().map(InstancePlan::config).filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no vrrp_instance named " + name));
    }

    private static InstancePlan plan(VrrpInstanceConfig instance, NetlinkAddressManager addresses) throws IOException {
        String where = "vrrp_instance " + instance.name() + " (" + instance.position() + ")";
        boolean ipv6 = instance.ipv6();
        List<InetAddress> peers = new ArrayList<>();
        for (InetAddress peer : instance.unicastPeers()) {
            peers.add(family(peer, ipv6, where + " unicast_peer"));
        }
        Optional<InetAddress> configuredSource = peers.isEmpty()
                ? instance.multicastSourceIp().or(instance::unicastSourceIp)
                : instance.unicastSourceIp().or(instance::multicastSourceIp);
        InetAddress source;
        if (configuredSource.isPresent()) {
            source = family(configuredSource.get(), ipv6, where + " source address");
        } else if (ipv6) {
            source = addresses.linkLocalIpv6Address(instance.interfaceName()).orElseThrow(() ->
                    new IllegalArgumentException(where + ": interface " + instance.interfaceName() + " has no IPv6"
                            + " link-local address to send adverts from (enable IPv6 on it)"));
        } else {
            source = addresses.primaryIpv4Address(instance.interfaceName()).orElseThrow(() ->
                    new IllegalArgumentException(where + ": interface " + instance.interfaceName() + " has no IPv4"
                            + " address to send adverts from (add one, or set mcast_src_ip / unicast_src_ip)"));
        }

        InterfacePlan interfaces = InterfacePlan.of(instance.interfaceName(), instance.virtualRouterId(), ipv6,
                instance.useVmac());
        List<InterfaceAddress> vips = new ArrayList<>();
        List<InetAddress> advertised = new ArrayList<>();
        for (VirtualIpAddress vip : instance.virtualIpAddresses()) {
            vips.add(kernelAddress(instance.name(), interfaces, vip));
            advertised.add(vip.address());
        }
        for (VirtualIpAddress vip : instance.excludedVirtualIpAddresses()) {
            vips.add(kernelAddress(instance.name(), interfaces, vip));
        }

        boolean preempt = !instance.nopreempt();
        boolean startsAsMaster = instance.state() == io.quorumvip.config.InitialState.MASTER;
        if (!preempt && (startsAsMaster || instance.priority() == 255)) {
            log.atWarn().setMessage("nopreempt ignored: it only works from state BACKUP below priority 255, as in"
                    + " keepalived").addKeyValue("instance", instance.name()).log();
            preempt = true;
        }
        Duration preemptDelay = instance.preemptDelay();
        if (!preemptDelay.isZero() && (!preempt || startsAsMaster)) {
            log.atWarn().setMessage("preempt_delay ignored: it only works with preemption from state BACKUP, as in"
                    + " keepalived").addKeyValue("instance", instance.name()).log();
            preemptDelay = Duration.ZERO;
        }
        VrrpConfig machine = new VrrpConfig(instance.virtualRouterId(), instance.priority(), instance.version(),
                instance.advertIntervalCentiseconds(), preempt, preemptDelay,
                startsAsMaster ? InitialState.MASTER : InitialState.BACKUP, source);

        VrrpPacket template;
        VridExpectation expectation;
        if (instance.version() == 2) {
            if (instance.advertIntervalCentiseconds() % 100 != 0) {
                throw new IllegalArgumentException(where + ": advert_int " + instance.advertIntervalCentiseconds() / 100.0
                        + " is not a whole number of seconds, which VRRP version 2 requires (use version 3)");
            }
            int seconds = instance.advertIntervalCentiseconds() / 100;
            AuthType authType = authType(instance.authentication(), where);
            String password = instance.authentication().map(Authentication::password).orElse("");
            List<Inet4Address> advertisedV4 = advertised.stream().map(a -> (Inet4Address) a).toList();
            template = VrrpPacket.v2Advert(instance.virtualRouterId(), instance.priority(), seconds, advertisedV4,
                    authType, authType == AuthType.SIMPLE_TEXT ? password : "", (Inet4Address) source);
            expectation = VridExpectation.v2(instance.virtualRouterId(), seconds, authType,
                    authType == AuthType.SIMPLE_TEXT ? password : "", advertisedV4);
        } else {
            template = VrrpPacket.v3Advert(instance.virtualRouterId(), instance.priority(),
                    instance.advertIntervalCentiseconds(), advertised, source);
            expectation = VridExpectation.v3(instance.virtualRouterId(), instance.advertIntervalCentiseconds(),
                    advertised);
        }
        return new InstancePlan(instance, machine, template, expectation.withUnicastPeers(peers), vips, source,
                List.copyOf(peers), interfaces);
    }

    /**
     * The address on the interface the plan puts it on. A label names its interface ({@code eth0:1}), so one
     * written for the instance's interface is dropped when use_vmac moves the address to the macvlan.
     */
    private static InterfaceAddress kernelAddress(String instance, InterfacePlan interfaces, VirtualIpAddress vip) {
        String device = interfaces.addressDevice(vip.device());
        Optional<String> label = vip.label();
        boolean onVmac = interfaces.vmac().map(InterfacePlan.Vmac::name).filter(device::equals).isPresent();
        if (onVmac && label.isPresent() && !label.get().startsWith(device)) {
            log.atWarn().setMessage("label dropped: the address goes on the VMAC interface").addKeyValue("instance",
                    instance).addKeyValue("vip", vip.cidr()).addKeyValue("label", label.get())
                    .addKeyValue("interface", device).log();
            label = Optional.empty();
        }
        return new InterfaceAddress(device, vip.address(), vip.prefixLength(), label);
    }

    private static AuthType authType(Optional<Authentication> authentication, String where) {
        if (authentication.isEmpty()) {
            return AuthType.NONE;
        }
        return switch (authentication.get().type()) {
            case PASS -> AuthType.SIMPLE_TEXT;
            case AH -> throw new IllegalArgumentException(where + ": auth_type AH is not supported"
                    + " (use auth_type PASS, or none)");
        };
    }

    /** The address, when it is of the instance's family (IPv6 with IPv6 addresses or native_ipv6). */
    private static InetAddress family(InetAddress address, boolean ipv6, String what) {
        if ((address instanceof Inet6Address) == ipv6) {
            return address;
        }
        throw new IllegalArgumentException(what + " " + address.getHostAddress() + " is " + (ipv6 ? "IPv4" : "IPv6")
                + " but the instance speaks VRRP over " + (ipv6 ? "IPv6" : "IPv4")
                + " (one family per instance: its virtual_ipaddress, or native_ipv6)");
    }
}
