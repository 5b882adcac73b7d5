package io.quorumvip.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Handlers for the keywords of a {@code vrrp_sync_group} block (keepalived's vrrp_parser.c, sync group part). */
final class SyncGroupKeywords {

    static final KeywordTable<Drafts.SyncGroup> TABLE = KeywordTable.<Drafts.SyncGroup>forBlock("vrrp_sync_group")
            .repeatable("group", SyncGroupKeywords::group)
            .keyword("notify_master", (s, v, d) -> VrrpInstanceKeywords.notify(s, d, x -> v.notifyMaster = x))
            .keyword("notify_backup", (s, v, d) -> VrrpInstanceKeywords.notify(s, d, x -> v.notifyBackup = x))
            .keyword("notify_fault", (s, v, d) -> VrrpInstanceKeywords.notify(s, d, x -> v.notifyFault = x))
            .keyword("notify_stop", (s, v, d) -> VrrpInstanceKeywords.notify(s, d, x -> v.notifyStop = x))
            .keyword("notify", (s, v, d) -> VrrpInstanceKeywords.notify(s, d, x -> v.notifyAny = x))
            .repeatable("track_script", (s, v, d) -> VrrpInstanceKeywords.trackScripts(s, v.trackScripts, d))
            .repeatable("track_interface", (s, v, d) ->
                    VrrpInstanceKeywords.trackInterfaces(s, v.trackInterfaces, d))
            .repeatable("track_file", (s, v, d) -> VrrpInstanceKeywords.trackFiles(s, v.trackFiles, d))
            .repeatable("track_process", (s, v, d) -> VrrpInstanceKeywords.trackProcesses(s, v.trackProcesses, d))
            .keyword("global_tracking", SyncGroupKeywords::trackingWeight)
            .keyword("sync_group_tracking_weight", SyncGroupKeywords::trackingWeight)
            .notSupported(Set.of("smtp_alert", "track_bfd", "notify_priority_changes", "notify_deleted"))
            .validElsewhere(KeepalivedKeywords.TOP_LEVEL_SUPPORTED)
            .build();

    private SyncGroupKeywords() {
    }

    /**
     * keepalived 1.x listed members straight in the block; keepalived 2 reads such a line as an unknown keyword
     * and ignores it. So do we, with a warning that says how to write it.
     */
    static List<Statement> withoutBareMembers(List<Statement> statements, Diagnostics d) {
        List<Statement> kept = new ArrayList<>();
        for (Statement statement : statements) {
            boolean bare = statement.arguments().isEmpty() && statement.block().isEmpty()
                    && !TABLE.keywords().contains(statement.name())
                    && !KeepalivedKeywords.TOP_LEVEL_SUPPORTED.contains(statement.name());
            if (bare) {
                d.warning(statement.position(), "`" + statement.name() + "` outside `group { }` is the keepalived"
                                + " 1.x way of listing a member; keepalived 2 ignores it, and so does this",
                        "list it inside `group { " + statement.name() + " }`");
            } else {
                kept.add(statement);
            }
        }
        return kept;
    }

    private static void group(Statement s, Drafts.SyncGroup v, Diagnostics d) {
        Values.block(s, 0, "group { VI_1 VI_2 }", d).ifPresent(block -> {
            for (Statement entry : block.statements()) {
                if (!Values.noBlock(entry, d)) {
                    continue;
                }
                // keepalived reads every word as a member name, one or several per line.
                v.members.add(entry.keyword());
                v.members.addAll(entry.arguments());
            }
        });
    }

    private static void trackingWeight(Statement s, Drafts.SyncGroup v, Diagnostics d) {
        if (Values.arguments(s, 0, 0, s.name(), d)) {
            v.trackingWeight = true;
        }
    }
}
