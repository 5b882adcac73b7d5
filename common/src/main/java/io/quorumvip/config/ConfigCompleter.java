package io.quorumvip.config;

import io.quorumvip.lease.LeaseTiming;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The one pass over a whole file after every keyword was read (keepalived: vrrp_complete_instance): fills in
 * defaults, checks what involves more than one keyword or instance, and builds the immutable model. An instance
 * missing what it cannot run without (interface, virtual_router_id) is reported and left out.
 */
final class ConfigCompleter {

    /** keepalived warns above this many addresses in a VRRPv2 advert. */
    static final int MAX_V2_ADDRESSES = 20;
    /** keepalived's default_interface when global_defs sets none. */
    static final String DEFAULT_INTERFACE = "eth0";
    /** Starts the message of a warning about a configuration that runs but can give a VIP two owners. */
    static final String SPLIT_BRAIN_RISK = "SPLIT-BRAIN RISK: ";
    private static final int MAX_V3_ADVERT_CENTISECONDS = 4095;

    private final Diagnostics diagnostics;
    /** Macvlan names given so far, with the instance that has each. */
    private final Map<String, String> vmacNames = new HashMap<>();

    private ConfigCompleter(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    static KeepalivedConfig complete(Path source, Drafts.Config draft, Diagnostics diagnostics) {
        return new ConfigCompleter(diagnostics).complete(source, draft);
    }

    private KeepalivedConfig complete(Path source, Drafts.Config draft) {
        GlobalDefs global = globalDefs(draft.global);
        String defaultInterface = draft.global.defaultInterface != null ? draft.global.defaultInterface
                : DEFAULT_INTERFACE;
        Set<String> droppedScripts = new HashSet<>();
        Map<String, VrrpScript> scripts = scripts(draft.scripts, droppedScripts);
        Map<String, VrrpTrackFile> trackFiles = trackFiles(draft.trackFiles);
        Map<String, VrrpTrackProcess> trackProcesses = trackProcesses(draft.trackProcesses);
        List<VrrpInstanceConfig> instances = new ArrayList<>();
        Map<String, VrrpInstanceConfig> byName = new HashMap<>();
        for (Drafts.Instance d : draft.instances) {
            VrrpInstanceConfig earlier = byName.get(d.name);
            if (earlier != null) {
                diagnostics.warning(d.position, "vrrp_instance `" + d.name + "` is defined twice (first at "
                        + earlier.position() + "); this one is ignored, as keepalived does",
                        "give each instance its own name");
                continue;
            }
            instance(d, global, defaultInterface, scripts, droppedScripts, trackFiles, trackProcesses)
                    .ifPresent(instance -> {
                        instances.add(instance);
                        byName.put(instance.name(), instance);
                    });
        }
        checkVirtualRouterIds(instances);
        checkSharedAddresses(instances);
        List<SyncGroupConfig> syncGroups = syncGroups(draft.syncGroups, byName, scripts, droppedScripts,
                trackFiles.keySet(), trackProcesses.keySet());
        Optional<QuorumConfig> quorum = draft.quorums.isEmpty() ? Optional.empty() : quorum(draft.quorums.get(0));
        Optional<CoordinatorConfig> coordinator = draft.coordinators.isEmpty() ? Optional.empty()
                : coordinator(draft.coordinators.get(0));
        return new KeepalivedConfig(source, global, scripts, instances, quorum, coordinator,
                VirtualServerCompleter.complete(draft.loadBalancing, diagnostics, draft.global.lbShareChecks,
                        trackFiles.keySet()),
                syncGroups, trackFiles, trackProcesses,
                new StaticRouting(staticAddresses(draft.staticAddresses, defaultInterface), draft.staticRoutes,
                        draft.staticRules));
    }

    private static GlobalDefs globalDefs(Drafts.Global g) {
        return new GlobalDefs(
                Optional.ofNullable(g.routerId),
                Optional.ofNullable(g.routerIdPosition),
                g.notificationEmail,
                Optional.ofNullable(g.notificationEmailFrom),
                Optional.ofNullable(g.smtpServer),
                g.smtpConnectTimeout != null ? g.smtpConnectTimeout : GlobalDefs.DEFAULT_SMTP_CONNECT_TIMEOUT,
                g.vrrpVersion != null ? g.vrrpVersion : 2,
                g.garp.resolve(GarpSettings.KEEPALIVED_DEFAULTS),
                Optional.ofNullable(g.smtpHeloName),
                new SmtpAlertDefaults(Optional.ofNullable(g.smtpAlert), Optional.ofNullable(g.smtpAlertVrrp),
                        Optional.ofNullable(g.smtpAlertChecker)),
                Optional.ofNullable(g.scriptUser), g.scriptSecurity);
    }

    private Map<String, VrrpScript> scripts(List<Drafts.Script> drafts, Set<String> dropped) {
        Map<String, VrrpScript> scripts = new LinkedHashMap<>();
        for (Drafts.Script d : drafts) {
            VrrpScript earlier = scripts.get(d.name);
            if (earlier != null) {
                diagnostics.warning(d.position, "vrrp_script `" + d.name + "` is defined twice (first at "
                        + earlier.position() + "); the first is used, as keepalived does",
                        "give each script its own name");
                continue;
            }
            if (d.script == null) {
                diagnostics.warning(d.position, "vrrp_script `" + d.name + "` has no `script`; it is dropped, "
                        + "as keepalived does", "add `script \"/path/check.sh\"`");
                dropped.add(d.name);
                continue;
            }
            Duration interval = d.interval != null ? d.interval : Duration.ofSeconds(1);
            scripts.put(d.name, new VrrpScript(d.name, d.script, interval,
                    d.timeout != null ? d.timeout : interval,
                    d.weight != null ? d.weight : 0, d.reverse,
                    d.rise != null ? d.rise : 1,
                    d.fall != null ? d.fall : 1,
                    Optional.ofNullable(d.user), d.position));
        }
        return scripts;
    }

    private Optional<VrrpInstanceConfig> instance(Drafts.Instance d, GlobalDefs global, String defaultInterface,
                                                  Map<String, VrrpScript> scripts, Set<String> droppedScripts,
                                                  Map<String, VrrpTrackFile> trackFiles,
                                                  Map<String, VrrpTrackProcess> trackProcesses) {
        boolean complete = true;
        String interfaceName = d.interfaceName;
        if (interfaceName == null) {
            interfaceName = defaultInterface;
            diagnostics.warning(d.position, "vrrp_instance `" + d.name + "` has no `interface`; " + defaultInterface
                            + " is used, keepalived's default_interface",
                    "add `interface IF` for the interface VRRP adverts go out on");
        }
        if (d.virtualRouterId == null) {
            diagnostics.error(d.position, "vrrp_instance `" + d.name + "` has no `virtual_router_id`",
                    "add `virtual_router_id 1..255`, the same on every node of this instance");
            complete = false;
        }
        // native_ipv6 makes the instance IPv6 whatever its addresses (keepalived: for an instance without IPv6 VIPs).
        boolean ipv6 = d.nativeIpv6Position != null
                || !d.virtualIpAddresses.isEmpty() && d.virtualIpAddresses.get(0).isIpv6();
        List<VirtualIpAddress> vips = new ArrayList<>();
        for (VirtualIpAddress vip : d.virtualIpAddresses) {
            if (vip.isIpv6() == ipv6) {
                vips.add(vip);
            } else {
                diagnostics.warning(vip.position(), vip.address().getHostAddress() + " is not of the family of `"
                                + d.name + "`" + (d.nativeIpv6Position != null ? " (native_ipv6)" : "'s first address")
                                + "; it is left out, as keepalived does",
                        "one instance advertises one family; put it in virtual_ipaddress_excluded");
            }
        }
        int version = version(d, global, ipv6);
        int advertCentiseconds = advertInterval(d, version);
        if (!complete) {
            return Optional.empty();
        }
        InitialState state = d.state != null ? d.state : InitialState.BACKUP;
        int priority = d.priority != null ? d.priority : VrrpInstanceConfig.DEFAULT_PRIORITY;
        checkStateAndPriority(d, state, priority);
        checkAddresses(d, version);
        Optional<UseVmac> useVmac = useVmac(d, interfaceName, ipv6);
        return Optional.of(new VrrpInstanceConfig(d.name, d.position, state, interfaceName, d.virtualRouterId,
                priority, advertCentiseconds, version, authentication(d, version), vips,
                d.excludedVirtualIpAddresses, trackScripts(d, scripts, droppedScripts), d.trackInterfaces,
                d.nopreempt, d.preemptDelay != null ? d.preemptDelay : Duration.ZERO,
                Optional.ofNullable(d.unicastSourceIp), d.unicastPeers, Optional.ofNullable(d.multicastSourceIp),
                d.garp.resolve(global.garp()),
                new NotifyScripts(Optional.ofNullable(d.notifyMaster), Optional.ofNullable(d.notifyBackup),
                        Optional.ofNullable(d.notifyFault), Optional.ofNullable(d.notifyStop),
                        Optional.ofNullable(d.notifyAny)),
                d.smtpAlert != null ? d.smtpAlert : global.smtpAlert().forVrrp(), d.dontTrackPrimary,
                d.nativeIpv6Position != null, tracked(d.trackFiles, TrackedFile::fileName, TrackedFile::position,
                        trackFiles.keySet(), Set.of(), "track_file", "vrrp_track_file"),
                tracked(d.trackProcesses, TrackedProcess::processName, TrackedProcess::position,
                        trackProcesses.keySet(), Set.of(), "track_process", "vrrp_track_process"),
                d.virtualRoutes, d.virtualRules, useVmac));
    }

    /**
     * The instance's macvlan, named as keepalived names it: the name written, else {@code vrrp.VRID}, else (taken by
     * an earlier instance) {@code vrrpN.VRID} with the smallest free N; an IPv6 instance tries {@code vrrp6.VRID}
     * first.
     */
    private Optional<UseVmac> useVmac(Drafts.Instance d, String interfaceName, boolean ipv6) {
        if (d.useVmacPosition == null) {
            if (d.xmitBasePosition != null) {
                diagnostics.warning(d.xmitBasePosition, "vmac_xmit_base without use_vmac in `" + d.name
                        + "`; it is ignored, as keepalived does", "add `use_vmac`, or remove vmac_xmit_base");
            }
            return Optional.empty();
        }
        String name = d.vmacName;
        if (name != null && name.equals(interfaceName)) {
            diagnostics.error(d.useVmacPosition, "use_vmac " + name + " names the instance's own interface",
                    "the macvlan needs a name of its own: write `use_vmac` alone for vrrp." + d.virtualRouterId);
            return Optional.empty();
        }
        if (name != null && vmacNames.containsKey(name)) {
            diagnostics.error(d.useVmacPosition, "use_vmac " + name + " is already the macvlan of `"
                    + vmacNames.get(name) + "`", "give each instance its own macvlan name");
            return Optional.empty();
        }
        if (name == null) {
            name = "vrrp." + d.virtualRouterId;
            int n = 0;
            while (vmacNames.containsKey(name)) {
                n = nextVmacNumber(n, ipv6);
                name = "vrrp" + n + "." + d.virtualRouterId;
            }
        }
        vmacNames.put(name, d.name);
        boolean xmitBase = d.xmitBasePosition != null;
        if (!xmitBase && !d.unicastPeers.isEmpty()) {
            diagnostics.warning(d.useVmacPosition, "use_vmac with unicast_peer in `" + d.name + "`: adverts go out "
                    + "of " + interfaceName + ", as with vmac_xmit_base", "keepalived.conf(5) requires "
                    + "vmac_xmit_base with unicast peers: add it to say so");
            xmitBase = true;
        } else if (!xmitBase && ipv6) {
            diagnostics.warning(d.useVmacPosition, "`" + d.name + "` is IPv6: its adverts go out of "
                    + interfaceName + " with its link-local address, as with vmac_xmit_base; its addresses and "
                    + "neighbour advertisements use " + name, "add vmac_xmit_base to say so (sending IPv6 adverts "
                    + "from the macvlan is not supported yet)");
        }
        return Optional.of(new UseVmac(name, xmitBase, d.useVmacPosition));
    }

    /** keepalived's order of suffixes for a taken default name: 1, 2, 3... (IPv6: 6 first, then 1..5, 7...). */
    private static int nextVmacNumber(int n, boolean ipv6) {
        if (!ipv6) {
            return n + 1;
        }
        if (n == 0) {
            return 6;
        }
        if (n == 6) {
            return 1;
        }
        return n + 1 == 6 ? 7 : n + 1;
    }

    private int version(Drafts.Instance d, GlobalDefs global, boolean ipv6) {
        if (ipv6 && d.version != null && d.version == 2) {
            diagnostics.warning(d.versionPosition, "vrrp_instance `" + d.name + "` has IPv6 addresses but version 2;"
                    + " version 3 is used, as keepalived does", "VRRPv2 is IPv4 only: write `version 3`");
        }
        if (ipv6) {
            return 3;
        }
        return d.version != null ? d.version : global.vrrpVersion();
    }

    /** advert_int in centiseconds, rounded and capped to what the version carries, as keepalived does. */
    private int advertInterval(Drafts.Instance d, int version) {
        if (d.advertIntervalSeconds == null) {
            return VrrpInstanceConfig.DEFAULT_ADVERT_INTERVAL_CENTISECONDS;
        }
        BigDecimal seconds = d.advertIntervalSeconds;
        int centiseconds = Math.max(1, seconds.movePointRight(2).setScale(0, RoundingMode.HALF_UP).intValueExact());
        if (version == 3 && centiseconds > MAX_V3_ADVERT_CENTISECONDS) {
            diagnostics.warning(d.advertIntervalPosition, "advert_int " + seconds.toPlainString()
                    + " is out of range for VRRPv3 (expected 0.01..40.95 seconds); 40.95 s is used, as keepalived "
                    + "does", "write `advert_int 40.95` or less");
            return MAX_V3_ADVERT_CENTISECONDS;
        }
        if (version == 3 && seconds.movePointRight(2).stripTrailingZeros().scale() > 0) {
            String used = BigDecimal.valueOf(centiseconds, 2).stripTrailingZeros().toPlainString();
            diagnostics.warning(d.advertIntervalPosition, "advert_int " + seconds.toPlainString() + " is finer than "
                            + "VRRPv3's hundredths of a second; " + used + " s is used, as keepalived does",
                    "write `advert_int " + used + "`");
        }
        if (version == 2 && seconds.stripTrailingZeros().scale() > 0) {
            int whole = Math.max(1, seconds.setScale(0, RoundingMode.HALF_UP).intValueExact());
            diagnostics.warning(d.advertIntervalPosition, "advert_int " + seconds.toPlainString()
                            + " has a fraction, but VRRPv2 adverts carry whole seconds; " + whole + " s is used",
                    "write `advert_int " + whole + "`, or use `version 3` for sub-second adverts");
            centiseconds = whole * 100;
        }
        return centiseconds;
    }

    private Optional<Authentication> authentication(Drafts.Instance d, int version) {
        Drafts.Authentication a = d.authentication;
        if (a == null) {
            return Optional.empty();
        }
        if (version == 3) {
            diagnostics.warning(a.position, "VRRPv3 has no authentication; this block is ignored, as keepalived "
                    + "does", "remove it, or use version 2 on every node");
            return Optional.empty();
        }
        if (a.typeUnknown) {
            return Optional.empty();
        }
        if (a.type == null || a.password == null) {
            // keepalived runs it with "Authentication type = none"; the adverts must match keepalived's.
            diagnostics.warning(a.position, "authentication block in `" + d.name + "` needs both auth_type and "
                            + "auth_pass; adverts carry no authentication, as keepalived does",
                    "write `authentication { auth_type PASS  auth_pass SECRET }`");
            return Optional.empty();
        }
        return Optional.of(new Authentication(a.type, a.password));
    }

    private void checkStateAndPriority(Drafts.Instance d, InitialState state, int priority) {
        if (priority == 255 && state == InitialState.BACKUP) {
            diagnostics.warning(d.priorityPosition, "priority 255 (address owner) with state BACKUP in `"
                    + d.name + "`", "an address owner starts as MASTER; use state MASTER or a priority below 255");
        }
        if (d.nopreempt && state == InitialState.MASTER) {
            diagnostics.warning(d.nopreemptPosition, "nopreempt with state MASTER in `" + d.name + "`",
                    "nopreempt only works from state BACKUP: set `state BACKUP` on every node");
        }
        if (d.preemptDelay != null && state == InitialState.MASTER) {
            diagnostics.warning(d.preemptDelayPosition, "preempt_delay with state MASTER in `" + d.name + "`",
                    "preempt_delay only works from state BACKUP");
        }
    }

    private void checkAddresses(Drafts.Instance d, int version) {
        List<VirtualIpAddress> vips = d.virtualIpAddresses;
        if (vips.isEmpty()) {
            diagnostics.warning(d.position, "vrrp_instance `" + d.name + "` has no virtual_ipaddress",
                    "add the address it should move, e.g. `virtual_ipaddress { 192.0.2.200/24 }`");
        }
        if (version == 2 && vips.size() > MAX_V2_ADDRESSES) {
            diagnostics.warning(vips.get(MAX_V2_ADDRESSES).position(), "vrrp_instance `" + d.name + "` has "
                            + vips.size() + " virtual addresses; VRRPv2 adverts carry at most " + MAX_V2_ADDRESSES,
                    "move the rest to virtual_ipaddress_excluded");
        }
        Map<InetAddress, VirtualIpAddress> seen = new HashMap<>();
        List<VirtualIpAddress> all = new ArrayList<>(vips);
        all.addAll(d.excludedVirtualIpAddresses);
        for (VirtualIpAddress vip : all) {
            VirtualIpAddress earlier = seen.putIfAbsent(vip.address(), vip);
            if (earlier != null) {
                diagnostics.warning(vip.position(), vip.address().getHostAddress() + " is listed twice in `"
                        + d.name + "` (first at line " + earlier.position().line() + ")", "remove one of them");
            }
        }
    }

    /**
     * keepalived's checks of sync groups: a member that names no instance, or an instance already in another
     * group, is left out with a warning; a group left with no member is dropped, one with a single member warned
     * about (it syncs nothing). Members' tracking weights become faults without sync_group_tracking_weight.
     */
    private List<SyncGroupConfig> syncGroups(List<Drafts.SyncGroup> drafts, Map<String, VrrpInstanceConfig> byName,
                                             Map<String, VrrpScript> scripts, Set<String> droppedScripts,
                                             Set<String> trackFiles, Set<String> trackProcesses) {
        List<SyncGroupConfig> groups = new ArrayList<>();
        Map<String, String> groupOf = new HashMap<>();
        Set<String> names = new HashSet<>();
        for (Drafts.SyncGroup d : drafts) {
            if (!names.add(d.name)) {
                diagnostics.warning(d.position, "vrrp_sync_group `" + d.name + "` is defined twice; this one is"
                        + " ignored", "give each sync group its own name");
                continue;
            }
            List<String> members = new ArrayList<>();
            for (Token member : d.members) {
                String name = member.text();
                if (!byName.containsKey(name)) {
                    diagnostics.warning(member.position(), "sync group `" + d.name + "` names `" + name
                                    + "`, which is no vrrp_instance; it is left out of the group, as keepalived does",
                            KeywordSuggester.closest(name, byName.keySet()).map(n -> "did you mean `" + n + "`?")
                                    .orElse("define `vrrp_instance " + name + " { ... }`"));
                } else if (groupOf.containsKey(name)) {
                    diagnostics.warning(member.position(), "vrrp_instance `" + name + "` is already in sync group `"
                            + groupOf.get(name) + "`; an instance can be in one group only, so it is left out of `"
                            + d.name + "`", "remove it from one of the groups");
                } else {
                    groupOf.put(name, d.name);
                    members.add(name);
                }
            }
            if (members.isEmpty()) {
                diagnostics.warning(d.position, "vrrp_sync_group `" + d.name + "` has no vrrp_instance; it is"
                        + " ignored", "list its instances in `group { VI_1 VI_2 }`");
                continue;
            }
            if (members.size() == 1) {
                diagnostics.warning(d.position, "vrrp_sync_group `" + d.name + "` has one instance only; it"
                        + " synchronises nothing", "add the instances that must move with `" + members.get(0) + "`");
            }
            if (!d.trackingWeight) {
                warnIgnoredWeights(d.name, members, byName);
            }
            for (String member : members) {
                VrrpInstanceConfig instance = byName.get(member);
                warnTrackedTwice(d.name, member, "track_script", d.trackScripts, TrackedScript::scriptName,
                        TrackedScript::position, instance.trackScripts().stream().map(TrackedScript::scriptName));
                warnTrackedTwice(d.name, member, "track_file", d.trackFiles, TrackedFile::fileName,
                        TrackedFile::position, instance.trackFiles().stream().map(TrackedFile::fileName));
                warnTrackedTwice(d.name, member, "track_process", d.trackProcesses, TrackedProcess::processName,
                        TrackedProcess::position, instance.trackProcesses().stream().map(TrackedProcess::processName));
                warnTrackedTwice(d.name, member, "track_interface", d.trackInterfaces,
                        TrackedInterface::interfaceName, TrackedInterface::position,
                        instance.trackInterfaces().stream().map(TrackedInterface::interfaceName));
            }
            groups.add(new SyncGroupConfig(d.name, d.position, members, new NotifyScripts(
                    Optional.ofNullable(d.notifyMaster), Optional.ofNullable(d.notifyBackup),
                    Optional.ofNullable(d.notifyFault), Optional.ofNullable(d.notifyStop),
                    Optional.ofNullable(d.notifyAny)),
                    trackScripts(d.trackScripts, scripts, droppedScripts), d.trackInterfaces,
                    tracked(d.trackFiles, TrackedFile::fileName, TrackedFile::position, trackFiles, Set.of(),
                            "track_file", "vrrp_track_file"),
                    tracked(d.trackProcesses, TrackedProcess::processName, TrackedProcess::position, trackProcesses,
                            Set.of(), "track_process", "vrrp_track_process"),
                    d.trackingWeight));
        }
        return groups;
    }

    /** keepalived logs "is configured on VRRP instance and sync group" for a tracker listed in both. */
    private <T> void warnTrackedTwice(String group, String member, String keyword, List<T> groupEntries,
                                      Function<T, String> name, Function<T, SourcePosition> position,
                                      Stream<String> memberNames) {
        Set<String> own = memberNames.collect(Collectors.toSet());
        for (T entry : groupEntries) {
            if (own.contains(name.apply(entry))) {
                diagnostics.warning(position.apply(entry), keyword + " `" + name.apply(entry) + "` is in both"
                                + " sync group `" + group + "` and its member `" + member + "`: it is tracked once,"
                                + " with the group's weight unless the member's entry is unweighted, as keepalived"
                                + " does", "list it in the group or in the instance, not both");
            }
        }
    }

    private void warnIgnoredWeights(String group, List<String> members, Map<String, VrrpInstanceConfig> byName) {
        for (String member : members) {
            VrrpInstanceConfig instance = byName.get(member);
            boolean weighted = instance.trackScripts().stream().anyMatch(t -> t.weight().orElse(1) != 0)
                    || instance.trackInterfaces().stream().anyMatch(t -> t.weight() != 0)
                    || instance.trackFiles().stream().anyMatch(t -> t.weight().orElse(1) != 0)
                    || instance.trackProcesses().stream().anyMatch(t -> t.weight().orElse(1) != 0);
            if (weighted) {
                diagnostics.warning(instance.position(), "vrrp_instance `" + member + "` is in sync group `" + group
                                + "`: the weights of its trackers are ignored and a failing tracker puts the group"
                                + " in FAULT, as keepalived does",
                        "add `sync_group_tracking_weight` to the group to keep the weights");
            }
        }
    }

    private List<TrackedScript> trackScripts(Drafts.Instance d, Map<String, VrrpScript> scripts,
                                             Set<String> droppedScripts) {
        return trackScripts(d.trackScripts, scripts, droppedScripts);
    }

    private List<TrackedScript> trackScripts(List<TrackedScript> drafts, Map<String, VrrpScript> scripts,
                                             Set<String> droppedScripts) {
        return tracked(drafts, TrackedScript::scriptName, TrackedScript::position, scripts.keySet(), droppedScripts,
                "track_script", "vrrp_script");
    }

    /** The entries of a track_* block that name a defined tracker; the others are warned about and left out. */
    private <T> List<T> tracked(List<T> entries, Function<T, String> name, Function<T, SourcePosition> position,
                                Set<String> defined, Set<String> dropped, String keyword, String definition) {
        List<T> tracked = new ArrayList<>();
        for (T t : entries) {
            String n = name.apply(t);
            if (defined.contains(n)) {
                tracked.add(t);
            } else if (dropped.contains(n)) {
                diagnostics.warning(position.apply(t), keyword + " `" + n + "` refers to a " + definition
                        + " that was dropped; it is not tracked", "complete that " + definition);
            } else {
                diagnostics.warning(position.apply(t), keyword + " `" + n + "` names no " + definition + "; it is "
                                + "not tracked, as keepalived does",
                        KeywordSuggester.closest(n, defined)
                                .map(c -> "did you mean `" + c + "`?")
                                .orElse("define `" + definition + " " + n + " { ... }`"));
            }
        }
        return tracked;
    }

    private Map<String, VrrpTrackProcess> trackProcesses(List<Drafts.TrackProcess> drafts) {
        Map<String, VrrpTrackProcess> processes = new LinkedHashMap<>();
        for (Drafts.TrackProcess d : drafts) {
            VrrpTrackProcess earlier = processes.get(d.name);
            if (earlier != null) {
                diagnostics.warning(d.position, "vrrp_track_process `" + d.name + "` is defined twice (first at "
                        + earlier.position() + "); the first is used", "give each tracked process its own name");
                continue;
            }
            if (d.process == null) {
                diagnostics.warning(d.position, "vrrp_track_process `" + d.name + "` has no `process`; it is "
                        + "dropped, as keepalived does", "add `process NAME`");
                continue;
            }
            int quorum = d.quorum != null ? d.quorum : 1;
            if (d.quorumMax != null && d.quorumMax < quorum) {
                diagnostics.error(d.position, "vrrp_track_process `" + d.name + "` has quorum_max " + d.quorumMax
                        + " below quorum " + quorum + ", so it could never be up", "raise quorum_max or lower quorum");
                continue;
            }
            Duration delay = d.delay != null ? d.delay : Duration.ZERO;
            processes.put(d.name, new VrrpTrackProcess(d.name, d.process, d.parameters,
                    Optional.ofNullable(d.paramMatch), d.weight != null ? d.weight : VrrpTrackProcess.DEFAULT_WEIGHT,
                    d.reverse, quorum, d.quorumMax != null ? OptionalInt.of(d.quorumMax) : OptionalInt.empty(),
                    d.forkDelay != null ? d.forkDelay : delay, d.terminateDelay != null ? d.terminateDelay : delay,
                    d.fullCommand, d.position));
        }
        return processes;
    }

    /** A static_ipaddress without {@code dev} goes on the default interface, as keepalived puts it. */
    private static List<VirtualIpAddress> staticAddresses(List<VirtualIpAddress> written, String defaultInterface) {
        return written.stream().map(a -> a.device().isPresent() ? a : new VirtualIpAddress(a.address(),
                a.prefixLength(), Optional.of(defaultInterface), a.label(), a.broadcast(), a.scope(), a.position()))
                .toList();
    }

    private Map<String, VrrpTrackFile> trackFiles(List<Drafts.TrackFile> drafts) {
        Map<String, VrrpTrackFile> files = new LinkedHashMap<>();
        for (Drafts.TrackFile d : drafts) {
            VrrpTrackFile earlier = files.get(d.name);
            if (earlier != null) {
                diagnostics.warning(d.position, "vrrp_track_file `" + d.name + "` is defined twice (first at "
                        + earlier.position() + "); the first is used", "give each tracked file its own name");
            } else if (d.file == null) {
                diagnostics.warning(d.position, "vrrp_track_file `" + d.name + "` has no `file`; it is dropped, "
                        + "as keepalived does", "add `file \"/path/to/file\"`");
            } else {
                files.put(d.name, new VrrpTrackFile(d.name, Path.of(d.file),
                        d.weight != null ? d.weight : VrrpTrackFile.DEFAULT_WEIGHT, d.reverse,
                        d.initValue != null ? OptionalLong.of(d.initValue) : OptionalLong.empty(), d.initOverwrite,
                        d.position));
            }
        }
        return files;
    }

    /**
     * Two instances with one VRID on one interface and family fight over one virtual router MAC. keepalived runs
     * it (and so do we, or the migration stops here), but it is the classic split brain: a warning that says so.
     */
    private void checkVirtualRouterIds(List<VrrpInstanceConfig> instances) {
        Map<String, VrrpInstanceConfig> byKey = new HashMap<>();
        for (VrrpInstanceConfig instance : instances) {
            boolean ipv6 = !instance.virtualIpAddresses().isEmpty() && instance.virtualIpAddresses().get(0).isIpv6();
            String key = instance.interfaceName() + "/" + instance.virtualRouterId() + "/" + ipv6;
            VrrpInstanceConfig earlier = byKey.putIfAbsent(key, instance);
            if (earlier != null) {
                diagnostics.warning(instance.position(), SPLIT_BRAIN_RISK + "virtual_router_id "
                                + instance.virtualRouterId() + " on " + instance.interfaceName() + " is used by both `"
                                + earlier.name() + "` (line " + earlier.position().line() + ") and `" + instance.name()
                                + "`: each takes the other's adverts for its own, so the two can be MASTER at once",
                        "keepalived runs this and so does quorum-vip; give each instance on an interface its own "
                                + "virtual_router_id");
            }
        }
    }

    /**
     * One address under two VRIDs: two virtual routers both think they own it, a classic split brain. keepalived runs
     * it, so we do too, and say loudly why it is dangerous.
     */
    private void checkSharedAddresses(List<VrrpInstanceConfig> instances) {
        Map<InetAddress, VrrpInstanceConfig> owner = new HashMap<>();
        for (VrrpInstanceConfig instance : instances) {
            for (VirtualIpAddress vip : instance.virtualIpAddresses()) {
                VrrpInstanceConfig earlier = owner.putIfAbsent(vip.address(), instance);
                if (earlier != null && earlier != instance
                        && earlier.virtualRouterId() != instance.virtualRouterId()) {
                    diagnostics.warning(vip.position(), SPLIT_BRAIN_RISK + vip.address().getHostAddress() + " is in `"
                                    + earlier.name() + "` (virtual_router_id " + earlier.virtualRouterId()
                                    + ") and in `" + instance.name() + "` (virtual_router_id "
                                    + instance.virtualRouterId() + "): two virtual routers may both own it at once",
                            "keepalived runs this and so does quorum-vip; put each address in one instance");
                }
            }
        }
    }

    private Optional<QuorumConfig> quorum(Drafts.Quorum q) {
        if (q.servers == null) {
            diagnostics.error(q.position, "quorum block has no `connect`",
                    "add `connect 192.0.2.21:2181,192.0.2.22:2181,192.0.2.23:2181`");
            return Optional.empty();
        }
        Duration sessionTimeout = q.sessionTimeout != null ? q.sessionTimeout : QuorumConfig.DEFAULT_SESSION_TIMEOUT;
        Duration tickTime = q.tickTime != null ? q.tickTime : QuorumConfig.DEFAULT_TICK_TIME;
        Duration shortest = LeaseTiming.shortestSessionTimeout(tickTime);
        if (sessionTimeout.compareTo(shortest) < 0) {
            diagnostics.error(q.position, "quorum session_timeout " + sessionTimeout.toMillis() + " ms leaves less than"
                            + " 1 s of lease after its margin at zk_tick_time " + tickTime.toMillis() + " ms (expected"
                            + " session_timeout " + shortest.toMillis() + " ms or more): the VIP could never be bound",
                    "a ZooKeeper leader cut off from its followers answers for up to 1.5 ticks after its successor"
                            + " started, and the lease gives that up; raise session_timeout (the servers'"
                            + " maxSessionTimeout, 20 ticks by default, must allow it) or set zk_tick_time to the"
                            + " ensemble's real tickTime");
            return Optional.empty();
        }
        return Optional.of(new QuorumConfig(q.servers, sessionTimeout, tickTime,
                q.path != null ? q.path : QuorumConfig.DEFAULT_PATH,
                Optional.ofNullable(q.digest),
                q.onLoss != null ? q.onLoss : OnLoss.RELEASE,
                q.position));
    }

    private Optional<CoordinatorConfig> coordinator(Drafts.Coordinator c) {
        if (c.urls.isEmpty()) {
            diagnostics.error(c.position, "coordinator block has no valid `url`",
                    "add `url http://192.0.2.30:9120` (one line per coordinator)");
            return Optional.empty();
        }
        if (c.token == null) {
            diagnostics.error(c.position, "coordinator block has no `token_file` or `token`",
                    "add `token_file /etc/quorum-vip/token` (the node's token from the coordinator's tokens file)");
            return Optional.empty();
        }
        return Optional.of(new CoordinatorConfig(c.urls, c.token, c.position));
    }
}
