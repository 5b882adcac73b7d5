package io.quorumvip.config;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;

/** Handlers for the keywords of a {@code vrrp_instance} block, like keepalived's vrrp_parser.c. */
final class VrrpInstanceKeywords {

    private static final BigDecimal MAX_ADVERT_SECONDS = BigDecimal.valueOf(255);
    /** keepalived reads advert_int to the microsecond, then rounds it to what the VRRP version carries. */
    private static final int ADVERT_DECIMALS = 6;
    private static final BigDecimal MAX_PREEMPT_DELAY_SECONDS = BigDecimal.valueOf(1000);
    private static final BigDecimal ONE_DAY = BigDecimal.valueOf(86_400);
    private static final int MAX_INTERFACE_NAME = 15;
    private static final Set<String> SCOPES = Set.of("site", "link", "host", "nowhere", "global");
    private static final Set<String> VIP_OPTIONS = Set.of("dev", "label", "brd", "scope");

    static final KeywordTable<Drafts.Instance> TABLE = KeywordTable.<Drafts.Instance>forBlock("vrrp_instance")
            .keyword("state", VrrpInstanceKeywords::state)
            .keyword("interface", VrrpInstanceKeywords::interfaceName)
            .keyword("virtual_router_id", (s, v, d) ->
                    Values.integer(s, 1, 255, d).ifPresent(x -> v.virtualRouterId = x))
            .keyword("priority", (s, v, d) -> Values.integer(s, 1, 255, d).ifPresent(x -> {
                v.priority = x;
                v.priorityPosition = s.position();
            }))
            .keyword("advert_int", VrrpInstanceKeywords::advertInterval)
            .keyword("version", (s, v, d) -> Values.integer(s, 2, 3, d).ifPresent(x -> {
                v.version = x;
                v.versionPosition = s.position();
            }))
            .keyword("authentication", VrrpInstanceKeywords::authentication)
            .repeatable("virtual_ipaddress", (s, v, d) -> addresses(s, v.virtualIpAddresses, d))
            .repeatable("virtual_ipaddress_excluded", (s, v, d) -> addresses(s, v.excludedVirtualIpAddresses, d))
            .repeatable("track_script", (s, v, d) -> trackScripts(s, v.trackScripts, d))
            .repeatable("track_interface", (s, v, d) -> trackInterfaces(s, v.trackInterfaces, d))
            .repeatable("track_file", (s, v, d) -> trackFiles(s, v.trackFiles, d))
            .repeatable("track_process", (s, v, d) -> trackProcesses(s, v.trackProcesses, d))
            .repeatable("virtual_routes", (s, v, d) -> RoutingKeywords.routes(s, v.virtualRoutes, d))
            .repeatable("virtual_rules", (s, v, d) -> RoutingKeywords.rules(s, v.virtualRules, d))
            .keyword("nopreempt", (s, v, d) -> {
                if (Values.arguments(s, 0, 0, "nopreempt", d)) {
                    v.nopreempt = true;
                    v.nopreemptPosition = s.position();
                }
            })
            .keyword("preempt", (s, v, d) -> {
                if (Values.arguments(s, 0, 0, "preempt", d)) {
                    v.nopreempt = false;
                }
            })
            .keyword("preempt_delay", (s, v, d) ->
                    Values.duration(s, BigDecimal.ZERO, MAX_PREEMPT_DELAY_SECONDS, 3, d).ifPresent(x -> {
                        v.preemptDelay = x;
                        v.preemptDelayPosition = s.position();
                    }))
            .keyword("unicast_src_ip", (s, v, d) -> sourceAddress(s, d).ifPresent(x -> v.unicastSourceIp = x))
            .keyword("mcast_src_ip", (s, v, d) -> sourceAddress(s, d).ifPresent(x -> v.multicastSourceIp = x))
            .repeatable("unicast_peer", VrrpInstanceKeywords::unicastPeer)
            // A unicast_peer list is always a filter here (the codec drops other sources): what this asks for.
            .keyword("check_unicast_src", (s, v, d) -> Values.arguments(s, 0, 0, "check_unicast_src", d))
            .keyword("garp_master_delay", (s, v, d) ->
                    Values.duration(s, BigDecimal.ZERO, ONE_DAY, 0, d).ifPresent(x -> v.garp.masterDelay = x))
            .keyword("garp_master_repeat", (s, v, d) ->
                    Values.integer(s, 1, 1000, d).ifPresent(x -> v.garp.masterRepeat = x))
            .keyword("garp_master_refresh", (s, v, d) ->
                    Values.duration(s, BigDecimal.ZERO, ONE_DAY, 0, d).ifPresent(x -> v.garp.masterRefresh = x))
            .keyword("garp_master_refresh_repeat", (s, v, d) ->
                    Values.integer(s, 1, 1000, d).ifPresent(x -> v.garp.masterRefreshRepeat = x))
            .keyword("notify_master", (s, v, d) -> notify(s, d, x -> v.notifyMaster = x))
            .keyword("notify_backup", (s, v, d) -> notify(s, d, x -> v.notifyBackup = x))
            .keyword("notify_fault", (s, v, d) -> notify(s, d, x -> v.notifyFault = x))
            .keyword("notify_stop", (s, v, d) -> notify(s, d, x -> v.notifyStop = x))
            .keyword("notify", (s, v, d) -> notify(s, d, x -> v.notifyAny = x))
            .keyword("smtp_alert", (s, v, d) -> Values.optionalBoolean(s, d).ifPresent(x -> v.smtpAlert = x))
            .keyword("dont_track_primary", (s, v, d) -> {
                if (Values.arguments(s, 0, 0, "dont_track_primary", d)) {
                    v.dontTrackPrimary = true;
                }
            })
            .keyword("native_ipv6", (s, v, d) -> {
                if (Values.arguments(s, 0, 0, "native_ipv6", d)) {
                    v.nativeIpv6Position = s.position();
                }
            })
            .keyword("use_vmac", VrrpInstanceKeywords::useVmac)
            .keyword("vmac_xmit_base", (s, v, d) -> {
                if (Values.arguments(s, 0, 0, "vmac_xmit_base", d)) {
                    v.xmitBasePosition = s.position();
                }
            })
            // keepalived documents debug as "not implemented yet": checked, then ignored like keepalived does.
            .keyword("debug", (s, v, d) -> {
                if (!s.arguments().isEmpty()) {
                    Values.integer(s, 0, 4, d);
                }
            })
            .notSupported(KeepalivedKeywords.VRRP_INSTANCE_NOT_SUPPORTED)
            .validElsewhere(KeepalivedKeywords.TOP_LEVEL_SUPPORTED)
            .build();

