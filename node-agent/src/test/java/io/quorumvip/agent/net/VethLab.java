package io.quorumvip.agent.net;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
/**
 * Two network namespaces {@code qvt-native-<random>-a} and {@code -b} joined by a veth pair named {@code eth0} on
 * both sides, with 192.0.2.11/24 and 192.0.2.12/24.
 *
 * <p>Native code runs in a namespace on a {@link NamespaceThread}. Names are resolved (if_nametoindex) in the calling thread's
 * namespace, so calls that take a device name go through {@link #inA}/{@link #inB} too.
 *
 * <p>{@link #close} removes both namespaces (which destroys the veth pair) even when a test failed.
 */
final class VethLab implements AutoCloseable {
    static final String ADDRESS_A = "192.0.2.11";
    static final String ADDRESS_B = "192.0.2.12";

    final String nsA;
    final String nsB;
    private final List<String> created = new ArrayList<>();
    private final List<NamespaceThread> threads = new ArrayList<>();
    private NamespaceThread threadA;
    private NamespaceThread threadB;

    private VethLab(String prefix) {
        this.nsA = prefix + "-a";
        this.nsB = prefix + "-b";
    }

    /** Skips the calling test (with the reason) unless it runs as root with iproute2 installed. */
    static void assumeRootAndIp() {
        Assumptions.assumeTrue(isRoot(), "needs root to create network namespaces and raw sockets");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip"))
                || Files.isExecutable(Path.of("/usr/bin/ip")), "needs the ip command (iproute2)");
    }

    static VethLab create() throws Exception {
        VethLab lab = new VethLab("qvt-native-" + UUID.randomUUID().toString().substring(0, 8));
        try {
            lab.build();
            return lab;
        } catch (Exception | Error e) {
            lab.close();
            throw e;
        }
    }

    <T> T inA(Callable<T> work) throws Exception {
        return threadA.call(work);
    }

    <T> T inB(Callable<T> work) throws Exception {
        return threadB.call(work);
    }

    /**
     * Turns IPv6 on for both eth0 (a new namespace may have it off) with DAD off, and waits until each has a
     * usable (not tentative) link-local address.
     */
    void enableIpv6() throws Exception {
        for (String namespace : created) {
            ip("netns", "exec", namespace, "sysctl", "-qw", "net.ipv6.conf.eth0.accept_dad=0",
                    "net.ipv6.conf.eth0.disable_ipv6=0");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (linkLocal(namespace) == null) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("no usable IPv6 link-local address on eth0 in " + namespace
                            + " after 10 s: " + ip("-n", namespace, "-6", "addr", "show", "dev", "eth0"));
                }
                Thread.sleep(50);
            }
        }
    }

    java.net.Inet6Address linkLocalA() throws Exception {
        return linkLocal(nsA);
    }

    java.net.Inet6Address linkLocalB() throws Exception {
        return linkLocal(nsB);
    }

    /** The non-tentative link-local address of eth0 in {@code namespace}, or null. */
    private static java.net.Inet6Address linkLocal(String namespace) throws Exception {
        for (String line : ip("-n", namespace, "-6", "-o", "addr", "show", "dev", "eth0", "scope", "link")
                .split("\n")) {
            String[] words = line.trim().split("\s+");
            if (words.length > 3 && !line.contains("tentative")) {
                return (java.net.Inet6Address) java.net.InetAddress.getByName(words[3].substring(0,
                        words[3].indexOf('/')));
            }
        }
        return null;
    }

    /** Runs {@code ip} (from the test's own namespace; use -n NS) and returns its output; fails on a non-zero exit. */
    static String ip(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("ip");
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(command + " did not finish within 30 s");
        }
        if (process.exitValue() != 0) {
            throw new IOException(command + " exited with " + process.exitValue() + ": " + output.strip());
        }
        return output;
    }

    @Override
    public void close() throws Exception {
        for (NamespaceThread thread : threads) {
            thread.close();
        }
        List<String> failures = new ArrayList<>();
        for (String namespace : created) {
            try {
                ip("netns", "del", namespace);
            } catch (IOException e) {
                failures.add(e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new IOException("could not remove test namespaces: " + failures);
        }
    }

    private void build() throws Exception {
        ip("netns", "add", nsA);
        created.add(nsA);
        ip("netns", "add", nsB);
        created.add(nsB);
        ip("-n", nsA, "link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", nsB);
        ip("-n", nsA, "addr", "add", ADDRESS_A + "/24", "dev", "eth0");
        ip("-n", nsB, "addr", "add", ADDRESS_B + "/24", "dev", "eth0");
        for (String namespace : created) {
            ip("-n", namespace, "link", "set", "lo", "up");
            ip("-n", namespace, "link", "set", "eth0", "up");
        }
        threadA = NamespaceThread.enter(nsA);
        threads.add(threadA);
        threadB = NamespaceThread.enter(nsB);
        threads.add(threadB);
    }

    private static boolean isRoot() {
        try {
            Process process = new ProcessBuilder("id", "-u").start();
            String uid = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return process.waitFor() == 0 && uid.equals("0");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
