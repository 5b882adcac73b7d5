package io.quorumvip.agent.net;

import io.quorumvip.check.ConnectProgress;
import io.quorumvip.check.ConnectShortcut;
import io.quorumvip.check.ProbeDeadlines;
import io.quorumvip.check.ProbeResult;
import io.quorumvip.check.ResultHandOver;
import io.quorumvip.check.TcpConnectResults;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread that runs every TCP_CHECK connect, and every plain HTTP_GET exchange, on descriptors it owns, with an
 * epoll set of its own: per probe socket, (SO_LINGER 0 for close_with_reset, SO_MARK for untracked, bind for bindto,)
 * connect, a second connect that says whether the first one has completed ({@link ConnectProgress}; skipped for a
 * while after one that found it underway, {@link ConnectShortcut}), and only while it has not, one one-shot epoll_ctl
 * (and getsockopt(SO_ERROR) when it fails), then close; no object beyond the probe's own. An HTTP_GET adds
 * setsockopt(TCP_QUICKACK 0), its request's write (made in the second connect's place: a connecting socket refuses it
 * with EAGAIN) and its reads, and registers its descriptor once, edge-triggered for both directions, so waiting for the
 * answer takes no second epoll_ctl. A Netty channel per probe
 * (its object, config, pipeline and six more syscalls) was the floor of the JVM's cost per TCP_CHECK, a third of the
 * agent's CPU at 10,000 real servers.
 *
 * <p>Each pass: wait in epoll_wait until the earliest connect_timeout ({@link ProbeDeadlines}) or a wake-up, settle
 * the connects that ended, expire the deadlines passed before the wait began (so every connect that completed by then
 * was read), then open the probes submitted meanwhile, then post the results settled in the pass. The checks' loop
 * collects them ({@link #collect}) when its calendar wakes it, which also submits the next probes; a task that collects
 * goes to {@code results} only when {@link ResultHandOver} says it did not come in time (the batch is full, or its first
 * result 10 ms old; the wait is cut to that): each task may wake the checks' loop, whatever it carries.
 * A descriptor is closed only on this thread and new ones are opened only after a pass's events are all handled, so
 * no event can name a descriptor that was closed and handed out again; each registration carries a sequence number
 * beside the descriptor, checked anyway.
 */
public final class TcpProbeLoop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TcpProbeLoop.class);
    private static final LibC LIBC = LibC.INSTANCE;
    private static final int MAX_EVENTS = 1024;
    private static final int READ_BUFFER_BYTES = 64 << 10;
    private static final long WAKE = -1L;
    private static final long SOCKET_WARNING_GAP_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** Where a TCP_CHECK connects from and to, and how: its socket addresses laid out once, not per probe. */
    public static final class Target {
        private final int family;
        /** Held for {@link #remoteAddress}: the native memory is the buffer's. */
        private final ByteBuffer remote;
        private final long remoteAddress;
        private final int remoteLength;
        private final ByteBuffer local;
        private final int localLength;
        private final boolean closeWithReset;
        /** Held for {@link #markAddress}: the native memory is the buffer's; null for no mark. */
        private final ByteBuffer mark;
        private final long markAddress;
        private final long timeoutNanos;
        private final String bindto;
        /** The probe loop's thread alone uses it. */
        private final ConnectShortcut shortcut = new ConnectShortcut();

        private Target(InetSocketAddress remote, Optional<InetAddress> bindto, boolean closeWithReset, long mark,
                Duration timeout) {
            this.family = remote.getAddress() instanceof Inet6Address ? LibC.AF_INET6 : LibC.AF_INET;
            this.remote = Structs.sockaddr(remote);
            this.remoteAddress = Structs.address(this.remote);
            this.remoteLength = Structs.sockaddrLength(remote.getAddress());
            this.local = bindto.map(a -> Structs.sockaddr(new InetSocketAddress(a, 0))).orElse(null);
            this.localLength = bindto.map(Structs::sockaddrLength).orElse(0);
            this.closeWithReset = closeWithReset;
            this.mark = mark == 0 ? null : Structs.allocate(Integer.BYTES).putInt(0, (int) mark);
            this.markAddress = mark == 0 ? 0 : Structs.address(this.mark);
            this.timeoutNanos = timeout.toNanos();
            this.bindto = bindto.map(InetAddress::getHostAddress).orElse("");
        }
    }

    /**
     * @param remote the real server's resolved address and port
     * @param bindto the source address to bind, or empty for the kernel's choice
     * @param closeWithReset close with an RST (SO_LINGER 0) instead of a FIN
     * @param mark the sockets' SO_MARK (32 bits), or 0 for none, the kernel's own default
     * @param timeout connect_timeout, positive
     */
    public static Target target(InetSocketAddress remote, Optional<InetAddress> bindto, boolean closeWithReset,
            long mark, Duration timeout) {
        if (remote.isUnresolved() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a TCP_CHECK needs a resolved address and a positive connect_timeout, "
                    + "not " + remote + " and " + timeout);
        }
        if (bindto.isPresent() && (bindto.get() instanceof Inet6Address)
                != (remote.getAddress() instanceof Inet6Address)) {
            throw new IllegalArgumentException("a TCP_CHECK of " + remote + " cannot bind to "
                    + bindto.get().getHostAddress() + ": bindto must be of the real server's address family");
        }
        if (mark < 0 || mark > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("a TCP_CHECK of " + remote + " cannot mark its sockets with " + mark
                    + ": a socket mark is 32 bits, 0 to 4294967295");
        }
        return new Target(remote, bindto, closeWithReset, mark, timeout);
    }

    /**
     * One connect, submitted once; the loop settles it and hands its result to {@link #completed}. As it stands a
     * probe is a TCP_CHECK: connected is a success. One with a {@link #request} is an exchange: the request is written
     * once connected, and the answer read until {@link #read} says it is whole or the peer closes; connect_timeout
     * then bounds each wait for the answer's next bytes. The hooks run on the loop's thread.
     */
    public abstract static class Probe {
        private final Target target;
        private long startNanos;
        private long deadlineNanos;
        private int fd = -1;
        private int sequence;
        private int written;
        private boolean connected;
        private ProbeResult result;

        protected Probe(Target target) {
            this.target = target;
        }

        /** On the loop's results executor, once. */
        protected abstract void completed(ProbeResult result);

        /** The bytes to send once connected, from position to limit, which the loop leaves as they are; or null. */
        protected ByteBuffer request() {
            return null;
        }

        /** Without a request: the connection completed. */
        protected ProbeResult connected(Duration took) {
            return TcpConnectResults.connected(took);
        }

        /** The connect or the exchange failed, or timed out, as {@code why} says. */
        protected ProbeResult failed(ProbeResult why) {
            return why;
        }

        /**
         * With a request: answer bytes came ({@code bytes[0]} up to {@code length}, an array the loop reuses, so the
         * answer is parsed on the heap); true once it is whole.
         */
        protected boolean read(byte[] bytes, int length) {
            throw new IllegalStateException("a probe without a request reads nothing");
        }

        /** With a request: the answer, once {@link #read} said it is whole or the peer closed ({@code closed}). */
        protected ProbeResult answer(boolean closed, Duration took) {
            throw new IllegalStateException("a probe without a request has no answer");
        }
    }

    private final int epollFd;
    private final int wakeFd;
    private final Executor results;
    private final Thread thread;
    private final Queue<Probe> submitted = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicLong socketFailures = new AtomicLong();
    private final ProbeDeadlines<Probe> deadlines = new ProbeDeadlines<>((p, deadline) -> p.result == null
            && p.deadlineNanos == deadline);
    // The buffers the calls per probe take, with their native addresses (LibC says why).
    private final ByteBuffer readBuffer = Structs.allocate(READ_BUFFER_BYTES);
    private final long readBufferAddress = Structs.address(readBuffer);
    /** What a read got, copied in one bulk copy for the probe to parse on the heap. */
    private final byte[] readBytes = new byte[READ_BUFFER_BYTES];
    private final ByteBuffer events = Structs.allocate(MAX_EVENTS * Structs.EPOLL_EVENT_SIZE);
    private final long eventsAddress = Structs.address(events);
    private final ByteBuffer event = Structs.allocate(Structs.EPOLL_EVENT_SIZE);
    private final long eventAddress = Structs.address(event);
    private final ByteBuffer soError = Structs.allocate(4);
    private final ByteBuffer soErrorLength = Structs.allocate(4);
    private final ByteBuffer linger = Structs.allocate(Structs.LINGER_SIZE).putInt(0, 1).putInt(4, 0);
    private final long lingerAddress = Structs.address(linger);
    private final ByteBuffer zero = Structs.allocate(Integer.BYTES);
    private final long zeroAddress = Structs.address(zero);
    private final ByteBuffer wakeValue = Structs.allocate(8).putLong(0, 1);
    private final ByteBuffer drained = Structs.allocate(8);
    private final long drainedAddress = Structs.address(drained);
    /** The probe in flight on each descriptor, indexed by descriptor number. */
    private Probe[] open = new Probe[1024];
    /** The results settled in the current pass; the loop's thread alone uses it. */
    private final List<Probe> finished = new ArrayList<>();
    /**
     * Guards {@code posted} and {@code handOver}. Two lists pass between the threads by swapping, so a batch makes no
     * list and no task when the checks' loop collects it: each side clears the one it holds.
     */
    private final Object mailbox = new Object();
    private List<Probe> posted = new ArrayList<>();
    private final ResultHandOver handOver = new ResultHandOver(ResultHandOver.INTERVAL_NANOS,
            ResultHandOver.FULL_BATCH);
    /** The list {@link #collect} read last, empty; only the results' thread uses it. */
    private List<Probe> collecting = new ArrayList<>();
    private int nextSequence;
    private long lastSocketWarningNanos;
    /** Guarded by {@code wakeValue}. */
    private boolean wakeClosed;

    private TcpProbeLoop(int epollFd, int wakeFd, Executor results, String name) {
        this.epollFd = epollFd;
        this.wakeFd = wakeFd;
        this.results = results;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
    }

    /**
     * Starts the loop's thread.
     *
     * @param results where a task that collects the results goes when {@link #collect} was not called in time: the
     *        checks' event loop, which should call it
     * @param name the thread's name
     */
    public static TcpProbeLoop start(Executor results, String name) throws IOException {
        int epollFd = LIBC.epoll_create1(LibC.EPOLL_CLOEXEC);
        PolledSocket.check(epollFd, "epoll_create1() for the TCP probe loop", "");
        int wakeFd = LIBC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        if (wakeFd < 0) {
            String error = LibC.lastErrorText();
            LIBC.close(epollFd);
            throw new IOException("eventfd() for the TCP probe loop failed: " + error);
        }
        TcpProbeLoop loop = new TcpProbeLoop(epollFd, wakeFd, results, name);
        if (!loop.register(wakeFd, LibC.EPOLLIN, WAKE)) {
            String error = LibC.lastErrorText();
            LIBC.close(wakeFd);
            LIBC.close(epollFd);
            throw new IOException("epoll_ctl() adding the TCP probe loop's eventfd failed: " + error);
        }
        loop.thread.start();
        return loop;
    }

    /** Any thread: the probe starts on the loop's next pass. After {@link #close} it fails at once. */
    public void submit(Probe probe) {
        submitted.add(probe);
        // Taken back when the loop stopped meanwhile: its last drain of the queue may have come before the add.
        if (stopping.get()) {
            if (submitted.remove(probe)) {
                probe.result = probe.failed(TcpConnectResults.notTried("the TCP probe loop is stopped",
                        Duration.ZERO));
                results.execute(() -> probe.completed(probe.result));
            }
            return;
        }
        if (!wakePending.getAndSet(true)) {
            wake();
        }
    }

    /** Writes the eventfd unless the loop closed it: its number could belong to another descriptor by then. */
    private void wake() {
        synchronized (wakeValue) {
            if (!wakeClosed) {
                LIBC.write(wakeFd, wakeValue, 8);
            }
        }
    }

    /** The probes socket(2) refused a descriptor (too many open files) since the start. */
    public long socketFailures() {
        return socketFailures.get();
    }

    /** Stops the thread and waits for it: the probes in flight fail ("the TCP probe loop stopped"). */
    @Override
    public void close() {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        wake();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            while (!stopping.get()) {
                long readStart = System.nanoTime();
                int ready = LIBC.epoll_wait(epollFd, eventsAddress, MAX_EVENTS, waitMillis(readStart));
                if (ready < 0) {
                    if (LibC.errno() == LibC.EINTR) {
                        continue;
                    }
                    log.atError().setMessage("the TCP probe loop stops: epoll_wait() failed; every TCP_CHECK and "
                            + "HTTP_GET fails from now; restart the agent").addKeyValue("error", LibC.lastErrorText())
                            .log();
                    break;
                }
                for (int i = 0; i < ready; i++) {
                    int at = i * Structs.EPOLL_EVENT_SIZE;
                    handle(events.getInt(at), events.getLong(at + Structs.EPOLL_EVENT_DATA));
                }
                if (ready < MAX_EVENTS) {
                    deadlines.expire(readStart, this::expire);
                }
                for (Probe probe = submitted.poll(); probe != null; probe = submitted.poll()) {
                    connect(probe);
                }
                post();
            }
        } finally {
            stopping.set(true);
            failAll();
            synchronized (wakeValue) {
                wakeClosed = true;
                LIBC.close(wakeFd);
            }
            LIBC.close(epollFd);
        }
    }

    private void handle(int readiness, long data) {
        if (data == WAKE) {
            LIBC.read(wakeFd, drainedAddress, 8);
            wakePending.set(false);
            return;
        }
        int fd = (int) data;
        Probe probe = fd < open.length ? open[fd] : null;
        if (probe == null || probe.sequence != (int) (data >>> 32)) {
            return;
        }
        if (!probe.connected) {
            int errno = connectError(fd, readiness);
            if (errno != 0) {
                connectFailed(probe, errno);
                return;
            }
            if (probe.request() == null) {
                settle(probe, probe.connected(since(probe)));
                return;
            }
            probe.connected = true;
        }
        if (probe.written < probe.request().remaining()) {
            write(probe);
        }
        // Room to write alone says nothing of the answer: a read then would find the socket empty.
        if (probe.fd == fd && probe.written == probe.request().remaining()
                && (readiness & (LibC.EPOLLIN | LibC.EPOLLERR | LibC.EPOLLHUP)) != 0) {
            read(probe);
        }
    }

    /**
     * The connect's errno, 0 once connected. The kernel reports a connecting socket writable only once it is
     * connected, and a failed connect with EPOLLERR (or EPOLLHUP), so SO_ERROR is read only then: a syscall fewer per
     * connect that succeeds.
     */
    private int connectError(int fd, int readiness) {
        if ((readiness & (LibC.EPOLLERR | LibC.EPOLLHUP)) == 0) {
            return 0;
        }
        soErrorLength.putInt(0, 4);
        return LIBC.getsockopt(fd, LibC.SOL_SOCKET, LibC.SO_ERROR, soError, soErrorLength) < 0 ? LibC.errno()
                : soError.getInt(0);
    }

    /**
     * Writes what is left of the request until it is all sent or the socket is full; the descriptor is edge-triggered,
     * so the kernel reports room again only once a write found none.
     */
    private void write(Probe probe) {
        ByteBuffer request = probe.request();
        while (probe.written < request.remaining()) {
            int left = request.remaining() - probe.written;
            ByteBuffer from = probe.written == 0 ? request : request.slice(request.position() + probe.written, left);
            long sent = LIBC.write(probe.fd, from, left);
            if (sent < 0) {
                if (LibC.errno() != LibC.EAGAIN) {
                    exchangeFailed(probe);
                }
                return;
            }
            probe.written += (int) sent;
            bytesMoved(probe);
        }
    }

    /**
     * Reads until the answer is whole, the peer closed or the socket is empty: edge-triggered, the descriptor is
     * reported again only for bytes that come after a read found none.
     */
    private void read(Probe probe) {
        while (true) {
            long n = LIBC.read(probe.fd, readBufferAddress, READ_BUFFER_BYTES);
            if (n < 0) {
                if (LibC.errno() != LibC.EAGAIN) {
                    exchangeFailed(probe);
                }
                return;
            }
            if (n == 0) {
                settle(probe, probe.answer(true, since(probe)));
                return;
            }
            readBuffer.get(0, readBytes, 0, (int) n);
            if (probe.read(readBytes, (int) n)) {
                settle(probe, probe.answer(false, since(probe)));
                return;
            }
            bytesMoved(probe);
        }
    }

    /** The exchange's next wait gets a whole connect_timeout from now. */
    private void bytesMoved(Probe probe) {
        probe.deadlineNanos = deadlines.add(probe, System.nanoTime(), probe.target.timeoutNanos);
    }

    private void connectFailed(Probe probe, int errno) {
        settle(probe, probe.failed(TcpConnectResults.failed(errno, LIBC.strerror(errno), since(probe))));
    }

    /** The connection broke after the connect: the errno's text, as the Netty-based prober's exception said it. */
    private void exchangeFailed(Probe probe) {
        int errno = LibC.errno();
        settle(probe, probe.failed(ProbeResult.failure(LIBC.strerror(errno), since(probe))));
    }

    private void expire(Probe probe) {
        settle(probe, probe.failed(TcpConnectResults.timedOut(since(probe))));
    }

    private void connect(Probe probe) {
        Target target = probe.target;
        probe.startNanos = System.nanoTime();
        int fd = LIBC.socket(target.family, LibC.SOCK_STREAM | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            int errno = LibC.errno();
            noSocket(probe, "socket(): " + LIBC.strerror(errno) + " (errno " + errno + ")"
                    + (errno == LibC.EMFILE || errno == LibC.ENFILE
                    ? "; raise the agent's LimitNOFILE, or check fewer real servers at once" : ""));
            return;
        }
        probe.fd = fd;
        if (target.closeWithReset
                && LIBC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_LINGER, lingerAddress, Structs.LINGER_SIZE) < 0) {
            notTried(probe, "setsockopt(SO_LINGER 0) for close_with_reset: " + LibC.lastErrorText());
            return;
        }
        if (target.mark != null
                && LIBC.setsockopt(fd, LibC.SOL_SOCKET, LibC.SO_MARK, target.markAddress, Integer.BYTES) < 0) {
            notTried(probe, "setsockopt(SO_MARK) for untracked: " + LibC.lastErrorText()
                    + "; the agent needs CAP_NET_ADMIN for it, or drop untracked from the checker");
            return;
        }
        // An exchange writes its request as soon as it is connected: with quick ACKs off (as HAProxy connects when it
        // has data to send) the handshake's last ACK rides on the request's first segment, and the answer's ACK waits
        // for the close that follows it: two segments fewer per exchange, each handled by both ends' stacks. Left on
        // for a TCP_CHECK, whose handshake must complete without data. Its failure only costs those segments.
        if (probe.request() != null) {
            LIBC.setsockopt(fd, LibC.IPPROTO_TCP, LibC.TCP_QUICKACK, zeroAddress, Integer.BYTES);
        }
        if (target.local != null && LIBC.bind(fd, target.local, target.localLength) < 0) {
            notTried(probe, "bind() to bindto " + target.bindto + ": " + LibC.lastErrorText());
            return;
        }
        int started = LIBC.connect(fd, target.remoteAddress, target.remoteLength);
        if (started != 0 && LibC.errno() != LibC.EINPROGRESS) {
            connectFailed(probe, LibC.errno());
            return;
        }
        nextSequence = (nextSequence + 1) & Integer.MAX_VALUE;
        probe.sequence = nextSequence;
        if (fd >= open.length) {
            open = Arrays.copyOf(open, Math.max(fd + 1, open.length * 2));
        }
        open[fd] = probe;
        if (started == 0) {
            connectedAtOnce(probe);
            return;
        }
        if (!target.shortcut.ask()) {
            awaitConnect(probe);
            return;
        }
        // Asked once more: a real server on this machine has answered inside the first call, which only said the
        // connect started; settled now, the probe needs no epoll registration, and its socket is closed at once.
        // An exchange asks with its request's first write, which it makes once connected anyway: a call fewer.
        ByteBuffer request = probe.request();
        int errno = 0;
        ConnectProgress progress;
        if (request == null) {
            int again = LIBC.connect(fd, target.remoteAddress, target.remoteLength);
            errno = again == 0 ? 0 : LibC.errno();
            progress = ConnectProgress.of(again, errno);
        } else {
            long sent = LIBC.write(fd, request, request.remaining());
            errno = sent < 0 ? LibC.errno() : 0;
            progress = ConnectProgress.ofWrite(sent, errno);
            if (sent > 0) {
                probe.written = (int) sent;
                bytesMoved(probe);
            }
        }
        target.shortcut.answered(progress);
        switch (progress) {
            case CONNECTED -> connectedAtOnce(probe);
            case FAILED -> connectFailed(probe, errno);
            case IN_PROGRESS -> awaitConnect(probe);
        }
    }

    /**
     * A TCP_CHECK waits for one event. An exchange waits for the connect, then for each part of the answer: its
     * descriptor is registered once, edge-triggered for both directions, instead of re-armed by an epoll_ctl per
     * wait; the close takes it out of the set.
     */
    private void awaitConnect(Probe probe) {
        int readiness = probe.request() == null ? LibC.EPOLLOUT | LibC.EPOLLONESHOT
                : LibC.EPOLLOUT | LibC.EPOLLIN | LibC.EPOLLET;
        if (!register(probe.fd, readiness, ((long) probe.sequence << 32) | probe.fd)) {
            notTried(probe, "epoll_ctl(): " + LibC.lastErrorText());
            return;
        }
        probe.deadlineNanos = deadlines.add(probe, probe.startNanos, probe.target.timeoutNanos);
    }

    /**
     * Connected within connect(2): a TCP_CHECK is settled; an exchange writes its request at once and only then joins
     * the epoll set, edge-triggered, for the answer (and for room to write, if the request did not fit), a whole
     * connect_timeout from now.
     */
    private void connectedAtOnce(Probe probe) {
        if (probe.request() == null) {
            settle(probe, probe.connected(since(probe)));
            return;
        }
        probe.connected = true;
        write(probe);
        if (probe.fd < 0) {
            return;
        }
        boolean rest = probe.written < probe.request().remaining();
        if (!register(probe.fd, LibC.EPOLLIN | LibC.EPOLLET | (rest ? LibC.EPOLLOUT : 0),
                ((long) probe.sequence << 32) | probe.fd)) {
            notTried(probe, "epoll_ctl(): " + LibC.lastErrorText());
            return;
        }
        if (probe.written == 0) {
            bytesMoved(probe);
        }
    }

    private boolean register(int fd, int eventMask, long data) {
        event.putInt(0, eventMask).putLong(Structs.EPOLL_EVENT_DATA, data);
        return LIBC.epoll_ctl(epollFd, LibC.EPOLL_CTL_ADD, fd, eventAddress) == 0;
    }

    private void noSocket(Probe probe, String what) {
        long failures = socketFailures.incrementAndGet();
        long now = System.nanoTime();
        if (failures == 1 || now - lastSocketWarningNanos >= SOCKET_WARNING_GAP_NANOS) {
            lastSocketWarningNanos = now;
            log.atWarn().setMessage("a TCP_CHECK got no socket; it fails without a connect")
                    .addKeyValue("error", what).addKeyValue("failuresSinceStart", failures).log();
        }
        notTried(probe, what);
    }

    private void notTried(Probe probe, String what) {
        settle(probe, probe.failed(TcpConnectResults.notTried(what, since(probe))));
    }

    /** Closes the probe's descriptor, if it has one, and queues its result for the pass's post. */
    private void settle(Probe probe, ProbeResult result) {
        if (probe.fd >= 0) {
            if (probe.fd < open.length && open[probe.fd] == probe) {
                open[probe.fd] = null;
            }
            LIBC.close(probe.fd);
            probe.fd = -1;
        }
        probe.result = result;
        finished.add(probe);
    }

    private int waitMillis(long nowNanos) {
        int socketsWaitMillis = deadlines.waitMillis(nowNanos);
        synchronized (mailbox) {
            return handOver.waitMillis(nowNanos, socketsWaitMillis);
        }
    }

    /** Posts the pass's results for {@link #collect}, and sends a task that collects if it is due. */
    private void post() {
        long now = System.nanoTime();
        boolean call;
        synchronized (mailbox) {
            posted.addAll(finished);
            handOver.posted(now, finished.size());
            call = handOver.due(now);
            if (call) {
                handOver.called();
            }
        }
        finished.clear();
        if (call) {
            results.execute(this::collect);
        }
    }

    /**
     * On the results' thread alone, the checks' loop: completes every probe whose result was posted, in the order
     * they settled. Called at each wake-up of its calendar, and by the task this loop sends when that did not come in
     * time.
     */
    public void collect() {
        List<Probe> batch;
        synchronized (mailbox) {
            if (posted.isEmpty()) {
                return;
            }
            batch = posted;
            posted = collecting;
            handOver.collected();
        }
        collecting = batch;
        try {
            for (int i = 0; i < batch.size(); i++) {
                Probe probe = batch.get(i);
                probe.completed(probe.result);
            }
        } finally {
            batch.clear();
        }
    }

    private void failAll() {
        for (Probe probe : open) {
            if (probe != null) {
                notTried(probe, "the TCP probe loop stopped");
            }
        }
        for (Probe probe = submitted.poll(); probe != null; probe = submitted.poll()) {
            probe.startNanos = System.nanoTime();
            notTried(probe, "the TCP probe loop stopped");
        }
        synchronized (mailbox) {
            posted.addAll(finished);
        }
        finished.clear();
        results.execute(this::collect);
    }

    private static Duration since(Probe probe) {
        return Duration.ofNanos(System.nanoTime() - probe.startNanos);
    }
}
