package io.quorumvip.replay;

import io.quorumvip.events.Event;
import io.quorumvip.events.EventRecord;
import io.quorumvip.ownership.OwnershipReason;
import io.quorumvip.ownership.RoleInput;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Folds event records into per-node, per-instance state. Pure: every time it knows comes from the records. It is
 * mutable for speed (replay folds millions of records); {@link #view()} gives an immutable copy.
 */
public final class ReplayState {

    private final Map<String, NodeState> nodes = new HashMap<>();

    public static ReplayState of(ClusterView view) {
        ReplayState state = new ReplayState();
        for (NodeView node : view.nodes().values()) {
            state.nodes.put(node.node(), NodeState.of(node));
        }
        return state;
    }

    public void apply(EventRecord record) {
        NodeState node = nodes.computeIfAbsent(record.node(), NodeState::new);
        node.lastSeq = record.seq();
        node.lastHlc = record.hlc();
        node.lastWallMicros = record.wallMicros();
        Event event = record.event();
        switch (event.type()) {
            case AGENT_STARTED -> {
                node.running = true;
                node.instances.values().forEach(InstanceState::restart);
                // The groups start over with their members; the kernel's routes stay until removed.
                node.syncGroups.clear();
            }
            case AGENT_STOPPED -> {
                node.running = false;
                // A clean stop removes the agent's nftables tables: nothing is served any more.
                node.pools.clear();
            }
            case CONFIG_LOADED -> node.configSha256 = ((Event.ConfigLoaded) event).sha256().toHex();
            case VRRP_STATE_CHANGED -> {
                var e = (Event.VrrpStateChanged) event;
                InstanceState instance = node.instance(e.instance());
                instance.vrid = e.vrid();
                instance.state = e.to();
            }
            case EFFECTIVE_PRIORITY_CHANGED -> {
                var e = (Event.EffectivePriorityChanged) event;
                InstanceState instance = node.instance(e.instance());
                instance.basePriority = e.basePriority();
                instance.effectivePriority = e.to();
            }
            case TRACKER_RESULT_CHANGED -> {
                var e = (Event.TrackerResultChanged) event;
                node.trackers.put(e.tracker(), e.healthy());
            }
            case LEASE_REQUESTED -> node.instance(((Event.LeaseRequested) event).instance()).lease = LeaseStatus.REQUESTED;
            case LEASE_ACQUIRED -> {
                InstanceState instance = node.instance(((Event.LeaseAcquired) event).instance());
                instance.lease = LeaseStatus.HELD;
                instance.leaseEpoch = record.leaseEpoch();
            }
            case LEASE_CONFIRMATION_LAPSED ->
                    node.instance(((Event.LeaseConfirmationLapsed) event).instance()).lease = LeaseStatus.LAPSED;
            case LEASE_LOST -> node.instance(((Event.LeaseLost) event).instance()).lease = LeaseStatus.LOST;
            case LEASE_RELEASED -> node.instance(((Event.LeaseReleased) event).instance()).lease = LeaseStatus.RELEASED;
            case VIP_BIND_INTENDED -> node.instance(((Event.VipBindIntended) event).instance());
            case VIP_BOUND -> {
                var e = (Event.VipBound) event;
                node.instance(e.instance()).vips.add(e.address());
            }
            case VIP_RELEASED -> {
                var e = (Event.VipReleased) event;
                node.instance(e.instance()).vips.remove(e.address());
            }
            case FAULT_ENTERED -> node.instance(((Event.FaultEntered) event).instance()).fault = true;
            case FAULT_CLEARED -> node.instance(((Event.FaultCleared) event).instance()).fault = false;
            case NEW_MASTER_SEEN -> {
                var e = (Event.NewMasterSeen) event;
                node.instance(e.instance()).lastMasterSeen = e.address();
            }
            case MALFORMED_PACKET_BURST -> node.malformedPackets += ((Event.MalformedPacketBurst) event).count();
            case OWNERSHIP_DECIDED -> {
                var e = (Event.OwnershipDecided) event;
                node.instance(e.instance()).lastOwnership = e.decision().reason();
            }
            case OPERATOR_ACTION -> node.lastOperatorAction = ((Event.OperatorAction) event).command();
            case REAL_SERVER_UP -> {
                var e = (Event.RealServerUp) event;
                node.pool(e.virtualServer()).downReal.remove(e.realServer());
            }
            case REAL_SERVER_DOWN -> {
                var e = (Event.RealServerDown) event;
                node.pool(e.virtualServer()).downReal.add(e.realServer());
            }
            case POOL_CHANGED -> {
                var e = (Event.PoolChanged) event;
                PoolState pool = node.pool(e.virtualServer());
                pool.generation = e.generation();
                pool.members = e.members();
            }
            case VIRTUAL_SERVER_QUORUM_LOST ->
                    node.pool(((Event.VirtualServerQuorumLost) event).virtualServer()).quorumUp = false;
            case VIRTUAL_SERVER_QUORUM_GAINED ->
                    node.pool(((Event.VirtualServerQuorumGained) event).virtualServer()).quorumUp = true;
            case SORRY_SERVER_IN -> node.pool(((Event.SorryServerIn) event).virtualServer()).sorryServing = true;
            case SORRY_SERVER_OUT -> node.pool(((Event.SorryServerOut) event).virtualServer()).sorryServing = false;
            case SYNC_GROUP_STATE_CHANGED -> {
                var e = (Event.SyncGroupStateChanged) event;
                node.syncGroups.put(e.group(), e.to() + " (" + e.member() + " " + e.memberState() + ")");
            }
            case ROUTING_CHANGED -> {
                var e = (Event.RoutingChanged) event;
                if (e.applied()) {
                    Set<String> entries = node.routing.computeIfAbsent(e.owner(), o -> new TreeSet<>());
                    if (e.added()) {
                        entries.add(e.kind() + " " + e.spec());
                    } else {
                        entries.remove(e.kind() + " " + e.spec());
                    }
                }
            }
        }
    }

    public ClusterView view() {
        Map<String, NodeView> views = new TreeMap<>();
        nodes.forEach((id, node) -> views.put(id, node.view()));
        return new ClusterView(views);
    }

    private static final class NodeState {
        final String node;
        long lastSeq;
        long lastHlc;
        long lastWallMicros;
        boolean running;
        String configSha256 = "";
        long malformedPackets;
        String lastOperatorAction = "";
        final Map<String, Boolean> trackers = new TreeMap<>();
        final Map<String, InstanceState> instances = new TreeMap<>();
        final Map<String, PoolState> pools = new TreeMap<>();
        final Map<String, String> syncGroups = new TreeMap<>();
        final Map<String, Set<String>> routing = new TreeMap<>();

        NodeState(String node) {
            this.node = node;
        }

        static NodeState of(NodeView view) {
            NodeState state = new NodeState(view.node());
            state.lastSeq = view.lastSeq();
            state.lastHlc = view.lastHlc();
            state.lastWallMicros = view.lastWallMicros();
            state.running = view.running();
            state.configSha256 = view.configSha256();
            state.malformedPackets = view.malformedPackets();
            state.lastOperatorAction = view.lastOperatorAction();
            state.trackers.putAll(view.trackersHealthy());
            view.instances().values().forEach(i -> state.instances.put(i.name(), InstanceState.of(i)));
            view.pools().forEach((name, pool) -> state.pools.put(name, PoolState.of(pool)));
            state.syncGroups.putAll(view.syncGroups());
            view.routing().forEach((owner, entries) -> state.routing.put(owner, new TreeSet<>(entries)));
            return state;
        }

        InstanceState instance(String name) {
            return instances.computeIfAbsent(name, InstanceState::new);
        }

        PoolState pool(String virtualServer) {
            return pools.computeIfAbsent(virtualServer, v -> new PoolState());
        }

        NodeView view() {
            Map<String, InstanceView> views = new TreeMap<>();
            instances.forEach((name, instance) -> views.put(name, instance.view()));
            Map<String, PoolView> poolViews = new TreeMap<>();
            pools.forEach((name, pool) -> poolViews.put(name, pool.view()));
            Map<String, List<String>> routingViews = new TreeMap<>();
            routing.forEach((owner, entries) -> {
                if (!entries.isEmpty()) {
                    routingViews.put(owner, List.copyOf(entries));
                }
            });
            return new NodeView(node, lastSeq, lastHlc, lastWallMicros, running, configSha256, malformedPackets, lastOperatorAction,
                    trackers, views, poolViews, syncGroups, routingViews);
        }
    }

    private static final class InstanceState {
        final String name;
        int vrid;
        RoleInput state = RoleInput.INITIALIZE;
        int basePriority;
        int effectivePriority;
        LeaseStatus lease = LeaseStatus.NONE;
        long leaseEpoch;
        boolean fault;
        final TreeSet<String> vips = new TreeSet<>();
        String lastMasterSeen = "";
        OwnershipReason lastOwnership = OwnershipReason.NOT_MASTER;

        InstanceState(String name) {
            this.name = name;
        }

        static InstanceState of(InstanceView view) {
            InstanceState state = new InstanceState(view.name());
            state.vrid = view.vrid();
            state.state = view.state();
            state.basePriority = view.basePriority();
            state.effectivePriority = view.effectivePriority();
            state.lease = view.lease();
            state.leaseEpoch = view.leaseEpoch();
            state.fault = view.fault();
            state.vips.addAll(view.vips());
            state.lastMasterSeen = view.lastMasterSeen();
            state.lastOwnership = view.lastOwnershipDecision();
            return state;
        }

        /** A new agent process knows nothing of the old one's role or lease; it records what it finds. */
        void restart() {
            state = RoleInput.INITIALIZE;
            lease = LeaseStatus.NONE;
            fault = false;
            lastOwnership = OwnershipReason.NOT_MASTER;
        }

        InstanceView view() {
            return new InstanceView(name, vrid, state, basePriority, effectivePriority, lease, leaseEpoch, fault,
                    !vips.isEmpty(), new ArrayList<>(vips), lastMasterSeen, lastOwnership);
        }
    }

    private static final class PoolState {
        long generation;
        List<Event.PoolMemberEntry> members = List.of();
        boolean quorumUp = true;
        boolean sorryServing;
        final TreeSet<String> downReal = new TreeSet<>();

        static PoolState of(PoolView view) {
            PoolState state = new PoolState();
            state.generation = view.generation();
            state.members = view.members();
            state.quorumUp = view.quorumUp();
            state.sorryServing = view.sorryServing();
            state.downReal.addAll(view.downReal());
            return state;
        }

        PoolView view() {
            return new PoolView(generation, members, quorumUp, sorryServing, new ArrayList<>(downReal));
        }
    }
}
