package io.quorumvip.agent.nft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
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
    void shouldNameTheDebianPackageWhenTheLibraryIsMissing() {
        assertThatThrownBy(() -> Libnftables.load("libnftables-qvt-missing.so.9"))
                .isInstanceOf(NftablesUnavailableException.class)
                .hasMessageContaining("libnftables-qvt-missing.so.9")
                .hasMessageContaining("libnftables1");
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
