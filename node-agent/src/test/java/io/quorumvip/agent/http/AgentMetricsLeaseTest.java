package io.quorumvip.agent.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AgentMetricsLeaseTest {

    private static final long SECOND = 1_000_000_000L;

    private long nowNanos = 50 * SECOND;
    private final AgentMetrics metrics = new AgentMetrics(() -> nowNanos);

    @Test
    void theValidityCountsDownAtScrapeTimeWithoutAStep() {
        AgentMetrics.InstanceSeries series = metrics.declareInstance("VI_1", true);
        series.lease(true, nowNanos + 4 * SECOND);

        nowNanos += SECOND;
        assertThat(metrics.scrape()).contains("qvip_lease_held{instance=\"VI_1\"} 1.0")
                .contains("qvip_lease_valid_for_seconds{instance=\"VI_1\"} 3.0");

        nowNanos += 3 * SECOND;
        assertThat(metrics.scrape()).contains("qvip_lease_held{instance=\"VI_1\"} 0.0")
                .contains("qvip_lease_valid_for_seconds{instance=\"VI_1\"} 0.0");
    }

    @Test
    void aLeaseNotHeldShowsZeroWhateverItsLastValidity() {
        AgentMetrics.InstanceSeries series = metrics.declareInstance("VI_1", true);
        series.lease(true, nowNanos + 4 * SECOND);
        series.lease(false, nowNanos);

        assertThat(metrics.scrape()).contains("qvip_lease_held{instance=\"VI_1\"} 0.0")
                .contains("qvip_lease_valid_for_seconds{instance=\"VI_1\"} 0.0");
    }

    @Test
    void anInstanceWithoutALeaseHasNoLeaseSeries() {
        AgentMetrics.InstanceSeries series = metrics.declareInstance("VI_2", false);

        assertThat(metrics.scrape()).doesNotContain("qvip_lease_held{instance=\"VI_2\"}");
        assertThatThrownBy(() -> series.lease(true, nowNanos)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("without a quorum lease");
    }
}
