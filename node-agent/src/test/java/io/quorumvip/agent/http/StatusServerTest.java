package io.quorumvip.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StatusServerTest {

    private final Vertx vertx = Vertx.vertx();
    private long nowNanos = 7_000_000_000L;
    private final AgentMetrics metrics = new AgentMetrics(() -> nowNanos);
    private final HttpClient client = HttpClient.newHttpClient();
    private int port;

    @BeforeEach
    void start() throws Exception {
        AgentStatus status = new AgentStatus("lb01", "disabled", List.of(new InstanceStatus("VI_1", 66, "eth0",
                "MASTER", 150, 140, LeaseStatus.NONE, true, List.of("192.0.2.200/24"), "OWN_WITHOUT_QUORUM")));
        port = new StatusServer(vertx, () -> Future.succeededFuture(status), metrics)
                .listen("127.0.0.1", 0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldServeStatusWithTheContractFieldNames() throws Exception {
        HttpResponse<String> response = send("GET", "/v1/status");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = new ObjectMapper().readTree(response.body());
        assertThat(body.path("node").asText()).isEqualTo("lb01");
        JsonNode instance = body.path("instances").get(0);
        assertThat(instance.path("name").asText()).isEqualTo("VI_1");
        assertThat(instance.path("vrid").asInt()).isEqualTo(66);
        assertThat(instance.path("interface").asText()).isEqualTo("eth0");
        assertThat(instance.path("state").asText()).isEqualTo("MASTER");
        assertThat(instance.path("priority").asInt()).isEqualTo(150);
        assertThat(instance.path("effective_priority").asInt()).isEqualTo(140);
        assertThat(instance.path("lease").path("held").asBoolean()).isFalse();
        assertThat(instance.path("lease").has("valid_for_ms")).isTrue();
        assertThat(instance.path("vip_owned").asBoolean()).isTrue();
        assertThat(instance.path("vips").get(0).asText()).isEqualTo("192.0.2.200/24");
    }

    @Test
    void shouldServeMetricsInPrometheusText() throws Exception {
        AgentMetrics.InstanceSeries series = metrics.declareInstance("VI_1", true);
        metrics.declareInstance("VI_2", false);
        metrics.transition("VI_1", "BACKUP", "MASTER");
        metrics.packetDropped("eth0", "BAD_CHECKSUM");
        series.advertSent();
        series.advertSent();
        series.advertReceived();
        series.lease(true, nowNanos + 6_000_000_000L);
        nowNanos += 1_500_000_000L;

        HttpResponse<String> response = send("GET", "/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).contains("text/plain"));
        assertThat(response.body())
                .contains("qvip_vrrp_state{instance=\"VI_1\",state=\"MASTER\"} 1.0")
                .contains("qvip_vrrp_transitions_total{from=\"BACKUP\",instance=\"VI_1\",to=\"MASTER\"} 1.0")
                .contains("qvip_vrrp_packets_dropped_total{interface=\"eth0\",reason=\"BAD_CHECKSUM\"} 1.0")
                .contains("qvip_vrrp_adverts_sent_total{instance=\"VI_1\"} 2.0")
                .contains("qvip_vrrp_adverts_received_total{instance=\"VI_1\"} 1.0")
                .contains("qvip_vrrp_adverts_sent_total{instance=\"VI_2\"} 0.0")
                .contains("qvip_lease_held{instance=\"VI_1\"} 1.0")
                .contains("qvip_lease_valid_for_seconds{instance=\"VI_1\"} 4.5")
                .doesNotContain("qvip_lease_held{instance=\"VI_2\"}");
    }

    @Test
    void shouldStreamAnExpositionOfManyChunksByteForByteAsRenderedWhole() throws Exception {
        for (int i = 0; i < 2000; i++) {
            metrics.declareInstance("VI_" + i, true).advertSent();
        }

        HttpResponse<String> response = send("GET", "/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body().length()).as("several chunks").isGreaterThan(3 * ResponseChunks.CHUNK_BYTES);
        assertThat(response.body()).isEqualTo(metrics.scrape());
    }

    @Test
    void shouldRenderMetricsOffTheEventLoopThatAlsoSendsTheAdverts() throws Exception {
        AtomicReference<Boolean> onEventLoop = new AtomicReference<>();
        metrics.registry().register(() -> {
            onEventLoop.set(Context.isOnEventLoopThread());
            return new MetricSnapshots();
        });

        HttpResponse<String> response = send("GET", "/metrics");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(onEventLoop.get()).as("rendered on an event-loop thread").isFalse();
    }

    @Test
    void shouldAnswerAnUnknownPathWith404AndAMessage() throws Exception {
        HttpResponse<String> response = send("GET", "/v2/nothing");
        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("no such resource: /v2/nothing");
    }

    @Test
    void shouldAnswerAWrongMethodWith405() throws Exception {
        HttpResponse<String> response = send("POST", "/v1/status");
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.body()).contains("use GET");
    }
}
