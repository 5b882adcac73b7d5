package io.quorumvip.lb;

import static io.quorumvip.lb.NftJson.F;
import static io.quorumvip.lb.NftJson.and;
import static io.quorumvip.lb.NftJson.array;
import static io.quorumvip.lb.NftJson.concat;
import static io.quorumvip.lb.NftJson.counter;
import static io.quorumvip.lb.NftJson.gotoChain;
import static io.quorumvip.lb.NftJson.match;
import static io.quorumvip.lb.NftJson.meta;
import static io.quorumvip.lb.NftJson.payload;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quorumvip.config.ForwardingMethod;
import io.quorumvip.config.LbScheduler;
import io.quorumvip.config.Persistence;
import io.quorumvip.config.RealServerConfig;
import io.quorumvip.config.VirtualServerConfig;
import io.quorumvip.config.VirtualService;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.CRC32;

/**
 * Turns the service plans into the nftables program (the shapes docs/load-balancing.md draws): per family one
 * dispatch verdict map on {@code daddr . l4proto . dport} reached only where the address is local, and two chains
 * per virtual server whatever its pool: one that chooses a real server (its member mark, in the packet mark) and one
 * that forwards to it through maps keyed by that mark (NAT: {@code dnat} to its address and port; DR: rewrite both
 * MAC addresses and {@code fwd}), counting it in its named counter. Pure: the same plans give the same program, on
 * every director.
 *
 * <p>A pool change rebuilds only its own virtual server: {@link Built#next} keeps each virtual server's piece of the
 * program while its plan is unchanged, and inside a changed one what depends on the configuration alone (counters,
 * maps, forward chain), so the pieces of the program that did not change are the same objects as before and {@link
 * NftProgram#diff} passes over them by identity.
 */
public final class NftProgramBuilder {

    /** The jhash seed: the same on every director, so a flow hashes to the same real server on each. */
    public static final long HASH_SEED = 0x71766970L;
    /** The meta mark bit NAT member marks carry when masquerade is on, and postrouting masquerades on. */
    public static final long MASQUERADE_MARK = 0x0001_0000L;
    /**
     * The slots of all virtual servers together, at most (unless a virtual server's own minimum, {@link
     * Maglev#MIN_SLOTS_PER_MEMBER} per real server, needs more): every slot is built, compared and kept in memory,
     * and libnftables parses the whole program at start-up, so 100 virtual servers of 100 real
     * servers with 16,381 slots each took ~21 CPU s and 3.4 GiB of RSS to start (docs/benchmarks.md). 2^18 leaves
     * every virtual server of a small configuration its 100 slots per real server.
     */
    static final int SLOT_BUDGET = 262_144;
    /**
     * The socket mark of the probes of checkers with {@code untracked} ("qvch"), which a NAT family's table exempts
     * from conntrack; it lacks {@link #MASQUERADE_MARK}'s bit.
     */
    public static final long CHECK_MARK = 0x7176_6368L;
    /** The priority of the exemption's chains: raw, before conntrack (-200) looks at the packet. */
    static final int RAW_PRIORITY = -300;
    /** The chain that exempts the untracked checks' own packets, and the one that exempts their replies. */
    static final String CHECKS_OUT_CHAIN = "checks_out";
    static final String CHECKS_IN_CHAIN = "checks_in";
    /** The set of conntrack marks of real servers whose NAT flows are cut (expire_nodest_conn). */
    private static final String NODEST_SET = "nodest";
    /** The forward chain that cuts them. */
    private static final String NODEST_CHAIN = "forward";

    private NftProgramBuilder() {
    }

    public static NftProgram build(List<ServicePlan> plans) {
        return Built.NONE.next(plans).program();
    }

    /**
     * A program with the pieces it was built from: {@link #next} builds the program of new plans, reusing every
     * piece whose inputs did not change. Immutable; what {@code next} returns equals {@link #build} of the same plans.
     */
    public static final class Built {
        public static final Built NONE = new Built(NftProgram.EMPTY, Layout.of(List.of()), Map.of());

        private final NftProgram program;
        private final Layout layout;
        private final Map<String, Part> parts;

        private Built(NftProgram program, Layout layout, Map<String, Part> parts) {
            this.program = program;
            this.layout = layout;
            this.parts = parts;
        }

        public NftProgram program() {
            return program;
        }

        public Built next(List<ServicePlan> plans) {
            List<VirtualServerConfig> configs = plans.stream().map(ServicePlan::config).toList();
            Layout nextLayout = layout.configs().equals(configs) ? layout : Layout.of(plans);
            Map<String, Part> nextParts = new LinkedHashMap<>();
            Map<String, TableDraft> tables = new LinkedHashMap<>();
            for (ServicePlan plan : plans) {
                String name = plan.config().name();
                Part part = Part.of(plan, nextLayout.slots().getOrDefault(name, 0),
                        nextLayout.marks().getOrDefault(name, Map.of()), parts.get(name));
                nextParts.put(name, part);
                tables.computeIfAbsent(part.draft().family, TableDraft::new).merge(part.draft());
            }
            List<NftProgram.Table> built = new ArrayList<>();
            for (String family : NftProgram.FAMILIES) {
                TableDraft draft = tables.get(family);
                if (draft != null) {
                    built.add(draft.build());
                }
            }
            return new Built(new NftProgram(built), nextLayout, nextParts);
        }
    }

