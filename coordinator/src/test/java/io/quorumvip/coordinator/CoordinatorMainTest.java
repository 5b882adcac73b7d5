package io.quorumvip.coordinator;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoordinatorMainTest {

    @TempDir
    Path data;

    /** A coordinator killed with SIGKILL cannot remove the page's unpacked files: they must not be left in /tmp. */
    @Test
    void thePagesUnpackedFilesLiveUnderTheDataDirectoryAndGoWhenVertxStops() throws Exception {
        Vertx vertx = Vertx.vertx(CoordinatorMain.vertxOptions(data));
        try {
            CoordinatorServer server = CoordinatorServer.start(vertx, data, NodeTokens.of(Map.of("n1",
                            "n1-secret-token-0001")), "127.0.0.1", 0, () -> AgentJournals.START_MILLIS * 1000)
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            HttpResponse<String> page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/")).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(pageCaches()).hasSize(1);
            server.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        assertThat(pageCaches()).isEmpty();
    }

    private List<Path> pageCaches() throws IOException {
        try (Stream<Path> entries = Files.list(data)) {
            return entries.filter(entry -> entry.getFileName().toString().startsWith("page-cache-")).toList();
        }
    }
}
