package io.quorumvip.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@code vrrp_instance}, complete and checked, with keepalived's defaults filled in.
 *
 * @param position                   where {@code vrrp_instance NAME} was written
 * @param priority                   1..255 (default 100); 255 means address owner
 * @param advertIntervalCentiseconds {@code advert_int} in hundredths of a second (default 100); whole seconds in
 *                                   VRRPv2, 1..4095 in VRRPv3
 * @param version                    2 or 3: {@code version}, else 3 for IPv6 addresses, else global
 *                                   {@code vrrp_version}, else 2
 * @param authentication             absent when not configured, and always absent for VRRPv3 (it has none)
 * @param excludedVirtualIpAddresses {@code virtual_ipaddress_excluded}: moved with the VIPs but not advertised
 * @param preemptDelay               {@code preempt_delay} (default zero)
 * @param unicastSourceIp            {@code unicast_src_ip}
 * @param unicastPeers               {@code unicast_peer}; empty means multicast to 224.0.0.18
 * @param multicastSourceIp          {@code mcast_src_ip} (keepalived treats it like {@code unicast_src_ip})
 * @param garp                       the instance's {@code garp_master_*}, else the global ones
 * @param smtpAlert                  whether state changes are mailed: its own {@code smtp_alert}, else global
 *                                   {@code smtp_alert_vrrp}, else global {@code smtp_alert}, else no
 * @param nativeIpv6                 {@code native_ipv6}: VRRP over IPv6 even without IPv6 addresses
 * @param trackFiles                 {@code track_file}: the {@code vrrp_track_file}s whose values move the priority
 * @param trackProcesses             {@code track_process}: the {@code vrrp_track_process}es whose quorum counts
 * @param virtualRoutes              {@code virtual_routes}: added once the VIPs are bound, removed before they go
 * @param virtualRules               {@code virtual_rules}: the same, for policy routing rules
 * @param useVmac                    {@code use_vmac} (with {@code vmac_xmit_base}); absent: addresses go on the
 *                                   interface itself
 */
public record VrrpInstanceConfig(
        String name,
        SourcePosition position,
        InitialState state,
        String interfaceName,
        int virtualRouterId,
        int priority,
        int advertIntervalCentiseconds,
        int version,
        Optional<Authentication> authentication,
        List<VirtualIpAddress> virtualIpAddresses,
        List<VirtualIpAddress> excludedVirtualIpAddresses,
        List<TrackedScript> trackScripts,
        List<TrackedInterface> trackInterfaces,
        boolean nopreempt,
        Duration preemptDelay,
        Optional<InetAddress> unicastSourceIp,
        List<InetAddress> unicastPeers,
        Optional<InetAddress> multicastSourceIp,
        GarpSettings garp,
        NotifyScripts notifyScripts,
        boolean smtpAlert,
        boolean dontTrackPrimary,
        boolean nativeIpv6,
        List<TrackedFile> trackFiles,
        List<TrackedProcess> trackProcesses,
        List<RouteSpec> virtualRoutes,
        List<RuleSpec> virtualRules,
        Optional<UseVmac> useVmac) {

    public static final int DEFAULT_PRIORITY = 100;
    public static final int DEFAULT_ADVERT_INTERVAL_CENTISECONDS = 100;

    public VrrpInstanceConfig {
        virtualIpAddresses = List.copyOf(virtualIpAddresses);
        excludedVirtualIpAddresses = List.copyOf(excludedVirtualIpAddresses);
        trackScripts = List.copyOf(trackScripts);
        trackInterfaces = List.copyOf(trackInterfaces);
        unicastPeers = List.copyOf(unicastPeers);
        trackFiles = List.copyOf(trackFiles);
        trackProcesses = List.copyOf(trackProcesses);
        virtualRoutes = List.copyOf(virtualRoutes);
        virtualRules = List.copyOf(virtualRules);
        useVmac = Objects.requireNonNull(useVmac, "useVmac");
    }

    public Duration advertInterval() {
        return Duration.ofMillis(advertIntervalCentiseconds * 10L);
    }

    /** Whether the instance speaks VRRP over IPv6: {@code native_ipv6}, or IPv6 virtual addresses. */
    public boolean ipv6() {
        return nativeIpv6 || !virtualIpAddresses.isEmpty() && virtualIpAddresses.get(0).isIpv6();
    }

    /** The source address for adverts, if one was configured with either keyword. */
    public Optional<InetAddress> sourceIp() {
        return unicastSourceIp.or(() -> multicastSourceIp);
    }
}
