package io.quorumvip.agent.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quorumvip.check.ProbeResult;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The TCP probe loop against listeners on the loopback (no root): outcomes, timeouts, descriptors, the stop. */
class TcpProbeLoopTest {

    private final ExecutorService results = Executors.newSingleThreadExecutor(r -> new Thread(r, "results"));
    private final AtomicInteger tasks = new AtomicInteger();
    private final TcpProbeLoop loop = TcpProbeLoop.start(task -> {
        tasks.incrementAndGet();
        results.execute(task);
    }, "tcp-check-test");

    TcpProbeLoopTest() throws Exception {
    }

    @AfterEach
    void stop() throws Exception {
        loop.close();
        results.shutdown();
        assertThat(results.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    /** Completes with the result and the thread it was handed on. */
    private static class Recorded extends TcpProbeLoop.Probe {
        final CompletableFuture<ProbeResult> result = new CompletableFuture<>();
        volatile String thread;

        Recorded(TcpProbeLoop.Target target) {
            super(target);
        }

        @Override
        protected void completed(ProbeResult outcome) {
            thread = Thread.currentThread().getName();
            result.complete(outcome);
        }

        ProbeResult get() throws Exception {
            return result.get(10, TimeUnit.SECONDS);
        }
    }

    private Recorded probe(InetSocketAddress target, Duration timeout) {
        Recorded probe = new Recorded(TcpProbeLoop.target(target, Optional.empty(), false, 0, timeout));
        loop.submit(probe);
        return probe;
    }

    @Test
    void shouldConnectToAnIpv6Listener() throws Exception {
        InetAddress loopback6 = InetAddress.getByName("::1");
        try (ServerSocket listener = new ServerSocket(0, 5, loopback6)) {
            Recorded probe = probe(new InetSocketAddress(loopback6, listener.getLocalPort()), Duration.ofSeconds(1));

            assertThat(probe.get().detail()).isEqualTo("connected");
            assertThat(probe.thread).as("handed to the results' executor").isEqualTo("results");
            try (Socket accepted = listener.accept()) {
                accepted.setSoTimeout(5000);
                assertThat(accepted.getInputStream().read()).as("closed after the connect").isEqualTo(-1);
            }
        }
    }

    /** A listener whose accept queue is full drops SYNs: a connect to it neither completes nor fails. */
    private static void fillAcceptQueue(InetSocketAddress listener, List<SocketChannel> fillers) throws Exception {
        for (int i = 0; i < 4; i++) {
            SocketChannel filler = SocketChannel.open();
            filler.configureBlocking(false);
            filler.connect(listener);
            fillers.add(filler);
        }
    }


    @Test
    void shouldTimeOutAConnectThatDoesNotComplete() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        List<SocketChannel> fillers = new ArrayList<>();
        try (ServerSocket listener = new ServerSocket(0, 1, loopback)) {
            InetSocketAddress address = new InetSocketAddress(loopback, listener.getLocalPort());
            fillAcceptQueue(address, fillers);
            Recorded probe = probe(address, Duration.ofMillis(300));

            ProbeResult result = probe.get();
            assertThat(result.success()).isFalse();
            assertThat(result.detail()).isEqualTo("timed out");
            assertThat(result.latency()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        } finally {
            for (SocketChannel filler : fillers) {
                filler.close();
            }
        }
    }

    /**
     * A connect still underway after the second connect(2) turns that call off for the target's next probes
     * (ConnectShortcut): they connect through the epoll set, as every probe of a real server across a network does.
     */
    @Test
    void shouldConnectThroughTheEpollSetOnceTheSecondConnectFoundAHandshakeUnderway() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            TcpProbeLoop.Target target = secondConnectTurnedOff(listener, Recorded::new);

            for (int i = 0; i < 3; i++) {
                Recorded probe = new Recorded(target);
                loop.submit(probe);
                assertThat(probe.get().detail()).as("probe %d after the timeout", i).isEqualTo("connected");
                listener.accept().close();
            }
        }
    }

