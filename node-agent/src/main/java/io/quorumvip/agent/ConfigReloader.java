package io.quorumvip.agent;

import io.quorumvip.agent.journal.AgentJournal;
import io.quorumvip.agent.lb.LoadBalancer;
import io.quorumvip.agent.track.FileTracker;
import io.quorumvip.config.Finding;
import io.quorumvip.config.KeepalivedConfig;
import io.quorumvip.config.KeepalivedConfigParser;
import io.quorumvip.config.ParseOptions;
import io.quorumvip.config.ParseResult;
import io.quorumvip.config.ReloadPlan;
import io.quorumvip.config.Severity;
import io.quorumvip.events.Cause;
import io.quorumvip.events.CauseKind;
import io.quorumvip.events.Event;
import io.quorumvip.events.Hash256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGHUP: reads the configuration again and applies what changed ({@link ReloadPlan}). A file with any error is
 * refused with every finding at its file:line and the running configuration goes on. Otherwise unchanged instances
 * are not touched (no address moves, no lease is given up); removed ones stop as at a clean stop, changed ones stop
 * and start again with their new block, added ones start; virtual servers added, removed or changed go to the load
 * balancer, whose program changes in one nftables transaction, unchanged real servers keeping their health. A plan
 * the agent cannot apply in place (global_defs, quorum, coordinator, static routing, a sync group member) is refused
 * whole, naming the block and saying to restart. Every outcome is journaled as {@link Event.ConfigReloaded}.
 */
final class ConfigReloader {

    private static final Logger log = LoggerFactory.getLogger(ConfigReloader.class);
    /** How long a reload waits for the instances it stops (their notify_stop scripts) before it starts others. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    /** Starts the load balancer for a configuration that gains its first virtual_server. */
    interface BalancerStarter {
        LoadBalancer start(KeepalivedConfig config) throws IOException;
    }

    private final Path path;
    private final ParseOptions options;
    private final AgentJournal journal;
    private final Agent agent;
    private final AtomicReference<LoadBalancer> balancer;
    private final BalancerStarter balancerStarter;
    private KeepalivedConfig running;
    private boolean closed;

    ConfigReloader(Path path, ParseOptions options, KeepalivedConfig running, AgentJournal journal, Agent agent,
                   AtomicReference<LoadBalancer> balancer, BalancerStarter balancerStarter) {
        this.path = path;
        this.options = options;
        this.running = running;
        this.journal = journal;
        this.agent = agent;
        this.balancer = balancer;
        this.balancerStarter = balancerStarter;
    }

    /** No reload after this: the agent is stopping and its journal closes. */
    synchronized void close() {
        closed = true;
    }

    /** Reads the file again, applies it or refuses it, and journals what came of it; never throws. */
    synchronized void reload() {
        if (closed) {
            return;
        }
        Cause cause = new Cause(CauseKind.CONFIG, "SIGHUP " + path, 0);
        byte[] text;
        ParseResult parsed;
        try {
            text = Files.readAllBytes(path);
            parsed = KeepalivedConfigParser.parse(path, options);
        } catch (IOException e) {
            log.atError().setMessage("reload refused: cannot read the configuration; the running one goes on")
                    .addKeyValue("config", path).addKeyValue("error", e.getMessage()).log();
            journal.record(cause, refused(Hash256.ZERO, "cannot read " + path + ": " + e.getMessage()));
            return;
        }
        Hash256 sha = sha256(text);
        List<Finding> errors = parsed.findings().stream().filter(f -> f.severity() == Severity.ERROR).toList();
        if (!errors.isEmpty()) {
            errors.forEach(f -> log.atError().setMessage("reload refused: " + f.format()).log());
            log.atError().setMessage("reload refused: the configuration has errors; the running one goes on")
                    .addKeyValue("config", path).addKeyValue("errors", errors.size()).log();
            journal.record(cause, refused(sha, errors.size() + " error(s), first: " + errors.get(0).format()));
            return;
        }
        KeepalivedConfig next = parsed.config();
        ReloadPlan plan = ReloadPlan.between(running, next);
        if (plan.nothingChanged()) {
            running = next;
            log.atInfo().setMessage("configuration reloaded: every instance unchanged, nothing touched")
                    .addKeyValue("config", path).addKeyValue("unchanged", plan.unchanged()).log();
            journal.record(cause, new Event.ConfigReloaded(path.toString(), sha, true, "", List.of(), List.of(),
                    List.of(), plan.unchanged()));
            return;
        }
        if (!plan.refusals().isEmpty()) {
            refuse(cause, sha, plan, String.join("; ", plan.refusals()) + " (the running configuration goes on)");
            return;
        }
        // Journaled before the first change it causes (a pool, an instance stopping), so the journal reads cause
        // then effects; a failure after that is journaled as a second, refused ConfigReloaded.
        boolean[] announced = {false};
        Runnable announce = () -> {
            announced[0] = true;
            journal.record(cause, new Event.ConfigReloaded(path.toString(), sha, true, "applied " + what(plan),
                    plan.added(), plan.removed(), plan.changed(), plan.unchanged()));
        };
        try {
            apply(next, plan, cause, announce);
        } catch (IllegalStateException e) {
            refuse(cause, sha, plan, "applying " + what(plan) + " failed half-way: " + e.getMessage());
            return;
        } catch (IOException | RuntimeException e) {
            refuse(cause, sha, plan, "applying " + what(plan) + " failed: " + e.getMessage() + (announced[0]
                    ? " (after the reload began; restart the agent to run the new configuration)"
                    : " (nothing was applied; the running configuration goes on)"));
            return;
        }
        running = next;
        log.atInfo().setMessage("configuration reloaded: " + what(plan)).addKeyValue("config", path)
                .addKeyValue("unchanged", plan.unchanged()).log();
    }

