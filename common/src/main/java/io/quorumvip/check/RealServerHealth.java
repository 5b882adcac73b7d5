package io.quorumvip.check;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The checkers of one real server, ANDed as keepalived does (ipwrapper.c: a real server is alive while every one
 * of its checkers is up; with none it is always alive). Immutable; {@link #next} is one probe result.
 *
 * @param rules    per checker, in the order written
 * @param checkers per checker, the state after its results so far
 */
public record RealServerHealth(List<CheckRules> rules, List<CheckerState> checkers) {

    public RealServerHealth {
        rules = List.copyOf(rules);
        checkers = List.copyOf(checkers);
        if (rules.size() != checkers.size()) {
            throw new IllegalArgumentException(rules.size() + " rules for " + checkers.size() + " checkers");
        }
    }

    /** The real server went in or out: which checker decided, with its evidence. */
    public record Transition(boolean alive, int checker, CheckerState.Change cause) {
    }

    /** One probe result applied: the new health, the real server's change if any, and when to probe again. */
    public record Step(RealServerHealth health, Optional<Transition> transition, long delayNanos) {
    }

    public static RealServerHealth initial(List<CheckRules> rules) {
        return new RealServerHealth(rules, rules.stream().map(CheckerState::initial).toList());
    }

    // alive() and weight() run several times per probe result, at 10,000 results a second on the checks' loop: indexed
    // loops, not streams, iterators and Optional chains, each an object the agent's C1 allocates on every call.
    public boolean alive() {
        for (int i = 0; i < checkers.size(); i++) {
            if (!checkers.get(i).up()) {
                return false;
            }
        }
        return true;
    }

    /**
     * keepalived's effective weight: each misc_dynamic checker moves the configured weight to what it asked for, so
     * one MISC_CHECK exiting 12 gives weight 10 whatever was configured, and several add their differences; each
     * FILE_CHECK adds its last read's value × weight (nothing after a fault: keepalived zeroes its cur_weight).
     * The sum is clamped to 0..MAX_WEIGHT, as keepalived's {@code real_weight} does. Each AGENT_CHECK then scales it
     * to the percentage its agent last asked for (0 while draining), rounding down as HAProxy does.
     */
    public int weight(int configured) {
        long weight = configured;
        for (int i = 0; i < checkers.size(); i++) {
            CheckerState state = checkers.get(i);
            OptionalInt asked = state.dynamicWeight();
            if (asked.isPresent()) {
                weight += asked.getAsInt() - configured;
            }
            weight += state.weightOffset().orElse(0);
        }
        for (int i = 0; i < checkers.size(); i++) {
            OptionalInt percent = checkers.get(i).weightPercent();
            if (percent.isPresent()) {
                weight = Math.max(0, Math.min(io.quorumvip.config.RealServerConfig.MAX_WEIGHT, weight))
                        * percent.getAsInt() / 100;
            }
        }
        return (int) Math.max(0, Math.min(io.quorumvip.config.RealServerConfig.MAX_WEIGHT, weight));
    }

    /** {@link CheckerState#steady()} of checker {@code checker}: a plain success of it gives back this health. */
    public boolean steady(int checker) {
        return checkers.get(checker).steady();
    }

    /**
     * One result of checker {@code checker}. When its checker's state does not change (a success after a success,
     * no weight asked), the step's health is this one: its caller can tell by identity that neither {@link #alive()}
     * nor {@link #weight} moved, without computing them.
     */
    public Step next(int checker, ProbeResult result) {
        CheckerState before = checkers.get(checker);
        CheckerState.Step step = before.next(result, rules.get(checker));
        if (step.state() == before) {
            return new Step(this, Optional.empty(), step.delayNanos());
        }
        boolean wasAlive = alive();
        // Straight into an immutable list, which the constructor's copy keeps as it is: an ArrayList here was copied
        // twice more on every result.
        CheckerState[] states = checkers.toArray(new CheckerState[checkers.size()]);
        states[checker] = step.state();
        RealServerHealth next = new RealServerHealth(rules, List.of(states));
        boolean aliveNow = next.alive();
        Optional<Transition> transition = aliveNow == wasAlive ? Optional.empty()
                : step.change().map(change -> new Transition(aliveNow, checker, change));
        return new Step(next, transition, step.delayNanos());
    }
}
