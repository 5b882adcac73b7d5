package io.quorumvip.config;

import java.math.BigDecimal;
import java.util.List;

/** Handlers for the keywords of {@code global_defs}. */
final class GlobalDefsKeywords {

    private static final BigDecimal ONE_DAY = BigDecimal.valueOf(86_400);

    static final KeywordTable<Drafts.Global> TABLE = KeywordTable.<Drafts.Global>forBlock("global_defs")
            .keyword("router_id", (s, g, d) ->
                    Values.word(s, "router_id NAME", d).ifPresent(v -> {
                        g.routerId = v;
                        g.routerIdPosition = s.arguments().get(0).position();
                    }))
            .repeatable("notification_email", GlobalDefsKeywords::notificationEmail)
            .keyword("notification_email_from", (s, g, d) ->
                    Values.word(s, "notification_email_from ADDRESS", d).ifPresent(v -> g.notificationEmailFrom = v))
            .keyword("smtp_server", GlobalDefsKeywords::smtpServer)
            .keyword("smtp_connect_timeout", (s, g, d) ->
                    Values.duration(s, BigDecimal.ONE, BigDecimal.valueOf(3600), 0, d)
                            .ifPresent(v -> g.smtpConnectTimeout = v))
            .keyword("smtp_helo_name", (s, g, d) ->
                    Values.word(s, "smtp_helo_name NAME", d).ifPresent(v -> g.smtpHeloName = v))
            .keyword("smtp_alert", (s, g, d) -> Values.optionalBoolean(s, d).ifPresent(v -> g.smtpAlert = v))
            .keyword("smtp_alert_vrrp", (s, g, d) -> Values.optionalBoolean(s, d).ifPresent(v -> g.smtpAlertVrrp = v))
            .keyword("smtp_alert_checker", (s, g, d) ->
                    Values.optionalBoolean(s, d).ifPresent(v -> g.smtpAlertChecker = v))
            // A unicast_peer list is always a filter here (the codec drops other sources): what this asks for.
            .keyword("vrrp_check_unicast_src", (s, g, d) -> Values.arguments(s, 0, 0, "vrrp_check_unicast_src", d))
            .keyword("vrrp_version", (s, g, d) ->
                    Values.integer(s, 2, 3, d).ifPresent(v -> g.vrrpVersion = v))
            .keyword("default_interface", (s, g, d) ->
                    Values.word(s, "default_interface eth0", d).ifPresent(v -> {
                        if (VrrpInstanceKeywords.validInterfaceName(v)) {
                            g.defaultInterface = v;
                        } else {
                            d.error(s.arguments().get(0).position(), "default_interface " + v + " is not a valid "
                                    + "interface name", "write e.g. `eth0`");
                        }
                    }))
            .keyword("vrrp_garp_master_delay", (s, g, d) ->
                    Values.duration(s, BigDecimal.ZERO, ONE_DAY, 0, d).ifPresent(v -> g.garp.masterDelay = v))
            .keyword("vrrp_garp_master_repeat", (s, g, d) ->
                    Values.integer(s, 1, 1000, d).ifPresent(v -> g.garp.masterRepeat = v))
            .keyword("vrrp_garp_master_refresh", (s, g, d) ->
                    Values.duration(s, BigDecimal.ZERO, ONE_DAY, 0, d).ifPresent(v -> g.garp.masterRefresh = v))
            .keyword("vrrp_garp_master_refresh_repeat", (s, g, d) ->
                    Values.integer(s, 1, 1000, d).ifPresent(v -> g.garp.masterRefreshRepeat = v))
            // Ours: one check per distinct real-server target and checker configuration (keepalived #2111, #2358).
            .keyword("lb_share_checks", (s, g, d) -> Values.optionalBoolean(s, d).ifPresent(v -> g.lbShareChecks = v))
            .keyword("script_user", (s, g, d) -> {
                if (Values.arguments(s, 1, 2, "script_user USER [GROUP]", d)) {
                    g.scriptUser = String.join(" ", s.argumentTexts());
                }
            })
            .keyword("enable_script_security", (s, g, d) -> {
                if (Values.arguments(s, 0, 0, "enable_script_security", d)) {
                    g.scriptSecurity = true;
                }
            })
            .notSupported(KeepalivedKeywords.GLOBAL_DEFS_NOT_SUPPORTED)
            .validElsewhere(KeepalivedKeywords.TOP_LEVEL_SUPPORTED)
            .build();

    private GlobalDefsKeywords() {
    }

    private static void notificationEmail(Statement s, Drafts.Global g, Diagnostics d) {
        Values.block(s, 0, "notification_email { ops@example.org }", d).ifPresent(block ->
                block.statements().forEach(entry -> entry.allWords().forEach(w -> g.notificationEmail.add(w.text()))));
    }

    private static void smtpServer(Statement s, Drafts.Global g, Diagnostics d) {
        if (!Values.arguments(s, 1, 2, "smtp_server HOST [PORT]", d)) {
            return;
        }
        List<Token> args = s.arguments();
        int port = SmtpServer.DEFAULT_PORT;
        if (args.size() >= 2) {
            var parsed = Values.integer("smtp_server port", args.get(1), 1, 65535, d);
            if (parsed.isEmpty()) {
                return;
            }
            port = parsed.getAsInt();
        }
        g.smtpServer = new SmtpServer(args.get(0).text(), port);
    }
}