    /**
     * What depends on the configuration alone, over every virtual server: how many slots each has, and the conntrack
     * mark of each real server of those with expire_nodest_conn (whose collisions are settled across a family).
     */
    private record Layout(List<VirtualServerConfig> configs, Map<String, Integer> slots,
                          Map<String, Map<String, Long>> marks) {

        static Layout of(List<ServicePlan> plans) {
            Map<String, Integer> slots = slotCounts(plans.stream().map(ServicePlan::config).toList());
            Map<String, Map<String, Long>> marks = new LinkedHashMap<>();
            Map<String, Map<Long, String>> taken = new LinkedHashMap<>();
            for (ServicePlan plan : plans) {
                VirtualServerConfig vs = plan.config();
                if (vs.expireNodestConn() && plan.config().method() != ForwardingMethod.DR) {
                    marks.put(vs.name(), connMarks(vs,
                            taken.computeIfAbsent(ipv6(plan) ? "ip6" : "ip", f -> new LinkedHashMap<>())));
                }
            }
            return new Layout(plans.stream().map(ServicePlan::config).toList(), slots, marks);
        }
    }

    /**
     * One virtual server's piece of its family's table, and the plan it was built from.
     *
     * @param fixed the pieces that depend on the configuration and paths alone, reused while those stay
     */
    private record Part(ServicePlan plan, int slots, Map<String, Long> marks, TableDraft draft, Fixed fixed) {

        /** The piece of {@code plan}: {@code previous} itself when nothing changed, else built again. */
        static Part of(ServicePlan plan, int slots, Map<String, Long> marks, Part previous) {
            if (previous != null && previous.slots == slots && previous.plan.equals(plan)
                    && previous.marks.equals(marks)) {
                return previous;
            }
            Fixed fixed = previous != null && previous.marks.equals(marks) && samePaths(previous.plan, plan)
                    ? previous.fixed : Fixed.of(plan, marks);
            TableDraft draft = new TableDraft(plan.config().method() == ForwardingMethod.DR ? "netdev"
                    : ipv6(plan) ? "ip6" : "ip");
            addService(draft, plan, slots, marks, fixed, previous == null ? Optional.empty()
                    : Optional.of(previous.draft));
            return new Part(plan, slots, marks, draft, fixed);
        }

        /** Everything but the pool is the same: the fixed pieces are then the same in both. */
        private static boolean samePaths(ServicePlan a, ServicePlan b) {
            return a.config().equals(b.config()) && a.endpoints().equals(b.endpoints())
                    && a.fwmarks().equals(b.fwmarks()) && a.dr().equals(b.dr()) && a.masquerade() == b.masquerade();
        }
    }

    private record MemberKey(InetAddress address, int port) {
        static MemberKey of(PoolMember member) {
            return new MemberKey(member.address(), member.port());
        }
    }

    /**
     * What a virtual server's piece holds whatever its pool: a named counter per configured real server (and one for
     * the virtual server), the maps from member mark to counter, address, port, conntrack mark or MAC, the forward
     * chain, and with persistence one lookup rule per configured real server. None of it changes when a real server
     * joins or leaves, so a pool change is the slot map's elements (and the serving set's with persistence).
     *
     * @param marks   each configured real server's member mark (see {@link #memberNumbers}), by address and port
     * @param orders  each configured real server's sort key (see {@link #canonical})
     * @param names   each configured real server's Maglev name, its endpoint: made once, not at every pool change,
     *                where building and hashing a thousand new strings was a tenth of the build
     * @param leading the service chain's rules before the choice: its counter, then the persistence lookups
     */
    private record Fixed(Map<MemberKey, Long> marks, Map<MemberKey, String> orders, Map<MemberKey, String> names,
                         List<String> counters,
                         List<NftProgram.NamedSet> sets, NftProgram.Chain forward, List<String> leading) {

        static Fixed of(ServicePlan plan, Map<String, Long> connMarks) {
            VirtualServerConfig vs = plan.config();
            boolean dr = vs.method() == ForwardingMethod.DR;
            long flags = !dr && plan.masquerade() ? MASQUERADE_MARK : 0;
            Map<MemberKey, Integer> numbers = memberNumbers(vs);
            List<PoolMember> configured = new ArrayList<>(numbers.size());
            for (PoolMember member : canonical(configured(vs), Map.of())) {
                if (numbers.get(MemberKey.of(member)) == configured.size()) {
                    configured.add(member);
                }
            }
            Map<MemberKey, Long> marks = new HashMap<>(2 * configured.size());
            Map<MemberKey, String> orders = new HashMap<>(2 * configured.size());
            Map<MemberKey, String> names = new HashMap<>(2 * configured.size());
            List<String> counters = new ArrayList<>(configured.size() + 1);
            counters.add(serviceCounter(vs));
            List<JsonNode> counterElements = new ArrayList<>(configured.size());
            for (PoolMember member : configured) {
                long mark = numbers.get(MemberKey.of(member)) | flags;
                marks.put(MemberKey.of(member), mark);
                orders.put(MemberKey.of(member), order(member));
                names.put(MemberKey.of(member), member.endpoint());
                counters.add(memberCounter(vs, member));
                counterElements.add(array(F.numberNode(mark), F.textNode(memberCounter(vs, member))));
            }
            List<NftProgram.NamedSet> sets = new ArrayList<>();
            sets.add(dataMap(counterMap(vs), "counter", counterElements));
            String name = sanitize(vs.name());
            List<JsonNode> forward = new ArrayList<>();
            forward.add(array(NftJson.counterNamed(NftJson.mapNamed(meta("mark"), counterMap(vs)))));
            List<String> leading = new ArrayList<>();
            leading.add(array(NftJson.counterNamed(F.textNode(serviceCounter(vs)))).toString());
            if (dr) {
                DrPath path = drPath(plan);
                List<JsonNode> macs = new ArrayList<>();
                for (PoolMember member : configured) {
                    String mac = path.memberMacs().get(member.address());
                    if (mac != null) {
                        macs.add(array(F.numberNode(marks.get(MemberKey.of(member))), F.textNode(mac)));
                    }
                }
                sets.add(dataMap("macs_" + name, "ether_addr", macs));
                forward.add(array(NftJson.mangle(payload("ether", "saddr"), F.textNode(path.directorMac())),
                        NftJson.mangle(payload("ether", "daddr"), NftJson.mapNamed(meta("mark"), "macs_" + name)),
                        NftJson.object("fwd", F.objectNode().put("dev", path.device()))));
            } else {
                natForward(plan, connMarks, configured, marks, sets, forward, leading);
            }
            return new Fixed(marks, orders, names, List.copyOf(counters), List.copyOf(sets),
                    new NftProgram.Chain(forwardChain(vs), Optional.empty(),
                            forward.stream().map(JsonNode::toString).toList()), List.copyOf(leading));
        }
    }

