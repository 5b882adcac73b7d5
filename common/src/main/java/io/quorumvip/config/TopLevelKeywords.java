package io.quorumvip.config;

/** Handlers for the top level of keepalived.conf. */
final class TopLevelKeywords {

    static final KeywordTable<Drafts.Config> TABLE = KeywordTable.<Drafts.Config>forBlock("the top level")
            .repeatable("global_defs", (s, c, d) -> Values.block(s, 0, "global_defs { router_id NAME }", d)
                    .ifPresent(block -> GlobalDefsKeywords.TABLE.dispatch(block.statements(), c.global, d)))
            .repeatable("vrrp_script", TopLevelKeywords::vrrpScript)
            .repeatable("vrrp_instance", TopLevelKeywords::vrrpInstance)
            .repeatable("vrrp_sync_group", TopLevelKeywords::syncGroup)
            .repeatable("vrrp_track_file", TopLevelKeywords::vrrpTrackFile)
            .repeatable("track_file", TopLevelKeywords::vrrpTrackFile)
            .repeatable("vrrp_track_process", TopLevelKeywords::vrrpTrackProcess)
            .repeatable("static_ipaddress", (s, c, d) -> VrrpInstanceKeywords.addresses(s, c.staticAddresses, d))
            .repeatable("static_routes", (s, c, d) -> RoutingKeywords.routes(s, c.staticRoutes, d))
            .repeatable("static_rules", (s, c, d) -> RoutingKeywords.rules(s, c.staticRules, d))
            .repeatable("quorum", TopLevelKeywords::quorum)
            .repeatable("coordinator", TopLevelKeywords::coordinator)
            .repeatable("virtual_server", VirtualServerKeywords::virtualServer)
            .repeatable("virtual_server_group", VirtualServerKeywords::virtualServerGroup)
            .notSupported(KeepalivedKeywords.TOP_LEVEL_NOT_SUPPORTED)
            .build();

    private TopLevelKeywords() {
    }

    private static void vrrpScript(Statement s, Drafts.Config c, Diagnostics d) {
        Values.block(s, 1, "vrrp_script NAME { script \"/path/check.sh\" }", d).ifPresent(block -> {
            if (s.arguments().size() != 1) {
                return;
            }
            Drafts.Script script = new Drafts.Script(s.arguments().get(0).text(), s.position());
            VrrpScriptKeywords.TABLE.dispatch(block.statements(), script, d);
            c.scripts.add(script);
        });
    }

    /** {@code track_file NAME { file PATH }}, or its deprecated synonym {@code vrrp_track_file} (keepalived 2.2). */
    private static void vrrpTrackFile(Statement s, Drafts.Config c, Diagnostics d) {
        Values.block(s, 1, s.name() + " NAME { file \"/path/to/file\" }", d).ifPresent(block -> {
            if (s.arguments().size() != 1) {
                return;
            }
            Drafts.TrackFile file = new Drafts.TrackFile(s.arguments().get(0).text(), s.position());
            VrrpTrackFileKeywords.TABLE.dispatch(block.statements(), file, d);
            c.trackFiles.add(file);
        });
    }

    private static void vrrpTrackProcess(Statement s, Drafts.Config c, Diagnostics d) {
        Values.block(s, 1, "vrrp_track_process NAME { process NAME }", d).ifPresent(block -> {
            if (s.arguments().size() != 1) {
                return;
            }
            Drafts.TrackProcess process = new Drafts.TrackProcess(s.arguments().get(0).text(), s.position());
            VrrpTrackProcessKeywords.TABLE.dispatch(block.statements(), process, d);
            c.trackProcesses.add(process);
        });
    }

    private static void vrrpInstance(Statement s, Drafts.Config c, Diagnostics d) {
        Values.block(s, 1, "vrrp_instance NAME { ... }", d).ifPresent(block -> {
            if (s.arguments().size() != 1) {
                return;
            }
            Drafts.Instance instance = new Drafts.Instance(s.arguments().get(0).text(), s.position());
            VrrpInstanceKeywords.TABLE.dispatch(block.statements(), instance, d);
            c.instances.add(instance);
        });
    }

    private static void syncGroup(Statement s, Drafts.Config c, Diagnostics d) {
        Values.block(s, 1, "vrrp_sync_group NAME { group { VI_1 VI_2 } }", d).ifPresent(block -> {
            if (s.arguments().size() != 1) {
                return;
            }
            Drafts.SyncGroup group = new Drafts.SyncGroup(s.arguments().get(0).text(), s.position());
            SyncGroupKeywords.TABLE.dispatch(SyncGroupKeywords.withoutBareMembers(block.statements(), d), group, d);
            c.syncGroups.add(group);
        });
    }

    private static void quorum(Statement s, Drafts.Config c, Diagnostics d) {
        Values.block(s, 0, "quorum { connect HOST:PORT,... }", d).ifPresent(block -> {
            if (!c.quorums.isEmpty()) {
                d.error(s.position(), "second `quorum` block (the first is at line "
                        + c.quorums.get(0).position.line() + ")", "merge them into one");
                return;
            }
            Drafts.Quorum quorum = new Drafts.Quorum(s.position());
            QuorumKeywords.TABLE.dispatch(block.statements(), quorum, d);
            c.quorums.add(quorum);
        });
    }

    private static void coordinator(Statement s, Drafts.Config c, Diagnostics d) {
        Values.block(s, 0, "coordinator { url http://HOST:PORT token_file PATH }", d).ifPresent(block -> {
            if (!c.coordinators.isEmpty()) {
                d.error(s.position(), "second `coordinator` block (the first is at line "
                        + c.coordinators.get(0).position.line() + ")", "merge them into one: `url` may repeat");
                return;
            }
            Drafts.Coordinator coordinator = new Drafts.Coordinator(s.position());
            CoordinatorKeywords.TABLE.dispatch(block.statements(), coordinator, d);
            c.coordinators.add(coordinator);
        });
    }
}
