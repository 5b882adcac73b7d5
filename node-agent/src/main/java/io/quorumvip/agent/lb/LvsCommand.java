package io.quorumvip.agent.lb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code qvip lvs}: the pools of a running agent the way {@code ipvsadm -Ln} prints them, read from its
 * {@code /v1/status}, with each real server's check state and last evidence where ipvsadm has connection counts;
 * {@code --stats} and {@code --rate} print ipvsadm's counter columns from the nftables counters, "-" where the data
 * plane cannot know one.
 */
@Command(name = "lvs", description = "Print a running agent's virtual servers and pools, like ipvsadm -Ln.",
        exitCodeOnInvalidInput = 2, exitCodeListHeading = "Exit status:%n",
        exitCodeList = {"0:printed", "2:bad usage or the agent did not answer"},
        footerHeading = "%nCounters (--stats, --rate):%n", footer = {
                "From the counter in each virtual and real server's nftables chain. \"-\" means",
                "the data plane cannot know that column (it is never a made-up zero):",
                "  NAT  Conns only: the nat chain sees the first packet of each connection.",
                "  DR   InPkts and InBytes (layer 3) only: the ingress chain sees every",
                "       packet from clients but keeps no connection state.",
                "  OutPkts and OutBytes are always \"-\": conntrack un-NATs NAT replies",
                "  outside the chains, and DR replies go from the real server to the client.",
                "A real server counts from when it last entered the pool; the virtual",
                "server's counter restarts with every pool change (its generation).",
                "--rate reads the status twice, --interval apart, and prints \"-\" for a",
                "virtual server whose pool changed in between."})
public final class LvsCommand implements Callable<Integer> {

    @Option(names = "--agent", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9110",
            description = "the agent's HTTP address (default ${DEFAULT-VALUE})")
    private String agent;

    @Option(names = "--stats", description = "print ipvsadm --stats' columns: Conns, InPkts, OutPkts, InBytes, "
            + "OutBytes (see Counters below)")
    private boolean stats;

