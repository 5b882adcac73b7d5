package io.quorumvip.agent.lb;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.quorumvip.agent.http.AgentStatus;
import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LvsCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    private static final VirtualServerStatus.Stats UNKNOWN = VirtualServerStatus.Stats.UNKNOWN;

    private static VirtualServerStatus.Stats dr(long packets, long bytes) {
        return new VirtualServerStatus.Stats(null, packets, null, bytes, null);
    }

    private static VirtualServerStatus.Stats nat(long conns) {
        return new VirtualServerStatus.Stats(conns, null, null, null, null);
    }

    /** The body the agent's StatusServer would send. */
    private static JsonNode status(VirtualServerStatus... virtualServers) throws Exception {
        return JSON.readTree(JSON.writeValueAsString(new AgentStatus("director1", "disabled", List.of())
                .withVirtualServers(List.of(virtualServers))));
    }

    private static VirtualServerStatus drService(long generation, VirtualServerStatus.Stats service,
                                                 VirtualServerStatus.Stats rs1, VirtualServerStatus.Stats rs2) {
        return new VirtualServerStatus("192.0.2.210:80/tcp", "wlc", "wrr", "DR", true, 1, false, generation, false,
                service, "", List.of(
                new VirtualServerStatus.RealServerStatus("192.0.2.51", 80, 1, "down", false, "connect refused", 0.3,
                        1L, List.of("TCP_CHECK"), rs1),
                new VirtualServerStatus.RealServerStatus("192.0.2.52", 80, 1, "up", true, "connected", 0.42, 1L,
                        List.of("TCP_CHECK"), rs2)));
    }

    private static VirtualServerStatus natService(VirtualServerStatus.Stats service, VirtualServerStatus.Stats rs,
                                                  String statsError) {
        return new VirtualServerStatus("192.0.2.220:80/tcp", "wrr", "wrr", "NAT", true, 3, false, 2, false,
                service, statsError, List.of(new VirtualServerStatus.RealServerStatus("198.51.100.51", 80, 3, "up",
                true, "HTTP 200", 1.0, 1L, List.of("HTTP_GET"), rs)));
    }

    @Test
    void shouldPrintThePoolLikeIpvsadmWithTheCheckStateInsteadOfConnectionCounts() throws Exception {
        String table = LvsCommand.render(status(drService(4, UNKNOWN, UNKNOWN, UNKNOWN)));

        assertThat(table).isEqualTo("""
                IP Virtual Server (quorum-vip on nftables, node director1)
                Prot LocalAddress:Port Scheduler Flags
                  -> RemoteAddress:Port           Forward Weight State LastCheck
                TCP  192.0.2.210:80 wlc (runs as wrr)  generation 4
                  -> 192.0.2.51:80                Route   1      down* connect refused (0.3 ms)
                  -> 192.0.2.52:80                Route   1      up    connected (0.4 ms)
                (* not in the pool: no new connections)
                """);
    }

    @Test
    void shouldPrintTheStatsColumnsWithADashWhereTheDataPlaneCannotKnowThem() throws Exception {
        String table = LvsCommand.renderStats(status(drService(4, dr(301, 18040), UNKNOWN, dr(201, 12040)),
                natService(nat(40), nat(30), "")));

        assertThat(table).isEqualTo("""
                IP Virtual Server (quorum-vip on nftables, node director1)
                Prot LocalAddress:Port                Conns    InPkts   OutPkts   InBytes  OutBytes
                  -> RemoteAddress:Port
                TCP  192.0.2.210:80                       -       301         -     18040         -
                  -> 192.0.2.51:80                        -         -         -         -         -
                  -> 192.0.2.52:80                        -       201         -     12040         -
                TCP  192.0.2.220:80                      40         -         -         -         -
                  -> 198.51.100.51:80                    30         -         -         -         -
                (- not known to this data plane: NAT counts connections, DR packets and bytes in; see qvip lvs --help)
                """);
    }

    @Test
    void shouldSayWhyTheCountersAreMissingWhenTheAgentCouldNotReadThem() throws Exception {
        String table = LvsCommand.renderStats(status(natService(UNKNOWN, UNKNOWN,
                "cannot read the counters of table ip qvip_lb: refused")));

        assertThat(table).contains("""
                TCP  192.0.2.220:80                       -         -         -         -         -
                     (counters unavailable: cannot read the counters of table ip qvip_lb: refused)
                """);
    }

    @Test
    void shouldPrintRatesOverTheIntervalAndADashWhereThePoolChangedInBetween() throws Exception {
        JsonNode before = status(drService(4, dr(300, 18000), UNKNOWN, dr(200, 12000)), natService(nat(40), nat(30),
                ""));
        JsonNode after = status(drService(4, dr(500, 30000), UNKNOWN, dr(300, 18000)), natService(nat(50), nat(35),
                ""));
        JsonNode poolChanged = status(drService(5, dr(10, 600), dr(10, 600), dr(300, 18000)));

        String rates = LvsCommand.renderRate(before, after, 2.0);
        String changed = LvsCommand.renderRate(before, poolChanged, 2.0);

        assertThat(rates).contains("""
                Prot LocalAddress:Port                  CPS     InPPS    OutPPS     InBPS    OutBPS
                  -> RemoteAddress:Port
                TCP  192.0.2.210:80                       -     100.0         -    6000.0         -
                  -> 192.0.2.51:80                        -         -         -         -         -
                  -> 192.0.2.52:80                        -      50.0         -    3000.0         -
                TCP  192.0.2.220:80                     5.0         -         -         -         -
                  -> 198.51.100.51:80                   2.5         -         -         -         -
                (over 2.00 s) (- not known""");
        assertThat(changed).contains("""
                TCP  192.0.2.210:80                       -         -         -         -         -
                  -> 192.0.2.51:80                        -         -         -         -         -
                  -> 192.0.2.52:80                        -         -         -         -         -
                """);
    }

    @Test
    void shouldReadTheStatusTwiceAnIntervalApartForRates() throws Exception {
        List<String> bodies = List.of(
                JSON.writeValueAsString(status(drService(4, dr(300, 18000), UNKNOWN, dr(200, 12000)))),
                JSON.writeValueAsString(status(drService(4, dr(500, 30000), UNKNOWN, dr(300, 18000)))));
        AtomicInteger requests = new AtomicInteger();
        HttpServer agent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        agent.createContext("/v1/status", exchange -> {
            byte[] body = bodies.get(Math.min(requests.getAndIncrement(), 1)).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        agent.start();
        StringWriter out = new StringWriter();
        try {
            int exit = new CommandLine(new LvsCommand()).setOut(new PrintWriter(out)).execute("--rate", "--interval",
                    "0.2", "--agent", "127.0.0.1:" + agent.getAddress().getPort());

            assertThat(exit).isZero();
        } finally {
            agent.stop(0);
        }

        assertThat(requests).hasValue(2);
        assertThat(out.toString()).containsPattern("TCP  192\\.0\\.2\\.210:80 +- +\\d+\\.\\d +- +\\d+\\.\\d +-\n");
    }

    @Test
    void shouldRefuseStatsAndRateTogetherAndAnIntervalOutOfRange() {
        StringWriter err = new StringWriter();
        CommandLine both = new CommandLine(new LvsCommand()).setErr(new PrintWriter(err));
        CommandLine tooLong = new CommandLine(new LvsCommand()).setErr(new PrintWriter(err));

        assertThat(both.execute("--stats", "--rate")).isEqualTo(2);
        assertThat(tooLong.execute("--rate", "--interval", "600")).isEqualTo(2);
        assertThat(err.toString()).contains("--stats and --rate are two views")
                .contains("--interval 600.0 is out of range (expected 0.1 to 60 seconds)");
    }

    @Test
    void shouldExplainInItsHelpWhichCountersEachMethodCanKnow() {
        String help = new CommandLine(new LvsCommand()).getUsageMessage();

        assertThat(help).contains("--stats").contains("--rate").contains("--interval=SECONDS")
                .contains("NAT  Conns only").contains("DR   InPkts and InBytes (layer 3) only")
                .contains("OutPkts and OutBytes are always \"-\"").doesNotContain("null");
    }
}
