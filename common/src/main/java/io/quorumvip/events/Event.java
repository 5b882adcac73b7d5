package io.quorumvip.events;

import io.quorumvip.ownership.OwnershipDecision;
import io.quorumvip.ownership.OwnershipInputs;
import io.quorumvip.ownership.RoleInput;
import java.util.List;
import java.util.Objects;

/**
 * Every transition a node records. The envelope ({@link EventRecord}) carries who, when, the lease epoch and the
 * cause; these records carry only what changed. Lease events take their epoch from the envelope.
 */
public sealed interface Event {

    EventType type();

    /** The agent process started. */
    record AgentStarted(String version) implements Event {
        public AgentStarted {
            Objects.requireNonNull(version, "version");
        }

        @Override
        public EventType type() {
            return EventType.AGENT_STARTED;
        }
    }

    /** The agent process stops (graceful path only: a crash leaves no event, replay sees the gap). */
    record AgentStopped(String reason) implements Event {
        public AgentStopped {
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public EventType type() {
            return EventType.AGENT_STOPPED;
        }
    }

    /**
     * The configuration was read again (SIGHUP). {@code applied}: the new text is in force (its hash), else the
     * running one goes on and {@code detail} says why. The instance names say what changed against the running
     * configuration: only unchanged instances kept running untouched.
     */
    record ConfigReloaded(String path, Hash256 sha256, boolean applied, String detail, List<String> added,
                          List<String> removed, List<String> changed, List<String> unchanged) implements Event {
        public ConfigReloaded {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(sha256, "sha256");
            Objects.requireNonNull(detail, "detail");
            added = List.copyOf(added);
            removed = List.copyOf(removed);
            changed = List.copyOf(changed);
            unchanged = List.copyOf(unchanged);
        }

        @Override
        public EventType type() {
            return EventType.CONFIG_RELOADED;
        }
    }

    /** A configuration file was loaded; the hash says exactly which text was in force. */
    record ConfigLoaded(String path, Hash256 sha256) implements Event {
        public ConfigLoaded {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(sha256, "sha256");
        }

        @Override
        public EventType type() {
            return EventType.CONFIG_LOADED;
        }
    }

    /** The VRRP role of an instance changed; the envelope's cause says why (advert, timer, priority, shutdown). */
    record VrrpStateChanged(String instance, int vrid, RoleInput from, RoleInput to) implements Event {
        public VrrpStateChanged {
            Objects.requireNonNull(instance, "instance");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }

        @Override
        public EventType type() {
            return EventType.VRRP_STATE_CHANGED;
        }
    }

    /** The priority this instance advertises changed (tracker weights applied to the configured priority). */
    record EffectivePriorityChanged(String instance, int basePriority, int from, int to) implements Event {
        public EffectivePriorityChanged {
            Objects.requireNonNull(instance, "instance");
        }

        @Override
        public EventType type() {
            return EventType.EFFECTIVE_PRIORITY_CHANGED;
        }
    }

    /** A health tracker (script, interface, process) changed result. */
    record TrackerResultChanged(String tracker, boolean healthy, String detail) implements Event {
        public TrackerResultChanged {
            Objects.requireNonNull(tracker, "tracker");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public EventType type() {
            return EventType.TRACKER_RESULT_CHANGED;
        }
    }

    /** The node started contending for the instance's lease (it became VRRP MASTER). */
    record LeaseRequested(String instance, long sessionId) implements Event {
        public LeaseRequested {
            Objects.requireNonNull(instance, "instance");
        }

        @Override
        public EventType type() {
            return EventType.LEASE_REQUESTED;
        }
    }

    /** The node holds the lease; the envelope's epoch is the fencing number. */
    record LeaseAcquired(String instance, long sessionId, long validUntilNanos) implements Event {
        public LeaseAcquired {
            Objects.requireNonNull(instance, "instance");
        }

        @Override
        public EventType type() {
            return EventType.LEASE_ACQUIRED;
        }
    }

    /** The lease could not be confirmed in time: it is no longer provably valid, though not known lost. */
    record LeaseConfirmationLapsed(String instance, long sessionId, long validUntilNanos) implements Event {
        public LeaseConfirmationLapsed {
            Objects.requireNonNull(instance, "instance");
        }

        @Override
        public EventType type() {
            return EventType.LEASE_CONFIRMATION_LAPSED;
        }
    }

    /** The lease is gone (session expired, latch node deleted). */
    record LeaseLost(String instance, long sessionId) implements Event {
        public LeaseLost {
            Objects.requireNonNull(instance, "instance");
        }

        @Override
        public EventType type() {
            return EventType.LEASE_LOST;
        }
    }

    /** The node gave the lease up on purpose (left MASTER, shut down). */
    record LeaseReleased(String instance, long sessionId) implements Event {
        public LeaseReleased {
            Objects.requireNonNull(instance, "instance");
        }

