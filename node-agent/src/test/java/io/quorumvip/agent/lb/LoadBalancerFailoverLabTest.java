package io.quorumvip.agent.lb;

import static io.quorumvip.lab.Await.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quorumvip.agent.LabAgent;
import io.quorumvip.events.Event;
import io.quorumvip.lab.Lab;
import io.quorumvip.lab.LabHost;
import io.quorumvip.lab.LabPreconditions;
import io.quorumvip.lab.LabProcess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fail-over acceptance for DR: {@code lb-samples/lvs-dr-node{1,2}.conf} (and the same with {@code lb_algo
 * mh}) on two directors, steady client load through the VIP, the owning director killed with SIGKILL. The client runs
 * {@code http_load.py}: {@value #KEPT_ALIVE} kept-alive HTTP connections opened before the kill, each sending a
 * request every 100 ms, plus a new connection every 20 ms. One lab for both schedulers, run one after the other.
 */
class LoadBalancerFailoverLabTest {

    private static final String VIP = "192.0.2.210";
    private static final int KEPT_ALIVE = 20;
    /** Load runs this long; the kill comes {@link #KILL_AFTER} in, leaving time for VRRP's master-down interval. */
    private static final Duration LOAD = Duration.ofSeconds(16);
    private static final Duration KILL_AFTER = Duration.ofSeconds(3);
    /** Debian's, not a pyenv one on PATH: the script needs only the standard library. */
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Lab lab;

    @BeforeAll
    static void up() {
        LabPreconditions.assumeLabCanRun();
        LabPreconditions.assumeTools("nginx", "nft");
        assumeTrue(Files.isExecutable(PYTHON), PYTHON + " (Debian's python3) is not installed");
        lab = Lab.upWithRealServers(2, 2, Lab.Forwarding.DR);
    }

    @AfterAll
    static void down() {
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void shouldServeThroughTheOtherDirectorAndKeepEveryConnectionWhenTheOwnerIsKilled() throws Exception {
        Outcome rr = failOver("rr");
        Outcome mh = failOver("mh");
        for (Outcome outcome : List.of(rr, mh)) {
            System.out.printf("DR fail-over, lb_algo %s: kept-alive connections surviving %d of %d alive at the kill "
                    + "(%d opened; broken: servers, s after the load started, why: %s); new connections %d "
                    + "answered, %d failed %s; n2 held the VIP %.1f s after the kill (%d s into the load)%n",
                    outcome.algo(), outcome.survivors(), outcome.aliveAtKill(), KEPT_ALIVE, outcome.broken(),
                    outcome.answered(), outcome.failures().size(), outcome.failures(),
                    outcome.takeOver().toMillis() / 1000.0, KILL_AFTER.toSeconds());
        }
        for (Outcome outcome : List.of(rr, mh)) {
            assertThat(outcome.n2Pool()).as("n2's pool after the kill, %s", outcome.algo())
                    .containsExactly("192.0.2.51:80", "192.0.2.52:80");
            assertThat(outcome.answered()).as("new connections answered around the kill, %s", outcome.algo())
                    .isPositive();
            // Stateless DR keeps a flow only while every director hashes it to the same member: a real server
            // joining the hash late (its MAC learned after the first program) moved flows here before the fix.
            assertThat(outcome.survivors()).as("%s: kept-alive connections that lived through the load and the "
                    + "fail-over", outcome.algo()).isEqualTo(KEPT_ALIVE);
        }
    }

    private Outcome failOver(String algo) throws Exception {
        LabHost n1 = lab.node(1);
        LabHost n2 = lab.node(2);
        // The previous round's SIGKILLed n1 left the VIP in its kernel (no lease lifetime in these samples).
        n1.exec("ip", "addr", "del", VIP + "/32", "dev", "eth0");
        LabAgent director1 = LabAgent.start(lab, n1, sample("lvs-dr-node1.conf", algo));
        LabAgent director2 = LabAgent.start(lab, n2, sample("lvs-dr-node2.conf", algo));
        awaitCondition("n1 holds the VIP", LabAgent.MASTER_BOUND, () -> lab.vipHolders(VIP),
                holders -> holders.equals(Set.of(n1.name())));
        // mh hashes the client's address only (IPVS's mh without mh-port): one client, one real server.
        awaitCondition("real servers answer through the VIP", Duration.ofSeconds(30),
                () -> lab.client().httpAnswers("http://" + VIP + "/", 10).keySet(),
                answers -> Set.of("rs1", "rs2").containsAll(answers));
        // n2 may still be starting (its HTTP server comes last) when n1 already serves: a loaded CI machine.
        awaitCondition("n2's agent answers on its status API", Duration.ofSeconds(30), director2::stateSummary,
                summary -> !summary.startsWith("no answer"));
        awaitCondition("n2 has both real servers in its pool", Duration.ofSeconds(30), () -> pool(director2),
                List.of("192.0.2.51:80", "192.0.2.52:80")::equals);

        Path script = lab.stateDir().resolve("http_load.py");
        try (InputStream in = getClass().getResourceAsStream("http_load.py")) {
            Files.write(script, in.readAllBytes());
        }
        LabProcess load = lab.client().start("http-load-" + algo, List.of(PYTHON.toString(), script.toString(),
                VIP, Long.toString(LOAD.toSeconds()), Integer.toString(KEPT_ALIVE)));
        long loadStarted = System.nanoTime();
        long loadStartedMicros = System.currentTimeMillis() * 1000;
        Thread.sleep(KILL_AFTER.toMillis());
        long killed = System.nanoTime();
        double killAtSeconds = (killed - loadStarted) / 1e9;
        director1.process().kill9();
        awaitCondition("n2 holds the VIP", LabAgent.MASTER_BOUND, () -> lab.vipHolders(VIP),
                holders -> holders.contains(n2.name()));
        Duration takeOver = Duration.ofNanos(System.nanoTime() - killed);
        List<String> n2Pool = pool(director2);
        // What n1 changed in its data plane while it served the load: a pool change there moves stateless DR flows.
        LabAgent.journalRecords(LabAgent.journalDir(n1)).stream()
                .filter(r -> r.wallMicros() >= loadStartedMicros && (r.event() instanceof Event.PoolChanged
                        || r.event() instanceof Event.RealServerDown || r.event() instanceof Event.RealServerUp))
                .forEach(r -> System.out.printf("%s: n1 %.2f s into the load: %s%n", algo,
                        (r.wallMicros() - loadStartedMicros) / 1e6, r.event()));
        awaitCondition("the client load ends", LOAD.plusSeconds(20), load::isAlive, alive -> !alive);
        String output = load.logText().strip();
        JsonNode result = JSON.readTree(output.substring(output.lastIndexOf("\n{") + 1));
        director2.process().stop();
        long survivors = StreamSupport.stream(result.path("kept_alive").spliterator(), false)
                .filter(c -> c.path("survived").asBoolean()).count();
        long brokeBeforeKill = StreamSupport.stream(result.path("kept_alive").spliterator(), false)
                .filter(c -> !c.path("survived").asBoolean() && c.path("broke_at_s").asDouble() < killAtSeconds)
                .count();
        List<String> broken = new ArrayList<>();
        result.path("kept_alive").forEach(c -> {
            if (!c.path("survived").asBoolean()) {
                broken.add(c.path("servers").toString() + " " + c.path("broke_at_s").asText() + "s "
                        + c.path("error").asText());
            }
        });
        int answered = 0;
        for (JsonNode count : result.path("new_connections").path("answers")) {
            answered += count.asInt();
        }
        List<String> failures = new ArrayList<>();
        result.path("new_connections").path("failures").forEach(f -> failures.add(f.path("at_s").asText() + "s "
                + f.path("error").asText()));
        return new Outcome(algo, survivors, KEPT_ALIVE - brokeBeforeKill, broken, answered, failures, takeOver, n2Pool);
    }

    private static List<String> pool(LabAgent director) {
        List<String> inPool = new ArrayList<>();
        director.status().path("virtual_servers").path(0).path("real_servers").forEach(rs -> {
            if (rs.path("in_pool").asBoolean()) {
                inPool.add(rs.path("address").asText() + ":" + rs.path("port").asInt());
            }
        });
        return inPool;
    }

    private static String sample(String name, String algo) throws IOException {
        String text = Files.readString(lab.layout().shared().resolve("lb-samples").resolve(name));
        assertThat(text).contains("lb_algo rr");
        return text.replace("lb_algo rr", "lb_algo " + algo);
    }

    private record Outcome(String algo, long survivors, long aliveAtKill, List<String> broken, int answered,
            List<String> failures, Duration takeOver,
            List<String> n2Pool) {
    }
}
