package io.quorumvip.agent.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jnr.ffi.LastError;

/**
 * One thread that lives in a named network namespace ({@code /var/run/netns/NAME}): it calls setns(CLONE_NEWNET)
 * first, and every task checks that the thread is still there before it runs, so native code handed to it can
 * never touch the test machine's own network stack.
 *
 * <p>The network namespace belongs to the thread in Linux, and sockets keep the namespace they were created in, so
 * sockets made here can then be used from any thread.
 */
public final class NamespaceThread implements AutoCloseable {
    private final String namespace;
    private final ExecutorService thread;
    private final Path expected;

    private NamespaceThread(String namespace) {
        this.namespace = namespace;
        this.expected = Path.of("/var/run/netns", namespace);
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "netns-" + namespace);
            t.setDaemon(true);
            return t;
        });
    }

    /** A thread in {@code namespace} (made with {@code ip netns add}); fails if it cannot enter it. */
    public static NamespaceThread enter(String namespace) throws Exception {
        NamespaceThread entered = new NamespaceThread(namespace);
        try {
            entered.submit(() -> {
                setns(entered.expected);
                return null;
            });
            return entered;
        } catch (Exception | Error e) {
            entered.close();
            throw e;
        }
    }

    /** Runs {@code work} on the namespace's thread and returns its result, or throws what it threw. */
    public <T> T call(Callable<T> work) throws Exception {
        return submit(() -> {
            requireInside();
            return work.call();
        });
    }

    public String namespace() {
        return namespace;
    }

    @Override
    public void close() throws InterruptedException {
        thread.shutdownNow();
        thread.awaitTermination(10, TimeUnit.SECONDS);
    }

    private <T> T submit(Callable<T> work) throws Exception {
        try {
            return thread.submit(work).get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** The thread's namespace and the named one are the same inode, or the work must not run. */
    private void requireInside() throws IOException {
        Object mine = Files.getAttribute(Path.of("/proc/thread-self/ns/net"), "unix:ino");
        Object theirs = Files.getAttribute(expected, "unix:ino");
        if (!mine.equals(theirs)) {
            throw new IllegalStateException("thread " + Thread.currentThread().getName() + " is in network namespace"
                    + " inode " + mine + ", not in " + namespace + " (inode " + theirs + "): refusing to run");
        }
    }

    private static void setns(Path namespaceFile) throws IOException {
        NamespaceCalls calls = NamespaceCalls.INSTANCE;
        int fd = calls.open(namespaceFile.toString(), NamespaceCalls.O_RDONLY | NamespaceCalls.O_CLOEXEC);
        if (fd < 0) {
            throw new IOException("open(" + namespaceFile + ") failed: " + lastError(calls));
        }
        try {
            if (calls.setns(fd, NamespaceCalls.CLONE_NEWNET) < 0) {
                throw new IOException("setns(" + namespaceFile + ", CLONE_NEWNET) failed: " + lastError(calls));
            }
        } finally {
            calls.close(fd);
        }
    }

    private static String lastError(NamespaceCalls calls) {
        int errno = LastError.getLastError(jnr.ffi.Runtime.getRuntime(calls));
        return LibC.INSTANCE.strerror(errno) + " (errno " + errno + ")";
    }
}