    @Option(names = "--rate", description = "print ipvsadm --rate's columns: CPS, InPPS, OutPPS, InBPS, OutBPS, "
            + "measured over --interval")
    private boolean rate;

    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "1",
            description = "with --rate, the time between the two reads (default ${DEFAULT-VALUE}, 0.1 to 60)")
    private double interval;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        CommandLine command = new CommandLine(new LvsCommand());
        command.setOut(new PrintWriter(System.out, true, StandardCharsets.UTF_8));
        command.setErr(new PrintWriter(System.err, true, StandardCharsets.UTF_8));
        System.exit(command.execute(args));
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (stats && rate) {
            err.println("qvip lvs: --stats and --rate are two views; give one of them");
            return 2;
        }
        if (!(interval >= 0.1 && interval <= 60)) {
            err.println("qvip lvs: --interval " + interval + " is out of range (expected 0.1 to 60 seconds)");
            return 2;
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        try {
            JsonNode first = fetch(client);
            if (!rate) {
                out.print(stats ? renderStats(first) : render(first));
            } else {
                long firstAt = System.nanoTime();
                Thread.sleep((long) (interval * 1000));
                JsonNode second = fetch(client);
                out.print(renderRate(first, second, (System.nanoTime() - firstAt) / 1e9));
            }
        } catch (IOException | IllegalArgumentException e) {
            err.println("qvip lvs: cannot read http://" + agent + "/v1/status: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + " (is the agent running? give its address with --agent HOST:PORT)");
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 2;
        }
        out.flush();
        return 0;
    }

    private JsonNode fetch(HttpClient client) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create("http://" + agent
                + "/v1/status")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("answered HTTP " + response.statusCode() + ": " + response.body());
        }
        return new ObjectMapper().readTree(response.body());
    }

    /** The table, from a {@code /v1/status} body. */
    static String render(JsonNode status) {
        StringBuilder text = title(status).append("Prot LocalAddress:Port Scheduler Flags\n");
        text.append(String.format("  -> %-28s %-7s %-6s %-5s %s%n", "RemoteAddress:Port", "Forward", "Weight",
                "State", "LastCheck"));
        for (JsonNode vs : status.path("virtual_servers")) {
            String scheduler = vs.path("scheduler").asText();
            String runsAs = vs.path("runs_as").asText();
            StringBuilder flags = new StringBuilder();
            if (!scheduler.equals(runsAs)) {
                flags.append(" (runs as ").append(runsAs).append(')');
            }
            if (!vs.path("quorum_up").asBoolean()) {
                flags.append(" quorum-lost");
            }
            if (vs.path("sorry_serving").asBoolean()) {
                flags.append(" sorry-server");
            }
            if (vs.path("suspended").asBoolean()) {
                flags.append(" ha-suspended");
            }
            text.append(String.format("%s %s%s  generation %d%n", serviceColumn(vs), scheduler, flags,
                    vs.path("generation").asLong()));
            String forward = vs.path("method").asText().equals("DR") ? "Route" : "Masq";
            for (JsonNode rs : vs.path("real_servers")) {
                String endpoint = rs.path("address").asText() + ":" + rs.path("port").asInt();
                String state = rs.path("state").asText() + (rs.path("in_pool").asBoolean() ? "" : "*");
                String last = rs.path("last_check").asText();
                text.append(String.format("  -> %-28s %-7s %-6d %-5s %s%n", endpoint, forward,
                        rs.path("weight").asInt(), state, last.isEmpty() ? "-"
                                : last + String.format(" (%.1f ms)", rs.path("last_latency_ms").asDouble())));
            }
        }
        text.append("(* not in the pool: no new connections)\n");
        return text.toString();
    }

    private static final String[] STATS = {"conns", "in_pkts", "out_pkts", "in_bytes", "out_bytes"};

    /** {@code ipvsadm -Ln --stats}: each counter as the agent read it, "-" where the data plane cannot know it. */
    static String renderStats(JsonNode status) {
        StringBuilder text = header(status, "Conns", "InPkts", "OutPkts", "InBytes", "OutBytes");
        for (JsonNode vs : status.path("virtual_servers")) {
            text.append(row(serviceColumn(vs), column -> count(vs.path("stats").path(column))));
            unavailable(vs, text);
            for (JsonNode rs : vs.path("real_servers")) {
                text.append(row(realColumn(rs), column -> count(rs.path("stats").path(column))));
            }
        }
        return text.append(LEGEND).toString();
    }

    /**
     * {@code ipvsadm -Ln --rate}, per second over {@code seconds} between two {@code /v1/status} bodies; "-" where the
     * counter is unknown, absent from either read, or where the pool changed in between (its counters restarted).
     */
    static String renderRate(JsonNode before, JsonNode after, double seconds) {
        StringBuilder text = header(after, "CPS", "InPPS", "OutPPS", "InBPS", "OutBPS");
        for (JsonNode vs : after.path("virtual_servers")) {
            JsonNode old = byField(before.path("virtual_servers"), "name", vs.path("name").asText());
            boolean steady = old != null && old.path("generation").asLong() == vs.path("generation").asLong();
            text.append(row(serviceColumn(vs), column -> steady
                    ? perSecond(old.path("stats").path(column), vs.path("stats").path(column), seconds) : "-"));
            unavailable(vs, text);
            for (JsonNode rs : vs.path("real_servers")) {
                JsonNode oldRs = old == null ? null : byEndpoint(old.path("real_servers"), rs);
                text.append(row(realColumn(rs), column -> steady && oldRs != null
                        ? perSecond(oldRs.path("stats").path(column), rs.path("stats").path(column), seconds) : "-"));
            }
        }
        return text.append(String.format(Locale.ROOT, "(over %.2f s) ", seconds)).append(LEGEND).toString();
    }

    private static final String LEGEND = "(- not known to this data plane: NAT counts connections, DR packets and "
            + "bytes in; see qvip lvs --help)\n";

    private static StringBuilder title(JsonNode status) {
        return new StringBuilder("IP Virtual Server (quorum-vip on nftables, node ")
                .append(status.path("node").asText()).append(")\n");
    }

    private static StringBuilder header(JsonNode status, String... columns) {
        StringBuilder text = title(status).append(String.format("%-33s", "Prot LocalAddress:Port"));
        for (String column : columns) {
            text.append(String.format(" %9s", column));
        }
        text.append('\n');
        return text.append("  -> RemoteAddress:Port\n");
    }

    private static String serviceColumn(JsonNode vs) {
        String name = vs.path("name").asText();
        int slash = name.lastIndexOf('/');
        return String.format("%-4s %s", name.substring(slash + 1).toUpperCase(), name.substring(0, slash));
    }

    private static String realColumn(JsonNode rs) {
        return "  -> " + rs.path("address").asText() + ":" + rs.path("port").asInt();
    }

    private static String row(String first, Function<String, String> cell) {
        StringBuilder line = new StringBuilder(String.format("%-33s", first));
        for (String column : STATS) {
            line.append(String.format(" %9s", cell.apply(column)));
        }
        return line.append('\n').toString();
    }

    private static void unavailable(JsonNode vs, StringBuilder text) {
        String error = vs.path("stats_error").asText();
        if (!error.isEmpty()) {
            text.append("     (counters unavailable: ").append(error).append(")\n");
        }
    }

    private static String count(JsonNode value) {
        return value.isIntegralNumber() ? Long.toString(value.asLong()) : "-";
    }

    private static String perSecond(JsonNode before, JsonNode after, double seconds) {
        if (!before.isIntegralNumber() || !after.isIntegralNumber() || after.asLong() < before.asLong()) {
            return "-";
        }
        return String.format(Locale.ROOT, "%.1f", (after.asLong() - before.asLong()) / seconds);
    }

    private static JsonNode byField(JsonNode array, String field, String value) {
        for (JsonNode item : array) {
            if (item.path(field).asText().equals(value)) {
                return item;
            }
        }
        return null;
    }

    private static JsonNode byEndpoint(JsonNode array, JsonNode rs) {
        for (JsonNode item : array) {
            if (item.path("address").asText().equals(rs.path("address").asText())
                    && item.path("port").asInt() == rs.path("port").asInt()) {
                return item;
            }
        }
        return null;
    }
}