        @Override
        public EventType type() {
            return EventType.LEASE_RELEASED;
        }
    }

    /** Written ahead, durably, before the address is added: the node is about to gain the VIP. */
    record VipBindIntended(String instance, String address, int lifetimeSeconds) implements Event {
        public VipBindIntended {
            Objects.requireNonNull(instance, "instance");
            Objects.requireNonNull(address, "address");
        }

        @Override
        public EventType type() {
            return EventType.VIP_BIND_INTENDED;
        }
    }

    /** The kernel holds the address with the given valid lifetime. */
    record VipBound(String instance, String address, int lifetimeSeconds) implements Event {
        public VipBound {
            Objects.requireNonNull(instance, "instance");
            Objects.requireNonNull(address, "address");
        }

        @Override
        public EventType type() {
            return EventType.VIP_BOUND;
        }
    }

    /**
     * The address is gone. Either the agent removed it ({@code lifetimeEndedMicros == 0}), or the agent found that
     * the kernel had already removed it on its own because its lifetime ran out: then {@code lifetimeEndedMicros} is
     * when that lifetime ended (wall µs since 1970, on this node's clock), which can be long before this record
     * when the agent was frozen.
     */
    record VipReleased(String instance, String address, long lifetimeEndedMicros) implements Event {
        public VipReleased {
            Objects.requireNonNull(instance, "instance");
            Objects.requireNonNull(address, "address");
            if (lifetimeEndedMicros < 0) {
                throw new IllegalArgumentException("VipReleased " + address + ": lifetime ended at "
                        + lifetimeEndedMicros + " µs (expected 0 = removed by the agent, or a time since 1970)");
            }
        }

        /** Removed by the agent itself. */
        public VipReleased(String instance, String address) {
            this(instance, address, 0);
        }

        /** Whether the kernel had removed it already, when its lifetime ended. */
        public boolean removedByKernel() {
            return lifetimeEndedMicros > 0;
        }

        @Override
        public EventType type() {
            return EventType.VIP_RELEASED;
        }
    }

    record FaultEntered(String instance, String reason) implements Event {
        public FaultEntered {
            Objects.requireNonNull(instance, "instance");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public EventType type() {
            return EventType.FAULT_ENTERED;
        }
    }

    record FaultCleared(String instance) implements Event {
        public FaultCleared {
            Objects.requireNonNull(instance, "instance");
        }

        @Override
        public EventType type() {
            return EventType.FAULT_CLEARED;
        }
    }

    /**
     * A vrrp_sync_group as a whole entered {@code to} (MASTER: every member is; FAULT: any member is; BACKUP
     * otherwise) from {@code from} (empty the first time), because its member {@code member} entered
     * {@code memberState}: the group's notify scripts run on this.
     */
    record SyncGroupStateChanged(String group, String from, String to, String member, String memberState)
            implements Event {
        public SyncGroupStateChanged {
            Objects.requireNonNull(group, "group");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(member, "member");
            Objects.requireNonNull(memberState, "memberState");
        }

        @Override
        public EventType type() {
            return EventType.SYNC_GROUP_STATE_CHANGED;
        }
    }

    /**
     * A route or policy rule went into the kernel ({@code added}) or out of it, with an instance's VIPs
     * ({@code virtual_routes}, {@code virtual_rules}; owner = the instance) or with the agent ({@code static_routes},
     * {@code static_rules}; owner = "static"). {@code error} is empty when the kernel did it, else why it did not.
     *
     * @param kind "route" or "rule"
     * @param spec the entry as written in the configuration
     */
    record RoutingChanged(String owner, String kind, String spec, boolean added, String error) implements Event {
        public RoutingChanged {
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(spec, "spec");
            Objects.requireNonNull(error, "error");
        }

        public boolean applied() {
            return error.isEmpty();
        }

        @Override
        public EventType type() {
            return EventType.ROUTING_CHANGED;
        }
    }

    /** An operator asked for something (reload, release, drain); the argument is the command's target. */
    record OperatorAction(String command, String argument) implements Event {
        public OperatorAction {
            Objects.requireNonNull(command, "command");
            Objects.requireNonNull(argument, "argument");
        }

        @Override
        public EventType type() {
            return EventType.OPERATOR_ACTION;
        }
    }

    /** Malformed packets dropped since the last burst event, for one reason (one event per burst, not per packet). */
    record MalformedPacketBurst(String interfaceName, String reason, long count) implements Event {
        public MalformedPacketBurst {
            Objects.requireNonNull(interfaceName, "interfaceName");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public EventType type() {
            return EventType.MALFORMED_PACKET_BURST;
        }
    }

    /** Adverts now come from a different master. */
    record NewMasterSeen(String instance, String address, int priority) implements Event {
        public NewMasterSeen {
            Objects.requireNonNull(instance, "instance");
            Objects.requireNonNull(address, "address");
        }

