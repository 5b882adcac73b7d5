package io.quorumvip.agent.lease;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Three real ZooKeeper servers ({@code QuorumPeerMain}) as child JVMs on 127.0.0.1 with free ports, for the lease
 * tests: fast to start, stopped and killed by their own process handles, removed with their data on close.
 */
final class LocalEnsemble implements AutoCloseable {

    static final int TICK_MS = 200;
    private static final String LOOPBACK = "127.0.0.1";

    private final Path dir;
    private final List<Server> servers = new ArrayList<>();

    /** One server: its id (1-3), ports and, while running, its process. */
    final class Server {
        final int id;
        final int clientPort;
        final int peerPort;
        final int electionPort;
        private Process process;

        Server(int id, int clientPort, int peerPort, int electionPort) {
            this.id = id;
            this.clientPort = clientPort;
            this.peerPort = peerPort;
            this.electionPort = electionPort;
        }

        void start() {
            if (process != null && process.isAlive()) {
                throw new IllegalStateException("zk" + id + " already runs (pid " + process.pid() + ")");
            }
            Path serverDir = dir.resolve("zk" + id);
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xms16m", "-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                    "org.apache.zookeeper.server.quorum.QuorumPeerMain", serverDir.resolve("zoo.cfg").toString());
            try {
                process = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(Redirect.appendTo(serverDir.resolve("server.log").toFile()))
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start ZooKeeper server zk" + id + ": " + e.getMessage(), e);
            }
        }

        /** SIGKILL: the server gets no chance to say goodbye. */
        void kill9() {
            if (process != null) {
                process.destroyForcibly();
                awaitExit();
            }
        }

        /** SIGTERM, then SIGKILL if it lingers. */
        void stop() {
            if (process != null) {
                process.destroy();
                try {
                    if (!process.waitFor(5, TimeUnit.SECONDS)) {
                        process.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    process.destroyForcibly();
                }
                awaitExit();
            }
        }

        /** SIGSTOP: the server keeps its connections open and answers nothing, as when its host is cut off. */
        void pause() {
            signal("STOP");
        }

        /** SIGCONT after {@link #pause}. */
        void resume() {
            signal("CONT");
        }

        private void signal(String name) {
            if (!isAlive()) {
                throw new IllegalStateException("zk" + id + " does not run: cannot send SIG" + name);
            }
            try {
                Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
                if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                    throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed for zk" + id);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot run kill -" + name + " for zk" + id, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while signalling zk" + id, e);
            }
        }

        /**
         * Whether a client with a session is connected to this server: {@code stat} lists each connection as
         * {@code /ip:port[1](...)} once its session is established ({@code [0]} for the asking connection itself).
         */
        boolean servesASession() {
            return fourLetterWord("stat").contains("[1](");
        }

        boolean isAlive() {
            return process != null && process.isAlive();
        }

        /** "leader", "follower" or "standalone" from the four-letter word {@code srvr}; empty while not serving. */
        Optional<String> mode() {
            return fourLetterWord("srvr").lines().filter(line -> line.startsWith("Mode: "))
                    .map(line -> line.substring("Mode: ".length()).strip()).findFirst();
        }

        /** The server's answer to a four-letter word; empty when it does not run or does not answer. */
        private String fourLetterWord(String word) {
            if (!isAlive()) {
                return "";
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(LOOPBACK, clientPort), 500);
                socket.setSoTimeout(1_000);
                OutputStream out = socket.getOutputStream();
                out.write(word.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                return "";
            }
        }

        private void awaitExit() {
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("zk" + id + " (pid " + process.pid() + ") still alive 10 s "
                            + "after SIGKILL");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for zk" + id + " to exit", e);
            }
        }

        @Override
        public String toString() {
            return "zk" + id + " (" + LOOPBACK + ":" + clientPort + ", pid "
                    + (process == null ? "-" : process.pid()) + ")";
        }
    }

    private LocalEnsemble(Path dir) {
        this.dir = dir;
    }

    /** Starts three servers; they elect a leader by themselves (see {@link #awaitQuorum}). */
    static LocalEnsemble start() {
        LocalEnsemble ensemble;
        try {
            ensemble = new LocalEnsemble(Files.createTempDirectory("qvip-zk"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temp dir for ZooKeeper", e);
        }
        try {
            List<Integer> ports = freePorts(9);
            for (int id = 1; id <= 3; id++) {
                int base = (id - 1) * 3;
                ensemble.servers.add(ensemble.new Server(id, ports.get(base), ports.get(base + 1), ports.get(base + 2)));
            }
            for (Server server : ensemble.servers) {
                ensemble.writeConfig(server);
            }
            ensemble.servers.forEach(Server::start);
            return ensemble;
        } catch (RuntimeException e) {
            ensemble.close();
            throw e;
        }
    }

    Server server(int id) {
        return servers.get(id - 1);
    }

    List<Server> servers() {
        return List.copyOf(servers);
    }

    String connectString() {
        return servers.stream().map(s -> LOOPBACK + ":" + s.clientPort).collect(Collectors.joining(","));
    }

    /** The server that says it leads, if one does right now. */
    Optional<Server> leader() {
        return servers.stream().filter(s -> s.mode().filter("leader"::equals).isPresent()).findFirst();
    }

    /** Stops every server and deletes their data; safe to call twice. */
    @Override
    public void close() {
        RuntimeException failure = null;
        for (Server server : servers) {
            try {
                server.kill9();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            failure = failure == null ? new UncheckedIOException("cannot delete " + dir, e) : failure;
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void writeConfig(Server server) {
        Path serverDir = dir.resolve("zk" + server.id);
        StringBuilder cfg = new StringBuilder()
                .append("tickTime=").append(TICK_MS).append('\n')
                .append("initLimit=10\nsyncLimit=5\n")
                .append("minSessionTimeout=").append(2 * TICK_MS).append('\n')
                .append("maxSessionTimeout=15000\n")
                .append("dataDir=").append(serverDir.resolve("data")).append('\n')
                .append("clientPort=").append(server.clientPort).append('\n')
                .append("clientPortAddress=").append(LOOPBACK).append('\n')
                .append("admin.enableServer=false\n")
                .append("4lw.commands.whitelist=srvr,stat,mntr,ruok\n");
        for (Server peer : servers) {
            cfg.append("server.").append(peer.id).append('=').append(LOOPBACK).append(':').append(peer.peerPort)
                    .append(':').append(peer.electionPort).append('\n');
        }
        try {
            Files.createDirectories(serverDir.resolve("data"));
            Files.writeString(serverDir.resolve("data").resolve("myid"), server.id + "\n");
            Files.writeString(serverDir.resolve("zoo.cfg"), cfg.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the config of zk" + server.id + " in " + serverDir, e);
        }
    }

    /** Ports the kernel handed out just now; another process could take one before the server binds it. */
    private static List<Integer> freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK));
                sockets.add(socket);
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find free ports on " + LOOPBACK, e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // Closing a listening socket we never used cannot lose anything.
                }
            }
        }
    }
}
