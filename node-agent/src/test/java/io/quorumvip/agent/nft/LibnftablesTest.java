package io.quorumvip.agent.nft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quorumvip.agent.net.NamespaceThread;
import io.quorumvip.lab.LabPreconditions;

/**
 * libnftables through {@link Libnftables}, inside a network namespace this class creates and deletes (root only):
 * the context is opened and used on a thread that entered the namespace, so the machine's own ruleset is never
 * touched (checked at the end).
 */
class LibnftablesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TABLE = "qvt_nft";

    private static String namespace;
    private static NamespaceThread inside;
    private static final List<String> hostTablesBefore = new ArrayList<>();
    private Libnftables nft;

    @BeforeAll
    static void createNamespace() throws Exception {
        LabPreconditions.assumeLabCanRun();
        LabPreconditions.assumeTools("nft");
        hostTablesBefore.addAll(hostTables());
        namespace = "qvt-nft-" + UUID.randomUUID().toString().substring(0, 8);
        command("ip", "netns", "add", namespace);
        command("ip", "-n", namespace, "link", "add", "eth0", "type", "veth", "peer", "name", "eth1");
        command("ip", "-n", namespace, "link", "set", "eth0", "up");
        inside = NamespaceThread.enter(namespace);
    }

    @AfterAll
    static void deleteNamespaceAndCheckTheHost() throws Exception {
        if (namespace == null) {
            return;
        }
        try {
            if (inside != null) {
                inside.close();
            }
        } finally {
            command("ip", "netns", "del", namespace);
        }
        assertThat(hostTables()).as("the host's own tables").isEqualTo(hostTablesBefore);
    }

    @BeforeEach
    void open() throws Exception {
        nft = inside.call(Libnftables::open);
    }

    @AfterEach
    void removeTablesAndClose() throws Exception {
        inside.call(() -> command("ip", "netns", "exec", namespace, "nft", "flush", "ruleset"));
        if (nft != null) {
            nft.close();
        }
    }

    @Test
    void shouldAddTableChainAndMapInOneTransactionAndListThemAsJson() throws Exception {
        String output = inside.call(() -> nft.run(addTableChainMap(TABLE)));

        JsonNode listed = JSON.readTree(inside.call(() -> nft.run("""
                {"nftables":[{"list":{"table":{"family":"ip","name":"%s"}}}]}""".formatted(TABLE))));

        assertThat(output).isEmpty();
        assertThat(objects(listed, "table")).extracting(t -> t.path("name").asText()).containsExactly(TABLE);
        JsonNode chain = objects(listed, "chain").get(0);
        assertThat(chain.path("name").asText()).isEqualTo("prerouting");
        assertThat(chain.path("hook").asText()).isEqualTo("prerouting");
        assertThat(chain.path("type").asText()).isEqualTo("nat");
        JsonNode map = objects(listed, "map").get(0);
        assertThat(map.path("name").asText()).isEqualTo("backends");
        assertThat(map.path("map").asText()).isEqualTo("ipv4_addr");
        assertThat(map.path("elem").toString()).contains("198.51.100.51").contains("198.51.100.52");
        assertThat(nftListed()).contains("table ip " + TABLE).contains("map backends");
    }

    @Test
    void shouldResolveDeviceNamesInTheNamespaceForNetdevChains() throws Exception {
        inside.call(() -> nft.run("""
                {"nftables":[
                  {"add":{"table":{"family":"netdev","name":"%1$s"}}},
                  {"add":{"chain":{"family":"netdev","table":"%1$s","name":"ingress","type":"filter",
                                   "hook":"ingress","dev":"eth0","prio":0,"policy":"accept"}}}
                ]}""".formatted(TABLE)));

        assertThat(nftListed()).contains("table netdev " + TABLE).contains("hook ingress device \"eth0\"");
    }

    @Test
    void shouldApplyNothingWhenTheKernelRefusesOneCommandOfTheTransaction() throws Exception {
        inside.call(() -> nft.run("""
                {"nftables":[{"add":{"table":{"family":"ip","name":"qvt_existing"}}}]}"""));
        // "create" is add-if-absent: libnftables lets it through, the kernel answers EEXIST for the whole batch.
        String transaction = addTableChainMap(TABLE,
                "{\"create\":{\"table\":{\"family\":\"ip\",\"name\":\"qvt_existing\"}}}");

        assertThatThrownBy(() -> inside.call(() -> nft.run(transaction)))
                .isInstanceOf(NftablesException.class)
                .satisfies(e -> assertThat(((NftablesException) e).errorText()).contains("File exists"));
        assertThat(nftListed()).doesNotContain(TABLE + " ").doesNotContain("backends").contains("qvt_existing");
    }

    @Test
    void shouldApplyNothingWhenOneCommandFailsToEvaluate() throws Exception {
        String transaction = addTableChainMap(TABLE, """
                {"add":{"rule":{"family":"ip","table":"%s","chain":"prerouting",
                                "expr":[{"match":{"op":"==","left":{"payload":{"protocol":"tcp","field":"dport"}},
                                                  "right":"no-such-service"}},
                                        {"accept":null}]}}}""".formatted(TABLE));

        assertThatThrownBy(() -> inside.call(() -> nft.run(transaction)))
                .isInstanceOf(NftablesException.class)
                .satisfies(e -> assertThat(((NftablesException) e).errorText()).contains("Could not resolve service"));
        assertThat(nftListed()).doesNotContain(TABLE);
    }

    @Test
    void shouldGiveLibnftablesErrorTextForACommandItCannotRun() throws Exception {
        String deleteMissing = """
                {"nftables":[{"delete":{"table":{"family":"ip","name":"qvt_missing"}}}]}""";
        String unknownObject = """
                {"nftables":[{"add":{"tabel":{"family":"ip","name":"x"}}}]}""";

        assertThatThrownBy(() -> inside.call(() -> nft.run(deleteMissing)))
                .isInstanceOf(NftablesException.class)
                .hasMessageContaining("No such file or directory")
                .satisfies(e -> assertThat(((NftablesException) e).errorText()).contains("No such file or directory"));
        assertThatThrownBy(() -> inside.call(() -> nft.run(unknownObject)))
                .isInstanceOf(NftablesException.class)
                .satisfies(e -> assertThat(((NftablesException) e).errorText())
                        .contains("Unknown object passed to add command"));
    }

    @Test
    void shouldRejectInputThatIsNotNftablesJsonBeforeSendingIt() {
        assertThatThrownBy(() -> nft.run("add table ip x"))
                .isInstanceOf(NftablesException.class)
                .hasMessageContaining("not JSON").hasMessageContaining("libnftables-json(5)");
        assertThatThrownBy(() -> nft.run("{\"tables\":[]}"))
                .isInstanceOf(NftablesException.class)
                .hasMessageContaining("no top-level \"nftables\" array");
    }

    @Test
    void shouldRefuseRunAfterCloseAndCloseTwiceQuietly() {
        nft.close();
        nft.close();

        assertThatThrownBy(() -> nft.run("{\"nftables\":[]}")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldSerialiseTransactionsFromSeveralThreadsSharingOneContext() throws Exception {
        inside.call(() -> nft.run("""
                {"nftables":[{"add":{"table":{"family":"ip","name":"%1$s"}}},
                  {"add":{"set":{"family":"ip","table":"%1$s","name":"seen","type":"ipv4_addr"}}}]}""".formatted(TABLE)));
        List<NamespaceThread> threads = new ArrayList<>();
        try {
            List<CompletableFuture<Void>> writers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                NamespaceThread thread = NamespaceThread.enter(namespace);
                threads.add(thread);
                int first = t * 25;
                writers.add(CompletableFuture.runAsync(() -> addOneByOne(thread, first, 25)));
            }
            CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } finally {
            for (NamespaceThread thread : threads) {
                thread.close();
            }
        }

        JsonNode set = JSON.readTree(inside.call(() -> nft.run("""
                {"nftables":[{"list":{"set":{"family":"ip","table":"%s","name":"seen"}}}]}""".formatted(TABLE))));
        assertThat(objects(set, "set").get(0).path("elem")).hasSize(100);
    }

    /**
     * Not a check but a measurement for the pool-change latency goal: how long one transaction takes through
     * libnftables for a NAT pool of 10 and of 1,000 real servers held in a named map, three ways. Printed.
     */
    @Test
    void measureTransactionLatencyForPoolsOf10And1000RealServers() throws Exception {
        for (int size : new int[] {10, 1000}) {
            List<Long> rebuild = new ArrayList<>();
            List<Long> refill = new ArrayList<>();
            List<Long> oneElement = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                rebuild.add(timed(poolTable(size)));
                refill.add(timed(poolRefill(size)));
            }
            for (int i = 0; i < 100; i++) {
                oneElement.add(timed(poolElementChanged(i % size, i)));
            }
            System.out.printf("libnftables transaction, pool of %d: whole table rebuilt %s; map flushed and refilled"
                    + " %s; one element replaced %s%n", size, percentiles(rebuild), percentiles(refill),
                    percentiles(oneElement));

            JsonNode pool = JSON.readTree(inside.call(() -> nft.run("""
                    {"nftables":[{"list":{"map":{"family":"ip","table":"%s","name":"pool"}}}]}""".formatted(TABLE))));
            assertThat(objects(pool, "map").get(0).path("elem")).hasSize(size);
        }
    }

    @Test
    void shouldNameTheDebianPackageWhenTheLibraryIsMissing() {
        assertThatThrownBy(() -> Libnftables.load("libnftables-qvt-missing.so.9"))
                .isInstanceOf(NftablesUnavailableException.class)
                .hasMessageContaining("libnftables-qvt-missing.so.9")
                .hasMessageContaining("libnftables1");
    }

    private void addOneByOne(NamespaceThread thread, int first, int count) {
        try {
            for (int i = first; i < first + count; i++) {
                String element = "198.51.100." + (i + 1);
                thread.call(() -> nft.run("""
                        {"nftables":[{"add":{"element":{"family":"ip","table":"%s","name":"seen",
                                                         "elem":["%s"]}}}]}""".formatted(TABLE, element)));
            }
        } catch (Exception e) {
            throw new IllegalStateException("adding elements " + first + ".. failed", e);
        }
    }

    private long timed(String document) throws Exception {
        return inside.call(() -> {
            long start = System.nanoTime();
            nft.run(document);
            return System.nanoTime() - start;
        });
    }

    private static String percentiles(List<Long> nanos) {
        List<Long> sorted = nanos.stream().sorted().toList();
        return String.format("p50 %.2f ms, p99 %.2f ms (n=%d)", sorted.get(sorted.size() / 2) / 1e6,
                sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1) / 1e6, sorted.size());
    }

    /**
     * A NAT pool as a named map from a choice to a real server, and the rule that dnats through it. libnftables
     * 1.0.6's JSON cannot declare a map keyed by numgen itself (type "mark" is a datatype mismatch, "integer" is
     * refused as unqualified, and JSON has no typeof), so the choice goes through the connection's mark.
     */
    private static String poolTable(int size) {
        return """
                {"nftables":[
                  {"add":{"table":{"family":"ip","name":"%1$s"}}},
                  {"delete":{"table":{"family":"ip","name":"%1$s"}}},
                  {"add":{"table":{"family":"ip","name":"%1$s"}}},
                  {"add":{"chain":{"family":"ip","table":"%1$s","name":"prerouting","type":"nat",
                                   "hook":"prerouting","prio":-100,"policy":"accept"}}},
                  {"add":{"map":{"family":"ip","table":"%1$s","name":"pool","type":"mark","map":"ipv4_addr"}}},
                  %2$s,
                  {"add":{"rule":{"family":"ip","table":"%1$s","chain":"prerouting","expr":[
                    {"match":{"op":"==","left":{"payload":{"protocol":"ip","field":"daddr"}},"right":"192.0.2.220"}},
                    {"match":{"op":"==","left":{"payload":{"protocol":"tcp","field":"dport"}},"right":80}},
                    {"mangle":{"key":{"ct":{"key":"mark"}},"value":{"numgen":{"mode":"random","mod":%3$d}}}},
                    {"dnat":{"addr":{"map":{"key":{"ct":{"key":"mark"}},"data":"@pool"}}}}]}}}
                ]}""".formatted(TABLE, poolElements(size), size);
    }

    private static String poolRefill(int size) {
        return """
                {"nftables":[{"flush":{"map":{"family":"ip","table":"%s","name":"pool"}}}, %s]}"""
                .formatted(TABLE, poolElements(size));
    }

    private static String poolElementChanged(int key, int round) {
        return """
                {"nftables":[
                  {"delete":{"element":{"family":"ip","table":"%1$s","name":"pool","elem":[%2$d]}}},
                  {"add":{"element":{"family":"ip","table":"%1$s","name":"pool",
                                     "elem":[[%2$d,"198.51.100.%3$d"]]}}}
                ]}""".formatted(TABLE, key, round % 250 + 1);
    }

    private static String poolElements(int size) {
        StringBuilder elements = new StringBuilder();
        for (int i = 0; i < size; i++) {
            elements.append(i == 0 ? "" : ",").append("[").append(i).append(",\"198.51.100.").append(i % 250 + 1)
                    .append("\"]");
        }
        return """
                {"add":{"element":{"family":"ip","table":"%s","name":"pool","elem":[%s]}}}""".formatted(TABLE, elements);
    }

    /** One document: a table with a nat chain and a map with two elements, then {@code more} commands. */
    private static String addTableChainMap(String table, String... more) {
        StringBuilder extra = new StringBuilder();
        for (String command : more) {
            extra.append(",\n").append(command);
        }
        return """
                {"nftables":[
                  {"add":{"table":{"family":"ip","name":"%1$s"}}},
                  {"add":{"chain":{"family":"ip","table":"%1$s","name":"prerouting","type":"nat",
                                   "hook":"prerouting","prio":-100,"policy":"accept"}}},
                  {"add":{"map":{"family":"ip","table":"%1$s","name":"backends","type":"mark","map":"ipv4_addr"}}},
                  {"add":{"element":{"family":"ip","table":"%1$s","name":"backends",
                                     "elem":[[1,"198.51.100.51"],[2,"198.51.100.52"]]}}}%2$s
                ]}""".formatted(table, extra);
    }

    private static List<JsonNode> objects(JsonNode listed, String kind) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode item : listed.path("nftables")) {
            if (item.has(kind)) {
                found.add(item.get(kind));
            }
        }
        return found;
    }

    /** The namespace's ruleset as the nft command shows it: an independent witness. */
    private static String nftListed() throws Exception {
        return command("ip", "netns", "exec", namespace, "nft", "list", "ruleset");
    }

    private static List<String> hostTables() throws Exception {
        return command("nft", "list", "tables").lines().sorted().toList();
    }

    private static String command(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " failed: " + output.strip());
        }
        return output;
    }
}
