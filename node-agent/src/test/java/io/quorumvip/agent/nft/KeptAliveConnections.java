package io.quorumvip.agent.nft;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.quorumvip.lab.LabHost;
import io.quorumvip.lab.LabRealServer;

/**
 * HTTP/1.1 connections kept open to one address, each asked {@code GET /} again and again: a lab real server's
 * answer is its name. Open them on a thread inside the client's namespace (the sockets then stay there).
 */
final class KeptAliveConnections implements AutoCloseable {
    private static final int TIMEOUT_MS = 2000;

    private final String host;
    private final List<Socket> sockets;

    private KeptAliveConnections(String host, List<Socket> sockets) {
        this.host = host;
        this.sockets = sockets;
    }

    static KeptAliveConnections open(String address, int count) throws IOException {
        List<Socket> sockets = new ArrayList<>();
        KeptAliveConnections connections = new KeptAliveConnections(address, sockets);
        try {
            for (int i = 0; i < count; i++) {
                Socket socket = new Socket();
                sockets.add(socket);
                socket.connect(new InetSocketAddress(address, LabRealServer.PORT), TIMEOUT_MS);
                socket.setSoTimeout(TIMEOUT_MS);
            }
            return connections;
        } catch (IOException e) {
            connections.close();
            throw e;
        }
    }

    /** Connection index → who answered, or {@link LabHost#FAILED} when the connection is reset or times out. */
    Map<Integer, String> askEach() {
        Map<Integer, String> answers = new TreeMap<>();
        for (int i = 0; i < sockets.size(); i++) {
            try {
                answers.put(i, ask(sockets.get(i)));
            } catch (IOException e) {
                answers.put(i, LabHost.FAILED);
            }
        }
        return answers;
    }

    private String ask(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        int contentLength = -1;
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                contentLength = Integer.parseInt(lower.substring("content-length:".length()).strip());
            }
        }
        if (contentLength < 0) {
            throw new IOException("response without Content-Length from " + host);
        }
        return new String(in.readNBytes(contentLength), StandardCharsets.US_ASCII).strip();
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("connection closed in the middle of a response");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