    private static final KeywordTable<Drafts.Authentication> AUTHENTICATION =
            KeywordTable.<Drafts.Authentication>forBlock("authentication")
                    .keyword("auth_type", VrrpInstanceKeywords::authType)
                    .keyword("auth_pass", VrrpInstanceKeywords::authPass)
                    .build();

    private VrrpInstanceKeywords() {
    }

    private static void state(Statement s, Drafts.Instance v, Diagnostics d) {
        Values.word(s, "state MASTER|BACKUP", d).ifPresent(word -> {
            switch (word) {
                case "MASTER" -> v.state = InitialState.MASTER;
                case "BACKUP" -> v.state = InitialState.BACKUP;
                default -> {
                    // keepalived starts such an instance as BACKUP; refusing would stop a migration, so we do too.
                    v.state = InitialState.BACKUP;
                    d.warning(s.arguments().get(0).position(), "state " + word + " is not a VRRP state (expected "
                                    + "MASTER or BACKUP); BACKUP is used, as keepalived does",
                            word.equalsIgnoreCase("master")
                                    ? "write `state MASTER` in capitals: keepalived reads only capitals"
                                    : "write `state BACKUP` to say so");
                }
            }
        });
    }

    private static void interfaceName(Statement s, Drafts.Instance v, Diagnostics d) {
        Values.word(s, "interface eth0", d).ifPresent(name -> {
            if (validInterfaceName(name)) {
                v.interfaceName = name;
            } else {
                d.error(s.arguments().get(0).position(), "interface " + name + " is not a valid interface name "
                        + "(expected 1.." + MAX_INTERFACE_NAME + " characters, no `/` or space)", "write e.g. `eth0`");
            }
        });
    }

