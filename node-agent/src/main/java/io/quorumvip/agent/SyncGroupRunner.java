package io.quorumvip.agent;

import io.quorumvip.agent.journal.AgentJournal;
import io.quorumvip.agent.script.Notifier;
import io.quorumvip.events.Cause;
import io.quorumvip.events.Event;
import io.quorumvip.instance.InstanceCore;
import io.quorumvip.instance.InstanceInput;
import io.quorumvip.instance.SyncGroupCore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One vrrp_sync_group at run time: relays between its {@link SyncGroupCore} and the members' runners, on the
 * agent's event loop. A member hands its view after each step; the group's outputs are asked for one at a time
 * and fed, so each is computed from the latest views (a re-entrant call only marks more work for the loop). The
 * group's state changes are journaled with the member change that made them.
 */
final class SyncGroupRunner {

    private static final Logger log = LoggerFactory.getLogger(SyncGroupRunner.class);

    private final SyncGroupCore core;
    private final Notifier notifier;
    private final LongSupplier monotonicNanos;
    private final AgentJournal journal;
    private final Map<String, InstanceRunner> members = new LinkedHashMap<>();
    private boolean draining;

    SyncGroupRunner(SyncGroupCore core, Notifier notifier, LongSupplier monotonicNanos, AgentJournal journal) {
        this.core = core;
        this.notifier = notifier;
        this.monotonicNanos = monotonicNanos;
        this.journal = journal;
    }

    String name() {
        return core.name();
    }

    Optional<String> state() {
        return core.state();
    }

    /** Joins a member's runner; all members join before any starts. */
    void join(InstanceRunner runner) {
        members.put(runner.name(), runner);
        runner.joinGroup(this);
    }

    /** Before the members start: closed gates and holds, so none owns alone. */
    void beforeStart() {
        members.values().forEach(InstanceRunner::create);
        core.beforeStart().forEach(this::feed);
    }

    /** A member was stepped. */
    void observed(String member, InstanceCore.MemberView view) {
        core.observed(member, view).forEach(this::feed);
    }

    /** Feeds what the group says until it says nothing more. */
    void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            for (Optional<SyncGroupCore.Output> next = core.next(monotonicNanos.getAsLong()); next.isPresent();
                 next = core.next(monotonicNanos.getAsLong())) {
                if (next.get() instanceof SyncGroupCore.Feed feed) {
                    feed(feed);
                } else if (next.get() instanceof SyncGroupCore.Notify notify) {
                    log.atInfo().setMessage("sync group state changed").addKeyValue("group", core.name())
                            .addKeyValue("state", notify.state()).addKeyValue("member", notify.member())
                            .addKeyValue("member_state", notify.memberState()).log();
                    journal.record(Cause.NONE, new Event.SyncGroupStateChanged(core.name(), notify.from(),
                            notify.state(), notify.member(), notify.memberState().name()));
                    notifier.entered(notify.state(), 0);
                }
            }
        } finally {
            draining = false;
        }
    }

    private void feed(SyncGroupCore.Feed feed) {
        InstanceInput input = feed.input();
        members.get(feed.member()).relay(input);
    }
}
