package io.quorumvip.agent;

import io.quorumvip.agent.net.AddressManager;
import io.quorumvip.agent.vip.VipEffector;
import io.quorumvip.instance.InstanceEffect;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * The kernel-lifetime renewals of bound addresses that the instances ask for in one event-loop task, sent to the
 * kernel together at the end of it: the instances whose renewals fall due together (one calendar wake-up, one
 * answer of the prover stepped into them) cost one netlink batch instead of a round trip or two each. A renewal's
 * answer ({@link io.quorumvip.instance.InstanceInput.BindDone}) comes back a task later; the core waits for it as
 * for any bind, and sends no other address effect meanwhile. A first bind does not wait here (it is announced and
 * journaled as gained at once).
 *
 * <p>The clock is read right before each netlink batch and every lifetime is computed from that reading
 * ({@link InstanceEffect.Bind#lifetimeAt}), as a single bind does; a batch holds at most {@link #BATCH_ADDRESSES}
 * addresses, so the time between that reading and the kernel's handling of the last request stays the time to
 * build and send one batch. Used on the agent's context only.
 */
final class RenewalBatch {

    /** Addresses per netlink batch at most (two requests each). */
    static final int BATCH_ADDRESSES = 64;

    /** Where a renewal's outcome goes: the lifetime programmed (0: none, too little left), or a failure. */
    interface Answer {
        void renewed(long seconds, boolean all);
    }

    private record Renewal(VipEffector vips, InstanceEffect.Bind bind, Answer answer) {
    }

    private final Executor endOfTask;
    private final AddressManager addresses;
    private final LongSupplier monotonicNanos;
    private List<Renewal> pending = new ArrayList<>();

    /** @param endOfTask runs a task after the current one on the agent's context */
    RenewalBatch(Executor endOfTask, AddressManager addresses, LongSupplier monotonicNanos) {
        this.endOfTask = endOfTask;
        this.addresses = addresses;
        this.monotonicNanos = monotonicNanos;
    }

    /** Renews {@code vips}' addresses as {@code bind} asks, at the end of the current task. */
    void renew(VipEffector vips, InstanceEffect.Bind bind, Answer answer) {
        if (bind.lifetimeSeconds().isEmpty()) {
            throw new IllegalArgumentException("renewal of " + vips.vips() + " without a lifetime (expected a "
                    + "lifetime: an address bound forever is never renewed)");
        }
        if (pending.isEmpty()) {
            endOfTask.execute(this::flush);
        }
        pending.add(new Renewal(vips, bind, answer));
    }

    private void flush() {
        List<Renewal> due = pending;
        pending = new ArrayList<>();
        int from = 0;
        while (from < due.size()) {
            int to = from;
            int count = 0;
            do {
                count += due.get(to).vips().vips().size();
                to++;
            } while (to < due.size() && count + due.get(to).vips().vips().size() <= BATCH_ADDRESSES);
            send(due.subList(from, to));
            from = to;
        }
    }

    private void send(List<Renewal> batch) {
        long now = monotonicNanos.getAsLong();
        List<Renewal> sent = new ArrayList<>();
        List<Optional<Duration>> lifetimes = new ArrayList<>();
        List<AddressManager.Request> requests = new ArrayList<>();
        for (Renewal renewal : batch) {
            long seconds = renewal.bind().lifetimeAt(now);
            if (seconds < 1) {
                renewal.answer().renewed(0, true);
                continue;
            }
            Optional<Duration> lifetime = Optional.of(Duration.ofSeconds(seconds));
            sent.add(renewal);
            lifetimes.add(lifetime);
            requests.addAll(renewal.vips().requests(lifetime));
        }
        if (requests.isEmpty()) {
            return;
        }
        List<AddressManager.Outcome> outcomes = addresses.addOrRenewAll(requests);
        int at = 0;
        for (int i = 0; i < sent.size(); i++) {
            Renewal renewal = sent.get(i);
            int size = renewal.vips().vips().size();
            boolean all = renewal.vips().applied(outcomes.subList(at, at + size), lifetimes.get(i),
                    renewal.bind().cause());
            at += size;
            renewal.answer().renewed(lifetimes.get(i).orElseThrow().toSeconds(), all);
        }
    }
}