        @Override
        public EventType type() {
            return EventType.NEW_MASTER_SEEN;
        }
    }

    /** The ownership rule ran: its inputs and output, so replay can run it again and compare. */
    record OwnershipDecided(String instance, OwnershipInputs inputs, OwnershipDecision decision) implements Event {
        public OwnershipDecided {
            Objects.requireNonNull(instance, "instance");
            Objects.requireNonNull(inputs, "inputs");
            Objects.requireNonNull(decision, "decision");
        }

        @Override
        public EventType type() {
            return EventType.OWNERSHIP_DECIDED;
        }
    }

    /**
     * What a health check found when a real server's verdict changed, as the journal keeps it.
     *
     * @param checker     the checker block ({@code TCP_CHECK}, {@code HTTP_GET}, ...)
     * @param detail      in words: "connect refused", "HTTP 503", "exit code 1"
     * @param statusCode  the HTTP status, or -1
     * @param exitCode    the MISC_CHECK exit code, or -1
     * @param consecutive how many results in a row led to the change (retry+1 for a failure)
     */
    record CheckEvidence(String checker, String detail, int statusCode, int exitCode, long latencyMicros,
                         int consecutive) {
        public CheckEvidence {
            Objects.requireNonNull(checker, "checker");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** A real server's checks (ANDed) say it is alive again. */
    record RealServerUp(String virtualServer, String realServer, CheckEvidence evidence) implements Event {
        public RealServerUp {
            Objects.requireNonNull(virtualServer, "virtualServer");
            Objects.requireNonNull(realServer, "realServer");
            Objects.requireNonNull(evidence, "evidence");
        }

        @Override
        public EventType type() {
            return EventType.REAL_SERVER_UP;
        }
    }

    /** A real server failed its checks: it leaves the pool (or stays with weight 0 under inhibit_on_failure). */
    record RealServerDown(String virtualServer, String realServer, CheckEvidence evidence) implements Event {
        public RealServerDown {
            Objects.requireNonNull(virtualServer, "virtualServer");
            Objects.requireNonNull(realServer, "realServer");
            Objects.requireNonNull(evidence, "evidence");
        }

        @Override
        public EventType type() {
            return EventType.REAL_SERVER_DOWN;
        }
    }

    /** One destination of a pool: {@code endpoint} ({@code 192.0.2.51:80}) with its weight. */
    record PoolMemberEntry(String endpoint, int weight, boolean sorry) {
        public PoolMemberEntry {
            Objects.requireNonNull(endpoint, "endpoint");
        }
    }

    /**
     * The pool of a virtual server as applied to the data plane, whole, with the number of the nftables transaction
     * that applied it (generations count up per agent run).
     */
    record PoolChanged(String virtualServer, long generation, java.util.List<PoolMemberEntry> members)
            implements Event {
        public PoolChanged {
            Objects.requireNonNull(virtualServer, "virtualServer");
            members = java.util.List.copyOf(members);
        }

        @Override
        public EventType type() {
            return EventType.POOL_CHANGED;
        }
    }

    /** The live weight of a virtual server fell below its quorum (minus hysteresis): quorum_down runs. */
    record VirtualServerQuorumLost(String virtualServer, long liveWeight, long threshold) implements Event {
        public VirtualServerQuorumLost {
            Objects.requireNonNull(virtualServer, "virtualServer");
        }

        @Override
        public EventType type() {
            return EventType.VIRTUAL_SERVER_QUORUM_LOST;
        }
    }

    /** The live weight reached quorum (plus hysteresis) again: quorum_up runs. */
    record VirtualServerQuorumGained(String virtualServer, long liveWeight, long threshold) implements Event {
        public VirtualServerQuorumGained {
            Objects.requireNonNull(virtualServer, "virtualServer");
        }

        @Override
        public EventType type() {
            return EventType.VIRTUAL_SERVER_QUORUM_GAINED;
        }
    }

    /** The sorry server started serving in place of the pool. */
    record SorryServerIn(String virtualServer, String sorryServer) implements Event {
        public SorryServerIn {
            Objects.requireNonNull(virtualServer, "virtualServer");
            Objects.requireNonNull(sorryServer, "sorryServer");
        }

        @Override
        public EventType type() {
            return EventType.SORRY_SERVER_IN;
        }
    }

    /** The sorry server stopped serving: the real servers are back. */
    record SorryServerOut(String virtualServer, String sorryServer) implements Event {
        public SorryServerOut {
            Objects.requireNonNull(virtualServer, "virtualServer");
            Objects.requireNonNull(sorryServer, "sorryServer");
        }

        @Override
        public EventType type() {
            return EventType.SORRY_SERVER_OUT;
        }
    }
}
