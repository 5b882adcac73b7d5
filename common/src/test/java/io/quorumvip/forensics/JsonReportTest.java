package io.quorumvip.forensics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReportTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The table by id; fails on an id written twice. */
    private static Map<String, JsonNode> steps(JsonNode report) {
        Map<String, JsonNode> steps = new HashMap<>();
        report.get("steps").forEach(step -> assertThat(steps.put(step.get("id").asText(), step))
                .as("step %s written once", step.get("id").asText()).isNull());
        return steps;
    }

    @Test
    void chainsByReferenceShouldGiveBackEveryIncidentsChainOfCauses() throws IOException {
        ForensicsReport report = Forensics.analyze(HistoryGenerator.inMemory(2, 11, 3_000), ForensicsSettings.DEFAULT);

        JsonNode json = JSON.readTree(JsonReport.render(report));

        assertThat(json.get("format").asInt()).isEqualTo(JsonReport.FORMAT);
        Map<String, JsonNode> steps = steps(json);
        List<Incident> incidents = report.incidents();
        assertThat(json.get("incidents")).hasSize(incidents.size()).hasSizeGreaterThan(100);
        int named = 0;
        for (int i = 0; i < incidents.size(); i++) {
            List<CauseStep> read = new ArrayList<>();
            for (JsonNode id : json.get("incidents").get(i).get("causes")) {
                JsonNode step = steps.get(id.asText());
                assertThat(step).as("step %s of incident %d", id.asText(), i).isNotNull();
                read.add(new CauseStep(step.get("node").asText(), step.get("seq").asLong(),
                        micros(step.get("time").asText()),
                        step.get("hlc").asLong(), step.get("text").asText()));
                named++;
            }
            // The time is written to the millisecond, as in the text.
            assertThat(read).isEqualTo(incidents.get(i).causes().stream().map(s -> new CauseStep(s.node(), s.seq(),
                    s.timeMicros() / 1000 * 1000, s.hlc(), s.text())).toList());
        }
        // The point of the table: a step named by several chains is written once.
        assertThat(steps.size()).isLessThan(named);
    }

    @Test
    void aStepShouldBeWrittenOnceHoweverFarApartItsSequencesAndChainsAre() throws IOException {
        List<CauseStep> first = List.of(step("n1", 65_535), step("n1", 65_536), step("n2", 65_536));
        List<CauseStep> second = List.of(step("n2", 65_536), step("n1", 1L << 40), step("n1", 65_535), step("n1", 0));
        StringWriter out = new StringWriter();

        try (JsonReport.Stream stream = new JsonReport.Stream(out, ForensicsSettings.DEFAULT, null)) {
            stream.incident(incident(first), null);
            stream.incident(incident(second), null);
            stream.finish(new Forensics.Summary(ForensicsSettings.DEFAULT, List.of("n1", "n2"), 0, 1, List.of(),
                    List.of(), false), List.of());
        }

        JsonNode json = JSON.readTree(out.toString());
        assertThat(json.get("incidents").get(1).get("causes")).extracting(JsonNode::asText)
                .containsExactly("n2#65536", "n1#1099511627776", "n1#65535", "n1#0");
        assertThat(steps(json)).containsOnlyKeys("n1#65535", "n1#65536", "n2#65536", "n1#1099511627776", "n1#0");
        assertThat(json.get("steps")).extracting(s -> s.get("text").asText())
                .containsExactly("n1 65535", "n1 65536", "n2 65536", "n1 1099511627776", "n1 0");
        assertThat(out.toString()).startsWith("{\"format\":2,").doesNotContain("\n");
    }

    private static long micros(String instant) {
        Instant t = Instant.parse(instant);
        return t.getEpochSecond() * 1_000_000 + t.getNano() / 1000;
    }

    private static CauseStep step(String node, long seq) {
        return new CauseStep(node, seq, 1_000_000, 1L << 20, node + " " + seq);
    }

    private static Incident incident(List<CauseStep> causes) {
        return new Incident(IncidentKind.DUAL_MASTER, 0, 1, 1, 1, List.of("n1", "n2"), "VI_1", 51, "", "both MASTER",
                causes, List.of());
    }
}