    /**
     * {@code use_vmac [NAME] [MAC]}. keepalived ignores a bad name and carries on with its default; here the
     * operator hears of it as an error, since the name is what scripts and firewalls refer to.
     */
    private static void useVmac(Statement s, Drafts.Instance v, Diagnostics d) {
        if (!Values.arguments(s, 0, 2, "use_vmac [NAME]", d)) {
            return;
        }
        v.useVmacPosition = s.position();
        for (Token argument : s.arguments().subList(0, Math.min(2, s.arguments().size()))) {
            String text = argument.text();
            if (text.matches("(?i)[0-9a-f]{1,2}(:[0-9a-f]{1,2}){4,5}")) {
                d.notSupportedYet(argument.position(), "use_vmac " + text);
            } else if (v.vmacName != null) {
                d.error(argument.position(), "use_vmac has two interface names (`" + v.vmacName + "` and `" + text
                        + "`)", "write `use_vmac NAME` with one name, e.g. `use_vmac vrrp.51`");
            } else if (!validInterfaceName(text)) {
                d.error(argument.position(), "use_vmac " + text + " is not a valid interface name (expected 1.."
                        + MAX_INTERFACE_NAME + " characters, no `/` or space)", "write e.g. `use_vmac vrrp.51`, or "
                        + "`use_vmac` alone for keepalived's default vrrp.VRID");
            } else {
                v.vmacName = text;
            }
        }
    }

    static boolean validInterfaceName(String name) {
        return !name.isEmpty() && name.length() <= MAX_INTERFACE_NAME && !name.equals(".") && !name.equals("..")
                && name.chars().noneMatch(c -> c == '/' || Character.isWhitespace(c));
    }

    private static void advertInterval(Statement s, Drafts.Instance v, Diagnostics d) {
        if (Values.arguments(s, 1, 1, "advert_int SECONDS", d)) {
            Values.seconds("advert_int", s.arguments().get(0), new BigDecimal("0.01"), MAX_ADVERT_SECONDS,
                            ADVERT_DECIMALS, d)
                    .ifPresent(x -> {
                        v.advertIntervalSeconds = x;
                        v.advertIntervalPosition = s.arguments().get(0).position();
                    });
        }
    }

    /**
     * A source address; keepalived also takes it with a prefix length ({@code 192.0.2.11/24}, copied from an
     * {@code ip addr} line) and uses the address alone, so do we, with a warning.
     */
    private static Optional<InetAddress> sourceAddress(Statement s, Diagnostics d) {
        if (!Values.arguments(s, 1, 1, s.name() + " ADDRESS", d)) {
            return Optional.empty();
        }
        Token value = s.arguments().get(0);
        String text = value.text();
        int slash = text.indexOf('/');
        if (slash > 0 && text.substring(slash + 1).matches("\\d{1,3}")) {
            Optional<InetAddress> address = IpAddresses.parse(text.substring(0, slash));
            if (address.isPresent()) {
                d.warning(value.position(), "the prefix length in `" + s.name() + " " + text + "` is ignored, as "
                        + "keepalived does", "write `" + s.name() + " " + text.substring(0, slash) + "`");
                return address;
            }
        }
        return Values.address(s.name(), value, d);
    }

    private static void authentication(Statement s, Drafts.Instance v, Diagnostics d) {
        Values.block(s, 0, "authentication { auth_type PASS  auth_pass SECRET }", d).ifPresent(block -> {
            v.authentication = new Drafts.Authentication(s.position());
            AUTHENTICATION.dispatch(block.statements(), v.authentication, d);
        });
    }