    /**
     * NAT's maps and forward chain: the counter, with persistence the client's entry in the affinity set, with
     * expire_nodest_conn the real server's conntrack mark, then dnat to the address (and port) the member mark maps
     * to. The persistence lookups try each configured real server's mark in turn against the affinity set and the
     * serving set, so a client sticks to a real server only while it serves.
     */
    private static void natForward(ServicePlan plan, Map<String, Long> connMarks, List<PoolMember> configured,
                                   Map<MemberKey, Long> marks, List<NftProgram.NamedSet> sets, List<JsonNode> forward,
                                   List<String> leading) {
        VirtualServerConfig vs = plan.config();
        boolean ipv6 = ipv6(plan);
        String ip = ipv6 ? "ip6" : "ip";
        String name = sanitize(vs.name());
        List<JsonNode> addresses = new ArrayList<>();
        List<JsonNode> ports = new ArrayList<>();
        List<JsonNode> conntrack = new ArrayList<>();
        boolean portless = false;
        for (PoolMember member : configured) {
            JsonNode mark = F.numberNode(marks.get(MemberKey.of(member)));
            addresses.add(array(mark, F.textNode(member.address().getHostAddress())));
            if (member.port() != 0) {
                ports.add(array(mark, F.numberNode(member.port())));
            } else {
                portless = true;
            }
            Long connMark = connMarks.get(memberCounter(vs, member));
            if (connMark != null) {
                conntrack.add(array(mark, F.numberNode(connMark)));
            }
        }
        String addressMap = "dst_" + name;
        sets.add(dataMap(addressMap, ipv6 ? "ipv6_addr" : "ipv4_addr", addresses));
        vs.persistence().ifPresent(p -> {
            String affinity = affinitySet(vs);
            ObjectNode definition = F.objectNode();
            definition.set("type", array(F.textNode(ipv6 ? "ipv6_addr" : "ipv4_addr"), F.textNode("mark")));
            definition.set("flags", array(F.textNode("timeout")));
            definition.put("timeout", p.timeout().toSeconds());
            definition.put("size", AFFINITY_SIZE);
            sets.add(new NftProgram.NamedSet(affinity, false, definition, List.of()));
            JsonNode entry = NftJson.concat(List.of(clientKey(ip, p, ipv6), meta("mark")));
            forward.add(array(NftJson.updateSet(entry, affinity)));
            for (PoolMember member : configured) {
                leading.add(array(NftJson.mangle(meta("mark"), F.numberNode(marks.get(MemberKey.of(member)))),
                        match(entry, F.textNode("@" + affinity)),
                        match(meta("mark"), F.textNode("@" + servingSet(vs))),
                        gotoChain(forwardChain(vs))).toString());
            }
        });
        if (!conntrack.isEmpty()) {
            sets.add(dataMap("cmark_" + name, "mark", conntrack));
            forward.add(array(NftJson.mangle(NftJson.ct("mark"), NftJson.mapNamed(meta("mark"), "cmark_" + name))));
        }
        JsonNode address = NftJson.mapNamed(meta("mark"), addressMap);
        if (!ports.isEmpty()) {
            sets.add(dataMap("dport_" + name, "inet_service", ports));
            ObjectNode dnat = F.objectNode().put("family", ip);
            dnat.set("addr", address);
            dnat.set("port", NftJson.mapNamed(meta("mark"), "dport_" + name));
            forward.add(array(match(meta("l4proto"), F.textNode(vs.protocol().nftName())),
                    NftJson.object("dnat", dnat)));
        }
        if (portless) {
            ObjectNode dnat = F.objectNode().put("family", ip);
            dnat.set("addr", address);
            forward.add(array(NftJson.object("dnat", dnat)));
        }
    }

