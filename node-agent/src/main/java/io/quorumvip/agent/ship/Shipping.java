package io.quorumvip.agent.ship;

import io.quorumvip.agent.http.AgentMetrics;
import io.quorumvip.config.CoordinatorConfig;
import io.quorumvip.config.CoordinatorToken;
import java.io.BufferedReader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongSupplier;

/** The agent's shippers: one per coordinator url of the config, each with its own thread. */
public final class Shipping implements AutoCloseable {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final List<Shipper> shippers;

    private Shipping(List<Shipper> shippers) {
        this.shippers = List.copyOf(shippers);
    }

    /**
     * Starts one shipper per url.
     *
     * @param durableSeq the journal's last durable seq: nothing after it is read or sent
     */
    public static Shipping start(CoordinatorConfig config, String token, String node, Path journalDir,
            LongSupplier durableSeq, AgentMetrics metrics) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT).build();
        Random random = new Random();
        List<Shipper> shippers = new ArrayList<>();
        for (URI url : config.urls()) {
            Shipper shipper = new Shipper(new ShipTarget(url, node, token), journalDir, durableSeq, http,
                    REQUEST_TIMEOUT, ShipBackoff.DEFAULT, random, metrics);
            shipper.start();
            shippers.add(shipper);
        }
        return new Shipping(shippers);
    }

    /**
     * The token as configured: the literal, or the first line of the token file.
     *
     * @throws IOException naming the file when it cannot be read or has no token on its first line
     */
    public static String token(CoordinatorToken source) throws IOException {
        if (source instanceof CoordinatorToken.Literal literal) {
            return literal.value();
        }
        Path file = ((CoordinatorToken.File) source).path();
        String line;
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            line = reader.readLine();
        } catch (IOException e) {
            throw new IOException("cannot read the coordinator token file " + file + ": " + e
                    + " (write the node's token from the coordinator's tokens file on its first line)", e);
        }
        if (line == null || line.isBlank()) {
            throw new IOException("the coordinator token file " + file + " has no token on its first line"
                    + " (write the node's token from the coordinator's tokens file there)");
        }
        return line.strip();
    }

    public List<ShipperStatus> status() {
        return shippers.stream().map(Shipper::status).toList();
    }

    @Override
    public void close() {
        shippers.forEach(Shipper::close);
    }
}
