package io.quorumvip.check;

import io.quorumvip.check.AgentReply.Admin;
import io.quorumvip.check.AgentReply.Health;
import io.quorumvip.config.CheckTiming;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What an AGENT_CHECK agent has said so far, folded as HAProxy folds it: each reply changes only what it names
 * (a reply of {@code 50%} leaves a {@code drain} in force), and an agent that cannot be reached, or sends no whole
 * line, changes nothing: HAProxy's agent-check leaves connectivity to the server's other checks. So an AGENT_CHECK
 * alone never takes a real server down for a dead agent; pair it with TCP_CHECK or HTTP_GET for that.
 *
 * <p>The result it gives the checker core: a failure while the health is down/stopped/fail or the admin state is
 * {@code maint} (the real server leaves the pool, or stays at weight 0 under inhibit_on_failure); otherwise a success
 * whose weight percentage is 0 while draining (in the pool, no new connection, established flows kept) and the
 * agent's percentage otherwise. Its rules are {@link #RULES}' (no retry, no rise): each reply decides at once, as
 * HAProxy's "up" and "down" do.
 *
 * @param percent the last weight the agent asked for, a percentage of the configured weight (100 until it asks)
 */
public record AgentState(Health health, Admin admin, int percent) {

    /** Before any reply: up, ready, the configured weight. */
    public static final AgentState INITIAL = new AgentState(Health.UP, Admin.READY, 100);

    public AgentState {
        Objects.requireNonNull(health, "health");
        Objects.requireNonNull(admin, "admin");
        if (percent < 0 || percent > AgentReply.MAX_PERCENT) {
            throw new IllegalArgumentException("agent weight " + percent + "% is outside 0.." + AgentReply.MAX_PERCENT);
        }
    }

    /** The new state and the result the checker core gets for it. */
    public record Step(AgentState state, ProbeResult result) {
    }

    /** The rules of an AGENT_CHECK: retry 0 and rise 1, each reply decides at once. */
    public static CheckRules rules(CheckTiming timing) {
        return new CheckRules(0, CheckRules.KEEPALIVED_RISE, timing.delayLoop().toNanos(),
                timing.delayLoop().toNanos(), timing.warmup().toNanos(), timing.alpha());
    }

    /** The agent sent {@code received} (everything read, up to the first line end or the read limit). */
    public Step received(byte[] received, Duration latency) {
        return AgentReply.parse(received).map(reply -> replied(reply, latency)).orElseGet(() -> unchanged(
                "agent sent no whole line (\"" + AgentReply.shown(new String(received, StandardCharsets.ISO_8859_1))
                        + "\"), ignored as HAProxy does", latency));
    }

    /** The agent could not be reached ({@code error} says how): nothing changes, as in HAProxy. */
    public Step unreachable(String error, Duration latency) {
        return unchanged("agent unreachable (" + error + "), ignored as HAProxy does", latency);
    }

    private Step replied(AgentReply reply, Duration latency) {
        AgentState next = new AgentState(reply.health().orElse(health), reply.admin().orElse(admin),
                reply.weightPercent().orElse(percent));
        StringBuilder detail = new StringBuilder("agent replied \"").append(reply.line()).append("\": ")
                .append(next.summary());
        reply.problems().forEach(p -> detail.append("; ").append(p));
        if (!reply.description().isEmpty()) {
            detail.append("; agent says: ").append(reply.description());
        }
        return new Step(next, next.result(detail.toString(), latency));
    }

    private Step unchanged(String why, Duration latency) {
        return new Step(this, result(why + "; still " + summary(), latency));
    }

    /** Whether the real server belongs in the pool by this agent's word. */
    public boolean inPool() {
        return !health.down() && admin != Admin.MAINT;
    }

    /** The weight percentage the pool gets: 0 while draining, the agent's otherwise. */
    public int effectivePercent() {
        return admin == Admin.DRAIN ? 0 : percent;
    }

    private ProbeResult result(String detail, Duration latency) {
        return new ProbeResult(inPool(), detail, OptionalInt.empty(), OptionalInt.empty(), latency,
                OptionalInt.empty(), OptionalInt.empty(),
                inPool() ? OptionalInt.of(effectivePercent()) : OptionalInt.empty());
    }

    private String summary() {
        String word = health.name().toLowerCase(Locale.ROOT);
        if (health.down()) {
            return word + ", out of the pool";
        }
        return switch (admin) {
            case MAINT -> "maint, out of the pool";
            case DRAIN -> "drain, weight 0 (established flows kept)";
            case READY -> "up, ready, weight " + percent + "% of the configured weight";
        };
    }
}