    /** Dynamic persistence entries a virtual server may hold: clients × real servers they were sent to. */
    static final int AFFINITY_SIZE = 1 << 20;

    private static NftProgram.NamedSet dataMap(String name, String data, List<JsonNode> elements) {
        return new NftProgram.NamedSet(name, true, F.objectNode().put("type", "mark").put("map", data), elements);
    }

    /**
     * The number each configured real server (and the sorry server) goes by in the slot map: its place in the
     * {@link #canonical} order of their distinct addresses and ports, 0 to n − 1 (with masquerade, its member mark
     * also carries {@link #MASQUERADE_MARK}). It depends on the configuration alone, and not on the order the real
     * servers are written in, so a pool change moves slots between numbers that stay, and every director with the
     * same real servers numbers them alike.
     */
    private static Map<MemberKey, Integer> memberNumbers(VirtualServerConfig vs) {
        List<PoolMember> configured = canonical(configured(vs), Map.of());
        Map<MemberKey, Integer> numbers = new HashMap<>(2 * configured.size());
        for (PoolMember member : configured) {
            numbers.putIfAbsent(MemberKey.of(member), numbers.size());
        }
        return numbers;
    }

    /** The chain of a virtual server, and its named counter: {@code vs_192_0_2_210_80_tcp}. */
    public static String serviceChain(VirtualServerConfig vs) {
        return "vs_" + sanitize(vs.name());
    }

    /** The virtual server's named counter: its chain's name. */
    public static String serviceCounter(VirtualServerConfig vs) {
        return serviceChain(vs);
    }

    /** The chain that forwards to the real server the member mark names: {@code fwd_192_0_2_210_80_tcp}. */
    public static String forwardChain(VirtualServerConfig vs) {
        return "fwd_" + sanitize(vs.name());
    }

    /** The map from member mark to real server counter: {@code ctr_192_0_2_210_80_tcp}. */
    public static String counterMap(VirtualServerConfig vs) {
        return "ctr_" + sanitize(vs.name());
    }

    /** The set of the serving real servers' member marks, which persistence checks: {@code serving_…}. */
    public static String servingSet(VirtualServerConfig vs) {
        return "serving_" + sanitize(vs.name());
    }

    /** Compiled once: the builder names 10,000 member counters per program at scale. */
    private static final Pattern NOT_NAME_CHARACTER = Pattern.compile("[^A-Za-z0-9]");

    /**
     * The named counter of one real server of a virtual server: {@code rs_192_0_2_210_80_tcp__192_0_2_51_80}. Also
     * what its expire_nodest_conn conntrack mark is hashed from, so the marks stay those of earlier programs.
     */
    public static String memberCounter(VirtualServerConfig vs, PoolMember member) {
        return "rs_" + sanitize(vs.name()) + "__" + sanitize(member.endpoint());
    }

    static String sanitize(String text) {
        return NOT_NAME_CHARACTER.matcher(text).replaceAll("_");
    }

    // ---- NAT: family ip or ip6, nat hook prerouting; DR: family netdev, ingress hook on the VIP's device ----

    private static void addService(TableDraft table, ServicePlan plan, int slots, Map<String, Long> connMarks,
                                   Fixed fixed, Optional<TableDraft> previous) {
        VirtualServerConfig vs = plan.config();
        boolean ipv6 = ipv6(plan);
        String ip = ipv6 ? "ip6" : "ip";
        boolean dr = vs.method() == ForwardingMethod.DR;
        List<PoolMember> members;
        if (dr) {
            DrPath path = drPath(plan);
            String base = "ingress_" + sanitize(path.device());
            table.baseChain(base, hook("filter", "ingress", 0, Optional.of(path.device())));
            dispatch(table, plan, serviceChain(vs), ipv6, "_" + sanitize(path.device()));
            table.ingressChains.put(base, path.device());
            members = canonical(plan.pool().serving().stream()
                    .filter(m -> path.memberMacs().containsKey(m.address())).toList(), fixed.orders());
        } else {
            table.baseChain("prerouting", hook("nat", "prerouting", -100, Optional.empty()));
            if (plan.masquerade()) {
                table.baseChain("postrouting", hook("nat", "postrouting", 100, Optional.empty()));
                table.postroutingMasquerade = true;
            }
            dispatch(table, plan, serviceChain(vs), ipv6, "");
            table.untrackedChecks |= hasUntrackedChecker(vs);
            if (vs.expireNodestConn()) {
                expireNodestConn(table, plan, connMarks);
            }
            members = canonical(plan.pool().serving(), fixed.orders());
        }
        table.counters.addAll(fixed.counters());
        fixed.sets().forEach(set -> table.sets.put(set.name(), set));
        List<Long> marks = marksOf(members, fixed.marks());
        if (vs.persistence().isPresent() && !dr) {
            String serving = servingSet(vs);
            List<JsonNode> elements = marks.stream().map(m -> (JsonNode) F.numberNode(m)).toList();
            NftProgram.NamedSet set = previous.map(p -> p.sets.get(serving))
                    .filter(s -> s.elements().equals(elements))
                    .orElseGet(() -> new NftProgram.NamedSet(serving, false, F.objectNode().put("type", "mark"),
                            elements));
            table.sets.put(serving, set);
        }
        List<String> rules = new ArrayList<>(fixed.leading());
        choice(table, vs, slots, members, marks, fixed.names(), ip, ipv6, dr).ifPresent(rule -> rules.add(rule.toString()));
        NftProgram.Chain chain = new NftProgram.Chain(serviceChain(vs), Optional.empty(), rules);
        table.chain(previous.map(p -> p.chains.get(chain.name())).filter(chain::equals).orElse(chain));
        table.chain(fixed.forward());
    }