    /**
     * An exchange whose connect is still underway when its request's first write is tried (in the second connect's
     * place: EAGAIN) waits for it in the epoll set, registered once for both directions: it writes its request once
     * connected and reads the answer, as every HTTP_GET to a real server across a network does.
     */
    @Test
    void shouldExchangeThroughTheEpollSetOnceTheSecondConnectFoundAHandshakeUnderway() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            TcpProbeLoop.Target target = secondConnectTurnedOff(listener, Ping::new);

            for (int i = 0; i < 3; i++) {
                Ping probe = new Ping(target);
                loop.submit(probe);
                answerPong(listener);
                assertThat(probe.get().detail()).as("probe %d after the timeout", i).isEqualTo("pong");
            }
        }
    }

    /**
     * A target of {@code listener} (connect_timeout 300 ms) whose second connect is turned off: a probe of it made by
     * {@code probe} times out while the listener's full accept queue drops its SYN; the queue is emptied after it.
     */
    private TcpProbeLoop.Target secondConnectTurnedOff(ServerSocket listener,
            Function<TcpProbeLoop.Target, Recorded> probe) throws Exception {
        InetSocketAddress address = new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
        TcpProbeLoop.Target target = TcpProbeLoop.target(address, Optional.empty(), false, 0, Duration.ofMillis(300));
        List<SocketChannel> fillers = new ArrayList<>();
        try {
            fillAcceptQueue(address, fillers);
            Recorded dropped = probe.apply(target);
            loop.submit(dropped);
            assertThat(dropped.get().detail()).isEqualTo("timed out");
        } finally {
            for (SocketChannel filler : fillers) {
                filler.close();
            }
        }
        listener.setSoTimeout(1000);
        for (int i = 0; i < 2; i++) {
            listener.accept().close();
        }
        return target;
    }

    /** Accepts one connection, reads its "ping" whole, answers "pong" and closes. */
    private static void answerPong(ServerSocket listener) throws Exception {
        try (Socket accepted = listener.accept()) {
            assertThat(new String(accepted.getInputStream().readNBytes(4), StandardCharsets.US_ASCII))
                    .isEqualTo("ping");
            accepted.getOutputStream().write("pong".getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** A port nothing listens on: a connect to it is refused. */
    private static int closedPort(InetAddress address) throws Exception {
        try (ServerSocket gone = new ServerSocket(0, 5, address)) {
            return gone.getLocalPort();
        }
    }

    /** Descriptors are closed and handed out again hundreds of times; every probe gets its own outcome. */
    @Test
    void shouldSettleEveryProbeOfABurstOnReusedDescriptors() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        int refusedPort = closedPort(loopback);
        try (ServerSocket listener = new ServerSocket(0, 1000, loopback)) {
            List<Recorded> connected = new ArrayList<>();
            List<Recorded> refused = new ArrayList<>();
            for (int round = 0; round < 5; round++) {
                for (int i = 0; i < 100; i++) {
                    connected.add(probe(new InetSocketAddress(loopback, listener.getLocalPort()),
                            Duration.ofSeconds(5)));
                    refused.add(probe(new InetSocketAddress(loopback, refusedPort), Duration.ofSeconds(5)));
                }
                for (Recorded probe : connected.subList(round * 100, connected.size())) {
                    probe.get();
                    listener.accept().close();
                }
            }

            for (Recorded probe : connected) {
                assertThat(probe.get().detail()).isEqualTo("connected");
            }
            for (Recorded probe : refused) {
                assertThat(probe.get().detail()).isEqualTo("connect refused");
            }
            assertThat(tasks.get()).as("results handed over per loop pass, not per probe").isLessThan(1000);
        }
    }

    /**
     * The results' thread collecting the posted results itself, as the checks' loop does at every calendar wake-up,
     * while the loop still calls when a batch waits too long: each probe completes once, on the results' thread.
     */
    @Test
    void shouldCompleteEachProbeOnceWhenTheResultsThreadCollectsBesideTheLoopsCalls() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        ScheduledExecutorService collector = Executors.newSingleThreadScheduledExecutor();
        try (ServerSocket listener = new ServerSocket(0, 1000, loopback)) {
            collector.scheduleWithFixedDelay(() -> results.execute(loop::collect), 0, 1, TimeUnit.MILLISECONDS);
            List<Counted> probes = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                Counted probe = new Counted(TcpProbeLoop.target(new InetSocketAddress(loopback,
                        listener.getLocalPort()), Optional.empty(), false, 0, Duration.ofSeconds(5)));
                probes.add(probe);
                loop.submit(probe);
                if (i % 50 == 49) {
                    for (Counted done : probes.subList(i - 49, i + 1)) {
                        done.get();
                        listener.accept().close();
                    }
                }
            }
            collector.shutdown();
            assertThat(collector.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
            results.submit(loop::collect).get(5, TimeUnit.SECONDS);

            for (Counted probe : probes) {
                assertThat(probe.get().detail()).isEqualTo("connected");
                assertThat(probe.completions.get()).isEqualTo(1);
                assertThat(probe.thread).isEqualTo("results");
            }
        } finally {
            collector.shutdownNow();
        }
    }

    /** A probe that counts how often it was completed. */
    private static final class Counted extends Recorded {
        final AtomicInteger completions = new AtomicInteger();

        Counted(TcpProbeLoop.Target target) {
            super(target);
        }

        @Override
        protected void completed(ProbeResult outcome) {
            completions.incrementAndGet();
            super.completed(outcome);
        }
    }

    @Test
    void shouldFailTheProbesInFlightAndThoseSubmittedAfterTheStop() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        List<SocketChannel> fillers = new ArrayList<>();
        try (ServerSocket listener = new ServerSocket(0, 1, loopback)) {
            InetSocketAddress address = new InetSocketAddress(loopback, listener.getLocalPort());
            fillAcceptQueue(address, fillers);
            Recorded inFlight = probe(address, Duration.ofSeconds(30));
            Thread.sleep(100);

            loop.close();
            Recorded late = probe(address, Duration.ofSeconds(30));

            assertThat(inFlight.get().detail()).isEqualTo("no connect tried: the TCP probe loop stopped");
            assertThat(late.get().detail()).isEqualTo("no connect tried: the TCP probe loop is stopped");
            assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("tcp-check-test"));
        } finally {
            for (SocketChannel filler : fillers) {
                filler.close();
            }
        }
    }

    /** Sends "ping" once connected and takes the answer whole at its close. */
    private static final class Ping extends Recorded {
        private static final ByteBuffer PING = ByteBuffer.allocateDirect(4)
                .put("ping".getBytes(StandardCharsets.US_ASCII)).flip();
        private final StringBuilder answer = new StringBuilder();

        Ping(TcpProbeLoop.Target target) {
            super(target);
        }

        @Override
        protected ByteBuffer request() {
            return PING;
        }

        @Override
        protected boolean read(byte[] bytes, int length) {
            answer.append(new String(bytes, 0, length, StandardCharsets.US_ASCII));
            return false;
        }

        @Override
        protected ProbeResult answer(boolean closed, Duration took) {
            return ProbeResult.success(answer.toString(), took);
        }
    }

    /**
     * With quick ACKs off the handshake's last ACK rides on the request: the listener's connection exists only once
     * the request is in it. A separate ACK queues the connection first, and an accept then finds nothing to read about
     * half the time.
     */
    @Test
    void shouldSendTheHandshakesLastAckWithTheRequest() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket listener = new ServerSocket(0, 5, loopback)) {
            int withRequest = 0;
            for (int i = 0; i < 20; i++) {
                Ping probe = new Ping(TcpProbeLoop.target(new InetSocketAddress(loopback, listener.getLocalPort()),
                        Optional.empty(), false, 0, Duration.ofSeconds(5)));
                loop.submit(probe);
                try (Socket accepted = listener.accept()) {
                    withRequest += accepted.getInputStream().available() == 4 ? 1 : 0;
                    accepted.getOutputStream().write("pong".getBytes(StandardCharsets.US_ASCII));
                }

                assertThat(probe.get().detail()).isEqualTo("pong");
            }
            // With quick ACKs on, 10 or 11 of 20 here; the margin is for a loop held up past the 200 ms the kernel
            // holds the handshake's ACK for data.
            assertThat(withRequest).as("accepted connections with the request already in them, of 20")
                    .isGreaterThanOrEqualTo(18);
        }
    }

    /**
     * An exchange asks whether its connect completed with its request's first write: a refused connect comes back as
     * that write's error, and fails the probe as a TCP_CHECK's does.
     */
    @Test
    void shouldFailAnExchangeWhoseConnectIsRefusedAsATcpCheckFails() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        TcpProbeLoop.Target target = TcpProbeLoop.target(new InetSocketAddress(loopback, closedPort(loopback)),
                Optional.empty(), false, 0, Duration.ofSeconds(5));

        for (int i = 0; i < 3; i++) {
            Ping probe = new Ping(target);
            loop.submit(probe);
            assertThat(probe.get().success()).isFalse();
            assertThat(probe.get().detail()).as("probe %d", i).isEqualTo("connect refused");
        }
    }

    /** Edge-triggered: the answer's second part, after the socket was read empty, is reported and read too. */
    @Test
    void shouldReadAnAnswerThatComesInParts() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket listener = new ServerSocket(0, 5, loopback)) {
            Ping probe = new Ping(TcpProbeLoop.target(new InetSocketAddress(loopback, listener.getLocalPort()),
                    Optional.empty(), false, 0, Duration.ofSeconds(5)));
            loop.submit(probe);
            try (Socket accepted = listener.accept()) {
                accepted.getOutputStream().write("po".getBytes(StandardCharsets.US_ASCII));
                Thread.sleep(200);
                accepted.getOutputStream().write("ng".getBytes(StandardCharsets.US_ASCII));
            }

            assertThat(probe.get().detail()).isEqualTo("pong");
        }
    }

    @Test
    void shouldSayWhenBindtoIsNotOnThisMachine() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Recorded probe = new Recorded(TcpProbeLoop.target(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()),
                    Optional.of(InetAddress.getByName("192.0.2.99")), false, 0, Duration.ofSeconds(1)));
            loop.submit(probe);

            ProbeResult result = probe.get();
            assertThat(result.success()).isFalse();
            assertThat(result.detail()).startsWith("no connect tried: bind() to bindto 192.0.2.99: ")
                    .contains("errno 99");
            assertThat(loop.socketFailures()).isZero();
        }
    }

    @Test
    void shouldConnectWithItsSocketsMarkedOrSayWhyNot() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Recorded probe = new Recorded(TcpProbeLoop.target(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()),
                    Optional.empty(), true, 0x7176_6368L, Duration.ofSeconds(1)));
            loop.submit(probe);

            ProbeResult result = probe.get();
            if (isRoot()) {
                assertThat(result.success()).as(result.detail()).isTrue();
            } else {
                assertThat(result.detail()).startsWith("no connect tried: setsockopt(SO_MARK) for untracked: ")
                        .contains("CAP_NET_ADMIN");
            }
        }
    }

    @Test
    void shouldRefuseAMarkOver32Bits() {
        assertThatThrownBy(() -> TcpProbeLoop.target(new InetSocketAddress(InetAddress.getLoopbackAddress(), 80),
                Optional.empty(), false, 1L << 32, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bits");
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    @Test
    void shouldRefuseABindtoOfTheOtherAddressFamily() {
        assertThatThrownBy(() -> TcpProbeLoop.target(new InetSocketAddress(InetAddress.getByName("::1"), 80),
                Optional.of(InetAddress.getByName("127.0.0.1")), false, 0, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("address family");
    }
}
