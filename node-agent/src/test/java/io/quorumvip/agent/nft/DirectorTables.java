package io.quorumvip.agent.nft;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quorumvip.agent.net.NamespaceThread;
import io.quorumvip.lab.LabHost;

/**
 * A director's ruleset in a lab, changed through {@link Libnftables} opened and run on a thread inside the
 * director's namespace (never the test machine's own ruleset).
 */
final class DirectorTables implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LabHost director;
    private final NamespaceThread inside;
    private final Libnftables nft;

    private DirectorTables(LabHost director, NamespaceThread inside, Libnftables nft) {
        this.director = director;
        this.inside = inside;
        this.nft = nft;
    }

    static DirectorTables of(LabHost director) throws Exception {
        NamespaceThread inside = NamespaceThread.enter(director.namespace());
        try {
            return new DirectorTables(director, inside, inside.call(Libnftables::open));
        } catch (Exception | Error e) {
            inside.close();
            throw e;
        }
    }

    /** Runs one libnftables JSON document in the director's namespace; returns its output. */
    String run(String document) throws Exception {
        return inside.call(() -> nft.run(document));
    }

    /** The packets counted by the first counter of {@code table} (family, name), if the table exists. */
    Optional<Long> counterPackets(String family, String table) throws Exception {
        String listed;
        try {
            listed = run("""
                    {"nftables":[{"list":{"table":{"family":"%s","name":"%s"}}}]}""".formatted(family, table));
        } catch (NftablesException e) {
            return Optional.empty();
        }
        for (JsonNode item : JSON.readTree(listed).path("nftables")) {
            for (JsonNode expression : item.path("rule").path("expr")) {
                if (expression.has("counter")) {
                    return Optional.of(expression.path("counter").path("packets").asLong());
                }
            }
        }
        return Optional.empty();
    }

    LabHost director() {
        return director;
    }

    @Override
    public void close() throws Exception {
        try {
            nft.close();
        } finally {
            inside.close();
        }
    }
}
