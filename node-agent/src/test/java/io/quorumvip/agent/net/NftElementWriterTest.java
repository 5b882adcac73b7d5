package io.quorumvip.agent.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.quorumvip.lab.HostCommand;
import io.quorumvip.lab.LabPreconditions;
import io.quorumvip.lb.ElementChange;
import io.quorumvip.lb.NftProgram;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The element batch against the kernel (root only): two namespaces made for the test and removed after it start
 * with the same table; one gets a change through {@link NftElementWriter}, the other the same change as the
 * libnftables document, and {@code nft -j list table} must read the same in both.
 */
class NftElementWriterTest {

    private static final String TABLE = """
            table ip qvip_lb {
            	map slots_x { type mark : mark; elements = { 0 : 1, 1 : 1, 2 : 2, 3 : 1 } }
            	set serving_x { type mark; elements = { 1, 2 } }
            	map slots_empty { type mark : mark; }
            	chain fwd_x {
            		meta mark set meta mark map @slots_x
            	}
            }
            """;

    @TempDir
    Path dir;

    private final List<String> namespaces = new ArrayList<>();

    @BeforeEach
    void createNamespaces() throws Exception {
        LabPreconditions.assumeLabCanRun();
        LabPreconditions.assumeTools("nft");
        Path rules = Files.writeString(dir.resolve("rules.nft"), TABLE);
        for (String side : List.of("nl", "json")) {
            String namespace = "qvnel-" + side + "-" + ProcessHandle.current().pid();
            HostCommand.run("ip", "netns", "add", namespace).requireSuccess();
            namespaces.add(namespace);
            HostCommand.run("ip", "netns", "exec", namespace, "nft", "-f", rules.toString()).requireSuccess();
        }
    }

    @AfterEach
    void removeNamespaces() {
        namespaces.forEach(namespace -> HostCommand.run("ip", "netns", "del", namespace).requireSuccess());
    }

    @Test
    void shouldLeaveTheTableAsLibnftablesWouldWithTheSameChange() throws Exception {
        List<Integer> slots = IntStream.range(0, 2_500).boxed().toList();
        List<ElementChange> changes = List.of(
                new ElementChange("ip", "serving_x", false, List.of(1), List.of(3), List.of()),
                new ElementChange("ip", "slots_x", true, List.of(1, 3), List.of(1, 3, 4), List.of(2, 2, 3)),
                new ElementChange("ip", "slots_empty", true, List.of(), slots, slots.stream()
                        .map(slot -> slot % 3 + 1).toList()));

        viaNetlink(namespaces.get(0), changes);
        Path document = Files.writeString(dir.resolve("change.json"), NftProgram.elementDocument(changes));
        HostCommand.run("ip", "netns", "exec", namespaces.get(1), "nft", "-j", "-f", document.toString())
                .requireSuccess();

        JsonNode byNetlink = table(namespaces.get(0));
        assertThat(byNetlink).isEqualTo(table(namespaces.get(1)));
        assertThat(byNetlink.toString()).contains("\"name\":\"slots_x\"")
                .contains("\"elem\":[[0,1],[1,2],[2,2],[3,2],[4,3]]");
    }

    @Test
    void shouldRefuseTheWholeBatchNamingTheSetWhenTheKernelRefusesOneMessage() throws Exception {
        JsonNode before = table(namespaces.get(0));
        List<ElementChange> changes = List.of(
                new ElementChange("ip", "slots_x", true, List.of(0), List.of(0), List.of(2)),
                new ElementChange("ip", "serving_x", false, List.of(9), List.of(), List.of()));

        assertThatThrownBy(() -> viaNetlink(namespaces.get(0), changes)).isInstanceOf(NetlinkErrorException.class)
                .hasMessageContaining("NFT_MSG_DELSETELEM ip qvip_lb serving_x element 9")
                .hasMessageContaining("errno 2");
        assertThatThrownBy(() -> viaNetlink(namespaces.get(0), List.of(
                new ElementChange("ip", "slots_missing", true, List.of(), List.of(0), List.of(1)))))
                .isInstanceOf(NetlinkErrorException.class).hasMessageContaining("slots_missing");
        assertThat(table(namespaces.get(0))).as("nothing of the refused batches applied").isEqualTo(before);
    }

    private static void viaNetlink(String namespace, List<ElementChange> changes) throws Exception {
        try (NamespaceThread inside = NamespaceThread.enter(namespace)) {
            inside.call(() -> {
                try (NftElementWriter writer = NftElementWriter.open()) {
                    writer.apply("qvip_lb", changes);
                }
                return null;
            });
        }
    }

    /** The table as {@code nft -j list table} gives it, without the metainfo (versions), elements in key order. */
    private static JsonNode table(String namespace) throws Exception {
        String listed = HostCommand.run("ip", "netns", "exec", namespace, "nft", "-j", "list", "table", "ip",
                "qvip_lb").requireSuccess().stdout();
        ArrayNode objects = (ArrayNode) new ObjectMapper().readTree(listed).get("nftables");
        objects.remove(0);
        return objects;
    }
}
