package io.quorumvip.agent.lease;

import io.quorumvip.instance.InstanceInput;
import io.quorumvip.lease.LeaseTiming;
import io.quorumvip.lease.PipelinedConfirmation;
import io.quorumvip.lease.SilentServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.AsyncCallback;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooKeeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's one proof that its ZooKeeper session lives, for every instance at once (docs/safety.md): every
 * period it sends {@code sync} (answered only through the ZooKeeper leader) and {@code exists} on the base path,
 * back to back ({@link PipelinedConfirmation}), reading the monotonic clock before; an {@code exists} answered after
 * an OK {@code sync}, on the same session, is an {@link InstanceInput.ConfirmationAnswered} for every instance. It
 * also reports the session itself: CONNECTED/RECONNECTED as {@link InstanceInput.SessionStarted}, LOST as
 * {@link InstanceInput.SessionLost}.
 * ZooKeeper requests per node stay two per period whatever the number of instances.
 *
 * <p>When the server the client is connected to leaves a confirmation unanswered for long
 * ({@link SilentServer}: 1 s at S = 4 to 6 s), the prover moves the session to the next server of the ensemble
 * ({@link ServerSwitch}) instead of waiting for the client's read timeout of two thirds of S. The session stays the
 * same; answers still count only on the session they were sent on.
 */
