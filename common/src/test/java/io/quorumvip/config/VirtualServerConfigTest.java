package io.quorumvip.config;

import static io.quorumvip.config.ConfigFixture.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class VirtualServerConfigTest {

    @TempDir
    Path dir;

    /** A virtual server at line 1 whose block holds {@code lines}, one per line from line 2. */
    private ParseResult parseVirtualServer(String... lines) {
        return parse(dir, "virtual_server 192.0.2.210 80 {\n" + String.join("\n", lines) + "\n}\n");
    }

    private VirtualServerConfig onlyVirtualServer(ParseResult result) {
        assertThat(result.errors()).isEmpty();
        return result.config().loadBalancing().virtualServers().get(0);
    }

    @Test
    void shouldReadTheDrPairSampleAsTheTutorialsWriteIt() throws IOException {
        ParseResult result = KeepalivedConfigParser.parse(lbSamples().resolve("lvs-dr-node1.conf"));

        assertThat(result.findings()).isEmpty();
        VirtualServerConfig vs = result.config().loadBalancing().virtualServers().get(0);
        assertThat(vs.name()).isEqualTo("192.0.2.210:80/tcp");
        assertThat(vs.scheduler()).isEqualTo(LbScheduler.RR);
        assertThat(vs.method()).isEqualTo(ForwardingMethod.DR);
        assertThat(vs.realServers()).extracting(RealServerConfig::endpoint, RealServerConfig::weight)
                .containsExactly(tuple("192.0.2.51:80", 1), tuple("192.0.2.52:80", 1));
        CheckerConfig tcp = vs.realServers().get(0).checkers().get(0);
        assertThat(tcp.kind()).isEqualTo(new CheckKind.Tcp());
        assertThat(tcp.timing()).isEqualTo(new CheckTiming(Duration.ofSeconds(6), Duration.ofSeconds(3), 3,
                Duration.ofSeconds(3), Duration.ofSeconds(6), false));
        assertThat(tcp.target().port()).isEqualTo(80);
    }

    @Test
    void shouldReadTheNatSampleWithWeightsQuorumSorryServerHttpAndMiscChecks() throws IOException {
        ParseResult result = KeepalivedConfigParser.parse(lbSamples().resolve("lvs-nat-node1.conf"));

        assertThat(result.findings()).isEmpty();
        assertThat(result.config().syncGroupOf("back")).hasValueSatisfying(g ->
                assertThat(g.members()).containsExactly("front", "back"));
        VirtualServerConfig vs = result.config().loadBalancing().virtualServers().get(0);
        assertThat(vs.scheduler()).isEqualTo(LbScheduler.WRR);
        assertThat(vs.quorum()).isEqualTo(2);
        assertThat(vs.sorryServer()).hasValueSatisfying(s -> assertThat(s.endpoint()).isEqualTo("198.51.100.60:80"));
        assertThat(vs.realServers()).extracting(RealServerConfig::weight).containsExactly(3, 1, 1);
        CheckerConfig http = vs.realServers().get(0).checkers().get(0);
        assertThat(((CheckKind.Http) http.kind()).urls()).singleElement().satisfies(url -> {
            assertThat(url.path()).isEqualTo("/health");
            assertThat(url.accepts(200)).isTrue();
            assertThat(url.accepts(204)).isFalse();
        });
        assertThat(http.timing().retry()).isEqualTo(2);
        CheckerConfig misc = vs.realServers().get(2).checkers().get(0);
        assertThat(misc.kind()).isEqualTo(new CheckKind.Misc(
                "/usr/bin/curl -fsS -m 1 -o /dev/null http://198.51.100.53/health", Duration.ofSeconds(2), false,
                java.util.Optional.empty()));
        assertThat(misc.timing().retry()).as("MISC_CHECK's own default").isZero();
    }

    @Test
    void shouldFillInKeepalivedDefaults() {
        VirtualServerConfig vs = onlyVirtualServer(parseVirtualServer("lb_algo rr",
                "real_server 192.0.2.51 80 {", "TCP_CHECK {", "}", "HTTP_GET {", "url {", "path /", "}", "}", "}"));

        assertThat(vs.protocol()).isEqualTo(L4Protocol.TCP);
        assertThat(vs.method()).isEqualTo(ForwardingMethod.NAT);
        assertThat(vs.quorum()).isEqualTo(1);
        assertThat(vs.hysteresis()).isZero();
        assertThat(vs.persistence()).isEmpty();
        RealServerConfig real = vs.realServers().get(0);
        assertThat(real.weight()).isEqualTo(1);
        assertThat(real.inhibitOnFailure()).isFalse();
        assertThat(real.checkers()).extracting(CheckerConfig::timing).containsExactly(
                new CheckTiming(Duration.ofSeconds(60), Duration.ofSeconds(5), 1, Duration.ofSeconds(1),
                        Duration.ofSeconds(60), false),
                new CheckTiming(Duration.ofSeconds(60), Duration.ofSeconds(5), 1, Duration.ofSeconds(3),
                        Duration.ofSeconds(60), false));
        assertThat(((CheckKind.Http) real.checkers().get(1).kind()).urls().get(0).statusCodes())
                .isEqualTo(HttpUrl.DEFAULT_STATUS_CODES);
    }

    @Test
    void shouldLetTheCheckerOverrideTheRealServerOverrideTheVirtualServer() {
        VirtualServerConfig vs = onlyVirtualServer(parseVirtualServer("lb_algo rr", "delay_loop 10", "retry 4",
                "alpha", "inhibit_on_failure",
                "real_server 192.0.2.51 80 {", "delay_loop 5", "TCP_CHECK {", "nb_get_retry 2", "}", "}",
                "real_server 192.0.2.52 80 {", "inhibit_on_failure off", "TCP_CHECK {", "}", "}"));

        assertThat(vs.realServers().get(0).checkers().get(0).timing())
                .isEqualTo(new CheckTiming(Duration.ofSeconds(5), Duration.ofSeconds(5), 2, Duration.ofSeconds(1),
                        Duration.ofSeconds(5), true));
        assertThat(vs.realServers().get(1).checkers().get(0).timing().delayLoop()).isEqualTo(Duration.ofSeconds(10));
        assertThat(vs.realServers()).extracting(RealServerConfig::inhibitOnFailure).containsExactly(true, false);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "weight 70000|weight 70000 is out of range (expected 0..65535)",
        "weight -1|weight -1 is out of range (expected 0..65535)",
        "delay_loop 0|delay_loop 0 is out of range (expected 0.001..86400 seconds)",
        "connect_timeout x|connect_timeout x is not a number of seconds (expected 0.001..86400 seconds)",
        "retry -1|retry -1 is out of range (expected 0..1000000)",
        "nb_get_retry 1.5|nb_get_retry 1.5 is not a whole number (expected 0..1000000)",
        "delay_before_retry 100000|delay_before_retry 100000 is out of range (expected 0..86400 seconds)",
        "warmup -2|warmup -2 is not a number of seconds (expected 0..86400 seconds)",
    })
    void shouldReportABadRealServerValueAtItsLineWithTheRange(String line, String message) {
        ParseResult result = parseVirtualServer("lb_algo rr", "real_server 192.0.2.51 80 {", line, "}");

        assertThat(result.errors()).extracting(Finding::line, Finding::message).containsExactly(tuple(4, message));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "quorum 0|quorum 0 is out of range (expected 1..2147483647)",
        "hysteresis -1|hysteresis -1 is out of range (expected 0..2147483647)",
        "persistence_timeout 9999999|persistence_timeout 9999999 is out of range (expected 0..2678400)",
        "protocol ICMP|protocol ICMP is not a protocol (expected TCP, UDP or SCTP)",
        "lb_algo roundrobin|lb_algo roundrobin is not a scheduler (expected rr, wrr, lc, wlc, lblc, lblcr, sh, dh, "
                + "mh, fo, ovf, sed, nq or twos)",
        "lb_kind FULLNAT|lb_kind FULLNAT is not a forwarding method (expected NAT or DR)",
        "persistence_granularity 255.0.255.0|persistence_granularity 255.0.255.0 is not a netmask (expected a "
                + "contiguous mask like 255.255.255.0, or a prefix length 1..128)",
        "sorry_server 192.0.2.60 99999|sorry_server port 99999 is out of range (expected 0..65535)",
    })
    void shouldReportABadVirtualServerValueAtItsLineWithTheRange(String line, String message) {
        ParseResult result = parseVirtualServer("lb_algo rr", line);

        assertThat(result.errors()).extracting(Finding::line, Finding::message).containsExactly(tuple(3, message));
    }

    @Test
    void shouldRefuseTunWithTheReason() {
        ParseResult result = parseVirtualServer("lb_algo rr", "lb_kind TUN");

        assertThat(result.errors()).singleElement().satisfies(f -> {
            assertThat(f.line()).isEqualTo(3);
            assertThat(f.message()).contains("TUN is not available").contains("no ipip");
            assertThat(f.hint()).contains("lb_kind DR");
        });
    }

    @ParameterizedTest
    @CsvSource({"lc,wrr", "wlc,wrr", "sed,wrr", "nq,wrr", "twos,wrr", "lblc,dh", "lblcr,dh", "ovf,fo"})
    void shouldSayAtTheLineWhichSchedulerAConnectionCountingOneRunsAs(String written, String runs) {
        ParseResult result = parseVirtualServer("lb_algo " + written);

        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).singleElement().satisfies(f -> {
            assertThat(f.line()).isEqualTo(2);
            assertThat(f.column()).isEqualTo(9);
            assertThat(f.message()).startsWith("lb_algo " + written + " runs as " + runs + ": ");
        });
    }

    @ParameterizedTest
    @CsvSource({"rr", "wrr", "sh", "dh", "mh", "fo"})
    void shouldRunTheSchedulersNftablesCanDoWithoutAFinding(String scheduler) {
        assertThat(parseVirtualServer("lvs_sched " + scheduler).findings()).isEmpty();
    }

    @Test
    void shouldNameKeepalivedsDefaultSchedulerWhenNoneIsWritten() {
        ParseResult result = parseVirtualServer("delay_loop 6");

        assertThat(result.warnings()).extracting(Finding::line, Finding::message).containsExactly(tuple(1,
                "virtual_server 192.0.2.210:80 has no lb_algo: keepalived's default wlc runs as wrr on nftables"));
        assertThat(onlyVirtualServer(result).scheduler()).isEqualTo(LbScheduler.WLC);
    }

    @Test
    void shouldLeaveARemovedRealServersFlowsAloneUnlessExpireNodestConnIsWritten() {
        assertThat(onlyVirtualServer(parseVirtualServer("lb_algo rr")).expireNodestConn()).isFalse();
        ParseResult result = parseVirtualServer("lb_algo rr", "lb_kind NAT", "expire_nodest_conn");

        assertThat(result.findings()).isEmpty();
        assertThat(onlyVirtualServer(result).expireNodestConn()).isTrue();
    }

    @Test
    void shouldSayExpireNodestConnDoesNothingWithDr() {
        ParseResult result = parseVirtualServer("lb_algo rr", "lb_kind DR", "expire_nodest_conn");

        assertThat(result.errors()).isEmpty();
        assertThat(result.warnings()).singleElement().satisfies(f -> {
            assertThat(f.line()).isEqualTo(4);
            assertThat(f.message()).startsWith("expire_nodest_conn does nothing with lb_kind DR");
        });
    }

    @Test
    void shouldCloseCheckConnectionsWithAFinUnlessCloseWithResetIsWritten() {
        VirtualServerConfig vs = onlyVirtualServer(parseVirtualServer("real_server 192.0.2.51 80 {",
                "TCP_CHECK {", "}", "HTTP_GET {", "url { path / }", "close_with_reset", "}", "}"));

        assertThat(vs.realServers().get(0).checkers()).extracting(c -> c.target().closeWithReset())
                .containsExactly(false, true);
    }

    @Test
    void shouldTrackCheckConnectionsUnlessUntrackedIsWrittenInTcpCheckOrHttpGet() {
        VirtualServerConfig vs = onlyVirtualServer(parseVirtualServer("real_server 192.0.2.51 80 {",
                "TCP_CHECK {", "untracked", "}", "HTTP_GET {", "url { path / }", "untracked", "}",
                "HTTP_GET {", "url { path / }", "}", "}"));

        assertThat(vs.realServers().get(0).checkers()).extracting(c -> c.target().untracked())
                .containsExactly(true, true, false);
    }

    @Test
    void shouldRefuseUntrackedInSslGetWhoseConnectionsAreNetty() {
        ParseResult result = parseVirtualServer("real_server 192.0.2.51 80 {", "SSL_GET {", "url { path / }",
                "untracked", "}", "}");

        assertThat(result.errors()).extracting(Finding::line).containsExactly(5);
        assertThat(result.errors().get(0).message()).contains("untracked");
    }

    @Test
    void shouldRefuseAValueAfterCloseWithReset() {
        ParseResult result = parseVirtualServer("real_server 192.0.2.51 80 {", "TCP_CHECK {", "close_with_reset no",
                "}", "}");

        assertThat(result.errors()).extracting(Finding::line, Finding::message).containsExactly(tuple(4,
                "`close_with_reset` takes no value, got 1: `close_with_reset no`"));
    }

    @Test
    void shouldRefuseAValueAfterExpireNodestConn() {
        ParseResult result = parseVirtualServer("lb_algo rr", "expire_nodest_conn 0");

        assertThat(result.errors()).extracting(Finding::line, Finding::message).containsExactly(tuple(3,
                "`expire_nodest_conn` takes no value, got 1: `expire_nodest_conn 0`"));
    }

    @Test
    void shouldRefuseBfdCheckAndSayWhatToUseInstead() {
        ParseResult result = parseVirtualServer("lb_algo rr", "real_server 192.0.2.51 80 {", "BFD_CHECK {",
                "name bfd1", "}", "}");

        assertThat(result.errors()).singleElement().satisfies(f -> {
            assertThat(f.line()).isEqualTo(4);
            assertThat(f.message()).isEqualTo("BFD_CHECK is not available: quorum-vip runs no BFD sessions");
            assertThat(f.hint()).contains("PING_CHECK");
        });
    }

    @Test
    void shouldReadEveryCheckersOwnKeywords() {
        VirtualServerConfig vs = onlyVirtualServer(parse(dir, "track_file f1 {\nfile /run/qvip-f1\n}\n"
                + "virtual_server 192.0.2.210 80 {\n" + String.join("\n", "lb_algo rr", "real_server 192.0.2.51 53 {",
                "SSL_GET {", "url {", "path /x", "status_code 200-299 503", "digest 9B3A0C85A887A256D6939DA88AABD8CD",
                "regex \"ok\"", "regex_no_match", "}", "enable_sni", "http_protocol 1.1", "fast_recovery", "}",
                "SMTP_CHECK {", "helo_name lb.example.org", "host {", "connect_ip 192.0.2.25", "connect_port 25", "}",
                "host {", "connect_ip 192.0.2.26", "connect_port 25", "}", "}",
                "DNS_CHECK {", "type A", "name example.org", "}",
                "UDP_CHECK {", "payload 0a 1b", "require_reply 0A x1", "}",
                "PING_CHECK {", "}",
                "MISC_CHECK {", "misc_path /bin/check", "misc_dynamic", "user nobody", "}",
                "FILE_CHECK {", "track_file f1", "weight -3 reverse", "}", "}") + "\n}\n"));

        List<CheckerConfig> checkers = vs.realServers().get(0).checkers();
        assertThat(checkers).extracting(c -> c.kind().keyword()).containsExactly("SSL_GET", "SMTP_CHECK",
                "SMTP_CHECK", "DNS_CHECK", "UDP_CHECK", "PING_CHECK", "MISC_CHECK", "FILE_CHECK");
        CheckKind.Http ssl = (CheckKind.Http) checkers.get(0).kind();
        assertThat(ssl.sni()).isTrue();
        assertThat(ssl.fastRecovery()).isTrue();
        assertThat(io.quorumvip.check.FileCheck.rules(checkers.get(0)).fastRecovery()).isTrue();
        assertThat(io.quorumvip.check.FileCheck.rules(checkers.get(1)).fastRecovery()).isFalse();
        assertThat(ssl.protocolVersion()).isEqualTo("1.1");
        assertThat(ssl.urls().get(0).digest()).hasValue("9b3a0c85a887a256d6939da88aabd8cd");
        assertThat(ssl.urls().get(0).accepts(503)).isTrue();
        assertThat(ssl.urls().get(0).accepts(502)).isFalse();
        assertThat(ssl.urls().get(0).regexNoMatch()).isTrue();
        assertThat(checkers.subList(1, 3)).extracting(c -> c.target().address().getHostAddress())
                .containsExactly("192.0.2.25", "192.0.2.26");
        assertThat(checkers.get(3).kind()).isEqualTo(new CheckKind.Dns("A", "example.org"));
        assertThat(checkers.get(3).timing().retry()).as("DNS_CHECK's own default").isEqualTo(3);
        CheckKind.Udp udp = (CheckKind.Udp) checkers.get(4).kind();
        assertThat(udp.payload()).hasValueSatisfying(p -> assertThat(p).containsExactly(0x0a, 0x1b));
        assertThat(udp.replyPattern()).hasValue("0ax1");
        assertThat(((CheckKind.Misc) checkers.get(6).kind()).dynamic()).isTrue();
        assertThat(checkers.get(7).kind()).isEqualTo(new CheckKind.File("f1", false, java.util.OptionalInt.of(-3),
                true));
    }

    @Test
    void shouldReadAnAgentCheckWithItsOwnPortAndNoRetry() {
        VirtualServerConfig vs = onlyVirtualServer(parseVirtualServer("lb_algo wrr", "real_server 192.0.2.51 80 {",
                "weight 10", "AGENT_CHECK {", "connect_port 5555", "delay_loop 2", "connect_timeout 1", "}", "}"));

        CheckerConfig agent = vs.realServers().get(0).checkers().get(0);
        assertThat(agent.kind()).isEqualTo(new CheckKind.Agent());
        assertThat(agent.target().port()).isEqualTo(5555);
        assertThat(agent.target().address().getHostAddress()).isEqualTo("192.0.2.51");
        io.quorumvip.check.CheckRules rules = io.quorumvip.check.CheckRules.of(agent);
        assertThat(rules.retry()).as("each reply decides at once").isZero();
        assertThat(rules.rise()).isEqualTo(1);
        assertThat(rules.delayLoopNanos()).isEqualTo(Duration.ofSeconds(2).toNanos());
    }

    @Test
    void shouldRefuseAnAgentCheckWithoutConnectPortAndWarnOfRetryInIt() {
        ParseResult missing = parseVirtualServer("lb_algo rr", "real_server 192.0.2.51 80 {", "AGENT_CHECK {",
                "delay_loop 2", "}", "}");
        assertThat(missing.errors()).singleElement().satisfies(f -> {
            assertThat(f.line()).isEqualTo(4);
            assertThat(f.message()).contains("AGENT_CHECK has no connect_port");
            assertThat(f.hint()).contains("connect_port PORT");
        });

        ParseResult retry = parseVirtualServer("lb_algo rr", "real_server 192.0.2.51 80 {", "AGENT_CHECK {",
                "connect_port 5555", "retry 3", "}", "}");
        assertThat(retry.errors()).isEmpty();
        assertThat(retry.findings()).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.line()).isEqualTo(4);
            assertThat(f.message()).contains("change nothing in AGENT_CHECK");
        });
    }

    @Test
    void shouldExpandAVirtualServerGroupAndServeItWithOneVirtualServer() {
        ParseResult result = parse(dir, "virtual_server_group web {\n192.0.2.203-205 80\n192.0.2.208/31 8080\n"
                + "fwmark 7\n}\nvirtual_server group web {\nlb_algo rr\nreal_server 192.0.2.51 80 {\nTCP_CHECK {\n}\n}\n"
                + "}\n");

        assertThat(result.findings()).isEmpty();
        VirtualServerGroupConfig group = result.config().loadBalancing().groups().get("web");
        assertThat(group.endpoints()).extracting(VirtualService.Endpoint::toString).containsExactly(
                "192.0.2.203:80", "192.0.2.204:80", "192.0.2.205:80", "192.0.2.208:8080", "192.0.2.209:8080");
        assertThat(group.fwmarks()).containsExactly(new VirtualService.Fwmark(7));
        assertThat(result.config().loadBalancing().virtualServers()).extracting(VirtualServerConfig::name)
                .containsExactly("group web/tcp");
    }

    @Test
    void shouldReportAGroupThatDoesNotExist() {
        ParseResult result = parse(dir, "virtual_server group nope {\nlb_algo rr\n}\n");

        assertThat(result.errors()).extracting(Finding::line, Finding::message)
                .containsExactly(tuple(1, "virtual_server group nope names no virtual_server_group"));
    }

    @Test
    void shouldRequirePersistenceForAVirtualServerWithoutPort() {
        ParseResult bare = parse(dir, "virtual_server 192.0.2.210 {\nlb_algo rr\n}\n");
        ParseResult persistent = parse(dir, "virtual_server 192.0.2.210 {\nlb_algo sh\npersistence_timeout\n"
                + "persistence_granularity 255.255.255.0\n}\n");

        assertThat(bare.errors()).extracting(Finding::message).singleElement().asString()
                .contains("has no port, which only a persistent service may omit");
        assertThat(onlyVirtualServer(persistent).persistence())
                .hasValue(new Persistence(Duration.ofMinutes(6), 24));
    }

    @Test
    void shouldRefuseMixingMethodsAndChangingThePortUnderDr() {
        ParseResult result = parseVirtualServer("lb_algo rr", "lb_kind DR", "real_server 192.0.2.51 8080 {", "}",
                "real_server 192.0.2.52 80 {", "lb_kind NAT", "}");

        assertThat(result.errors()).extracting(Finding::line).containsExactly(4, 7);
    }

    @Test
    void shouldRefuseFirewallMarksWithDrBecauseIngressComesFirst() {
        ParseResult result = parse(dir, "virtual_server fwmark 3 {\nlb_algo rr\nlb_kind DR\n}\n");

        assertThat(result.errors()).extracting(Finding::line, Finding::message).containsExactly(tuple(1,
                "virtual_server fwmark 3 matches firewall marks with lb_kind DR, but DR forwards from the ingress "
                        + "hook, before any rule can set a mark"));
    }

    @Test
    void shouldRefuseARealServerOfAnotherFamily() {
        ParseResult result = parseVirtualServer("lb_algo rr", "real_server 2001:db8::51 80 {", "}");

        assertThat(result.errors()).extracting(Finding::line, Finding::message).containsExactly(tuple(3,
                "real_server 2001:db8:0:0:0:0:0:51 is IPv6 but virtual_server 192.0.2.210:80 is not"));
    }

    static Stream<Path> upstreamSamplesWithVirtualServers() {
        return SharedSamples.list(SharedSamples.upstreamSamples(), "keepalived.conf.*").stream();
    }

    @ParameterizedTest
    @MethodSource("upstreamSamplesWithVirtualServers")
    void shouldLeaveNothingOfAnUpstreamVirtualServerUnread(Path sample) throws IOException {
        ParseResult result = KeepalivedConfigParser.parse(sample);

        assertThat(result.errors()).isEmpty();
        List<Integer> lines = result.config().loadBalancing().virtualServers().stream()
                .map(v -> v.position().line()).toList();
        int firstVirtualServer = lines.stream().mapToInt(Integer::intValue).min().orElse(Integer.MAX_VALUE);
        assertThat(result.findings()).filteredOn(f -> f.line() >= firstVirtualServer).isEmpty();
    }

    @Test
    void shouldWarnWhenDirectorsProgramDifferentPools() throws IOException {
        Path node2 = ConfigFixture.write(dir, "node2.conf", ConfigFixture.copyWith(
                lbSamples().resolve("lvs-dr-node2.conf"), "real_server 192.0.2.52 80", "real_server 192.0.2.53 80"));
        KeepalivedConfig a = KeepalivedConfigParser.parse(lbSamples().resolve("lvs-dr-node1.conf")).config();
        KeepalivedConfig b = KeepalivedConfigParser.parse(node2).config();

        assertThat(ClusterLint.lint(List.of(a, b))).extracting(Finding::file, Finding::severity, Finding::message)
                .contains(tuple(node2, Severity.WARNING, "virtual_server 192.0.2.210:80/tcp has real servers "
                        + "{192.0.2.51:80=1, 192.0.2.53:80=1} (" + lbSamples().resolve("lvs-dr-node1.conf")
                        + ":22 has {192.0.2.51:80=1, 192.0.2.52:80=1})"));
    }

    @Test
    void shouldWarnWhenOnlyOneDirectorCutsARemovedRealServersConnections() throws IOException {
        Path node2 = ConfigFixture.write(dir, "node2.conf", ConfigFixture.copyWith(
                lbSamples().resolve("lvs-nat-node2.conf"), "lb_kind NAT", "lb_kind NAT\n    expire_nodest_conn"));
        KeepalivedConfig a = KeepalivedConfigParser.parse(lbSamples().resolve("lvs-nat-node1.conf")).config();
        KeepalivedConfig b = KeepalivedConfigParser.parse(node2).config();

        assertThat(ClusterLint.lint(List.of(a, b))).extracting(Finding::file, Finding::message)
                .contains(tuple(node2, "virtual_server 192.0.2.220:80/tcp has expire_nodest_conn ("
                        + lbSamples().resolve("lvs-nat-node1.conf") + ":52 has none)"));
    }

    @Test
    void shouldFindTheDrSamplePairCleanAcrossNodes() throws IOException {
        KeepalivedConfig a = KeepalivedConfigParser.parse(lbSamples().resolve("lvs-dr-node1.conf")).config();
        KeepalivedConfig b = KeepalivedConfigParser.parse(lbSamples().resolve("lvs-dr-node2.conf")).config();

        assertThat(ClusterLint.lint(List.of(a, b))).isEmpty();
    }

    private static Path lbSamples() {
        return SharedSamples.sharedDirectory().resolve("lb-samples");
    }
}
