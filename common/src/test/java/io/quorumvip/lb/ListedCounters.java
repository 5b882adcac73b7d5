package io.quorumvip.lb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The named counters as libnftables lists them ({@code list counters}), for tests that compare its view with the
 * agent's netlink dump and for the benchmark that measured the two reads: the agent itself does not list them
 * through libnftables, whose cache fill reads every set element first.
 */
public final class ListedCounters {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ListedCounters() {
    }

    /** The libnftables JSON command that lists one owned table's named counters. */
    public static String command(String family) {
        return "{\"nftables\":[{\"list\":{\"counters\":{\"family\":\"" + family + "\",\"table\":\""
                + NftProgram.TABLE + "\"}}}]}";
    }

    /**
     * Each named counter in one libnftables JSON listing, by name.
     *
     * @throws IllegalArgumentException the text is not libnftables JSON output, naming what was wrong
     */
    public static Map<String, LvsStats.Counter> parse(String listOutput) {
        JsonNode root;
        try {
            root = JSON.readTree(listOutput);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("libnftables list output is not JSON: " + e.getOriginalMessage()
                    + " (expected {\"nftables\":[...]}, libnftables-json(5))");
        }
        if (root == null || !root.path("nftables").isArray()) {
            throw new IllegalArgumentException("libnftables list output has no top-level \"nftables\" array: got '"
                    + listOutput.strip() + "' (expected {\"nftables\":[...]}, libnftables-json(5))");
        }
        Map<String, LvsStats.Counter> counters = new LinkedHashMap<>();
        for (JsonNode object : root.path("nftables")) {
            JsonNode counter = object.path("counter");
            String name = counter.path("name").asText();
            if (name.isEmpty()) {
                continue;
            }
            if (!counter.path("packets").canConvertToExactIntegral()
                    || !counter.path("bytes").canConvertToExactIntegral()) {
                throw new IllegalArgumentException("counter " + name + " has no integral packets and bytes: got "
                        + counter + " (expected {\"packets\":N,\"bytes\":N})");
            }
            counters.put(name, new LvsStats.Counter(counter.path("packets").asLong(),
                    counter.path("bytes").asLong()));
        }
        return counters;
    }
}
