package io.quorumvip.agent.lb;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.quorumvip.lb.LvsStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/** The load balancer's metrics per virtual and real server, registered in the agent's registry. */
final class LbMetrics {

    private static final String CHECKS = "qvip_lb_checks";
    private static final String CHECKS_HELP = "probes run, by checker and result";

    /** From the 5 ms the calendar's wake-ups allow to a whole delay_loop of 1 s and beyond. */
    private static final double[] LATENESS_BUCKETS_SECONDS =
            {0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5};

    /** qvip_lb_real_server_up's and _weight's series, by virtual server and real server; kept across reloads. */
    private final Map<List<String>, RealServerGauges> realServers = new ConcurrentHashMap<>();
    /** qvip_lb_checks_total's series, by virtual server, real server and checker; kept across reloads. */
    private final Map<List<String>, CheckCounts> checks = new ConcurrentHashMap<>();
    private final Gauge quorumUp;
    private final Gauge generation;
    private final Counter applyFailures;
    private final Histogram probeStartLateness;
    private final Counter probesQueued;
    private final PrometheusRegistry registry;
    private MultiCollector counters;

    LbMetrics(PrometheusRegistry registry) {
        this.registry = registry;
        // No exemplars on the series set per check result: sampling one schedules a task on Prometheus' timer
        // thread, and with the gauges' exemplars that was two tasks per result (the steady state's profile at 2,000
        // real servers: the timer queue's work on the checks' loop was a tenth of its samples). The real servers'
        // gauges and kernel counters carry labels made once per series: the client's Gauge and Labels.of made and
        // checked them again on every scrape, which then allocated 22.9 MiB at 10,000 real servers (9.9 now), most
        // of it live until the text was written (issue 12: a young collection during a scrape promoted it).
        registerGauges(registry, "qvip_lb_real_server_up", "1 while the real server's checks (ANDed) say it is alive",
                gauges -> gauges.up);
        registerGauges(registry, "qvip_lb_real_server_weight",
                "the weight the real server has in the pool now (0: no new connections)", gauges -> gauges.weight);
        registry.register(new Collector() {
            @Override
            public MetricSnapshot collect() {
                CounterSnapshot.Builder builder = CounterSnapshot.builder().name(CHECKS).help(CHECKS_HELP);
                for (CheckCounts counts : checks.values()) {
                    counts.snapshot(builder);
                }
                return builder.build();
            }

            @Override
            public String getPrometheusName() {
                return CHECKS;
            }
        });
        quorumUp = Gauge.builder().name("qvip_lb_quorum_up").help("1 while the virtual server has quorum")
                .labelNames("virtual_server").register(registry);
        generation = Gauge.builder().name("qvip_lb_nft_generation")
                .help("the nftables transaction the load-balancing tables are at").register(registry);
        applyFailures = Counter.builder().name("qvip_lb_nft_apply_failures_total")
                .help("load-balancing programs nftables refused, even whole").register(registry);
        // Classic buckets only: a native histogram's sparse buckets cost more per observation, at 10,000 a second.
        probeStartLateness = Histogram.builder().name("qvip_lb_probe_start_lateness_seconds")
                .help("how long after its due time each probe started: the checks' loop running behind (its queue,"
                        + " a collection pause) and the wait for the bound on probes in flight")
                .classicOnly().classicUpperBounds(LATENESS_BUCKETS_SECONDS).withoutExemplars().register(registry);
        probesQueued = Counter.builder().name("qvip_lb_probes_queued_total")
                .help("probes that waited, when due, for one of the probes in flight to end (the bound on sockets)")
                .withoutExemplars().register(registry);
    }

    /** A probe started {@code latenessNanos} after it was due. */
    void probeStarted(long latenessNanos) {
        probeStartLateness.observe(Math.max(0, latenessNanos) / 1e9);
    }

    /** A due probe waits for the bound on probes in flight. */
    void probeQueued() {
        probesQueued.inc();
    }

    /** One real server's series in one virtual server, its checkers' in their order. */
    RealServerSeries realServer(String virtualServer, String realServer, List<String> checkers) {
        CheckCounts[] counts = new CheckCounts[checkers.size()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = checks.computeIfAbsent(List.of(virtualServer, realServer, checkers.get(i)),
                    labels -> new CheckCounts(labels.get(0), labels.get(1), labels.get(2)));
        }
        RealServerGauges gauges = realServers.computeIfAbsent(List.of(virtualServer, realServer),
                key -> new RealServerGauges(Labels.of("virtual_server", virtualServer, "real_server", realServer)));
        return new RealServerSeries(gauges, counts);
    }

