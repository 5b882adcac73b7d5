package io.quorumvip.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The pass over every virtual server once the file is read (keepalived: check_parser.c's end handlers and
 * check_data.c's validation): keepalived's defaults, the inheritance virtual server → real server → checker,
 * and the checks that involve several keywords. A virtual server that cannot run is reported and left out.
 */
final class VirtualServerCompleter {

    static final String DEFAULT_HELO_NAME = "smtpchecker.keepalived.org";
    static final String DEFAULT_DNS_TYPE = "SOA";
    static final String DEFAULT_DNS_NAME = ".";
    static final int DEFAULT_DNS_RETRY = 3;
    static final int DEFAULT_MAX_REPLY_LENGTH = 255;

    private final Diagnostics diagnostics;
    private final Set<String> trackFiles;

    private VirtualServerCompleter(Diagnostics diagnostics, Set<String> trackFiles) {
        this.diagnostics = diagnostics;
        this.trackFiles = trackFiles;
    }

    /** @param trackFiles the names of the top-level track_file blocks, which FILE_CHECKs refer to */
    static LoadBalancingConfig complete(LbDrafts.LoadBalancing draft, Diagnostics diagnostics, Boolean shareChecks,
                                        Set<String> trackFiles) {
        LoadBalancingConfig config = new VirtualServerCompleter(diagnostics, trackFiles).complete(draft);
        return new LoadBalancingConfig(config.groups(), config.virtualServers(),
                shareChecks != null ? shareChecks : LoadBalancingConfig.DEFAULT_SHARE_CHECKS);
    }

    private LoadBalancingConfig complete(LbDrafts.LoadBalancing draft) {
        Map<String, VirtualServerGroupConfig> groups = new LinkedHashMap<>();
        for (LbDrafts.Group g : draft.groups) {
            VirtualServerGroupConfig earlier = groups.get(g.name);
            if (earlier != null) {
                diagnostics.error(g.position, "virtual_server_group `" + g.name + "` is defined twice (first at "
                        + earlier.position() + ")", "give each group its own name");
                continue;
            }
            if (g.endpoints.isEmpty() && g.fwmarks.isEmpty()) {
                diagnostics.warning(g.position, "virtual_server_group `" + g.name + "` is empty",
                        "list addresses with a port, or fwmarks");
            }
            groups.put(g.name, new VirtualServerGroupConfig(g.name, g.position, g.endpoints, g.fwmarks));
        }
        List<VirtualServerConfig> servers = new ArrayList<>();
        Map<String, VirtualServerConfig> byName = new LinkedHashMap<>();
        for (LbDrafts.VirtualServer v : draft.virtualServers) {
            virtualServer(v, groups).ifPresent(vs -> {
                VirtualServerConfig earlier = byName.putIfAbsent(vs.name(), vs);
                if (earlier != null) {
                    diagnostics.error(v.position, "virtual_server " + vs.name() + " is defined twice (first at "
                            + earlier.position() + ")", "merge their real servers into one block");
                } else {
                    servers.add(vs);
                }
            });
        }
        return new LoadBalancingConfig(groups, servers);
    }

    private Optional<VirtualServerConfig> virtualServer(LbDrafts.VirtualServer v,
                                                        Map<String, VirtualServerGroupConfig> groups) {
        Optional<Boolean> ipv6 = family(v, groups);
        if (ipv6 == null) {
            return Optional.empty();
        }
        L4Protocol protocol = v.protocol != null ? v.protocol : L4Protocol.TCP;
        LbScheduler scheduler = scheduler(v);
        ForwardingMethod method = v.method != null ? v.method : ForwardingMethod.NAT;
        boolean marks = v.service instanceof VirtualService.Fwmark || v.service instanceof VirtualService.Group g
                && !groups.get(g.name()).fwmarks().isEmpty();
        if (marks && method == ForwardingMethod.DR) {
            diagnostics.error(v.position, "virtual_server " + v.service + " matches firewall marks with lb_kind DR, "
                    + "but DR forwards from the ingress hook, before any rule can set a mark",
                    "match the address and port (`virtual_server IP PORT`), or use lb_kind NAT");
            return Optional.empty();
        }
        Optional<Persistence> persistence = persistence(v, ipv6.orElse(false));
        int servicePort = v.service instanceof VirtualService.Endpoint e ? e.port() : 0;
        if (servicePort == 0 && v.service instanceof VirtualService.Endpoint && persistence.isEmpty()) {
            diagnostics.error(v.position, "virtual_server " + v.service + " has no port, which only a persistent "
                    + "service may omit", "add the port, or `persistence_timeout SECONDS`");
            return Optional.empty();
        }
        int quorum = v.quorum != null ? v.quorum : VirtualServerConfig.DEFAULT_QUORUM;
        int hysteresis = v.hysteresis != null ? v.hysteresis : 0;
        if (hysteresis >= quorum && hysteresis > 0) {
            diagnostics.warning(v.hysteresisPosition, "hysteresis " + hysteresis + " is not below quorum " + quorum
                            + ": quorum is only lost when every real server is down",
                    "use a hysteresis smaller than the quorum");
        }
        LbDrafts.Timing defaults = v.timing;
        List<RealServerConfig> reals = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (LbDrafts.RealServer r : v.realServers) {
            realServer(r, v, defaults, method, servicePort, ipv6).ifPresent(real -> {
                if (!seen.add(real.endpoint())) {
                    diagnostics.error(r.position, "real_server " + real.endpoint() + " is listed twice in "
                            + "virtual_server " + v.service, "remove one");
                } else {
                    reals.add(real);
                }
            });
        }
        Optional<RealServerConfig> sorry = Optional.ofNullable(v.sorryServer)
                .flatMap(s -> realServer(s, v, defaults, method, servicePort, ipv6));
        if (v.expireNodestConnPosition != null && method == ForwardingMethod.DR) {
            diagnostics.warning(v.expireNodestConnPosition, "expire_nodest_conn does nothing with lb_kind DR: the "
                    + "director keeps no state, so a removed real server's flows already hash to the others at their"
                    + " next packet", "remove it, or use lb_kind NAT");
        }
        return Optional.of(new VirtualServerConfig(v.service, v.position, protocol, scheduler, method, persistence,
                quorum, hysteresis, Optional.ofNullable(v.quorumUp), Optional.ofNullable(v.quorumDown),
                v.haSuspend, Boolean.TRUE.equals(v.timing.alpha), v.omega, v.hashPort,
                Boolean.TRUE.equals(v.smtpAlert), Optional.ofNullable(v.timing.virtualhost),
                sorry, v.sorryInhibit, v.expireNodestConnPosition != null, reals));
    }

    /** The service's address family (empty for a fwmark), or null when it cannot be resolved. */
    private Optional<Boolean> family(LbDrafts.VirtualServer v, Map<String, VirtualServerGroupConfig> groups) {
        if (v.service instanceof VirtualService.Endpoint e) {
            return Optional.of(IpAddresses.isIpv6(e.address()));
        }
        if (v.service instanceof VirtualService.Group g) {
            VirtualServerGroupConfig group = groups.get(g.name());
            if (group == null) {
                diagnostics.error(v.position, "virtual_server group " + g.name() + " names no virtual_server_group",
                        groups.isEmpty() ? "define `virtual_server_group " + g.name() + " { ADDRESS PORT }`"
                                : "defined groups: " + String.join(", ", groups.keySet()));
                return null;
            }
            List<InetAddress> addresses = group.addresses();
            if (addresses.stream().map(IpAddresses::isIpv6).distinct().count() > 1) {
                diagnostics.error(v.position, "virtual_server_group " + g.name() + " mixes IPv4 and IPv6 addresses",
                        "that needs tunnelled real servers, which this kernel cannot do; use one group per family");
                return null;
            }
            return addresses.isEmpty() ? Optional.empty() : Optional.of(IpAddresses.isIpv6(addresses.get(0)));
        }
        return Optional.empty();
    }

    private LbScheduler scheduler(LbDrafts.VirtualServer v) {
        if (v.scheduler == null) {
            LbScheduler fallback = LbScheduler.KEEPALIVED_DEFAULT;
            diagnostics.warning(v.position, "virtual_server " + v.service + " has no lb_algo: keepalived's default "
                            + fallback.keepalivedName() + " runs as " + fallback.choice().keepalivedName()
                            + " on nftables", "write `lb_algo " + fallback.choice().keepalivedName() + "`");
            return fallback;
        }
        if (!v.scheduler.exact()) {
            diagnostics.warning(v.schedulerPosition, "lb_algo " + v.scheduler.keepalivedName() + " runs as "
                            + v.scheduler.choice().keepalivedName() + ": " + why(v.scheduler),
                    "write `lb_algo " + v.scheduler.choice().keepalivedName() + "` to say so");
        }
        return v.scheduler;
    }

    private static String why(LbScheduler scheduler) {
        return switch (scheduler.choice()) {
            case WEIGHTED_ROUND_ROBIN -> "nftables keeps no connection counts to choose by, so weights alone decide";
            case DESTINATION_HASH -> "nftables has no per-destination connection counts; the destination is hashed";
            case HIGHEST_WEIGHT -> "nftables keeps no connection limits; the highest-weight live server takes all";
            default -> "it is the nearest choice nftables can make";
        };
    }

    private Optional<Persistence> persistence(LbDrafts.VirtualServer v, boolean ipv6) {
        int fullPrefix = ipv6 ? 128 : 32;
        if (v.granularityPrefix != null && v.granularityPrefix > fullPrefix) {
            diagnostics.error(v.granularityPosition, "persistence_granularity /" + v.granularityPrefix
                    + " is longer than an address of this family (expected 1.." + fullPrefix + ")", "use /"
                    + fullPrefix + " or shorter");
            return Optional.empty();
        }
        if (v.persistenceTimeout == null || v.persistenceTimeout.isZero()) {
            if (v.granularityPrefix != null) {
                diagnostics.warning(v.granularityPosition, "persistence_granularity without persistence_timeout "
                        + "does nothing", "add `persistence_timeout SECONDS`, or remove it");
            }
            return Optional.empty();
        }
        return Optional.of(new Persistence(v.persistenceTimeout,
                v.granularityPrefix != null ? v.granularityPrefix : fullPrefix));
    }

    private Optional<RealServerConfig> realServer(LbDrafts.RealServer r, LbDrafts.VirtualServer v,
                                                  LbDrafts.Timing vsTiming, ForwardingMethod method,
                                                  int servicePort, Optional<Boolean> ipv6) {
        boolean ok = true;
        String name = "real_server " + r.address.getHostAddress();
        if (ipv6.isPresent() && ipv6.get() != IpAddresses.isIpv6(r.address)) {
            diagnostics.error(r.position, name + " is " + (ipv6.get() ? "IPv4" : "IPv6") + " but virtual_server "
                    + v.service + " is not", "real servers of one virtual server share its address family (TUN "
                    + "could mix them; this kernel has no ipip)");
            ok = false;
        }
        int port = r.port != null ? r.port : servicePort;
        ForwardingMethod own = r.method != null ? r.method : method;
        if (own != method) {
            diagnostics.error(r.methodPosition, name + " uses " + own + " but virtual_server " + v.service + " uses "
                    + method, "one virtual server forwards one way on nftables; split it in two");
            ok = false;
        }
        if (method == ForwardingMethod.DR && servicePort != 0 && port != servicePort) {
            diagnostics.error(r.position, name + " port " + port + " differs from the virtual server's " + servicePort
                    + ", which DR cannot do (it rewrites only the MAC address)", "use port " + servicePort
                    + " or lb_kind NAT");
            ok = false;
        }
        LbDrafts.Timing timing = r.timing.under(vsTiming);
        List<CheckerConfig> checkers = new ArrayList<>();
        for (LbDrafts.Checker c : r.checkers) {
            checkers.addAll(checker(c, r, port, timing));
        }
        if (!ok) {
            return Optional.empty();
        }
        return Optional.of(new RealServerConfig(r.address, port, r.position,
                r.weight != null ? r.weight : RealServerConfig.DEFAULT_WEIGHT, method,
                Boolean.TRUE.equals(timing.inhibitOnFailure), Optional.ofNullable(r.notifyUp),
                Optional.ofNullable(r.notifyDown), !Boolean.FALSE.equals(r.smtpAlert), checkers));
    }

    private List<CheckerConfig> checker(LbDrafts.Checker c, LbDrafts.RealServer r, int port,
                                        LbDrafts.Timing parent) {
        LbDrafts.Timing t = c.timing.under(parent);
        Duration delayLoop = t.delayLoop != null ? t.delayLoop : CheckTiming.DEFAULT_DELAY_LOOP;
        int retry = t.retry != null ? t.retry : switch (c.keyword) {
            case "MISC_CHECK" -> 0;
            case "DNS_CHECK" -> DEFAULT_DNS_RETRY;
            default -> CheckTiming.DEFAULT_RETRY;
        };
        Duration beforeRetry = t.delayBeforeRetry != null ? t.delayBeforeRetry : switch (c.keyword) {
            case "HTTP_GET", "SSL_GET" -> CheckTiming.HTTP_DELAY_BEFORE_RETRY;
            case "DNS_CHECK" -> delayLoop;
            default -> CheckTiming.DEFAULT_DELAY_BEFORE_RETRY;
        };
        CheckTiming timing = new CheckTiming(delayLoop,
                t.connectTimeout != null ? t.connectTimeout : CheckTiming.DEFAULT_CONNECT_TIMEOUT, retry,
                beforeRetry, t.warmup != null ? t.warmup : delayLoop, Boolean.TRUE.equals(t.alpha),
                t.rise != null ? t.rise : CheckTiming.DEFAULT_RISE);
        Optional<CheckKind> kind = kind(c, t, delayLoop);
        if (kind.isEmpty()) {
            return List.of();
        }
        List<LbDrafts.Target> targets = c.hosts.isEmpty() ? List.of(c.target) : c.hosts;
        List<CheckerConfig> checkers = new ArrayList<>();
        for (LbDrafts.Target target : targets) {
            target(c, target, r, port).ifPresent(x -> checkers.add(new CheckerConfig(kind.get(), c.position, timing,
                    x)));
        }
        return checkers;
    }

    private Optional<CheckTarget> target(LbDrafts.Checker c, LbDrafts.Target t, LbDrafts.RealServer r, int port) {
        int connectPort = t.connectPort != null ? t.connectPort : c.target.connectPort != null ? c.target.connectPort
                : port;
        boolean needsPort = !Set.of("MISC_CHECK", "PING_CHECK", "FILE_CHECK").contains(c.keyword);
        if (needsPort && connectPort == 0) {
            diagnostics.error(c.position, c.keyword + " of real_server " + r.address.getHostAddress() + " has no port "
                    + "to connect to", "add `connect_port PORT` (the real server has none of its own)");
            return Optional.empty();
        }
        return Optional.of(new CheckTarget(
                first(t.connectIp, c.target.connectIp, r.address),
                connectPort,
                Optional.ofNullable(first(t.bindTo, c.target.bindTo, null)),
                Optional.ofNullable(first(t.bindPort, c.target.bindPort, null)).map(OptionalInt::of)
                        .orElse(OptionalInt.empty()),
                Optional.ofNullable(first(t.bindInterface, c.target.bindInterface, null)),
                Optional.ofNullable(first(t.fwmark, c.target.fwmark, null)).map(OptionalLong::of)
                        .orElse(OptionalLong.empty()),
                c.target.closeWithReset, c.target.untracked));
    }

    private static <T> T first(T a, T b, T c) {
        return a != null ? a : b != null ? b : c;
    }

    private Optional<CheckKind> kind(LbDrafts.Checker c, LbDrafts.Timing t, Duration delayLoop) {
        return switch (c.keyword) {
            case "TCP_CHECK" -> Optional.of(new CheckKind.Tcp());
            case "PING_CHECK" -> Optional.of(new CheckKind.Ping());
            case "HTTP_GET", "SSL_GET" -> http(c, t);
            case "MISC_CHECK" -> {
                if (c.miscPath == null) {
                    diagnostics.error(c.position, "MISC_CHECK has no misc_path", "add `misc_path \"/path/check.sh\"`");
                    yield Optional.empty();
                }
                yield Optional.of(new CheckKind.Misc(c.miscPath, c.miscTimeout != null ? c.miscTimeout : delayLoop,
                        c.miscDynamic, Optional.ofNullable(c.user)));
            }
            case "SMTP_CHECK" -> Optional.of(new CheckKind.Smtp(c.heloName != null ? c.heloName
                    : DEFAULT_HELO_NAME));
            case "DNS_CHECK" -> Optional.of(new CheckKind.Dns(c.dnsType != null ? c.dnsType : DEFAULT_DNS_TYPE,
                    c.dnsName != null ? c.dnsName : DEFAULT_DNS_NAME));
            case "UDP_CHECK" -> udp(c);
            case "FILE_CHECK" -> {
                if (c.trackFile == null) {
                    diagnostics.error(c.position, "FILE_CHECK has no track_file", "add `track_file NAME`");
                    yield Optional.empty();
                }
                if (!trackFiles.contains(c.trackFile)) {
                    diagnostics.error(c.position, "FILE_CHECK names track_file `" + c.trackFile + "`, which no "
                            + "track_file block defines", "define it at the top level: `track_file " + c.trackFile
                            + " { file /path/to/file }`, or name one that exists");
                    yield Optional.empty();
                }
                yield Optional.of(new CheckKind.File(c.trackFile, c.fileDynamic, c.fileWeight != null
                        ? OptionalInt.of(c.fileWeight) : OptionalInt.empty(), c.fileReverse));
            }
            case "AGENT_CHECK" -> agent(c);
            default -> throw new IllegalStateException("no checker kind for " + c.keyword);
        };
    }

    /**
     * An agent listens on a port of its own, never the service's, so connect_port is required; retry, rise and
     * delay_before_retry are read but change nothing (each reply decides at once), which is said where written.
     */
    private Optional<CheckKind> agent(LbDrafts.Checker c) {
        if (c.target.connectPort == null) {
            diagnostics.error(c.position, "AGENT_CHECK has no connect_port: the agent listens on a port of its own",
                    "add `connect_port PORT`, the port the real server's agent answers on");
            return Optional.empty();
        }
        if (c.timing.retry != null || c.timing.rise != null || c.timing.delayBeforeRetry != null) {
            diagnostics.warning(c.position, "retry, rise and delay_before_retry change nothing in AGENT_CHECK: each "
                    + "reply of the agent decides at once, as in HAProxy", "remove them from the AGENT_CHECK block");
        }
        return Optional.of(new CheckKind.Agent());
    }

    private Optional<CheckKind> http(LbDrafts.Checker c, LbDrafts.Timing t) {
        if (c.urls.isEmpty()) {
            diagnostics.error(c.position, c.keyword + " has no url", "add `url { path / status_code 200 }`");
            return Optional.empty();
        }
        List<HttpUrl> urls = new ArrayList<>();
        for (LbDrafts.Url u : c.urls) {
            if (u.path == null) {
                diagnostics.error(u.position, "url has no path", "add `path /`");
                continue;
            }
            urls.add(new HttpUrl(u.path, u.statusCodes.isEmpty() ? HttpUrl.DEFAULT_STATUS_CODES : u.statusCodes,
                    Optional.ofNullable(u.digest), Optional.ofNullable(u.virtualhost), Optional.ofNullable(u.regex),
                    u.regexNoMatch));
        }
        if (urls.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new CheckKind.Http(c.keyword.equals("SSL_GET"), urls,
                c.httpProtocol != null ? c.httpProtocol : "1.0", c.fastRecovery, c.sni,
                Optional.ofNullable(t.virtualhost)));
    }

    private Optional<CheckKind> udp(LbDrafts.Checker c) {
        int min = c.minReplyLength != null ? c.minReplyLength : 0;
        int max = c.maxReplyLength != null ? c.maxReplyLength : DEFAULT_MAX_REPLY_LENGTH;
        if (min > max) {
            diagnostics.error(c.position, "UDP_CHECK min_reply_length " + min + " is above max_reply_length " + max,
                    "swap them");
            return Optional.empty();
        }
        return Optional.of(new CheckKind.Udp(Optional.ofNullable(c.payload), c.requireReply,
                Optional.ofNullable(c.replyPattern), min, max));
    }
}
