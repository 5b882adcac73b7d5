package io.quorumvip.agent.lb;

import static io.quorumvip.lab.Await.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.quorumvip.agent.LabAgent;
import io.quorumvip.events.Event;
import io.quorumvip.lab.Lab;
import io.quorumvip.lab.LabHost;
import io.quorumvip.lab.LabPreconditions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * HTTP_GET, SSL_GET, TCP_CHECK and MISC_CHECK against a real nginx on rs1 (HTTP on 8080, HTTPS on 8443 with a
 * self-signed certificate made here with openssl), one lab, one agent: a healthy server stays up, each failure mode
 * goes down with its evidence, a flipped one goes down on exactly retry+1 failures and back on one success, a hung
 * script leaves nothing behind, and a real server listed in three virtual servers is checked once per period.
 */
class HttpCheckersLabTest {

    private static final String RS = "198.51.100.51";
    private static final String BODY = "rs1 ok\n";
    private static final String HUNG = "sleep 47.3";
    private static final Duration VERDICT = Duration.ofSeconds(25);

    private Lab lab;

    @AfterEach
    void down() {
        if (lab != null) {
            lab.close();
        }
    }

    private static String virtualServer(int index, String real, String checker, String... lines) {
        return """
                virtual_server 192.0.2.%d 80 {
                    lb_algo rr
                    lb_kind NAT
                    real_server %s {
                        %s {
                            %s
                            delay_loop 1
                            connect_timeout %s
                            retry 1
                            delay_before_retry 0.3
                            warmup 0
                        }
                    }
                }
                """.formatted(240 + index, real, checker, String.join("\n", lines),
                // A cold JVM's first TLS handshake on a busy 2-core machine can take over a second.
                checker.equals("SSL_GET") ? "3" : "1");
    }

    private static String url(String path, String... more) {
        return "url {\npath " + path + "\n" + String.join("\n", more) + "\n}";
    }

    private static String config(String digest) {
        return """
                vrrp_instance front {
                    state MASTER
                    interface eth0
                    virtual_router_id 72
                    priority 150
                    advert_int 1
                    virtual_ipaddress {
                        192.0.2.240/24 dev eth0
                    }
                }
                """
                + virtualServer(1, RS + " 8080", "HTTP_GET", url("/health.txt", "digest " + digest, "regex \"ok\""))
                + virtualServer(2, RS + " 8443", "SSL_GET", "enable_sni", "virtualhost rs1.lab.example",
                        url("/health.txt", "status_code 200-299", "regex \"ok\""), url("/missing.txt", "status_code 200 404"))
                + virtualServer(3, RS + " 8080", "HTTP_GET", url("/fail", "status_code 200"))
                + virtualServer(4, RS + " 8080", "HTTP_GET", url("/health.txt", "digest " + "0".repeat(32)))
                + virtualServer(5, RS + " 8443", "SSL_GET", url("/health.txt", "regex \"nomatch\""))
                + virtualServer(6, RS + " 8081", "TCP_CHECK")
                + virtualServer(7, "198.51.100.59 80", "TCP_CHECK")
                + virtualServer(8, RS + " 8080", "MISC_CHECK", "misc_path \"/bin/false\"")
                + virtualServer(9, RS + " 8080", "MISC_CHECK", "misc_path \"sh -c '" + HUNG + " & " + HUNG + "'\"",
                        "misc_timeout 0.5")
                + virtualServer(11, RS + " 8080", "HTTP_GET", url("/count.txt"))
                + virtualServer(12, RS + " 8080", "HTTP_GET", url("/count.txt"))
                + virtualServer(13, RS + " 8080", "HTTP_GET", url("/count.txt"));
    }

    private static String nginxConfig(Path dir) {
        return """
                daemon off;
                worker_processes 1;
                pid %1$s/checks-nginx.pid;
                error_log %1$s/checks-error.log warn;
                events { worker_connections 256; }
                http {
                    access_log %1$s/checks-access.log;
                    client_body_temp_path %1$s/checks-temp/body;
                    proxy_temp_path %1$s/checks-temp/proxy;
                    fastcgi_temp_path %1$s/checks-temp/fastcgi;
                    uwsgi_temp_path %1$s/checks-temp/uwsgi;
                    scgi_temp_path %1$s/checks-temp/scgi;
                    default_type text/plain;
                    server {
                        listen %2$s:8080;
                        listen %2$s:8443 ssl;
                        ssl_certificate %1$s/cert.pem;
                        ssl_certificate_key %1$s/key.pem;
                        root %1$s/www;
                        location /fail { return 503 "failing\\n"; }
                    }
                }
                """.formatted(dir, RS);
    }

    private static String vs(int index) {
        return "192.0.2." + (240 + index) + ":80/tcp";
    }

