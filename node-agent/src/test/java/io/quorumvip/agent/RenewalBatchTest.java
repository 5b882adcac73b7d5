package io.quorumvip.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.agent.http.AgentMetrics;
import io.quorumvip.agent.journal.AgentJournal;
import io.quorumvip.agent.net.AddressManager;
import io.quorumvip.agent.net.ArpAnnouncer;
import io.quorumvip.agent.net.InterfaceAddress;
import io.quorumvip.agent.vip.VipEffector;
import io.quorumvip.config.GarpSettings;
import io.quorumvip.events.Cause;
import io.quorumvip.events.CauseKind;
import io.quorumvip.instance.InstanceEffect;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Queue;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Renewals asked for in one task go to the kernel together, each lifetime computed when the batch goes out. */
class RenewalBatchTest {

    private static final long SECOND = 1_000_000_000L;
    private static final Cause RENEWAL = new Cause(CauseKind.LEASE_WATCH, "lifetime renewed before it ends", 4);
    private static final GarpSettings NO_FOLLOW_UPS = new GarpSettings(Duration.ZERO, 1, Duration.ZERO, 1);

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private final AgentMetrics metrics = new AgentMetrics();
    private final RecordingKernel kernel = new RecordingKernel();
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private final List<String> answers = new ArrayList<>();
    private long now = 100 * SECOND;
    private AgentJournal journal;
    private RenewalBatch batch;

    @BeforeEach
    void open() throws IOException {
        journal = AgentJournal.open(dir, "n1", metrics);
        batch = new RenewalBatch(tasks::add, kernel, () -> now);
    }

    @AfterEach
    void close() {
        journal.close();
        vertx.close();
    }

    @Test
    void shouldSendTheRenewalsOfOneTaskAsOneBatchAtItsEnd() throws IOException {
        VipEffector first = boundEffector("VI_1", "192.0.2.200");
        VipEffector second = boundEffector("VI_2", "192.0.2.201");
        kernel.calls.clear();

        batch.renew(first, renewal(4, now + 5 * SECOND), answer("VI_1"));
        batch.renew(second, renewal(4, now + 5 * SECOND), answer("VI_2"));

        assertThat(kernel.calls).as("nothing before the task ends").isEmpty();
        runTasks();
        assertThat(kernel.calls).hasSize(1);
        assertThat(kernel.calls.get(0)).extracting(r -> r.address().address().getHostAddress())
                .containsExactly("192.0.2.200", "192.0.2.201");
        assertThat(answers).containsExactly("VI_1 4 s ok", "VI_2 4 s ok");
    }

    @Test
    void shouldComputeEachLifetimeFromTheClockWhenTheBatchGoesOut() throws IOException {
        VipEffector effector = boundEffector("VI_1", "192.0.2.200");
        kernel.calls.clear();
        long endsBy = now + 5 * SECOND;

        batch.renew(effector, renewal(4, endsBy), answer("VI_1"));
        now += 2_500_000_000L;
        runTasks();

        assertThat(kernel.calls.get(0).get(0).validLifetime()).contains(Duration.ofSeconds(2));
        assertThat(answers).containsExactly("VI_1 2 s ok");
    }

    @Test
    void shouldProgramNothingWhenLessThanASecondIsLeftAtTheBatch() throws IOException {
        VipEffector effector = boundEffector("VI_1", "192.0.2.200");
        kernel.calls.clear();

        batch.renew(effector, renewal(4, now + 5 * SECOND), answer("VI_1"));
        now += 4_500_000_000L;
        runTasks();

        assertThat(kernel.calls).isEmpty();
        assertThat(answers).containsExactly("VI_1 0 s ok");
    }

    @Test
    void shouldSplitRenewalsIntoBatchesOfAtMostSixtyFourAddresses() throws IOException {
        List<VipEffector> effectors = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            effectors.add(boundEffector("VI_" + i, "198.51.100." + i));
        }
        kernel.calls.clear();

        effectors.forEach(e -> batch.renew(e, renewal(4, now + 5 * SECOND), answer("x")));
        runTasks();

