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
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code qvip lvs}: the pools of a running agent the way {@code ipvsadm -Ln} prints them, read from its
 * {@code /v1/status}, with each real server's check state and last evidence where ipvsadm has connection counts.
 */
@Command(name = "lvs", description = "Print a running agent's virtual servers and pools, like ipvsadm -Ln.",
        exitCodeOnInvalidInput = 2, exitCodeListHeading = "Exit status:%n",
        exitCodeList = {"0:printed", "2:bad usage or the agent did not answer"})
public final class LvsCommand implements Callable<Integer> {

    @Option(names = "--agent", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9110",
            description = "the agent's HTTP address (default ${DEFAULT-VALUE})")
    private String agent;

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
        JsonNode status;
        try {
            HttpResponse<String> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()
                    .send(HttpRequest.newBuilder(URI.create("http://" + agent + "/v1/status"))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                err.println("qvip lvs: " + agent + " answered HTTP " + response.statusCode() + ": " + response.body());
                return 2;
            }
            status = new ObjectMapper().readTree(response.body());
        } catch (IOException | IllegalArgumentException e) {
            err.println("qvip lvs: cannot read http://" + agent + "/v1/status: " + e.getMessage()
                    + " (is the agent running? give its address with --agent HOST:PORT)");
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 2;
        }
        out.print(render(status));
        out.flush();
        return 0;
    }

    /** The table, from a {@code /v1/status} body. */
    static String render(JsonNode status) {
        StringBuilder text = new StringBuilder();
        text.append("IP Virtual Server (quorum-vip on nftables, node ").append(status.path("node").asText())
                .append(")\n");
        text.append("Prot LocalAddress:Port Scheduler Flags\n");
        text.append(String.format("  -> %-28s %-7s %-6s %-5s %s%n", "RemoteAddress:Port", "Forward", "Weight",
                "State", "LastCheck"));
        for (JsonNode vs : status.path("virtual_servers")) {
            String name = vs.path("name").asText();
            int slash = name.lastIndexOf('/');
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
            text.append(String.format("%-4s %s %s%s  generation %d%n", name.substring(slash + 1).toUpperCase(),
                    name.substring(0, slash), scheduler, flags, vs.path("generation").asLong()));
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
}