    private static void authType(Statement s, Drafts.Authentication a, Diagnostics d) {
        Values.word(s, "auth_type PASS|AH", d).ifPresent(word -> {
            switch (word) {
                case "PASS" -> a.type = AuthType.PASS;
                case "AH" -> a.type = AuthType.AH;
                default -> {
                    // keepalived logs it and runs the instance with no authentication; interop needs the same.
                    a.typeUnknown = true;
                    d.warning(s.arguments().get(0).position(), "auth_type " + word + " is not an authentication "
                                    + "type (expected PASS or AH); adverts carry no authentication, as keepalived "
                                    + "does", "write `auth_type PASS` on every node to authenticate adverts");
                }
            }
        });
    }

    private static void authPass(Statement s, Drafts.Authentication a, Diagnostics d) {
        Values.word(s, "auth_pass SECRET", d).ifPresent(word -> {
            if (word.length() > Authentication.MAX_PASSWORD_LENGTH) {
                d.warning(s.arguments().get(0).position(), "auth_pass is " + word.length()
                                + " characters; only the first " + Authentication.MAX_PASSWORD_LENGTH + " are used",
                        "keepalived truncates it too; shorten it to `"
                                + word.substring(0, Authentication.MAX_PASSWORD_LENGTH) + "` to say what is used");
                a.password = word.substring(0, Authentication.MAX_PASSWORD_LENGTH);
            } else {
                a.password = word;
            }
        });
    }

    static void addresses(Statement s, List<VirtualIpAddress> into, Diagnostics d) {
        Values.block(s, 0, s.name() + " { 192.0.2.200/24 dev eth0 }", d).ifPresent(block ->
                block.statements().forEach(entry -> virtualIpAddress(s.name(), entry, d).ifPresent(into::add)));
    }

    /** {@code ADDR[/PREFIX] [dev IF] [label LABEL] [brd ADDR] [scope SCOPE]}, plus options we warn about. */
    static Optional<VirtualIpAddress> virtualIpAddress(String blockName, Statement entry, Diagnostics d) {
        if (!Values.noBlock(entry, d)) {
            return Optional.empty();
        }
        String written = entry.name();
        int slash = written.indexOf('/');
        String addressText = slash < 0 ? written : written.substring(0, slash);
        Optional<InetAddress> address = IpAddresses.parse(addressText);
        if (address.isEmpty()) {
            d.error(entry.position(), blockName + " entry `" + written + "` is not an IP address (expected "
                    + "ADDR[/PREFIX] like 192.0.2.200/24)", "host names are not accepted here");
            return Optional.empty();
        }
        int maxPrefix = IpAddresses.isIpv6(address.get()) ? 128 : 32;
        int prefix = maxPrefix;
        if (slash >= 0) {
            Token prefixToken = new Token(Token.Kind.WORD, written.substring(slash + 1), false,
                    new SourcePosition(entry.position().file(), entry.position().line(),
                            entry.position().column() + slash + 1), entry.keyword().logicalLine());
            OptionalInt parsed = Values.integer("prefix length of " + addressText, prefixToken, 0, maxPrefix, d);
            if (parsed.isEmpty()) {
                return Optional.empty();
            }
            prefix = parsed.getAsInt();
        }
        VipOptions options = new VipOptions();
        List<Token> args = entry.arguments();
        for (int i = 0; i < args.size(); i++) {
            Token option = args.get(i);
            String name = option.text();
            boolean takesValue = VIP_OPTIONS.contains(name) || KeepalivedKeywords.VIP_OPTIONS_WITH_VALUE.contains(name);
            if (takesValue && i + 1 >= args.size()) {
                d.error(option.position(), "`" + name + "` in " + blockName + " entry `" + written
                        + "` needs a value", "write `" + name + " VALUE`");
                return Optional.empty();
            }
            if (VIP_OPTIONS.contains(name)) {
                Token value = args.get(++i);
                if (!options.set(name, value, d)) {
                    return Optional.empty();
                }
            } else if (KeepalivedKeywords.VIP_OPTIONS_NOT_SUPPORTED.contains(name)) {
                d.notSupportedYet(option.position(), name);
                if (takesValue) {
                    i++;
                }
            } else {
                // keepalived: "Unknown configuration entry ... for ip address - ignoring", word by word.
                List<String> known = new ArrayList<>(VIP_OPTIONS);
                known.addAll(KeepalivedKeywords.VIP_OPTIONS_NOT_SUPPORTED);
                d.warning(option.position(), "unknown option `" + name + "` in " + blockName + " entry `" + written
                        + "`; it is ignored, as keepalived does", KeywordSuggester.closest(name, known)
                        .map(k -> "did you mean `" + k + "`?").orElse("valid options: dev, label, brd, scope"));
            }
        }
        return Optional.of(new VirtualIpAddress(address.get(), prefix, options.device, options.label,
                options.broadcast, options.scope, entry.position()));
    }

