package io.quorumvip.agent;

import static io.quorumvip.lab.Await.awaitCondition;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quorumvip.events.EventRecord;
import io.quorumvip.journal.JournalFixtures;
import io.quorumvip.lab.CommandResult;
import io.quorumvip.lab.JavaMain;
import io.quorumvip.lab.Lab;
import io.quorumvip.lab.LabHost;
import io.quorumvip.lab.LabProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Our agent ({@link AgentMain}) running in a lab node's namespace from the test classpath, seen from outside: its
 * HTTP status and metrics, read with curl inside that namespace. Its journal lives in the node's state directory,
 * so it goes with the lab; the lab stops the process and keeps its log.
 */
public final class LabAgent {

    public static final String HTTP = "127.0.0.1:9110";
    /**
     * Generous: covers a JVM start on a busy 2-core machine, then a master-down interval (about 3.6 s) before the
     * agent becomes MASTER, at start-up or after the master it heard fell silent.
     */
    public static final Duration MASTER_BOUND = Duration.ofSeconds(30);
    /** How long a read of the agent's HTTP API waits for its server to be up. */
    private static final Duration HTTP_UP_BOUND = Duration.ofSeconds(20);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LabHost host;
    private final LabProcess process;

    private LabAgent(LabHost host, LabProcess process) {
        this.host = host;
        this.process = process;
    }

    public static LabAgent start(LabHost host, Path config) {
        LabProcess process = host.startJava("agent", JavaMain.of(AgentMain.class.getName(), "--config",
                config.toString(), "--http", HTTP, "--node-id", host.name(), "--journal",
                journalDir(host).toString()));
        return new LabAgent(host, process);
    }

    /** Writes {@code config} as {@code <lab state dir>/<host>/agent.conf} and starts the agent on it. */
    public static LabAgent start(Lab lab, LabHost host, String config) {
        Path file = host.stateDir().resolve("agent.conf");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the agent config " + file, e);
        }
        return start(host, file);
    }

    /**
     * A one-instance pair config (VRID 66, advert_int 1, VIP 192.0.2.200/24 on eth0, no authentication) with
     * {@code topLevel} before the instance and {@code inInstance} inside it, for tests of one keyword.
     */
    public static String onePairInstance(String node, int priority, String topLevel, String inInstance) {
        return """
                global_defs {
                    router_id %s
                }
                %s
                vrrp_instance VI_1 {
                    state BACKUP
                    interface eth0
                    virtual_router_id 66
                    priority %d
                    advert_int 1
                    virtual_ipaddress {
                        192.0.2.200/24 dev eth0
                    }
                    %s
                }
                """.formatted(node, topLevel, priority, inInstance);
    }

    /** pair-node1.conf as it is: VRID 66, priority 150, version 2, auth PASS 1111, advert_int 1, VIP 192.0.2.200. */
    public static String pairNode1Config(Lab lab) {
        return sampleConfig(lab, "pair-node1.conf");
    }

    /** The text of one of the shared keepalived samples, e.g. {@code pair-node2.conf}. */
    public static String sampleConfig(Lab lab, String fileName) {
        Path sample = lab.keepalivedSample(fileName);
        try {
            return Files.readString(sample);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the keepalived sample " + sample, e);
        }
    }

    /** A quorum block for the lab's ZooKeeper ensemble (its default tick, 200 ms), with a znode path of the lab's own. */
    public static String quorumBlock(Lab lab, Duration sessionTimeout) {
        return quorumBlock(lab, sessionTimeout, lab.zkConnectString(), Lab.DEFAULT_ZK_TICK);
    }

    /** The same with only the servers of {@code connect}, for a lab whose ensemble ticks every {@code zkTick}. */
    public static String quorumBlock(Lab lab, Duration sessionTimeout, String connect, Duration zkTick) {
        return "\nquorum {\n"
                + "    connect " + connect + "\n"
                + "    session_timeout " + sessionTimeout.toMillis() + "\n"
                + "    zk_tick_time " + zkTick.toMillis() + "\n"
                + "    path /quorum-vip/" + lab.name() + "\n"
                + "    digest qvip:secret\n"
                + "}\n";
    }

    /** Each node's journal lives in the lab's state directory, so it goes when the lab does. */
    public static Path journalDir(LabHost host) {
        return host.stateDir().resolve("journal");
    }

    /** Every record of a journal directory, in order. */
    public static List<EventRecord> journalRecords(Path journal) {
        try {
            return JournalFixtures.readAll(journal);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal " + journal, e);
        }
    }

    public LabProcess process() {
        return process;
    }

    public LabHost host() {
        return host;
    }

    /** The instance's state from /v1/status, or "unreachable" while the agent is not answering yet. */
    public String state(String instance) {
        String body = tryGet("/v1/status");
        if (body == null) {
            return "unreachable";
        }
        for (JsonNode node : json(body).path("instances")) {
            if (node.path("name").asText().equals(instance)) {
                return node.path("state").asText();
            }
        }
        return "no instance " + instance;
    }

    /** {@code GET /v1/status}; fails naming the agent's log when the agent does not answer. */
    public JsonNode status() {
        return json(get("/v1/status"));
    }

    /** The first instance of the status, e.g. {@code {"name":"VI_1","state":"MASTER","vip_owned":true,...}}. */
    public JsonNode instance() {
        return status().path("instances").path(0);
    }

    public MetricSamples metrics() {
        return MetricSamples.parse(get("/metrics"));
    }

    /** Waits until the first instance is MASTER and says it owns its addresses. */
    public void awaitMaster() {
        awaitCondition(host.name() + "'s agent MASTER with vip_owned true", MASTER_BOUND, this::stateSummary,
                "MASTER vip_owned=true"::equals);
    }

    /** State and ownership of the first instance, or why there is none yet (the HTTP server is not up). */
    public String stateSummary() {
        String body = tryGet("/v1/status");
        if (body == null) {
            return "no answer on " + HTTP;
        }
        JsonNode instance = json(body).path("instances").path(0);
        return instance.path("state").asText() + " vip_owned=" + instance.path("vip_owned").asBoolean();
    }

    /**
     * The body of {@code path}, waiting up to {@link #HTTP_UP_BOUND} for an answer: the agent starts its HTTP server
     * last, so on a loaded machine its VIP can serve, and a test read its status, before the server is up.
     */
    private String get(String path) {
        long deadline = System.nanoTime() + HTTP_UP_BOUND.toNanos();
        String body = tryGet(path);
        while (body == null && System.nanoTime() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for GET " + path + " on " + HTTP, e);
            }
            body = tryGet(path);
        }
        if (body == null) {
            throw new IllegalStateException("agent on " + host.name() + " did not answer GET " + path + " on " + HTTP
                    + " within " + HTTP_UP_BOUND.toSeconds() + " s (expected an answer once started); its log "
                    + process.log() + ":\n" + process.logText());
        }
        return body;
    }

    /** The body, or null when nothing answered; fails at once when the agent process is gone. */
    private String tryGet(String path) {
        if (!process.isAlive()) {
            throw new IllegalStateException(process + " exited (expected it to keep running); its log "
                    + process.log() + ":\n" + process.logText());
        }
        CommandResult curl = host.exec("curl", "-s", "-f", "--max-time", "5", "http://" + HTTP + path);
        return curl.succeeded() ? curl.stdout() : null;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("agent status is not JSON: " + e.getOriginalMessage() + " in: " + text, e);
        }
    }
}
