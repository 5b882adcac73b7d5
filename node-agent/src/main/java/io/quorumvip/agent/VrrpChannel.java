package io.quorumvip.agent;

import io.quorumvip.agent.http.AgentMetrics;
import io.quorumvip.agent.journal.AgentJournal;
import io.quorumvip.agent.net.VrrpTransport;
import io.quorumvip.events.Cause;
import io.quorumvip.events.CauseKind;
import io.quorumvip.events.Event;
import io.quorumvip.vrrp.DropReason;
import io.quorumvip.vrrp.DropLogThrottle;
import io.quorumvip.vrrp.VrrpCodec;
import io.quorumvip.vrrp.VrrpDecodeResult;
import io.quorumvip.vrrp.VrrpDrop;
import io.quorumvip.vrrp.VrrpExpectations;
import io.quorumvip.vrrp.VrrpPacket;
import io.vertx.core.Context;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One raw VRRP socket and the instances that share it (same interface, same source address and peers). A dedicated
 * thread receives datagrams, decodes and validates them with the pure codec, counts and throttles what it drops, and
 * hands each valid advert to its instance on the agent's event loop. A bad packet never leaves this loop as an
 * exception. Several channels on one interface all receive every VRRP datagram there; each dispatches only the VRIDs
 * it carries, and validates against every VRID of the interface so a sibling's traffic is not counted as unknown.
 * After each wait it takes every datagram already queued on the socket and hands their adverts to the event loop in
 * one task: a hand-off costs two thread wake-ups, far more than the step it carries (docs/benchmarks.md).
 */
final class VrrpChannel implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(VrrpChannel.class);
    private static final int RECEIVE_TIMEOUT_MILLIS = 250;
    /** Datagrams taken from the socket without waiting before their adverts go to the event loop. */
    private static final int MAX_BATCH = 256;

    /** A valid advert for one of the channel's instances, with the time its socket received it. */
    private record Received(InstanceRunner runner, VrrpPacket advert, long receivedNanos) {
    }

    private final String device;
    private final VrrpTransport transport;
    private volatile VrrpExpectations interfaceExpectations;
    private final Map<Integer, InstanceRunner> runners;
    private final Context context;
    private final AgentMetrics metrics;
    private final DropLogThrottle throttle = new DropLogThrottle(3, TimeUnit.SECONDS.toNanos(10));
    private final AgentJournal journal;
    private final long[] unjournaledDrops = new long[DropReason.values().length];
    private final Thread receiver;
    private volatile boolean running;

    VrrpChannel(String device, VrrpTransport transport, VrrpExpectations interfaceExpectations,
                Map<Integer, InstanceRunner> runners, Context context, AgentMetrics metrics, AgentJournal journal) {
        this.device = device;
        this.transport = transport;
        this.interfaceExpectations = interfaceExpectations;
        this.runners = new ConcurrentHashMap<>(runners);
        this.context = context;
        this.metrics = metrics;
        this.journal = journal;
        this.receiver = new Thread(this::receiveLoop, "vrrp-rx-" + device);
        this.receiver.setDaemon(true);
    }

    VrrpTransport transport() {
        return transport;
    }

    String device() {
        return device;
    }

    /** The instance stopped (a reload removed or changed it): its adverts are no longer handed to it. */
    void forget(int vrid, InstanceRunner runner) {
        runners.remove(vrid, runner);
    }

    /** After a reload: validate against the VRIDs of the interface as the new configuration has them. */
    void expect(VrrpExpectations expectations) {
        interfaceExpectations = expectations;
    }

    void start() {
        running = true;
        receiver.start();
    }

    @Override
    public void close() {
        running = false;
        transport.close();
        try {
            receiver.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void receiveLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(65_535);
        List<Received> batch = new ArrayList<>();
        while (running) {
            try {
                int timeout = RECEIVE_TIMEOUT_MILLIS;
                long now = System.nanoTime();
                while (running && batch.size() < MAX_BATCH) {
                    buffer.clear();
                    int length = transport.receive(buffer, timeout);
                    now = System.nanoTime();
                    if (length <= 0) {
                        break;
                    }
                    buffer.flip();
                    handle(VrrpCodec.decode(buffer, interfaceExpectations), now, batch);
                    timeout = 0;
                }
                handOff(batch);
                List<String> summaries = throttle.summariesDue(now);
                if (!summaries.isEmpty()) {
                    summaries.forEach(line -> log.atWarn().setMessage(line).addKeyValue("interface", device).log());
                    journalPendingDrops();
                }
            } catch (IOException e) {
                handOff(batch);
                if (running) {
                    log.atError().setMessage("VRRP receive failed").addKeyValue("interface", device)
                            .addKeyValue("error", e.getMessage()).log();
                    sleepBeforeRetry();
                }
            } catch (RuntimeException e) {
                handOff(batch);
                log.atError().setMessage("VRRP packet handling failed; packet dropped").addKeyValue("interface", device)
                        .setCause(e).log();
            }
        }
    }

    private void handle(VrrpDecodeResult result, long now, List<Received> batch) {
        if (result instanceof VrrpDrop drop) {
            metrics.packetDropped(device, drop.reason().name());
            unjournaledDrops[drop.reason().ordinal()]++;
            throttle.admit(drop, now).ifPresent(line -> {
                log.atWarn().setMessage(line).addKeyValue("interface", device).log();
                journalDrops(drop.reason());
            });
            return;
        }
        VrrpPacket advert = (VrrpPacket) result;
        InstanceRunner runner = runners.get(advert.vrid());
        if (runner != null) {
            batch.add(new Received(runner, advert, now));
        }
    }

    /** One event-loop task for the adverts received since the last one, in the order they came. */
    private void handOff(List<Received> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<Received> adverts = List.copyOf(batch);
        batch.clear();
        context.runOnContext(v -> {
            for (Received received : adverts) {
                VrrpPacket advert = received.advert();
                try {
                    received.runner().onAdvert(advert.source(), advert.priority(), advert.advertIntervalCentis(),
                            received.receivedNanos());
                } catch (RuntimeException e) {
                    // Each advert was a task of its own before: one instance's failure must not drop the others'.
                    log.atError().setMessage("advert handling failed; the other adverts of its batch go on")
                            .addKeyValue("interface", device).addKeyValue("instance", received.runner().name())
                            .setCause(e).log();
                }
            }
        });
    }

    /** Malformed input is journaled at the throttle's pace, each record counting the drops since the last one. */
    private void journalDrops(DropReason reason) {
        long count = unjournaledDrops[reason.ordinal()];
        if (count > 0) {
            unjournaledDrops[reason.ordinal()] = 0;
            journal.record(new Cause(CauseKind.PACKET, reason.name(), count),
                    new Event.MalformedPacketBurst(device, reason.name(), count));
        }
    }

    private void journalPendingDrops() {
        for (DropReason reason : DropReason.values()) {
            journalDrops(reason);
        }
    }

    private static void sleepBeforeRetry() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