    /** The named options of one address line, checked as they are read. */
    private static final class VipOptions {
        Optional<String> device = Optional.empty();
        Optional<String> label = Optional.empty();
        Optional<String> broadcast = Optional.empty();
        Optional<String> scope = Optional.empty();

        boolean set(String name, Token value, Diagnostics d) {
            String text = value.text();
            switch (name) {
                case "dev" -> {
                    if (!validInterfaceName(text)) {
                        d.error(value.position(), "dev " + text + " is not a valid interface name", "write e.g. `eth0`");
                        return false;
                    }
                    device = Optional.of(text);
                }
                case "label" -> label = Optional.of(text);
                case "brd" -> {
                    if (!text.equals("+") && !text.equals("-") && IpAddresses.parse(text).isEmpty()) {
                        d.error(value.position(), "brd " + text + " is not an address (expected an address, + or -)",
                                "write e.g. `brd 192.0.2.255`");
                        return false;
                    }
                    broadcast = Optional.of(text);
                }
                default -> {
                    if (SCOPES.contains(text)) {
                        scope = Optional.of(text);
                    } else {
                        d.warning(value.position(), "scope " + text + " is not a scope (expected one of "
                                        + String.join(", ", SCOPES.stream().sorted().toList())
                                        + "); it is ignored and the address gets scope global, as keepalived does",
                                "write `scope global`, or remove it");
                    }
                }
            }
            return true;
        }
    }

    /** A {@code track_script} block, of an instance or a sync group. */
    static void trackScripts(Statement s, List<TrackedScript> into, Diagnostics d) {
        Values.block(s, 0, "track_script { chk_name [weight N] }", d).ifPresent(block -> {
            for (Statement entry : block.statements()) {
                weightedEntry(entry, "track_script", VrrpScriptKeywords.MAX_WEIGHT, true, d).ifPresent(w ->
                        into.add(new TrackedScript(entry.name(), w.weight(), w.reverse(), entry.position())));
            }
        });
    }

    /** A {@code track_file} block, of an instance or a sync group. */
    static void trackFiles(Statement s, List<TrackedFile> into, Diagnostics d) {
        Values.block(s, 0, "track_file { file_name [weight N] }", d).ifPresent(block -> {
            for (Statement entry : block.statements()) {
                weightedEntry(entry, "track_file", VrrpTrackFile.MAX_INSTANCE_WEIGHT, true, d).ifPresent(w ->
                        into.add(new TrackedFile(entry.name(), w.weight(), w.reverse(), entry.position())));
            }
        });
    }

    /** A {@code track_process} block, of an instance or a sync group. */
    static void trackProcesses(Statement s, List<TrackedProcess> into, Diagnostics d) {
        Values.block(s, 0, "track_process { process_name [weight N] }", d).ifPresent(block -> {
            for (Statement entry : block.statements()) {
                weightedEntry(entry, "track_process", VrrpTrackProcess.MAX_WEIGHT, true, d).ifPresent(w ->
                        into.add(new TrackedProcess(entry.name(), w.weight(), w.reverse(), entry.position())));
            }
        });
    }

    /** A {@code track_interface} block, of an instance or a sync group. */
    static void trackInterfaces(Statement s, List<TrackedInterface> into, Diagnostics d) {
        Values.block(s, 0, "track_interface { eth1 [weight N] }", d).ifPresent(block -> {
            for (Statement entry : block.statements()) {
                if (!validInterfaceName(entry.name())) {
                    d.error(entry.position(), "track_interface " + entry.name() + " is not a valid interface name",
                            "write e.g. `eth1`");
                    continue;
                }
                weightedEntry(entry, "track_interface", VrrpScriptKeywords.MAX_WEIGHT, false, d).ifPresent(w ->
                        into.add(new TrackedInterface(entry.name(), w.weight().orElse(0),
                                w.reverse().orElse(false), entry.position())));
            }
        });
    }