    /**
     * The load balancer's half is built and checked first, then the instances to start; then {@code announce}
     * journals the reload, a first load balancer starts, the instances change, and the load balancer's program goes
     * in. A failure before the instances stop leaves everything as it ran.
     */
    private void apply(KeepalivedConfig next, ReloadPlan plan, Cause cause, Runnable announce) throws IOException {
        next.trackFiles().forEach((name, spec) -> {
            if (!ReloadPlan.same(running.trackFiles().get(name), spec)) {
                FileTracker.writeInitValue(spec);
            }
        });
        LoadBalancer current = balancer.get();
        boolean balancing = !plan.virtualServers().none();
        Optional<LoadBalancer.Reload> prepared = balancing && current != null
                ? Optional.of(current.prepare(next)) : Optional.empty();
        AtomicReference<LoadBalancer> started = new AtomicReference<>();
        Runnable beforeChanges = () -> {
            announce.run();
            if (balancing && current == null) {
                try {
                    started.set(balancerStarter.start(next));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot start the load balancer: " + e.getMessage(), e);
                }
            }
        };
        try {
            if (!plan.toStop().isEmpty() || !plan.toStart().isEmpty()) {
                agent.reload(next, plan, STOP_GRACE, beforeChanges);
            } else {
                beforeChanges.run();
            }
        } catch (IOException | RuntimeException e) {
            prepared.ifPresent(current::discard);
            if (started.get() != null) {
                started.get().stop();
            }
            throw e;
        }
        prepared.ifPresent(r -> current.apply(r, cause));
        if (started.get() != null) {
            balancer.set(started.get());
        }
    }

    private void refuse(Cause cause, Hash256 sha, ReloadPlan plan, String detail) {
        log.atWarn().setMessage("reload refused: " + detail).addKeyValue("config", path).log();
        journal.record(cause, new Event.ConfigReloaded(path.toString(), sha, false, detail, plan.added(),
                plan.removed(), plan.changed(), plan.unchanged()));
    }

    private Event.ConfigReloaded refused(Hash256 sha, String detail) {
        List<String> names = running.vrrpInstances().stream().map(i -> i.name()).toList();
        return new Event.ConfigReloaded(path.toString(), sha, false, detail, List.of(), List.of(), List.of(), names);
    }

    private static String what(ReloadPlan plan) {
        StringBuilder text = new StringBuilder();
        append(text, "added", plan.added());
        append(text, "removed", plan.removed());
        append(text, "changed", plan.changed());
        append(text, "virtual servers added", plan.virtualServers().added());
        append(text, "virtual servers removed", plan.virtualServers().removed());
        append(text, "virtual servers changed", plan.virtualServers().changed());
        List<String> blocks = plan.othersChanged().stream().filter(b -> !b.equals("virtual_server")).toList();
        append(text, "changed blocks", blocks);
        return text.toString();
    }

    private static void append(StringBuilder text, String label, List<String> names) {
        if (!names.isEmpty()) {
            text.append(text.isEmpty() ? "" : ", ").append(label).append(' ').append(names);
        }
    }

    static Hash256 sha256(byte[] bytes) {
        try {
            return new Hash256(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