    private static boolean hasUntrackedChecker(VirtualServerConfig vs) {
        return vs.realServers().stream().flatMap(r -> r.checkers().stream()).anyMatch(c -> c.target().untracked());
    }

    private static DrPath drPath(ServicePlan plan) {
        VirtualServerConfig vs = plan.config();
        DrPath path = plan.dr().orElseThrow(() -> new IllegalArgumentException("virtual_server " + vs.name()
                + " forwards with DR but no interface and MAC addresses were given"));
        if (!plan.fwmarks().isEmpty()) {
            throw new IllegalArgumentException("virtual_server " + vs.name() + " matches fwmarks, which DR "
                    + "cannot see (marks are set after the ingress hook)");
        }
        return path;
    }

    /**
     * The member marks of {@code members}; a member the configuration does not have (none, when the pool comes from
     * {@link PoolFold}) is given a number after every configured one, which no map holds: it gets no connection.
     */
    private static List<Long> marksOf(List<PoolMember> members, Map<MemberKey, Long> marks) {
        List<Long> result = new ArrayList<>(members.size());
        long next = marks.size();
        for (PoolMember member : members) {
            Long mark = marks.get(MemberKey.of(member));
            result.add(mark != null ? mark : next++);
        }
        return result;
    }

    /**
     * expire_nodest_conn: every real server the virtual server may have (its sorry server too) gets a conntrack mark
     * of its own, which the forward chain sets when it takes a connection; the marks of those not in the pool now (weight-0
     * members are in it, as IPVS keeps a weight-0 destination) go in the {@value #NODEST_SET} set, whose
     * packets a forward chain resets (TCP) or drops.
     */
    private static void expireNodestConn(TableDraft table, ServicePlan plan, Map<String, Long> marks) {
        VirtualServerConfig vs = plan.config();
        table.baseChain(NODEST_CHAIN, hook("filter", "forward", 0, Optional.empty()));
        table.nodest = true;
        Set<PoolMember> inPool = plan.pool().members().stream().map(NftProgramBuilder::unweighted)
                .collect(Collectors.toSet());
        for (PoolMember member : configured(vs)) {
            if (!inPool.contains(member)) {
                table.nodestMarks.add(F.numberNode(marks.get(memberCounter(vs, member))));
            }
        }
    }

    /**
     * The marks of a virtual server's real servers: a mark is a hash of the member's counter name (once its chain's name), so it stays the same
     * across pool changes, reloads that keep the real server, and restarts: connections marked by an earlier program
     * are still recognised. Two hashes that collide are told apart by taking the next free value, in configuration
     * order.
     *
     * @param taken the marks of the family's earlier virtual servers; this one's are added
     * @return each member counter's mark
     */
    private static Map<String, Long> connMarks(VirtualServerConfig vs, Map<Long, String> taken) {
        Map<String, Long> marks = new LinkedHashMap<>();
        for (PoolMember member : configured(vs)) {
            String counter = memberCounter(vs, member);
            long mark = connMark(counter);
            while (mark == 0 || taken.containsKey(mark)) {
                mark = mark + 1 & 0xFFFF_FFFFL;
            }
            taken.put(mark, counter);
            marks.put(counter, mark);
        }
        return marks;
    }

    /** Every real server the virtual server may have, its sorry server last, unweighted. */
    private static List<PoolMember> configured(VirtualServerConfig vs) {
        List<PoolMember> configured = new ArrayList<>();
        vs.realServers().forEach(r -> configured.add(new PoolMember(r.address(), r.port(), 0, false)));
        vs.sorryServer().ifPresent(r -> configured.add(new PoolMember(r.address(), r.port(), 0, true)));
        return configured;
    }

    private static PoolMember unweighted(PoolMember member) {
        return new PoolMember(member.address(), member.port(), 0, member.sorry());
    }

