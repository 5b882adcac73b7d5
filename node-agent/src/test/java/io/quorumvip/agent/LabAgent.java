package io.quorumvip.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quorumvip.lab.CommandResult;
import io.quorumvip.lab.JavaMain;
import io.quorumvip.lab.LabHost;
import io.quorumvip.lab.LabProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Our agent running in a lab namespace, started from the test classpath, and its own account of itself. */
public final class LabAgent {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LabHost host;
    private final LabProcess process;

    private LabAgent(LabHost host, LabProcess process) {
        this.host = host;
        this.process = process;
    }

    public static LabAgent start(LabHost host, Path config) {
        LabProcess process = host.startJava("agent", JavaMain.of(AgentMain.class.getName(), "--config",
                config.toString(), "--http", "127.0.0.1:9110", "--node-id", host.name(), "--journal",
                journalDir(host).toString()));
        return new LabAgent(host, process);
    }

    /** Each node's journal lives in the lab's state directory, so it goes when the lab does. */
    public static Path journalDir(LabHost host) {
        return host.stateDir().resolve("journal");
    }

    public LabProcess process() {
        return process;
    }

    public LabHost host() {
        return host;
    }

    /** The instance's state from /v1/status, or "unreachable" while the agent is not answering. */
    public String state(String instance) {
        JsonNode status = status();
        if (status == null) {
            return "unreachable";
        }
        for (JsonNode node : status.path("instances")) {
            if (node.path("name").asText().equals(instance)) {
                return node.path("state").asText();
            }
        }
        return "no instance " + instance;
    }

    /** /v1/status as JSON, or null while the agent is not answering. */
    public JsonNode status() {
        CommandResult result = host.exec("curl", "-s", "--max-time", "2", "http://127.0.0.1:9110/v1/status");
        if (!result.succeeded() || result.stdout().isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(result.stdout());
        } catch (IOException e) {
            throw new UncheckedIOException("agent on " + host.name() + " answered /v1/status with bad JSON: "
                    + result.stdout(), e);
        }
    }

    /** /metrics as Prometheus text, or "" while the agent is not answering. */
    public String metrics() {
        CommandResult result = host.exec("curl", "-s", "--max-time", "2", "http://127.0.0.1:9110/metrics");
        return result.succeeded() ? result.stdout() : "";
    }
}