    private void registerGauges(PrometheusRegistry registry, String name, String help,
                                ToIntFunction<RealServerGauges> value) {
        registry.register(new Collector() {
            @Override
            public MetricSnapshot collect() {
                GaugeSnapshot.Builder builder = GaugeSnapshot.builder().name(name).help(help);
                for (RealServerGauges gauges : realServers.values()) {
                    builder.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(value.applyAsInt(gauges))
                            .labels(gauges.labels).build());
                }
                return builder.build();
            }

            @Override
            public String getPrometheusName() {
                return name;
            }
        });
    }

    /** A real server's up and weight, set by the checks' loop alone and read by a scrape. */
    static final class RealServerGauges {
        private final Labels labels;
        private volatile int up;
        private volatile int weight;

        RealServerGauges(Labels labels) {
            this.labels = labels;
        }
    }

    /**
     * One checker's successes and failures, counted by the checks' loop alone and read by a scrape. The client's
     * {@code Counter} data point took a list lookup, a check of the amount and a {@code LongAdder} add per result:
     * with the agent's C1, a quarter of the checks' loop's samples at 10,000 results a second (issue 12), for a count
     * that one thread writes. A volatile long that only that thread writes loses no increment and shows a scrape
     * every one before it.
     */
    static final class CheckCounts {
        private final Labels successLabels;
        private final Labels failureLabels;
        private final long createdMillis = System.currentTimeMillis();
        private volatile long successes;
        private volatile long failures;

        CheckCounts(String virtualServer, String realServer, String checker) {
            this.successLabels = Labels.of("virtual_server", virtualServer, "real_server", realServer,
                    "checker", checker, "result", "success");
            this.failureLabels = Labels.of("virtual_server", virtualServer, "real_server", realServer,
                    "checker", checker, "result", "failure");
        }

        /** On the checks' loop only. */
        void count(boolean success) {
            if (success) {
                successes++;
            } else {
                failures++;
            }
        }

        private void snapshot(CounterSnapshot.Builder into) {
            into.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(successes).labels(successLabels)
                    .createdTimestampMillis(createdMillis).build());
            into.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(failures).labels(failureLabels)
                    .createdTimestampMillis(createdMillis).build());
        }
    }

    /**
     * A real server's data points, looked up once: at 10,000 checks a second, looking them up by label values on
     * every result cost more CPU than the checks' own I/O. The gauges are set only when their value changes: set on
     * every result, they were 7 % of the checks' loop's samples at that rate, for a value that rarely moves.
     */
    static final class RealServerSeries {
        private static final int NEVER_SET = -1;

        private final RealServerGauges gauges;
        private final CheckCounts[] counts;
        private int upSet = NEVER_SET;
        private int weightSet = NEVER_SET;

        RealServerSeries(RealServerGauges gauges, CheckCounts[] counts) {
            this.gauges = gauges;
            this.counts = counts;
        }

        void check(int checker, boolean success) {
            counts[checker].count(success);
        }

        CheckCounts counts(int checker) {
            return counts[checker];
        }

        void state(boolean alive, int weightNow) {
            int upNow = alive ? 1 : 0;
            if (upNow != upSet) {
                gauges.up = upNow;
                upSet = upNow;
            }
            if (weightNow != weightSet) {
                gauges.weight = weightNow;
                weightSet = weightNow;
            }
        }
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

    /**
     * Per real server, what its named counter can say (docs/load-balancing.md): NAT connections, DR inbound packets
     * and bytes. Read from the kernel once per scrape; every configured real server has its series, which pool
     * changes do not reset.
     */
    void countersFrom(Supplier<List<LvsStats.ServiceStats>> stats) {
        counters = new MultiCollector() {
            @Override
            public MetricSnapshots collect() {
                List<LvsStats.ServiceStats> now = stats.get();
                List<MetricSnapshot> snapshots = new ArrayList<>();
                snapshot(now, "qvip_lb_real_server_connections", "new connections sent to the real server since it"
                        + " entered the pool (NAT only: its nat chain sees each connection's first packet)",
                        LvsStats.Stats::conns).ifPresent(snapshots::add);
                snapshot(now, "qvip_lb_real_server_in_packets", "packets from clients forwarded to the real server"
                        + " since it entered the pool (DR only: NAT cannot see them)", LvsStats.Stats::inPkts)
                        .ifPresent(snapshots::add);
                snapshot(now, "qvip_lb_real_server_in_bytes", "bytes (layer 3) from clients forwarded to the real"
                        + " server since it entered the pool (DR only: NAT cannot see them)", LvsStats.Stats::inBytes)
                        .ifPresent(snapshots::add);
                return new MetricSnapshots(snapshots);
            }
        };
        registry.register(counters);
    }

    /** No more reads from the kernel: the load balancer is stopping and its tables go. */
    void stopCounters() {
        if (counters != null) {
            registry.unregister(counters);
        }
    }

    private Optional<MetricSnapshot> snapshot(List<LvsStats.ServiceStats> stats, String name, String help,
                                              Function<LvsStats.Stats, OptionalLong> column) {
        CounterSnapshot.Builder builder = CounterSnapshot.builder().name(name).help(help);
        boolean any = false;
        for (LvsStats.ServiceStats service : stats) {
            for (Map.Entry<String, LvsStats.Stats> real : service.realServers().entrySet()) {
                OptionalLong value = column.apply(real.getValue());
                if (value.isPresent()) {
                    builder.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(value.getAsLong())
                            .labels(labels(service.virtualServer(), real.getKey())).build());
                    any = true;
                }
            }
        }
        return any ? Optional.of(builder.build()) : Optional.empty();
    }

    /** The labels of a configured real server's series, made once; made anew for one the kernel has and no series. */
    private Labels labels(String virtualServer, String realServer) {
        RealServerGauges gauges = realServers.get(List.of(virtualServer, realServer));
        return gauges != null ? gauges.labels : Labels.of("virtual_server", virtualServer, "real_server", realServer);
    }
}
