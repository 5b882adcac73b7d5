package io.quorumvip.agent.lb;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/** The load balancer's metrics per virtual and real server, registered in the agent's registry. */
final class LbMetrics {

    private final Gauge realServerUp;
    private final Gauge realServerWeight;
    private final Counter checks;
    private final Gauge quorumUp;
    private final Gauge generation;
    private final Counter applyFailures;

    LbMetrics(PrometheusRegistry registry) {
        realServerUp = Gauge.builder().name("qvip_lb_real_server_up")
                .help("1 while the real server's checks (ANDed) say it is alive").labelNames("virtual_server",
                        "real_server").register(registry);
        realServerWeight = Gauge.builder().name("qvip_lb_real_server_weight")
                .help("the weight the real server has in the pool now (0: no new connections)")
                .labelNames("virtual_server", "real_server").register(registry);
        checks = Counter.builder().name("qvip_lb_checks_total").help("probes run, by checker and result")
                .labelNames("virtual_server", "real_server", "checker", "result").register(registry);
        quorumUp = Gauge.builder().name("qvip_lb_quorum_up").help("1 while the virtual server has quorum")
                .labelNames("virtual_server").register(registry);
        generation = Gauge.builder().name("qvip_lb_nft_generation")
                .help("the nftables transaction the load-balancing tables are at").register(registry);
        applyFailures = Counter.builder().name("qvip_lb_nft_apply_failures_total")
                .help("load-balancing programs nftables refused, even whole").register(registry);
    }

    void check(String virtualServer, String realServer, String checker, boolean success) {
        checks.labelValues(virtualServer, realServer, checker, success ? "success" : "failure").inc();
    }

    void realServer(String virtualServer, String realServer, boolean up, int weight) {
        realServerUp.labelValues(virtualServer, realServer).set(up ? 1 : 0);
        realServerWeight.labelValues(virtualServer, realServer).set(weight);
    }

    void quorum(String virtualServer, boolean up) {
        quorumUp.labelValues(virtualServer).set(up ? 1 : 0);
    }

    void applied(long gen) {
        generation.set(gen);
    }

    void applyFailed() {
        applyFailures.inc();
    }
}