    /** A tracking entry's optional weight and optional direction (absent: the tracker block's, or normal). */
    private record EntryWeight(OptionalInt weight, Optional<Boolean> reverse) {
    }

    /**
     * {@code NAME [weight N [reverse|noreverse]]}, or empty when the entry is bad. keepalived 2.2.7 takes the
     * direction only after a weight, and {@code noreverse} only where a tracker block could have said
     * {@code reverse} (not in track_interface).
     */
    private static Optional<EntryWeight> weightedEntry(Statement entry, String blockName, int maxWeight,
                                                       boolean noreverseAllowed, Diagnostics d) {
        if (!Values.noBlock(entry, d)) {
            return Optional.empty();
        }
        List<Token> args = entry.arguments();
        if (args.isEmpty()) {
            return Optional.of(new EntryWeight(OptionalInt.empty(), Optional.empty()));
        }
        String directions = noreverseAllowed ? "reverse|noreverse" : "reverse";
        if (!args.get(0).text().equals("weight") || args.size() < 2 || args.size() > 3) {
            d.error(args.get(0).position(), "unexpected `" + entry.text() + "` in " + blockName,
                    "write `" + entry.name() + "` or `" + entry.name() + " weight N [" + directions
                            + "]`, one per line");
            return Optional.empty();
        }
        Optional<Boolean> reverse = Optional.empty();
        if (args.size() == 3) {
            reverse = VrrpScriptKeywords.direction(args.get(2), noreverseAllowed, d);
            if (reverse.isEmpty()) {
                return Optional.empty();
            }
        }
        OptionalInt weight = Values.integer("weight", args.get(1), -maxWeight, maxWeight, d);
        return weight.isPresent() ? Optional.of(new EntryWeight(weight, reverse)) : Optional.empty();
    }

    private static void unicastPeer(Statement s, Drafts.Instance v, Diagnostics d) {
        Values.block(s, 0, "unicast_peer { 192.0.2.12 }", d).ifPresent(block -> {
            for (Statement entry : block.statements()) {
                if (!Values.noBlock(entry, d)) {
                    continue;
                }
                Token address = entry.keyword();
                Values.address("unicast_peer", address, d).ifPresent(v.unicastPeers::add);
                List<Token> args = entry.arguments();
                for (int i = 0; i < args.size(); i++) {
                    String option = args.get(i).text();
                    if ((option.equals("min_ttl") || option.equals("max_ttl")) && i + 1 < args.size()) {
                        d.notSupportedYet(args.get(i).position(), option);
                        i++;
                    } else {
                        d.error(args.get(i).position(), "unexpected `" + option + "` after unicast_peer "
                                + address.text(), "write one peer address per line");
                        break;
                    }
                }
            }
        });
    }

    /** A notify script line, of an instance or a sync group. */
    static void notify(Statement s, Diagnostics d, Consumer<NotifyScript> into) {
        if (Values.arguments(s, 1, 3, s.name() + " \"/path/script ARGS\" [USER [GROUP]]", d)) {
            List<String> words = s.argumentTexts().subList(0, Math.min(3, s.arguments().size()));
            Optional<String> runAs = words.size() > 1
                    ? Optional.of(String.join(" ", words.subList(1, words.size()))) : Optional.empty();
            if (runAs.isPresent() && !s.arguments().get(0).quoted()) {
                d.warning(s.arguments().get(1).position(), "`" + runAs.get() + "` after " + s.name()
                                + " is read as the user to run the script as, not as its arguments",
                        "quote the command with its arguments: `" + s.name() + " \"" + words.get(0) + " ...\"`");
            }
            into.accept(new NotifyScript(words.get(0), runAs));
        }
    }
}