        assertThat(kernel.calls).extracting(List::size).containsExactly(RenewalBatch.BATCH_ADDRESSES,
                100 - RenewalBatch.BATCH_ADDRESSES);
        assertThat(answers).hasSize(100).containsOnly("x 4 s ok");
    }

    @Test
    void shouldAnswerAFailureOnlyToTheInstanceWhoseAddressTheKernelRefused() throws IOException {
        VipEffector first = boundEffector("VI_1", "192.0.2.200");
        VipEffector second = boundEffector("VI_2", "192.0.2.201");
        kernel.refused.add("192.0.2.201");

        batch.renew(first, renewal(4, now + 5 * SECOND), answer("VI_1"));
        batch.renew(second, renewal(4, now + 5 * SECOND), answer("VI_2"));
        runTasks();

        assertThat(answers).containsExactly("VI_1 4 s ok", "VI_2 4 s failed");
    }

    @Test
    void shouldBatchARenewalAskedForWhileAnswersAreHandedOutInTheNextTask() throws IOException {
        VipEffector first = boundEffector("VI_1", "192.0.2.200");
        VipEffector second = boundEffector("VI_2", "192.0.2.201");
        kernel.calls.clear();

        batch.renew(first, renewal(4, now + 5 * SECOND), (seconds, all) -> {
            answers.add("VI_1 " + seconds);
            batch.renew(second, renewal(4, now + 5 * SECOND), answer("VI_2"));
        });
        runTasks();

        assertThat(kernel.calls).hasSize(2);
        assertThat(answers).containsExactly("VI_1 4", "VI_2 4 s ok");
    }

    private void runTasks() {
        while (!tasks.isEmpty()) {
            tasks.poll().run();
        }
    }

    private RenewalBatch.Answer answer(String instance) {
        return (seconds, all) -> answers.add(instance + " " + seconds + " s " + (all ? "ok" : "failed"));
    }

    private static InstanceEffect.Bind renewal(long seconds, long endsByNanos) {
        return new InstanceEffect.Bind(OptionalLong.of(seconds), endsByNanos, false, RENEWAL);
    }

    private VipEffector boundEffector(String instance, String address) throws IOException {
        InterfaceAddress vip = new InterfaceAddress("eth0", InetAddress.getByName(address), 24, Optional.empty());
        VipEffector effector = new VipEffector(instance, List.of(vip), kernel, new SilentArp(), NO_FOLLOW_UPS, vertx,
                metrics, journal);
        assertThat(effector.own(Optional.of(Duration.ofSeconds(4)), RENEWAL)).isTrue();
        return effector;
    }

    /** The kernel's addresses in memory; remembers each batch it was handed and refuses the addresses named. */
    private static final class RecordingKernel implements AddressManager {

        final List<List<Request>> calls = new ArrayList<>();
        final Set<String> refused = new HashSet<>();
        private final Set<InterfaceAddress> present = new HashSet<>();

        @Override
        public List<Outcome> addOrRenewAll(List<Request> requests) {
            calls.add(List.copyOf(requests));
            List<Outcome> outcomes = new ArrayList<>();
            for (Request request : requests) {
                if (refused.contains(request.address().address().getHostAddress())) {
                    outcomes.add(new Outcome(false, Optional.of(new IOException("RTM_NEWADDR "
                            + request.address() + " failed: No space left on device (errno 28)"))));
                } else {
                    outcomes.add(present.add(request.address()) ? Outcome.CREATED : Outcome.RENEWED);
                }
            }
            return outcomes;
        }

        @Override
        public boolean addOrRenew(InterfaceAddress address, Optional<Duration> validLifetime) {
            return addOrRenewAll(List.of(new Request(address, validLifetime))).get(0).created();
        }

        @Override
        public boolean remove(InterfaceAddress address) {
            return present.remove(address);
        }

        @Override
        public List<InterfaceAddress> list(String device) {
            return present.stream().filter(a -> a.device().equals(device)).toList();
        }

        @Override
        public void close() {
            present.clear();
        }
    }

    /** Gratuitous ARP is not what these tests look at. */
    private static final class SilentArp implements ArpAnnouncer {

        @Override
        public void announce(String device, InetAddress address) {
            // Nothing goes on the wire in a unit test.
        }

        @Override
        public void close() {
            // Nothing was opened.
        }
    }
}
