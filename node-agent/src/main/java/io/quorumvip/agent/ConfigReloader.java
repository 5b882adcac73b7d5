package io.quorumvip.agent;

import io.quorumvip.agent.journal.AgentJournal;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGHUP: reads the configuration again and compares it with the running one ({@link ReloadPlan}). A file with
 * any error is refused with every finding at its file:line and the running configuration goes on. A file whose
 * instances and blocks are all as they run (comments, order, layout changed) is taken: nothing is touched, so no
 * address moves and no lease is given up. Applying added, removed or changed instances in place is not built: such
 * a reload is refused, saying what differs, and a restart applies it. Every outcome is journaled as
 * {@link Event.ConfigReloaded}.
 */
final class ConfigReloader {

    private static final Logger log = LoggerFactory.getLogger(ConfigReloader.class);

    private final Path path;
    private final ParseOptions options;
    private final AgentJournal journal;
    private KeepalivedConfig running;
    private boolean closed;

    ConfigReloader(Path path, ParseOptions options, KeepalivedConfig running, AgentJournal journal) {
        this.path = path;
        this.options = options;
        this.running = running;
        this.journal = journal;
    }

    /** No reload after this: the agent is stopping and its journal closes. */
    synchronized void close() {
        closed = true;
    }

    /** Reads the file again and journals what came of it; never throws. */
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
        ReloadPlan plan = ReloadPlan.between(running, parsed.config());
        if (!plan.nothingChanged()) {
            String detail = "applying " + what(plan) + " in place is not supported yet; restart the agent to apply"
                    + " it (the running configuration goes on)";
            log.atWarn().setMessage("reload refused: " + detail).addKeyValue("config", path).log();
            journal.record(cause, new Event.ConfigReloaded(path.toString(), sha, false, detail, plan.added(),
                    plan.removed(), plan.changed(), plan.unchanged()));
            return;
        }
        running = parsed.config();
        log.atInfo().setMessage("configuration reloaded: every instance unchanged, nothing touched")
                .addKeyValue("config", path).addKeyValue("unchanged", plan.unchanged()).log();
        journal.record(cause, new Event.ConfigReloaded(path.toString(), sha, true, "", List.of(), List.of(),
                List.of(), plan.unchanged()));
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
        append(text, "changed blocks", plan.othersChanged());
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
