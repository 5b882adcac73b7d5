package io.quorumvip.agent.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.quorumvip.lb.LvsStats;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * qvip_lb_checks_total, counted by the checks' loop itself, and the real servers' gauges and kernel counters: the
 * series, labels and values a scrape reads.
 */
class LbMetricsTest {

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final LbMetrics metrics = new LbMetrics(registry);

    @Test
    void shouldCountEachCheckersSuccessesAndFailuresUnderTheirLabels() {
        LbMetrics.RealServerSeries series = metrics.realServer("web", "198.51.100.51:80",
                List.of("TCP_CHECK", "HTTP_GET"));
        series.check(0, true);
        series.check(0, true);
        series.check(0, false);
        series.check(1, false);

        assertThat(checks()).containsExactlyInAnyOrderEntriesOf(Map.of(
                labels("web", "198.51.100.51:80", "TCP_CHECK", "success"), 2.0,
                labels("web", "198.51.100.51:80", "TCP_CHECK", "failure"), 1.0,
                labels("web", "198.51.100.51:80", "HTTP_GET", "success"), 0.0,
                labels("web", "198.51.100.51:80", "HTTP_GET", "failure"), 1.0));
    }

    @Test
    void shouldKeepARealServersCountsWhenAReloadAsksForItsSeriesAgain() {
        metrics.realServer("web", "198.51.100.51:80", List.of("TCP_CHECK")).check(0, true);

        metrics.realServer("web", "198.51.100.51:80", List.of("TCP_CHECK")).check(0, true);

        assertThat(checks()).containsEntry(labels("web", "198.51.100.51:80", "TCP_CHECK", "success"), 2.0)
                .hasSize(2);
    }

    @Test
    void shouldExposeTheCountsAsACounterWithItsNameAndHelp() {
        metrics.realServer("web", "198.51.100.51:80", List.of("TCP_CHECK"));

        MetricSnapshot snapshot = snapshot();

        assertThat(snapshot).isInstanceOf(CounterSnapshot.class);
        assertThat(snapshot.getMetadata().getPrometheusName()).isEqualTo("qvip_lb_checks");
        assertThat(snapshot.getMetadata().getHelp()).isEqualTo("probes run, by checker and result");
    }

    @Test
    void shouldRenderTheCountsAsTheClientsCounterWasRendered() throws Exception {
        metrics.realServer("web", "198.51.100.51:80", List.of("TCP_CHECK")).check(0, false);
        ByteArrayOutputStream text = new ByteArrayOutputStream();

        new PrometheusTextFormatWriter(false).write(text, registry.scrape());

        assertThat(text.toString(StandardCharsets.UTF_8))
                .contains("# TYPE qvip_lb_checks_total counter\n")
                .contains("qvip_lb_checks_total{checker=\"TCP_CHECK\",real_server=\"198.51.100.51:80\","
                        + "result=\"failure\",virtual_server=\"web\"} 1.0\n");
    }

    @Test
    void shouldExposeEachRealServersUpAndWeightAsItWasLastSet() {
        metrics.realServer("web", "198.51.100.51:80", List.of("TCP_CHECK")).state(true, 3);
        LbMetrics.RealServerSeries second = metrics.realServer("web", "198.51.100.52:80", List.of("TCP_CHECK"));
        second.state(true, 2);
        second.state(false, 0);

        assertThat(gauges("qvip_lb_real_server_up")).containsExactlyInAnyOrderEntriesOf(Map.of(
                labels("web", "198.51.100.51:80"), 1.0, labels("web", "198.51.100.52:80"), 0.0));
        assertThat(gauges("qvip_lb_real_server_weight")).containsExactlyInAnyOrderEntriesOf(Map.of(
                labels("web", "198.51.100.51:80"), 3.0, labels("web", "198.51.100.52:80"), 0.0));
    }

    @Test
    void shouldKeepARealServersGaugesWhenAReloadAsksForItsSeriesAgain() {
        metrics.realServer("web", "198.51.100.51:80", List.of("TCP_CHECK")).state(true, 3);

        metrics.realServer("web", "198.51.100.51:80", List.of("HTTP_GET"));

        assertThat(gauges("qvip_lb_real_server_weight")).containsExactlyEntriesOf(
                Map.of(labels("web", "198.51.100.51:80"), 3.0));
    }

    @Test
    void shouldRenderTheGaugesAndTheKernelsCountersAsTheClientsGaugeAndLabelsWereRendered() throws Exception {
        metrics.realServer("web", "198.51.100.51:80", List.of("TCP_CHECK")).state(true, 3);
        LvsStats.Stats conns = new LvsStats.Stats(OptionalLong.of(7), OptionalLong.empty(), OptionalLong.empty());
        metrics.countersFrom(() -> List.of(new LvsStats.ServiceStats("web", LvsStats.Stats.UNKNOWN,
                Map.of("198.51.100.51:80", conns, "198.51.100.59:80", conns))));
        ByteArrayOutputStream text = new ByteArrayOutputStream();

        new PrometheusTextFormatWriter(false).write(text, registry.scrape());

        assertThat(text.toString(StandardCharsets.UTF_8))
                .contains("# HELP qvip_lb_real_server_up 1 while the real server's checks (ANDed) say it is alive\n"
                        + "# TYPE qvip_lb_real_server_up gauge\n"
                        + "qvip_lb_real_server_up{real_server=\"198.51.100.51:80\",virtual_server=\"web\"} 1.0\n")
                .contains("# TYPE qvip_lb_real_server_weight gauge\n"
                        + "qvip_lb_real_server_weight{real_server=\"198.51.100.51:80\",virtual_server=\"web\"} 3.0\n")
                .contains("qvip_lb_real_server_connections_total{real_server=\"198.51.100.51:80\","
                        + "virtual_server=\"web\"} 7.0\n")
                .contains("qvip_lb_real_server_connections_total{real_server=\"198.51.100.59:80\","
                        + "virtual_server=\"web\"} 7.0\n");
    }

    private MetricSnapshot snapshot() {
        return snapshot("qvip_lb_checks");
    }

    private MetricSnapshot snapshot(String name) {
        return registry.scrape().stream().filter(s -> s.getMetadata().getName().equals(name))
                .findFirst().orElseThrow();
    }

    private Map<Labels, Double> checks() {
        return ((CounterSnapshot) snapshot()).getDataPoints().stream()
                .collect(Collectors.toMap(p -> p.getLabels(), p -> p.getValue()));
    }

    private Map<Labels, Double> gauges(String name) {
        return ((GaugeSnapshot) snapshot(name)).getDataPoints().stream()
                .collect(Collectors.toMap(p -> p.getLabels(), p -> p.getValue()));
    }

    private static Labels labels(String virtualServer, String realServer) {
        return Labels.of("virtual_server", virtualServer, "real_server", realServer);
    }

    private static Labels labels(String virtualServer, String realServer, String checker, String result) {
        return Labels.of("virtual_server", virtualServer, "real_server", realServer, "checker", checker,
                "result", result);
    }
}
