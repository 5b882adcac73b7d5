package io.quorumvip.agent.lb;

import static io.quorumvip.lab.Await.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.quorumvip.agent.LabAgent;
import io.quorumvip.agent.net.NamespaceThread;
import io.quorumvip.lab.Lab;
import io.quorumvip.lab.LabPreconditions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What happens to an established NAT connection when its real server leaves the pool while still running: a
 * keep-alive HTTP connection through the VIP to rs1, then rs1's check fails (a MISC_CHECK on a file, so nginx and
 * the connection stay up). By default the next request on it is still answered by rs1; with {@code
 * expire_nodest_conn} it is reset. Once rs1 is back, new connections to it are not reset.
 */
class ExpireNodestConnLabTest {

    private static final String VIP = "192.0.2.220";
    private static final String URL = "http://" + VIP + "/";
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    private Lab lab;
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void down() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (lab != null) {
            lab.close();
        }
    }

    @Test
    void shouldKeepARemovedRealServersConnectionByDefault() throws Exception {
        Socket toRs1 = connectionToRs1AfterItsRemoval(false);

        assertThat(request(toRs1)).isEqualTo("rs1");
    }

    @Test
    void shouldResetARemovedRealServersConnectionWithExpireNodestConn() throws Exception {
        Socket toRs1 = connectionToRs1AfterItsRemoval(true);

        assertThatThrownBy(() -> request(toRs1)).as("the next request on rs1's connection")
                .isInstanceOf(SocketException.class).hasMessageContaining("reset");
        assertThat(lab.node(1).exec("nft", "list", "chain", "ip", "qvip_lb", "forward").stdout())
                .as("the director's reset rule counted the request").containsPattern(
                        "ct mark @nodest counter packets [1-9]\\d* bytes \\d+ reject with tcp reset");

        Files.delete(rs1DownFile());
        awaitCondition("rs1 is back in the pool", Duration.ofSeconds(20), () -> lab.client().httpAnswers(URL, 6),
                a -> a.keySet().equals(Set.of("rs1", "rs2")));
        Socket again = connectTo("rs1");
        assertThat(request(again)).as("a new connection to rs1, once it is back").isEqualTo("rs1");
    }

    /** One director with rs1 (checked by a file's absence) and rs2, a keep-alive connection to rs1, rs1 removed. */
    private Socket connectionToRs1AfterItsRemoval(boolean expireNodestConn) throws Exception {
        LabPreconditions.assumeLabCanRun();
        LabPreconditions.assumeTools("nginx", "curl", "nft");
        lab = Lab.upWithRealServers(1, 2, Lab.Forwarding.NAT);
        String sample = Files.readString(lab.layout().shared().resolve("lb-samples").resolve("lvs-nat-node1.conf"));
        String instances = sample.substring(0, sample.indexOf("virtual_server " + VIP));
        LabAgent.start(lab, lab.node(1), instances + virtualServer(expireNodestConn));
        awaitCondition("n1 holds the VIP", LabAgent.MASTER_BOUND, () -> lab.node(1).holds(VIP), held -> held);
        awaitCondition("both real servers answer", Duration.ofSeconds(30), () -> lab.client().httpAnswers(URL, 6),
                a -> a.keySet().equals(Set.of("rs1", "rs2")));
        Socket toRs1 = connectTo("rs1");

        Files.writeString(rs1DownFile(), "down\n");
        awaitCondition("only rs2 takes new connections", Duration.ofSeconds(20),
                () -> lab.client().httpAnswers(URL, 6), a -> a.keySet().equals(Set.of("rs2")));
        return toRs1;
    }

    private String virtualServer(boolean expireNodestConn) {
        return """
                virtual_server %s 80 {
                    delay_loop 1
                    lb_algo rr
                    lb_kind NAT
                    protocol TCP
                    %s
                    real_server 198.51.100.51 80 {
                        MISC_CHECK {
                            misc_path "/usr/bin/test ! -e %s"
                            misc_timeout 2
                        }
                    }
                    real_server 198.51.100.52 80 {
                        TCP_CHECK {
                            connect_timeout 1
                        }
                    }
                }
                """.formatted(VIP, expireNodestConn ? "expire_nodest_conn" : "", rs1DownFile());
    }

    private Path rs1DownFile() {
        return lab.stateDir().resolve("rs1-down");
    }

    /** A keep-alive connection from the client through the VIP that the named real server answered. */
    private Socket connectTo(String realServer) throws Exception {
        try (NamespaceThread client = NamespaceThread.enter(lab.client().namespace())) {
            for (int attempt = 0; attempt < 8; attempt++) {
                Socket socket = client.call(() -> {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress(VIP, 80), (int) READ_TIMEOUT.toMillis());
                    return s;
                });
                sockets.add(socket);
                socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
                if (request(socket).equals(realServer)) {
                    return socket;
                }
            }
        }
        throw new AssertionError("no connection through " + VIP + " reached " + realServer + " in 8 (rr over 2)");
    }

    /** One HTTP/1.1 request on the connection; the answering real server's name. */
    private static String request(Socket socket) throws IOException {
        socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + VIP + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        String head = readUntil(in, "\r\n\r\n");
        int length = head.lines().filter(l -> l.toLowerCase().startsWith("content-length:"))
                .map(l -> Integer.parseInt(l.substring(l.indexOf(':') + 1).strip())).findFirst()
                .orElseThrow(() -> new IOException("no Content-Length in " + head));
        byte[] body = in.readNBytes(length);
        return new String(body, StandardCharsets.US_ASCII).strip();
    }

    private static String readUntil(InputStream in, String end) throws IOException {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        while (!read.toString(StandardCharsets.US_ASCII).endsWith(end)) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed after " + read.size() + " bytes");
            }
            read.write(b);
        }
        return read.toString(StandardCharsets.US_ASCII);
    }
}
