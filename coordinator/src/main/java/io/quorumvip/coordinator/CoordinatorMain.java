package io.quorumvip.coordinator;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code qvip coordinator}: ingests the agents' journals and serves the cluster's timeline until SIGTERM or SIGINT.
 * Exit 0 after a clean stop, 1 when it could not start (port taken, damaged archive), 2 for bad usage or input.
 */
@Command(name = "qvip coordinator", mixinStandardHelpOptions = true,
        description = "Run the quorum-vip coordinator: one durable copy of every agent's journal, and the cluster API.")
public final class CoordinatorMain implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(CoordinatorMain.class);

    @Option(names = "--listen", defaultValue = "127.0.0.1:9120", paramLabel = "HOST:PORT",
            description = "where the HTTP API listens (default ${DEFAULT-VALUE})")
    String listen;

    @Option(names = "--data", defaultValue = "/var/lib/quorum-vip/coordinator", paramLabel = "DIR",
            description = "where the nodes' archived journals live (default ${DEFAULT-VALUE})")
    Path data;

    @Option(names = "--tokens", required = true, paramLabel = "FILE",
            description = "properties file of node=token lines: the bearer token each agent ships with")
    Path tokensFile;

    public static void main(String[] args) {
        System.exit(new CommandLine(new CoordinatorMain()).setExitCodeExceptionMapper(e -> 2).execute(args));
    }

    /**
     * One event loop; the page's files are unpacked from the jar into a directory Vert.x removes when it stops, made
     * under the data directory rather than /tmp, so one left by a coordinator killed before its shutdown hook ran
     * stays with that coordinator's data.
     */
    static VertxOptions vertxOptions(Path data) {
        return new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(4)
                .setFileSystemOptions(new FileSystemOptions().setFileCacheDir(data.resolve("page-cache").toString()));
    }

    @Override
    public Integer call() throws InterruptedException {
        int colon = listen.lastIndexOf(':');
        if (colon <= 0 || !listen.substring(colon + 1).matches("\\d{1,5}")
                || Integer.parseInt(listen.substring(colon + 1)) > 65535) {
            System.err.println("qvip coordinator: --listen got '" + listen + "' (expected HOST:PORT, e.g. 127.0.0.1:9120)");
            return 2;
        }
        NodeTokens tokens;
        try {
            tokens = NodeTokens.load(tokensFile);
        } catch (NoSuchFileException e) {
            System.err.println("qvip coordinator: --tokens " + tokensFile + " does not exist (expected a file of node=token lines)");
            return 2;
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("qvip coordinator: cannot use --tokens " + tokensFile + ": " + e.getMessage());
            return 2;
        }
        Vertx vertx = Vertx.vertx(vertxOptions(data));
        CoordinatorServer server;
        try {
            server = CoordinatorServer.start(vertx, data, tokens, listen.substring(0, colon),
                    Integer.parseInt(listen.substring(colon + 1)), () -> System.currentTimeMillis() * 1000)
                    .toCompletionStage().toCompletableFuture().join();
        } catch (RuntimeException e) {
            System.err.println("qvip coordinator: cannot start on " + listen + " with --data " + data + ": "
                    + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()));
            vertx.close();
            return 1;
        }
        log.info("coordinator listening listen={}:{} data={}", listen.substring(0, colon), server.port(), data);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping");
            server.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS)
                    .exceptionally(e -> {
                        log.error("closing the coordinator failed", e);
                        return null;
                    }).join();
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(5, TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
            log.info("coordinator stopped");
            stopped.countDown();
        }, "qvip-coordinator-shutdown"));
        stopped.await();
        return 0;
    }
}