    @Test
    void shouldJudgeRealNginxOverHttpAndHttpsAndRunScriptsWithoutLeftovers() throws Exception {
        LabPreconditions.assumeLabCanRun();
        LabPreconditions.assumeTools("nginx", "openssl", "pgrep");
        lab = Lab.upWithRealServers(1, 1, Lab.Forwarding.NAT);
        LabHost rs = lab.realServer(1).host();
        Path dir = rs.stateDir();
        Files.createDirectories(dir.resolve("www"));
        Files.createDirectories(dir.resolve("checks-temp"));
        Files.writeString(dir.resolve("www/health.txt"), BODY);
        Files.writeString(dir.resolve("www/count.txt"), "counted\n");
        Files.writeString(dir.resolve("checks-nginx.conf"), nginxConfig(dir));
        assertThat(rs.exec("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                "/CN=rs1.lab.example", "-keyout", dir.resolve("key.pem").toString(), "-out",
                dir.resolve("cert.pem").toString()).exitCode()).isZero();
        rs.start("checks-nginx", List.of("nginx", "-e", dir.resolve("checks-error.log").toString(), "-c",
                dir.resolve("checks-nginx.conf").toString()));
        awaitCondition("nginx listens on 8080 and 8443", Duration.ofSeconds(15), () -> rs.exec("ss", "-ltn").stdout(),
                s -> s.contains(RS + ":8080") && s.contains(RS + ":8443"));
        String digest = md5(BODY);
        LabHost director = lab.node(1);
        LabAgent agent = LabAgent.start(lab, director, config(digest));
        try {
            judge(rs, dir, director);
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\nagent log:\n" + agent.process().logText(), e);
        }
        agent.process().stop();
        assertThat(lab.node(1).exec("pgrep", "-f", HUNG).stdout()).as("no hung script or child left").isBlank();
    }

    private void judge(LabHost rs, Path dir, LabHost director) throws Exception {
        awaitCondition("every failure mode has been taken down", VERDICT, () -> LabVerdicts.events(director),
                e -> List.of(3, 4, 5, 6, 7, 8, 9).stream().allMatch(i -> LabVerdicts.last(e, vs(i), false).isPresent()));
        long windowStarted = System.nanoTime();
        long countedBefore = countRequests(dir);
        Thread.sleep(5_000);
        long counted = countRequests(dir) - countedBefore;
        long windowSeconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - windowStarted);
        // One shared check books its next probe a delay_loop (1 s) after each result, so a window of W s holds at
        // most W + 1 of its probes, plus one begun before the window and logged in it; a load can only make fewer.
        // Three unshared checks would log about 3 W.
        assertThat(counted).as("/count.txt listed in three virtual servers, checked once per 1 s period, in %d s",
                windowSeconds).isLessThanOrEqualTo(windowSeconds + 2);
        awaitCondition("the shared check of /count.txt goes on", VERDICT, () -> countRequests(dir),
                n -> n >= countedBefore + 2);
        List<Event> events = LabVerdicts.events(director);
        assertThat(List.of(1, 2, 11, 12, 13)).as("healthy servers never leave: %s", events)
                .allMatch(i -> LabVerdicts.last(events, vs(i), false).isEmpty());
        assertThat(LabVerdicts.last(events, vs(3), false)).hasValueSatisfying(e -> {
            assertThat(e.statusCode()).isEqualTo(503);
            assertThat(e.detail()).isEqualTo("HTTP 503 on /fail (expected [200])");
        });
        assertThat(LabVerdicts.last(events, vs(4), false)).hasValueSatisfying(e ->
                assertThat(e.detail()).contains("digest " + md5(BODY) + " (expected " + "0".repeat(32) + ")"));
        assertThat(LabVerdicts.last(events, vs(5), false)).hasValueSatisfying(e -> {
            assertThat(e.checker()).isEqualTo("SSL_GET");
            assertThat(e.detail()).contains("body does not match nomatch");
        });
        assertThat(LabVerdicts.last(events, vs(6), false)).hasValueSatisfying(e ->
                assertThat(e.detail()).isEqualTo("connect refused"));
        assertThat(LabVerdicts.last(events, vs(7), false)).hasValueSatisfying(e ->
                assertThat(e.detail()).isIn("timed out", "no route to host"));
        assertThat(LabVerdicts.last(events, vs(8), false)).hasValueSatisfying(e -> assertThat(e.exitCode()).isEqualTo(1));
        assertThat(LabVerdicts.last(events, vs(9), false)).hasValueSatisfying(e ->
                assertThat(e.detail()).startsWith("killed after misc_timeout 500 ms"));
        // The checker goes on probing, so a run younger than misc_timeout may be alive now; one older is a leftover.
        // Only a process whose command line is the hung command counts: the sh and awk below carry it in their
        // arguments, and a process started after ps read the clock shows a wrapped (huge) age.
        assertThat(director.exec("sh", "-c", "ps -eo etimes=,args= | awk -v p='" + HUNG
                + "' '$2 \" \" $3 == p && $1 >= 2'").stdout()).as("a killed script leaves no child").isBlank();

        Files.delete(dir.resolve("www/health.txt"));
        List<Event> afterDelete = awaitCondition("HTTP_GET down after retry+1 = 2 answers 404", VERDICT,
                () -> LabVerdicts.events(director), e -> LabVerdicts.last(e, vs(1), false).isPresent());
        assertThat(LabVerdicts.last(afterDelete, vs(1), false)).hasValueSatisfying(e -> {
            assertThat(e.statusCode()).isEqualTo(404);
            assertThat(e.consecutive()).isEqualTo(2);
        });
        Files.writeString(dir.resolve("www/health.txt"), BODY);
        List<Event> afterWrite = awaitCondition("HTTP_GET back after one success", VERDICT, () -> LabVerdicts.events(director),
                e -> LabVerdicts.last(e, vs(1), true).isPresent());
        assertThat(LabVerdicts.last(afterWrite, vs(1), true)).hasValueSatisfying(e -> {
            assertThat(e.statusCode()).isEqualTo(200);
            assertThat(e.consecutive()).isEqualTo(1);
        });
    }

    private static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(
                    StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has MD5", e);
        }
    }

    private static long countRequests(Path dir) {
        Path log = dir.resolve("checks-access.log");
        try {
            return Files.exists(log) ? Files.readAllLines(log).stream().filter(l -> l.contains("GET /count.txt"))
                    .count() : 0;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("could not read the access log " + log, e);
        }
    }
}
