package io.quorumvip.agent.vip;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.agent.http.AgentMetrics;
import io.quorumvip.agent.journal.AgentJournal;
import io.quorumvip.agent.net.AddressManager;
import io.quorumvip.agent.net.ArpAnnouncer;
import io.quorumvip.agent.net.InterfaceAddress;
import io.quorumvip.config.GarpSettings;
import io.quorumvip.events.Cause;
import io.quorumvip.events.CauseKind;
import io.quorumvip.events.Event;
import io.quorumvip.journal.JournalReader;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the effector journals about the addresses it binds and releases, against a kernel held in memory. */
class VipEffectorTest {

    private static final Cause LEASE_ENDED = new Cause(CauseKind.LEASE_WATCH, "validity ended", 0);
    private static final GarpSettings NO_FOLLOW_UPS = new GarpSettings(Duration.ZERO, 1, Duration.ZERO, 1);

    @TempDir
    Path dir;

    private final Vertx vertx = Vertx.vertx();
    private final AgentMetrics metrics = new AgentMetrics();
    private final KernelAddresses kernel = new KernelAddresses();
    private InterfaceAddress vip;
    private AgentJournal journal;
    private VipEffector effector;

    @BeforeEach
    void open() throws IOException {
        vip = new InterfaceAddress("eth0", InetAddress.getByName("192.0.2.200"), 24, Optional.empty());
        journal = AgentJournal.open(dir, "n1", metrics);
        effector = new VipEffector("VI_1", List.of(vip), kernel, new SilentArp(), NO_FOLLOW_UPS, vertx, metrics,
                journal);
    }

    @AfterEach
    void close() {
        journal.close();
        vertx.close();
    }

    @Test
    void shouldJournalTheReleaseOfAnOwnedAddressWhoseKernelLifetimeRanOutFirst() throws IOException {
        effector.own(Optional.of(Duration.ofSeconds(2)), LEASE_ENDED);
        kernel.lifetimeRunsOut(vip);

        effector.release(LEASE_ENDED, OptionalLong.empty());

        assertThat(events()).filteredOn(e -> e instanceof Event.VipBound || e instanceof Event.VipReleased)
                .containsExactly(new Event.VipBound("VI_1", "192.0.2.200/24", 2),
                        new Event.VipReleased("VI_1", "192.0.2.200/24"));
        assertThat(effector.owned()).isFalse();
    }

    @Test
    void shouldJournalWhenTheLifetimeEndedWhenTheKernelHadRemovedTheAddressAlready() throws IOException {
        effector.own(Optional.of(Duration.ofSeconds(4)), LEASE_ENDED);
        kernel.lifetimeRunsOut(vip);
        long wallBefore = TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis());
        long ended = System.nanoTime() - Duration.ofSeconds(16).toNanos();

        effector.release(LEASE_ENDED, OptionalLong.of(ended));

        long wallAfter = TimeUnit.MILLISECONDS.toMicros(System.currentTimeMillis());
        Event.VipReleased released = events().stream().filter(e -> e instanceof Event.VipReleased)
                .map(Event.VipReleased.class::cast).findFirst().orElseThrow();
        long sixteenSeconds = Duration.ofSeconds(16).toNanos() / 1_000;
        assertThat(released.removedByKernel()).isTrue();
        assertThat(released.lifetimeEndedMicros())
                .isBetween(wallBefore - sixteenSeconds - 1_000_000, wallAfter - sixteenSeconds + 1_000);
    }

    @Test
    void shouldNotClaimTheKernelRemovedAnAddressTheAgentRemovedItself() throws IOException {
        effector.own(Optional.of(Duration.ofSeconds(4)), LEASE_ENDED);

        effector.release(LEASE_ENDED, OptionalLong.of(System.nanoTime()));

        assertThat(events()).contains(new Event.VipReleased("VI_1", "192.0.2.200/24"));
        assertThat(kernel.list("eth0")).isEmpty();
    }

    @Test
    void shouldRenewAnOwnedAddressWithOneCallAndJournalItsBindOnce() throws IOException {
        effector.own(Optional.of(Duration.ofSeconds(4)), LEASE_ENDED);
        effector.own(Optional.of(Duration.ofSeconds(3)), LEASE_ENDED);

        assertThat(kernel.calls).containsExactly("add", "renew 3");
        assertThat(events()).filteredOn(e -> e instanceof Event.VipBound)
                .containsExactly(new Event.VipBound("VI_1", "192.0.2.200/24", 4));
    }

    @Test
    void shouldJournalNoReleaseWhenTheAddressWasNeitherOwnedNorPresent() throws IOException {
        effector.release(LEASE_ENDED, OptionalLong.empty());

        assertThat(events()).noneMatch(e -> e instanceof Event.VipReleased);
    }

    @Test
    void shouldJournalTheRemovalOfAnAddressLeftOverByAnotherRun() throws IOException {
        kernel.addOrRenew(vip, Optional.empty());

        effector.release(LEASE_ENDED, OptionalLong.empty());

        assertThat(events()).contains(new Event.VipReleased("VI_1", "192.0.2.200/24"));
        assertThat(kernel.list("eth0")).isEmpty();
    }

    private List<Event> events() throws IOException {
        journal.close();
        List<Event> events = new ArrayList<>();
        JournalReader.read(JournalReader.segmentFiles(dir), (segment, header) -> { },
                (segment, offset, record, payload, at, length) -> events.add(record.event()));
        return events;
    }

    /** The kernel's address list, in memory; a lifetime runs out only when the test says so. */
    private static final class KernelAddresses implements AddressManager {

        private final Set<InterfaceAddress> present = new HashSet<>();
        private final List<String> calls = new ArrayList<>();

        void lifetimeRunsOut(InterfaceAddress address) {
            present.remove(address);
        }

        @Override
        public boolean addOrRenew(InterfaceAddress address, Optional<Duration> validLifetime) {
            calls.add("add");
            return present.add(address);
        }

        @Override
        public void renew(InterfaceAddress address, Duration validLifetime) {
            calls.add("renew " + validLifetime.toSeconds());
            present.add(address);
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
        public void announce(String device, java.net.InetAddress address) {
            // Nothing goes on the wire in a unit test.
        }

        @Override
        public void close() {
            // Nothing was opened.
        }
    }
}