public final class SessionProver implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SessionProver.class);

    private final CuratorFramework curator;
    private final String probePath;
    private final Duration ensembleTick;
    private final Duration period;
    private final LongSupplier monotonicNanos;
    private final ScheduledExecutorService thread;
    private final ServerSwitch servers;
    /** Fed from the lease thread and from ZooKeeper's event thread (answers). */
    private final SilentServer silence;
    private final List<Consumer<InstanceInput>> instances = new CopyOnWriteArrayList<>();
    private final ConnectionStateListener connectionListener = (client, state) -> connectionChanged(state);
    private final AsyncCallback.VoidCallback syncAnswered = (code, path, confirmation) ->
            ((PipelinedConfirmation) confirmation).syncAnswered(code == KeeperException.Code.OK.intValue());
    private final AsyncCallback.StatCallback existsAnswered = (code, path, confirmation, stat) ->
            existsAnswered((PipelinedConfirmation) confirmation, code);
    private volatile ScheduledFuture<?> ticks;

    SessionProver(CuratorFramework curator, String probePath, Duration ensembleTick, Duration period,
                  LongSupplier monotonicNanos, ScheduledExecutorService thread, ServerSwitch servers) {
        this.curator = curator;
        this.ensembleTick = ensembleTick;
        this.servers = servers;
        this.silence = new SilentServer(period);
        this.probePath = probePath;
        this.period = period;
        this.monotonicNanos = monotonicNanos;
        this.thread = thread;
    }

    /**
     * Adds a listener: it hears of the session and of every answered confirmation from now on. The agent registers
     * one listener that hands each input to all its instances in one event-loop task.
     */
    public void register(Consumer<InstanceInput> instance) {
        instances.add(instance);
        if (ticks != null) {
            // Registered after start (a reload started instances): CONNECTED came before, so tell this one now.
            thread.execute(() -> announceSession(List.of(instance)));
        }
    }

    /** Removes a listener: its instances stopped. */
    public void unregister(Consumer<InstanceInput> instance) {
        instances.remove(instance);
    }

    public void start() {
        curator.getConnectionStateListenable().addListener(connectionListener, thread);
        // The client may have connected before this prover existed; CONNECTED will not come again.
        thread.execute(this::connected);
        ticks = thread.scheduleAtFixedRate(this::confirm, period.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void connectionChanged(ConnectionState state) {
        log.info("ZooKeeper connection {}", state);
        if (state == ConnectionState.CONNECTED || state == ConnectionState.RECONNECTED) {
            connected();
        } else {
            synchronized (silence) {
                silence.disconnected();
            }
            if (state == ConnectionState.LOST) {
                broadcast(new InstanceInput.SessionLost());
            }
        }
    }

    private void connected() {
        if (curator.getZookeeperClient().isConnected()) {
            negotiatedTimeout().ifPresent(this::watchSilence);
        }
        announceSession(instances);
    }

    private void watchSilence(Duration negotiated) {
        synchronized (silence) {
            try {
                silence.connected(LeaseTiming.of(negotiated, ensembleTick));
            } catch (IllegalArgumentException e) {
                // The core refuses such a session too; with no validity there is nothing to move for.
                silence.disconnected();
                log.warn("not watching the ZooKeeper server for silence: {}", e.getMessage());
            }
        }
    }

    private Optional<Duration> negotiatedTimeout() {
        try {
            ZooKeeper zooKeeper = curator.getZookeeperClient().getZooKeeper();
            return zooKeeper.getSessionTimeout() > 0
                    ? Optional.of(Duration.ofMillis(zooKeeper.getSessionTimeout())) : Optional.empty();
        } catch (Exception e) {
            log.warn("cannot read the ZooKeeper session timeout: {}", e.toString());
            return Optional.empty();
        }
    }

    private void announceSession(List<Consumer<InstanceInput>> to) {
        long id = currentSessionId();
        if (id == 0 || !curator.getZookeeperClient().isConnected()) {
            return;
        }
        negotiatedTimeout().ifPresent(timeout -> {
            InstanceInput started = new InstanceInput.SessionStarted(id, timeout.toNanos(), ensembleTick.toNanos());
            to.forEach(listener -> listener.accept(started));
        });
    }

    /**
     * One confirmation: {@code sync} and {@code exists} back to back on ZooKeeper's own asynchronous API (no Curator
     * builders, tracers or retries: a confirmation lost with its connection is simply not answered, and the next
     * period sends afresh). The answer must come through the leader and on the session it was sent on.
     */
    private void confirm() {
        ZooKeeper zooKeeper;
        try {
            zooKeeper = curator.getZookeeperClient().getZooKeeper();
        } catch (Exception e) {
            return;
        }
        long session = zooKeeper.getSessionId();
        if (session == 0) {
            return;
        }
        long sent = monotonicNanos.getAsLong();
        boolean move;
        synchronized (silence) {
            move = silence.shouldMove(sent);
            if (!move) {
                silence.sent(sent);
            }
        }
        if (move) {
            leaveSilentServer(session);
            return;
        }
        PipelinedConfirmation confirmation = new PipelinedConfirmation(session, sent);
        zooKeeper.sync(probePath, syncAnswered, confirmation);
        zooKeeper.exists(probePath, false, existsAnswered, confirmation);
    }

    /** On ZooKeeper's event thread, after the same confirmation's {@code sync} answer. */
    private void existsAnswered(PipelinedConfirmation confirmation, int code) {
        boolean existsAnswered = code == KeeperException.Code.OK.intValue()
                || code == KeeperException.Code.NONODE.intValue();
        if (!confirmation.answered(existsAnswered)) {
            return;
        }
        synchronized (silence) {
            silence.answered(confirmation.sentNanos());
        }
        // Read on the thread of the ZooKeeper handle that answered: a replaced handle has a new id.
        if (confirmation.proves(currentSessionId())) {
            broadcast(new InstanceInput.ConfirmationAnswered(confirmation.session(), confirmation.sentNanos()));
        }
    }

    /** On the same session: the client resumes it on the next server, with its id and password. */
    private void leaveSilentServer(long session) {
        long boundMillis;
        synchronized (silence) {
            boundMillis = Duration.ofNanos(silence.boundNanos()).toMillis();
        }
        try {
            Optional<InetSocketAddress> left = servers.leave(curator.getZookeeperClient().getZooKeeper());
            left.ifPresent(server -> log.warn("ZooKeeper server {} left a confirmation unanswered for {} ms: "
                    + "moving session 0x{} to the next server", server, boundMillis, Long.toHexString(session)));
        } catch (Exception e) {
            log.warn("cannot move session 0x{} off its silent ZooKeeper server ({}); the client's read timeout "
                    + "will: {}", Long.toHexString(session), e.getClass().getSimpleName(), e.getMessage());
        }
    }

    private void broadcast(InstanceInput input) {
        for (Consumer<InstanceInput> instance : instances) {
            instance.accept(input);
        }
    }

    private long currentSessionId() {
        try {
            return curator.getZookeeperClient().getZooKeeper().getSessionId();
        } catch (Exception e) {
            return 0;
        }
    }

    @Override
    public void close() {
        if (ticks != null) {
            ticks.cancel(false);
        }
        curator.getConnectionStateListenable().removeListener(connectionListener);
    }
}
