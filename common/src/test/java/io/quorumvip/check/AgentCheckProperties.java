package io.quorumvip.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.check.AgentReply.Admin;
import io.quorumvip.check.AgentReply.Health;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** HAProxy's agent-check reply (src/tcpcheck.c tcpcheck_agent_expect_reply) and its fold into the pool weight. */
class AgentCheckProperties {

    private static final Duration READ = Duration.ofMillis(2);
    private static final CheckRules RULES = new CheckRules(0, CheckRules.KEEPALIVED_RISE, 1_000_000_000L,
            1_000_000_000L, 0, false);

    private static AgentReply parse(String line) {
        return AgentReply.parse(line.getBytes(StandardCharsets.ISO_8859_1)).orElseThrow();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Property(tries = 2000)
    void shouldNeverThrowOnAnyBytesAndReadOnlyUpToTheFirstLineEnd(@ForAll @Size(max = 300) byte[] received) {
        Optional<AgentReply> reply = AgentReply.parse(received);

        String text = new String(received, StandardCharsets.ISO_8859_1);
        int end = firstOf(text, "\r\n");
        boolean whole = end >= 0 && text.substring(0, end).indexOf('\0') < 0;
        assertThat(reply.isPresent()).as("a whole line exactly when a CR or LF comes before any NUL").isEqualTo(whole);
        reply.ifPresent(r -> {
            assertThat(r.line()).doesNotContain("\n", "\r");
            r.weightPercent().ifPresent(p -> assertThat(p).isBetween(0, AgentReply.MAX_PERCENT));
        });
        AgentState.Step step = AgentState.INITIAL.received(received, READ);
        assertThat(step.result().detail()).isNotBlank();
    }

    private static int firstOf(String text, String chars) {
        for (int i = 0; i < text.length(); i++) {
            if (chars.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void shouldReadHaproxysOwnRegressionLineWithTheLastWordOfEachKindWinning() {
        AgentReply reply = parse("75%,maxconn:30,maint,down\n");

        assertThat(reply.weightPercent()).hasValue(75);
        assertThat(reply.admin()).contains(Admin.MAINT);
        assertThat(reply.health()).contains(Health.DOWN);
        assertThat(reply.problems()).singleElement().asString().contains("maxconn:30");
    }

    @Test
    void shouldMatchWordsWithoutCaseAndSeparateThemBySpaceTabOrComma() {
        AgentReply reply = parse("UP\tDrain , 20% ready 40%\r\n");

        assertThat(reply.health()).contains(Health.UP);
        assertThat(reply.admin()).contains(Admin.READY);
        assertThat(reply.weightPercent()).hasValue(40);
        assertThat(reply.problems()).isEmpty();
    }

    @Test
    void shouldKeepTheDescriptionAfterTheSharpAndIgnoreWordsInIt() {
        AgentReply reply = parse("down # disk full, maint soon\n");

        assertThat(reply.health()).contains(Health.DOWN);
        assertThat(reply.admin()).isEmpty();
        assertThat(reply.description()).isEqualTo("disk full, maint soon");
    }

    @Test
    void shouldRefuseWeightsWithTrailingGarbageAndHoldHugeOnesToHaproxysBound() {
        assertThat(parse("50%x\n").weightPercent()).isEmpty();
        assertThat(parse("50%x\n").problems()).singleElement().asString().contains("50%x");
        assertThat(parse("5x%\n").weightPercent()).isEmpty();
        assertThat(parse("99999999999999999999999%\n").weightPercent()).hasValue(AgentReply.MAX_PERCENT);
        assertThat(parse("0%\n").weightPercent()).hasValue(0);
        assertThat(parse("hello 50\n").problems()).hasSize(2);
    }

    @Test
    void shouldIgnoreALineWithoutItsEndAsHaproxyDoes() {
        assertThat(AgentReply.parse(bytes("50%"))).isEmpty();
        assertThat(AgentReply.parse(bytes("50%\0\n"))).isEmpty();

        AgentState.Step step = new AgentState(Health.UP, Admin.DRAIN, 50).received(bytes("maint"), READ);

        assertThat(step.state()).isEqualTo(new AgentState(Health.UP, Admin.DRAIN, 50));
        assertThat(step.result().detail()).contains("no whole line (\"maint\")").contains("still drain");
    }

    @Test
    void shouldKeepTheStateWhenTheAgentCannotBeReached() {
        AgentState drained = new AgentState(Health.UP, Admin.DRAIN, 100);

        AgentState.Step step = drained.unreachable("connect refused", READ);

        assertThat(step.state()).isEqualTo(drained);
        assertThat(step.result().success()).isTrue();
        assertThat(step.result().weightPercent()).hasValue(0);
        assertThat(step.result().detail()).contains("connect refused");
    }

    @Test
    void shouldFollowPercentDrainMaintAndReadyInThePoolWeight() {
        RealServerHealth health = RealServerHealth.initial(List.of(RULES));
        AgentState agent = AgentState.INITIAL;
        assertThat(health.weight(10)).isEqualTo(10);

        AgentState.Step half = agent.received(bytes("50%\n"), READ);
        health = health.next(0, half.result()).health();
        assertThat(health.alive()).isTrue();
        assertThat(health.weight(10)).isEqualTo(5);

        AgentState.Step drain = half.state().received(bytes("drain\n"), READ);
        health = health.next(0, drain.result()).health();
        assertThat(health.alive()).as("draining stays in the pool").isTrue();
        assertThat(health.weight(10)).isZero();
        assertThat(drain.result().detail()).contains("established flows kept");

        AgentState.Step maint = drain.state().received(bytes("maint\n"), READ);
        RealServerHealth.Step out = health.next(0, maint.result());
        assertThat(out.transition()).hasValueSatisfying(t -> {
            assertThat(t.alive()).isFalse();
            assertThat(t.cause().consecutive()).as("no retry: the first reply decides").isEqualTo(1);
            assertThat(t.cause().evidence().detail()).contains("agent replied \"maint\"");
        });

        AgentState.Step ready = maint.state().received(bytes("ready\n"), READ);
        RealServerHealth.Step back = out.health().next(0, ready.result());
        assertThat(back.transition()).hasValueSatisfying(t -> assertThat(t.alive()).isTrue());
        assertThat(back.health().weight(10)).as("the 50% asked before still holds").isEqualTo(5);
    }

    @Provide
    Arbitrary<String> words() {
        return Arbitraries.oneOf(Arbitraries.of("up", "down", "stopped", "fail", "ready", "drain", "maint",
                "maxconn:5", "bogus", "7x%"), Arbitraries.integers().between(0, 300).map(p -> p + "%"));
    }

    @Property
    void shouldPlaceTheServerByTheLastHealthAdminAndWeightWordsEverSent(
            @ForAll @Size(max = 6) List<@Size(max = 4) List<@From("words") String>> replies,
            @ForAll @IntRange(max = 65_535) int configured) {
        AgentState agent = AgentState.INITIAL;
        RealServerHealth health = RealServerHealth.initial(List.of(RULES));
        String lastHealth = "up";
        String lastAdmin = "ready";
        int lastPercent = 100;
        for (List<String> words : replies) {
            for (String word : words) {
                if (List.of("up", "down", "stopped", "fail").contains(word)) {
                    lastHealth = word;
                } else if (List.of("ready", "drain", "maint").contains(word)) {
                    lastAdmin = word;
                } else if (word.matches("[0-9]+%")) {
                    lastPercent = Integer.parseInt(word.substring(0, word.length() - 1));
                }
            }
            AgentState.Step step = agent.received(bytes(String.join(",", words) + "\n"), READ);
            agent = step.state();
            health = health.next(0, step.result()).health();
        }

        boolean in = lastHealth.equals("up") && !lastAdmin.equals("maint");
        assertThat(health.alive()).isEqualTo(in);
        if (in) {
            int percent = lastAdmin.equals("drain") ? 0 : lastPercent;
            assertThat(health.weight(configured)).isEqualTo(
                    (int) Math.min(65_535, (long) configured * percent / 100));
        }
        assertThat(agent.percent()).isEqualTo(lastPercent);
    }

    @Test
    void shouldScaleWhatMiscDynamicAskedForByTheAgentsPercentage() {
        RealServerHealth health = RealServerHealth.initial(List.of(RULES, RULES));
        health = health.next(0, ProbeResult.exit(22, true, READ)).health();
        health = health.next(1, AgentState.INITIAL.received(bytes("25%\n"), READ).result()).health();

        assertThat(health.weight(1)).as("exit 22 asks for 20; 25% of it").isEqualTo(5);
    }
}