    static long connMark(String memberChain) {
        CRC32 crc = new CRC32();
        crc.update(memberChain.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    // ---- shared pieces ----

    private static void dispatch(TableDraft table, ServicePlan plan, String chain, boolean ipv6, String suffix) {
        String ip = ipv6 ? "ip6" : "ip";
        String addressType = ipv6 ? "ipv6_addr" : "ipv4_addr";
        for (VirtualService.Endpoint endpoint : plan.endpoints()) {
            String address = endpoint.address().getHostAddress();
            String proto = plan.config().protocol().nftName();
            if (endpoint.port() == 0) {
                table.dispatchMap("any" + (ipv6 ? "6" : "4") + suffix, ip, List.of(addressType, "inet_proto"),
                        List.of(payload(ip, "daddr"), meta("l4proto")))
                        .add(array(concat(List.of(F.textNode(address), F.textNode(proto))), gotoChain(chain)));
            } else {
                table.dispatchMap("services" + (ipv6 ? "6" : "4") + suffix, ip,
                        List.of(addressType, "inet_proto", "inet_service"),
                        List.of(payload(ip, "daddr"), meta("l4proto"), payload("th", "dport")))
                        .add(array(concat(List.of(F.textNode(address), F.textNode(proto),
                                F.numberNode(endpoint.port()))), gotoChain(chain)));
            }
        }
        for (long mark : plan.fwmarks()) {
            table.fwmarks.add(array(F.numberNode(mark), gotoChain(chain)));
        }
    }

    /**
     * The rule that picks a real server. fo and ovf: the heaviest one's member mark, none when no real server serves
     * (the packet then reaches the host). Every other scheduler: a fixed number of slots per virtual server, filled
     * by Maglev over the serving real servers and their weights (weight 1 each for rr), in a named data map from the
     * packet mark to the owner's member mark; the rule sets the mark to the slot ({@code numgen inc} for round
     * robin, {@code jhash} of what the scheduler hashes otherwise), replaces it by the member mark found in the slot
     * map, and goes to the forward chain, which looks that mark up in its maps. The slot count depends only on the
     * configuration, so the rule never changes with the pool; a pool change moves the leaving (or arriving) real
     * server's slots and little else, and while no real server serves the map is empty and the lookup falls through
     * to the host.
     *
     * @param marks the member mark of each of {@code members}
     * @param names the configured real servers' endpoints (a sorry server's is made here)
     */
    private static Optional<ArrayNode> choice(TableDraft table, VirtualServerConfig vs, int size,
                                              List<PoolMember> members, List<Long> marks,
                                              Map<MemberKey, String> names, String ip, boolean ipv6,
                                              boolean stateless) {
        LbScheduler.Choice choice = vs.scheduler().choice();
        if (choice == LbScheduler.Choice.HIGHEST_WEIGHT) {
            if (members.isEmpty()) {
                return Optional.empty();
            }
            int best = 0;
            for (int i = 1; i < members.size(); i++) {
                if (members.get(i).weight() > members.get(best).weight()) {
                    best = i;
                }
            }
            return Optional.of(array(NftJson.mangle(meta("mark"), F.numberNode(marks.get(best))),
                    gotoChain(forwardChain(vs))));
        }
        int[] slots = new int[0];
        if (!members.isEmpty()) {
            List<Integer> weights = members.stream()
                    .map(m -> choice == LbScheduler.Choice.ROUND_ROBIN ? 1 : m.weight()).toList();
            List<String> endpoints = new ArrayList<>(members.size());
            for (PoolMember member : members) {
                String known = names.get(MemberKey.of(member));
                endpoints.add(known != null ? known : member.endpoint());
            }
            slots = Maglev.table(endpoints, weights, size);
            for (int slot = 0; slot < size; slot++) {
                slots[slot] = (int) (long) marks.get(slots[slot]);
            }
        }
        String map = slotMap(vs);
        table.slotMaps.put(map, new NftProgram.SlotMap(map, slots));
        boolean hashed = stateless || choice != LbScheduler.Choice.ROUND_ROBIN
                && choice != LbScheduler.Choice.WEIGHTED_ROUND_ROBIN;
        JsonNode key = !hashed ? NftJson.numgenInc(size)
                : NftJson.jhash(choice == LbScheduler.Choice.DESTINATION_HASH ? payload(ip, "daddr")
                        : hashKey(vs, ip, ipv6, choice == LbScheduler.Choice.SOURCE_HASH
                                || choice == LbScheduler.Choice.MAGLEV), size, HASH_SEED);
        return Optional.of(array(NftJson.mangle(meta("mark"), key),
                NftJson.mangle(meta("mark"), NftJson.mapNamed(meta("mark"), map)),
                gotoChain(forwardChain(vs))));
    }

    /**
     * The slots of each virtual server's choice map (those that choose by slot): Maglev's size for every real server
     * it may ever have (its real servers and its sorry server), so that no pool change alters it, within {@link
     * #SLOT_BUDGET} over all of them. The budget is shared out smallest first: a virtual server gets the size it
     * asks for up to an equal share of what the smaller ones left. Depends on the configuration alone, so every
     * director with the same virtual servers computes the same sizes.
     */
    static Map<String, Integer> slotCounts(List<VirtualServerConfig> configs) {
        List<VirtualServerConfig> choosing = configs.stream()
                .filter(vs -> vs.scheduler().choice() != LbScheduler.Choice.HIGHEST_WEIGHT)
                .sorted(Comparator.comparingInt(vs -> Maglev.tableSize(configuredCount(vs))))
                .toList();
        Map<String, Integer> counts = new HashMap<>();
        long left = SLOT_BUDGET;
        for (int i = 0; i < choosing.size(); i++) {
            VirtualServerConfig vs = choosing.get(i);
            int size = Maglev.tableSize(configuredCount(vs), left / (choosing.size() - i));
            counts.put(vs.name(), size);
            left -= size;
        }
        return counts;
    }

    private static int configuredCount(VirtualServerConfig vs) {
        return vs.realServers().size() + (vs.sorryServer().isPresent() ? 1 : 0);
    }

    /** The choice map of a virtual server: {@code slots_192_0_2_210_80_tcp}. */
    public static String slotMap(VirtualServerConfig vs) {
        return "slots_" + sanitize(vs.name());
    }

    /**
     * What a hash choice hashes: the client (masked to persistence_granularity when persistent); with its port
     * too for sh-port/mh-port, and for stateless DR round robin, which must spread flows rather than clients.
     */
    private static JsonNode hashKey(VirtualServerConfig vs, String ip, boolean ipv6, boolean clientOnlyScheduler) {
        if (vs.persistence().isPresent()) {
            return clientKey(ip, vs.persistence().get(), ipv6);
        }
        boolean withPort = clientOnlyScheduler ? vs.hashPort() : true;
        return withPort ? concat(List.of(payload(ip, "saddr"), payload("th", "sport"))) : payload(ip, "saddr");
    }

    /** The client's address, masked to the persistence granularity. */
    private static JsonNode clientKey(String ip, Persistence persistence, boolean ipv6) {
        int bits = ipv6 ? 128 : 32;
        return persistence.prefixLength() >= bits ? payload(ip, "saddr")
                : and(payload(ip, "saddr"), F.textNode(mask(persistence.prefixLength(), ipv6)));
    }

    static String mask(int prefix, boolean ipv6) {
        byte[] bytes = new byte[ipv6 ? 16 : 4];
        for (int bit = 0; bit < prefix; bit++) {
            bytes[bit / 8] |= (byte) (0x80 >>> (bit % 8));
        }
        try {
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a 4 or 16 byte address is always valid", e);
        }
    }

    /**
     * The members in the order hash choices see them (it decides the Maglev table, so it must be the same on every
     * director): by {@link #order} of their address, then port. Each key is made once (or taken from the last build),
     * not at every comparison.
     */
    private static List<PoolMember> canonical(List<PoolMember> members, Map<MemberKey, String> orders) {
        record Keyed(String order, PoolMember member) {
        }
        return members.stream().map(m -> {
            String known = orders.get(MemberKey.of(m));
            return new Keyed(known != null ? known : order(m), m);
        }).sorted(Comparator.comparing(Keyed::order).thenComparingInt(k -> k.member().port()))
                .map(Keyed::member).toList();
    }

    /** The sort key of a member's address: the text of its bytes, {@code [-64, 0, 2, 51]}. */
    private static String order(PoolMember member) {
        return Arrays.toString(member.address().getAddress());
    }

    private static boolean ipv6(ServicePlan plan) {
        if (!plan.endpoints().isEmpty()) {
            return plan.endpoints().get(0).address() instanceof Inet6Address;
        }
        return plan.config().realServers().stream().map(RealServerConfig::address).findFirst()
                .or(() -> plan.config().sorryServer().map(RealServerConfig::address))
                .map(a -> a instanceof Inet6Address).orElse(false);
    }

    /** The persistence set of a virtual server: client (masked) and member mark, with the timeout. */
    private static String affinitySet(VirtualServerConfig vs) {
        return "aff_" + sanitize(vs.name());
    }

    private static ObjectNode hook(String type, String hook, int priority, Optional<String> device) {
        ObjectNode node = F.objectNode();
        node.put("type", type);
        node.put("hook", hook);
        device.ifPresent(d -> node.put("dev", d));
        node.put("prio", priority);
        node.put("policy", "accept");
        return node;
    }

    /** One family's table while it is being built, or one virtual server's piece of it. */
    private static final class TableDraft {
        final String family;
        /**
         * Every chain in the order it was first named; base chains get their rules (the dispatch) in {@link #build}.
         * Other chains' rules are JSON text, written as soon as a chain is done (see {@link NftProgram.Chain}).
         */
        final Map<String, NftProgram.Chain> chains = new LinkedHashMap<>();
        final Map<String, NftProgram.NamedSet> sets = new LinkedHashMap<>();
        final Map<String, NftProgram.SlotMap> slotMaps = new LinkedHashMap<>();
        final List<String> counters = new ArrayList<>();
        final Map<String, DispatchMap> dispatch = new LinkedHashMap<>();
        final List<JsonNode> fwmarks = new ArrayList<>();
        final Map<String, String> ingressChains = new LinkedHashMap<>();
        final List<JsonNode> nodestMarks = new ArrayList<>();
        boolean postroutingMasquerade;
        boolean nodest;
        boolean untrackedChecks;

        TableDraft(String family) {
            this.family = family;
        }

        void baseChain(String name, ObjectNode hook) {
            chains.putIfAbsent(name, new NftProgram.Chain(name, Optional.of(hook), List.of()));
        }

        void chain(String name, List<ArrayNode> chainRules) {
            chain(new NftProgram.Chain(name, Optional.empty(), chainRules.stream().map(JsonNode::toString).toList()));
        }

        void chain(NftProgram.Chain chain) {
            chains.put(chain.name(), chain);
        }

        List<JsonNode> dispatchMap(String name, String ip, List<String> types, List<JsonNode> key) {
            return dispatch.computeIfAbsent(name, n -> new DispatchMap(ip, types, key)).elements;
        }

        /** Adds one virtual server's piece, as if it had been built into this draft. */
        void merge(TableDraft part) {
            part.chains.values().forEach(chain -> {
                if (chain.hook().isPresent()) {
                    chains.putIfAbsent(chain.name(), chain);
                } else {
                    chains.put(chain.name(), chain);
                }
            });
            sets.putAll(part.sets);
            slotMaps.putAll(part.slotMaps);
            counters.addAll(part.counters);
            part.dispatch.forEach((name, map) -> dispatchMap(name, map.ip, map.types, map.key).addAll(map.elements));
            fwmarks.addAll(part.fwmarks);
            ingressChains.putAll(part.ingressChains);
            nodestMarks.addAll(part.nodestMarks);
            postroutingMasquerade |= part.postroutingMasquerade;
            nodest |= part.nodest;
            untrackedChecks |= part.untrackedChecks;
        }

        NftProgram.Table build() {
            boolean exemptChecks = untrackedChecks && !postroutingMasquerade;
            if (exemptChecks) {
                baseChain(CHECKS_OUT_CHAIN, hook("filter", "output", RAW_PRIORITY, Optional.empty()));
                baseChain(CHECKS_IN_CHAIN, hook("filter", "prerouting", RAW_PRIORITY, Optional.empty()));
            }
            Map<String, List<String>> baseRules = new LinkedHashMap<>();
            chains.values().stream().filter(c -> c.hook().isPresent())
                    .forEach(c -> baseRules.put(c.name(), new ArrayList<>()));
            List<NftProgram.NamedSet> named = new ArrayList<>();
            for (Map.Entry<String, DispatchMap> entry : dispatch.entrySet()) {
                DispatchMap map = entry.getValue();
                ObjectNode definition = F.objectNode();
                definition.set("type", map.types.size() == 1 ? F.textNode(map.types.get(0))
                        : array(map.types.stream().map(t -> (JsonNode) F.textNode(t)).toList()));
                definition.put("map", "verdict");
                named.add(new NftProgram.NamedSet(entry.getKey(), true, definition, map.elements));
                List<JsonNode> rule = new ArrayList<>();
                if (family.equals("netdev")) {
                    rule.add(match(meta("protocol"), F.textNode(map.ip)));
                }
                rule.add(NftJson.fibDaddrIsLocal());
                rule.add(NftJson.vmapNamed(concat(map.key), entry.getKey()));
                String base = family.equals("netdev") ? ingressChainFor(entry.getKey()) : "prerouting";
                baseRules.get(base).add(array(rule).toString());
            }
            if (!fwmarks.isEmpty()) {
                ObjectNode definition = F.objectNode().put("type", "mark").put("map", "verdict");
                named.add(new NftProgram.NamedSet("fwmarks", true, definition, fwmarks));
                baseRules.get("prerouting").add(array(NftJson.vmapNamed(meta("mark"), "fwmarks")).toString());
            }
            if (postroutingMasquerade) {
                baseRules.get("postrouting").add(array(match(and(meta("mark"), F.numberNode(MASQUERADE_MARK)),
                        F.numberNode(MASQUERADE_MARK)), NftJson.object("masquerade", F.nullNode())).toString());
            }
            if (nodest) {
                named.add(new NftProgram.NamedSet(NODEST_SET, false, F.objectNode().put("type", "mark"),
                        nodestMarks));
                JsonNode cut = match(NftJson.ct("mark"), F.textNode("@" + NODEST_SET));
                baseRules.get(NODEST_CHAIN).add(array(match(meta("l4proto"), F.textNode("tcp")), cut, counter(),
                        NftJson.object("reject", F.objectNode().put("type", "tcp reset"))).toString());
                baseRules.get(NODEST_CHAIN).add(array(cut, counter(), NftJson.object("drop", F.nullNode()))
                        .toString());
            }
            if (exemptChecks) {
                exemptChecks(baseRules);
            }
            named.addAll(sets.values());
            List<NftProgram.Chain> built = new ArrayList<>(chains.size());
            for (NftProgram.Chain chain : chains.values()) {
                built.add(chain.hook().isEmpty() ? chain
                        : new NftProgram.Chain(chain.name(), chain.hook(), baseRules.get(chain.name())));
            }
            return new NftProgram.Table(family, built, named, List.copyOf(slotMaps.values()), counters);
        }

        /**
         * The probes of untracked checkers leave with {@link #CHECK_MARK} and skip conntrack; their replies carry no
         * mark, so they are told by the socket the kernel finds for them, which is one of those probes' only when its
         * addresses and ports are: a real server's answer to a NAT'd client goes to the client's address, not a local
         * socket, and stays tracked. The director's checks are not NAT'd (director to real server and back), so
         * conntrack has nothing to do for them. Not with masquerade: it picks source ports among those conntrack
         * knows, so an untracked probe could share a tuple with a masqueraded client's flow.
         */
        private static void exemptChecks(Map<String, List<String>> baseRules) {
            JsonNode mark = F.numberNode(CHECK_MARK);
            JsonNode notrack = NftJson.object("notrack", F.nullNode());
            baseRules.get(CHECKS_OUT_CHAIN).add(array(match(meta("mark"), mark), notrack).toString());
            baseRules.get(CHECKS_IN_CHAIN).add(array(match(meta("l4proto"), F.textNode("tcp")),
                    match(NftJson.object("socket", F.objectNode().put("key", "mark")), mark), notrack).toString());
        }

        private String ingressChainFor(String map) {
            return ingressChains.keySet().stream().filter(base -> map.endsWith(base.substring("ingress".length())))
                    .findFirst().orElseThrow();
        }
    }

    private record DispatchMap(String ip, List<String> types, List<JsonNode> key, List<JsonNode> elements) {
        DispatchMap(String ip, List<String> types, List<JsonNode> key) {
            this(ip, types, key, new ArrayList<>());
        }
    }
}
