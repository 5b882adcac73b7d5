package io.quorumvip.agent.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quorumvip.config.DigestCredentials;
import io.quorumvip.config.OnLoss;
import io.quorumvip.config.QuorumConfig;
import io.quorumvip.config.SourcePosition;
import io.quorumvip.config.ZooKeeperServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The lease keeper against three real ZooKeeper servers (tier 3: real servers stopped and restarted, events
 * collected in a queue). Bounds are generous: they catch what never happens, they do not measure.
 */
class LeaseKeeperTest {

    private static final Duration S = Duration.ofMillis(4_000);
    private static final Duration ADVERT_INTERVAL = Duration.ofMillis(200);
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final DigestCredentials CLUSTER = new DigestCredentials("qvip", "s3cret");

    private static LocalEnsemble ensemble;

    private final List<AutoCloseable> opened = new ArrayList<>();
    private ScheduledExecutorService advertTimer;
    private String basePath;

    @BeforeAll
    static void startEnsemble() {
        ensemble = LocalEnsemble.start();
    }

    @AfterAll
    static void stopEnsemble() {
        if (ensemble != null) {
            ensemble.close();
        }
    }

    @BeforeEach
    void everyServerRunsAndServes(TestInfo test) {
        for (LocalEnsemble.Server server : ensemble.servers()) {
            if (!server.isAlive()) {
                server.start();
            }
        }
        awaitTrue("all three servers serve", () -> ensemble.servers().stream().allMatch(s -> s.mode().isPresent()));
        advertTimer = Executors.newSingleThreadScheduledExecutor();
        basePath = "/qvip-test/" + test.getTestMethod().orElseThrow().getName();
    }

    @AfterEach
    void closeEverything() throws Exception {
        advertTimer.shutdownNow();
        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
    }

    @Test
    void shouldAcquireWithAnEpochWhenContendingAlone() {
        Contender a = contender("n1", Optional.empty());

        a.keeper.contend();

        LeaseEvent.Acquired acquired = a.await(LeaseEvent.Acquired.class);
        assertThat(acquired.epoch()).isPositive();
        assertThat(acquired.sessionId()).isNotZero().isEqualTo(a.keeper.sessionId());
        assertThat(acquired.validUntilNanos() - acquired.atNanos()).isPositive()
                .isLessThanOrEqualTo(S.toNanos());
        assertThat(a.keeper.held()).isTrue();
        assertThat(a.keeper.epoch()).isEqualTo(acquired.epoch());
        assertThat(a.keeper.snapshot().validAt(System.nanoTime())).isTrue();
        a.await(LeaseEvent.Confirmed.class);
        System.out.printf("measured: acquire %d ms after contend%n",
                TimeUnit.NANOSECONDS.toMillis(acquired.atNanos() - a.contendedAt));
    }

    @Test
    void shouldGiveTheLeaseToASecondContenderOnlyAfterTheFirstWithdrawsWithALargerEpoch() throws Exception {
        Contender a = contender("n1", Optional.empty());
        Contender b = contender("n2", Optional.empty());
        a.keeper.contend();
        LeaseEvent.Acquired first = a.await(LeaseEvent.Acquired.class);

        b.keeper.contend();
        try (CuratorFramework observer = observer(Optional.empty())) {
            awaitTrue("both latch nodes exist", () -> children(observer, latchPath()) == 2);
        }
        a.await(LeaseEvent.Confirmed.class);
        assertThat(b.keeper.held()).isFalse();
        assertThat(b.events).as("b's lease events while a holds the latch (its connection's aside)")
                .allMatch(LeaseEvent.Connection.class::isInstance);

        a.keeper.withdraw();

        assertThat(a.await(LeaseEvent.Released.class).epoch()).isEqualTo(first.epoch());
        LeaseEvent.Acquired second = b.await(LeaseEvent.Acquired.class);
        assertThat(second.epoch()).isGreaterThan(first.epoch());
        assertThat(a.keeper.held()).isFalse();
    }

