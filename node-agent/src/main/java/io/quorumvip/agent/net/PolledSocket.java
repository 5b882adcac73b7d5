package io.quorumvip.agent.net;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A socket descriptor with an eventfd beside it, shared by the raw VRRP sockets: a receiver waits in poll(2) on both,
 * so {@link #close} from another thread wakes it at once; the descriptors are closed only after every call in
 * progress has left ({@link #use}), so a descriptor number is never used after the kernel could hand it out again.
 */
final class PolledSocket {

    private static final LibC LIBC = LibC.INSTANCE;

    /** A call on the open descriptor. */
    interface Call<T> {
        T run(int fd) throws IOException;
    }

    private final int fd;
    private final int wakeFd;
    private final String name;
    private final ByteBuffer pollFds = Structs.allocate(16);
    private final ByteBuffer wakeValue = Structs.allocate(8).putLong(0, 1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ReentrantReadWriteLock inUse = new ReentrantReadWriteLock();

    private PolledSocket(int fd, int wakeFd, String name) {
        this.fd = fd;
        this.wakeFd = wakeFd;
        this.name = name;
    }

    /**
     * Wraps {@code fd} (configured already) with a new eventfd; closes {@code fd} when the eventfd cannot be made.
     *
     * @param name what the socket is, for errors, e.g. "the VRRP socket on eth0"
     */
    static PolledSocket wrap(int fd, String name) throws IOException {
        int wakeFd = LIBC.eventfd(0, LibC.EFD_CLOEXEC | LibC.EFD_NONBLOCK);
        if (wakeFd < 0) {
            String error = LibC.lastErrorText();
            LIBC.close(fd);
            throw new IOException("eventfd() for " + name + " failed: " + error);
        }
        return new PolledSocket(fd, wakeFd, name);
    }

    /** Runs {@code call} on the descriptor while it stays open; parallel calls are fine. */
    <T> T use(Call<T> call) throws IOException {
        ReentrantReadWriteLock.ReadLock lock = inUse.readLock();
        lock.lock();
        try {
            if (closed.get()) {
                throw new ClosedChannelException();
            }
            return call.run(fd);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Inside {@link #use}: waits up to {@code timeoutMillis} for a datagram.
     *
     * @return false when the time ran out or a signal cut the wait short
     * @throws AsynchronousCloseException when another thread closed the socket during the wait
     */
    boolean awaitReadable(int timeoutMillis) throws IOException {
        synchronized (pollFds) {
            pollFds.putInt(0, fd).putShort(4, LibC.POLLIN).putShort(6, (short) 0);
            pollFds.putInt(8, wakeFd).putShort(12, LibC.POLLIN).putShort(14, (short) 0);
            int ready = LIBC.poll(pollFds, 2, timeoutMillis);
            if (ready < 0) {
                if (LibC.errno() == LibC.EINTR) {
                    return false;
                }
                throw new IOException("poll() on " + name + " failed: " + LibC.lastErrorText());
            }
            if (pollFds.getShort(14) != 0) {
                throw new AsynchronousCloseException();
            }
            return ready > 0;
        }
    }

    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        LIBC.write(wakeFd, wakeValue, 8);
        ReentrantReadWriteLock.WriteLock lock = inUse.writeLock();
        lock.lock();
        try {
            LIBC.close(fd);
            LIBC.close(wakeFd);
        } finally {
            lock.unlock();
        }
    }

    /** Throws naming the call, the errno text and the hint when a libc call returned a negative result. */
    static void check(int result, String call, String hint) throws IOException {
        if (result < 0) {
            throw new IOException(call + " failed: " + LibC.lastErrorText() + (hint.isEmpty() ? "" : " — " + hint));
        }
    }
}