    @Test
    void shouldKeepTheLeaseContinuouslyValidWhenTheEnsembleLeaderIsKilled() {
        Contender a = contender("n1", Optional.empty());
        a.keeper.contend();
        LeaseEvent.Acquired acquired = a.await(LeaseEvent.Acquired.class);
        a.await(LeaseEvent.Confirmed.class);
        LocalEnsemble.Server leader = ensemble.leader().orElseThrow();
        ValiditySampler sampler = new ValiditySampler(a.keeper);

        long killedAt = System.nanoTime();
        leader.kill9();
        awaitTrue("a new leader is elected", () -> ensemble.leader().isPresent());
        LeaseEvent.Confirmed after = a.awaitConfirmedAfter(killedAt);
        // A few more confirmations, so a late lapse would show.
        a.awaitConfirmedAfter(after.atNanos());
        sampler.stop();

        assertThat(sampler.invalidSamples()).as("samples without a valid lease").isZero();
        assertThat(a.keeper.epoch()).isEqualTo(acquired.epoch());
        assertThat(a.skipped).noneMatch(e -> e instanceof LeaseEvent.Lost || e instanceof LeaseEvent.Lapsed);
        long answeredAfter = after.atNanos() - killedAt;
        System.out.printf("measured: ZooKeeper leader killed: first answer to a confirmation %d ms later; "
                        + "lowest remaining validity %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(answeredAfter), TimeUnit.NANOSECONDS.toMillis(sampler.lowestRemaining()));
    }

    @Test
    void shouldLapseWithinTheSessionTimeoutAndReportTheLostSessionWhenTwoOfThreeServersStop() {
        Contender a = contender("n1", Optional.empty());
        a.keeper.contend();
        LeaseEvent.Acquired acquired = a.await(LeaseEvent.Acquired.class);
        a.await(LeaseEvent.Confirmed.class);

        long stoppedAt = System.nanoTime();
        ensemble.server(1).kill9();
        ensemble.server(2).kill9();

        LeaseEvent.Lapsed lapsed = a.await(LeaseEvent.Lapsed.class);
        assertThat(lapsed.epoch()).isEqualTo(acquired.epoch());
        assertThat(lapsed.validUntilNanos() - stoppedAt).as("validity ends within S of the quorum loss")
                .isLessThan(S.toNanos());
        assertThat(a.keeper.snapshot().validAt(System.nanoTime())).isFalse();
        LeaseEvent.Lost lost = a.await(LeaseEvent.Lost.class);
        assertThat(lost.cause()).isEqualTo(LossCause.SESSION_LOST);
        assertThat(lost.epoch()).isEqualTo(acquired.epoch());
        assertThat(a.keeper.held()).isFalse();
        System.out.printf("measured: 2 of 3 servers killed: lapsed after %d ms, lost after %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(lapsed.atNanos() - stoppedAt),
                TimeUnit.NANOSECONDS.toMillis(lost.atNanos() - stoppedAt));

        long restartedAt = System.nanoTime();
        ensemble.server(1).start();
        ensemble.server(2).start();

        LeaseEvent.Acquired again = a.await(LeaseEvent.Acquired.class);
        assertThat(again.epoch()).isGreaterThan(acquired.epoch());
        assertThat(again.sessionId()).isNotEqualTo(acquired.sessionId());
        System.out.printf("measured: quorum restarted: lease again after %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(again.atNanos() - restartedAt));
    }

    @Test
    void shouldReportTheNodeDeletedAndEnterAgainWhenSomeoneDeletesTheLatchNode() throws Exception {
        Contender a = contender("n1", Optional.empty());
        a.keeper.contend();
        LeaseEvent.Acquired acquired = a.await(LeaseEvent.Acquired.class);

        try (CuratorFramework observer = observer(Optional.empty())) {
            String node = latchPath() + "/" + observer.getChildren().forPath(latchPath()).get(0);
            observer.delete().forPath(node);
        }

        LeaseEvent.Lost lost = a.await(LeaseEvent.Lost.class);
        assertThat(lost.cause()).isEqualTo(LossCause.NODE_DELETED);
        assertThat(a.await(LeaseEvent.Acquired.class).epoch()).isGreaterThan(acquired.epoch());
    }

    @Test
    void shouldRefuseToCreateOrDeleteLatchNodesForAClientWithoutTheClusterCredential() throws Exception {
        Contender a = contender("n1", Optional.of(CLUSTER));
        a.keeper.contend();
        a.await(LeaseEvent.Acquired.class);

        for (Optional<DigestCredentials> stranger : List.of(Optional.<DigestCredentials>empty(),
                Optional.of(new DigestCredentials("qvip", "wrong")))) {
            try (CuratorFramework other = observer(stranger)) {
                String node = latchPath() + "/" + other.getChildren().forPath(latchPath()).get(0);
                assertThat(other.getData().forPath(node)).as("anyone may read").isNotNull();
                assertThatThrownBy(() -> other.delete().forPath(node))
                        .isInstanceOf(KeeperException.NoAuthException.class);
                assertThatThrownBy(() -> other.create().withMode(CreateMode.EPHEMERAL_SEQUENTIAL)
                        .forPath(latchPath() + "/_c_intruder-latch-"))
                        .isInstanceOf(KeeperException.NoAuthException.class);
                assertThatThrownBy(() -> other.delete().forPath(latchPath()))
                        .isInstanceOf(KeeperException.NoAuthException.class);
            }
        }
        assertThat(a.keeper.held()).isTrue();
    }

    // --- helpers ----------------------------------------------------------------------------------------------

    /** One agent's view: its own client, one keeper, its events, confirmed every advert interval. */
    private final class Contender {
        final BlockingQueue<LeaseEvent> events = new LinkedBlockingQueue<>();
        final List<LeaseEvent> skipped = new ArrayList<>();
        final LeaseKeeper keeper;
        long contendedAt;

        Contender(String node, Optional<DigestCredentials> digest) {
            QuorumClient client = QuorumClient.start(config(digest));
            opened.add(client);
            keeper = client.keeper("VI_1", node, events::add);
            opened.add(keeper);
            advertTimer.scheduleAtFixedRate(keeper::confirm, 0, ADVERT_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
            contendedAt = System.nanoTime();
        }

        /** The next event of that type; events of other types on the way are kept in {@link #skipped}. */
        <T extends LeaseEvent> T await(Class<T> type) {
            long deadline = System.nanoTime() + BOUND.toNanos();
            while (true) {
                LeaseEvent event;
                try {
                    event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for " + type.getSimpleName(), e);
                }
                if (event == null) {
                    throw new AssertionError("no " + type.getSimpleName() + " within " + BOUND + "; got " + skipped);
                }
                if (type.isInstance(event)) {
                    return type.cast(event);
                }
                skipped.add(event);
            }
        }

        LeaseEvent.Confirmed awaitConfirmedAfter(long nanos) {
            while (true) {
                LeaseEvent.Confirmed confirmed = await(LeaseEvent.Confirmed.class);
                if (confirmed.atNanos() - nanos > 0) {
                    return confirmed;
                }
            }
        }
    }

    private Contender contender(String node, Optional<DigestCredentials> digest) {
        return new Contender(node, digest);
    }

    private QuorumConfig config(Optional<DigestCredentials> digest) {
        List<ZooKeeperServer> servers = ensemble.servers().stream()
                .map(s -> new ZooKeeperServer("127.0.0.1", s.clientPort)).toList();
        return new QuorumConfig(servers, S, basePath, digest, OnLoss.RELEASE, new SourcePosition(Path.of("test"), 1, 1));
    }

    private String latchPath() {
        return basePath + "/VI_1";
    }

    private CuratorFramework observer(Optional<DigestCredentials> digest) {
        CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder()
                .connectString(ensemble.connectString())
                .sessionTimeoutMs((int) S.toMillis())
                .connectionTimeoutMs((int) S.toMillis())
                .retryPolicy(new RetryOneTime(100));
        digest.ifPresent(d -> builder.authorization("digest", d.authString().getBytes(StandardCharsets.UTF_8)));
        CuratorFramework client = builder.build();
        client.start();
        return client;
    }

    private static int children(CuratorFramework client, String path) {
        try {
            return client.checkExists().forPath(path) == null ? 0 : client.getChildren().forPath(path).size();
        } catch (Exception e) {
            return -1;
        }
    }

    private static void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + BOUND + " waiting for: " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for: " + what, e);
            }
        }
    }

    /** Looks at the keeper's snapshot every 10 ms and counts the samples in which the lease was not valid. */
    private static final class ValiditySampler {
        private final AtomicLong invalid = new AtomicLong();
        private final AtomicLong lowest = new AtomicLong(Long.MAX_VALUE);
        private final AtomicReference<Boolean> running = new AtomicReference<>(true);
        private final Thread thread;

        ValiditySampler(LeaseKeeper keeper) {
            thread = new Thread(() -> {
                while (running.get()) {
                    long now = System.nanoTime();
                    LeaseSnapshot snapshot = keeper.snapshot();
                    if (!snapshot.validAt(now)) {
                        invalid.incrementAndGet();
                    }
                    lowest.accumulateAndGet(snapshot.validForNanos(now), Math::min);
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "validity-sampler");
            thread.start();
        }

        void stop() {
            running.set(false);
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        long invalidSamples() {
            return invalid.get();
        }

        long lowestRemaining() {
            return lowest.get();
        }
    }
}
