package io.quorumvip.agent.http;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Every metric the agent exports, in one registry, rendered in the Prometheus text format on {@code /metrics}. No
 * metric keeps exemplars: the agent has no traces for them to point to, and the client's exemplar sampler wakes a
 * thread of its own (the unnamed "Thread-0") to rate-limit its samples, about 0.4 s of CPU per minute with 100
 * instances counting their adverts (docs/benchmarks.md).
 */
public final class AgentMetrics {

    private static final List<String> STATES = List.of("INIT", "BACKUP", "MASTER", "FAULT");

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = new PrometheusTextFormatWriter(false);

    private final Gauge state = Gauge.builder().withoutExemplars().name("qvip_vrrp_state")
            .help("1 for the VRRP state the instance is in, 0 for the others")
            .labelNames("instance", "state").register(registry);
    private final Gauge effectivePriority = Gauge.builder().withoutExemplars().name("qvip_vrrp_effective_priority")
            .help("priority advertised now: configured priority adjusted by tracker weights")
            .labelNames("instance").register(registry);
    private final Counter advertsSent = Counter.builder().withoutExemplars().name("qvip_vrrp_adverts_sent_total")
            .help("VRRP advertisements sent").labelNames("instance").register(registry);
    private final Counter advertsReceived = Counter.builder().withoutExemplars()
            .name("qvip_vrrp_adverts_received_total")
            .help("valid VRRP advertisements received").labelNames("instance").register(registry);
    private final Counter packetsDropped = Counter.builder().withoutExemplars().name("qvip_vrrp_packets_dropped_total")
            .help("received VRRP packets dropped, by reason").labelNames("interface", "reason").register(registry);
    private final Counter transitions = Counter.builder().withoutExemplars().name("qvip_vrrp_transitions_total")
            .help("VRRP state changes").labelNames("instance", "from", "to").register(registry);
    private final Gauge vipOwned = Gauge.builder().withoutExemplars().name("qvip_vip_owned")
            .help("1 while this node has the instance's virtual addresses on its interface").labelNames("instance")
            .register(registry);
    private final Counter ownershipChanges = Counter.builder().withoutExemplars().name("qvip_ownership_changes_total")
            .help("times this node bound or released the instance's virtual addresses")
            .labelNames("instance", "action").register(registry);
    private final Counter garpSent = Counter.builder().withoutExemplars().name("qvip_garp_sent_total")
            .help("gratuitous ARP packets sent").labelNames("instance").register(registry);
    private final Gauge trackerHealthy = Gauge.builder().withoutExemplars().name("qvip_tracker_healthy")
            .help("1 while the tracked script or interface is healthy").labelNames("tracker").register(registry);
    private final Counter notifyRuns = Counter.builder().withoutExemplars().name("qvip_notify_runs_total")
            .help("notify scripts run, by outcome").labelNames("instance", "outcome").register(registry);
    private final Counter errors = Counter.builder().withoutExemplars().name("qvip_errors_total")
            .help("operations that failed, by kind (send, bind, release, garp, ...)").labelNames("instance", "kind")
            .register(registry);

    private final Gauge journalWritable = Gauge.builder().withoutExemplars().name("qvip_journal_writable")
            .help("1 while the journal can be written ahead; 0 means the node refuses to gain a VIP").register(registry);
    private final Counter journalAppendFailures = Counter.builder().withoutExemplars()
            .name("qvip_journal_append_failures_total")
            .help("journal appends that could not be made durable").register(registry);

    // Read at scrape time from what each instance's last step left: set at every step, they cost two gauge writes
    // per step, about 300 a second at 100 instances, for a value only a scrape reads.
    private final Map<String, InstanceSeries> leased = new ConcurrentHashMap<>();
    private final LongSupplier monotonicNanos;

    private final GaugeWithCallback leaseHeld = GaugeWithCallback.builder().name("qvip_lease_held")
            .help("1 while this node holds the instance's quorum lease and can prove it valid").labelNames("instance")
            .callback(callback -> leased.forEach((instance, series) ->
                    callback.call(validForNanos(series) > 0 ? 1 : 0, instance)))
            .register(registry);
    private final GaugeWithCallback leaseValidFor = GaugeWithCallback.builder().name("qvip_lease_valid_for_seconds")
            .help("how much longer the lease is provably valid").labelNames("instance")
            .callback(callback -> leased.forEach((instance, series) ->
                    callback.call(validForNanos(series) / 1e9, instance)))
            .register(registry);
    private final Counter leaseEvents = Counter.builder().withoutExemplars().name("qvip_lease_events_total")
            .help("lease events: acquired, confirmed, lapsed, lost, released, connection").labelNames("instance", "event")
            .register(registry);

    private final Gauge shipAcked = Gauge.builder().withoutExemplars().name("qvip_ship_acked_seq")
            .help("the highest journal seq of this node the coordinator said it stored").labelNames("coordinator")
            .register(registry);
    private final Gauge shipLag = Gauge.builder().withoutExemplars().name("qvip_ship_lag_records")
            .help("durable journal records the coordinator has not acknowledged yet").labelNames("coordinator")
            .register(registry);
    private final Counter shipErrors = Counter.builder().withoutExemplars().name("qvip_ship_errors_total")
            .help("failed shipments to a coordinator, by kind (connection, timeout, unavailable, bad_answer,"
                    + " unauthorized, rejected, gap, conflict, journal)").labelNames("coordinator", "kind")
            .register(registry);

    private final Counter mailAlerts = Counter.builder().withoutExemplars().name("qvip_mail_alerts_total")
            .help("e-mail alerts by outcome: sent, failed (every attempt failed), dropped (queue full)")
            .labelNames("outcome").register(registry);
    private final Counter mailAttemptsFailed = Counter.builder().withoutExemplars()
            .name("qvip_mail_attempts_failed_total")
            .help("attempts to hand an e-mail alert to the SMTP server that failed (each is retried up to a bound)")
            .register(registry);

    /** Metrics whose lease gauges read the monotonic clock at scrape time. */
    public AgentMetrics() {
        this(System::nanoTime);
    }

    /** @param monotonicNanos the clock the instances' steps read, for the lease gauges */
    public AgentMetrics(LongSupplier monotonicNanos) {
        this.monotonicNanos = monotonicNanos;
    }

    private long validForNanos(InstanceSeries series) {
        return series.validForNanos(monotonicNanos.getAsLong());
    }

    public void mailAlert(String outcome) {
        mailAlerts.labelValues(outcome).inc();
    }

    public void mailAttemptFailed() {
        mailAttemptsFailed.inc();
    }

    public void shipProgress(String coordinator, long ackedSeq, long lagRecords) {
        shipAcked.labelValues(coordinator).set(ackedSeq);
        shipLag.labelValues(coordinator).set(lagRecords);
    }

    public void shipError(String coordinator, String kind) {
        shipErrors.labelValues(coordinator, kind).inc();
    }

    public void leaseEvent(String instance, String event) {
        leaseEvents.labelValues(instance, event).inc();
    }


    public void journalWritable(boolean writable) {
        journalWritable.set(writable ? 1 : 0);
    }

    public void journalAppendFailed() {
        journalAppendFailures.inc();
    }

    public void state(String instance, String current) {
        for (String s : STATES) {
            state.labelValues(instance, s).set(s.equals(current) ? 1 : 0);
        }
    }

    public void transition(String instance, String from, String to) {
        transitions.labelValues(instance, from, to).inc();
        state(instance, to);
    }

    public void effectivePriority(String instance, int priority) {
        effectivePriority.labelValues(instance).set(priority);
    }

    public void packetDropped(String iface, String reason) {
        packetsDropped.labelValues(iface, reason).inc();
    }

    public void vipOwned(String instance, boolean owned) {
        vipOwned.labelValues(instance).set(owned ? 1 : 0);
        ownershipChanges.labelValues(instance, owned ? "bind" : "release").inc();
    }

    public void garpSent(String instance, int count) {
        garpSent.labelValues(instance).inc(count);
    }

    public void trackerHealthy(String tracker, boolean healthy) {
        trackerHealthy.labelValues(tracker).set(healthy ? 1 : 0);
    }

    public void notifyRun(String instance, String outcome) {
        notifyRuns.labelValues(instance, outcome).inc();
    }

    public void error(String instance, String kind) {
        errors.labelValues(instance, kind).inc();
    }

    /**
     * Registers the instance's series at zero so a scrape shows them before anything happened, and returns those
     * that change with every advert or step; its lease series only when it is {@code leased}.
     */
    public InstanceSeries declareInstance(String instance, boolean leased) {
        state(instance, "INIT");
        vipOwned.labelValues(instance).set(0);
        InstanceSeries series = new InstanceSeries(advertsSent.labelValues(instance),
                advertsReceived.labelValues(instance), leased);
        if (leased) {
            this.leased.put(instance, series);
        }
        return series;
    }

    /**
     * One instance's series updated with every advert or step, looked up once: a lookup by label value searches a
     * map keyed by a list of strings, and 100 instances made about 500 of them a second (docs/benchmarks.md).
     */
    public static final class InstanceSeries {
        private final CounterDataPoint advertsSent;
        private final CounterDataPoint advertsReceived;
        private final boolean leased;
        private volatile boolean held;
        private volatile long validUntilNanos;

        private InstanceSeries(CounterDataPoint advertsSent, CounterDataPoint advertsReceived, boolean leased) {
            this.advertsSent = advertsSent;
            this.advertsReceived = advertsReceived;
            this.leased = leased;
        }

        public void advertSent() {
            advertsSent.inc();
        }

        public void advertReceived() {
            advertsReceived.inc();
        }

        /**
         * The lease as the instance's last step left it: {@code held} with a validity until {@code validUntilNanos}
         * (monotonic), or not held. Written only when it changed: a scrape reads it from another thread.
         *
         * @throws IllegalStateException when the instance was declared without a lease
         */
        public void lease(boolean held, long validUntilNanos) {
            if (!leased) {
                throw new IllegalStateException("lease metrics of an instance declared without a quorum lease");
            }
            if (held != this.held || held && validUntilNanos != this.validUntilNanos) {
                this.validUntilNanos = validUntilNanos;
                this.held = held;
            }
        }

        /** How much longer the lease is provably valid at {@code nowNanos}; 0 when it is not held. */
        long validForNanos(long nowNanos) {
            long until = validUntilNanos;
            return held && until - nowNanos > 0 ? until - nowNanos : 0;
        }
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    /** The whole exposition as one string: for tests and small registries ({@link #scrape(OutputStream)} streams). */
    public String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try {
            scrape(out);
        } catch (IOException e) {
            throw new UncheckedIOException("rendering metrics failed", e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Renders every metric into {@code out} as it goes. At 10,000 real servers the text is megabytes: rendered whole
     * into a growing array, copied into a string and again into the response, a scrape needed ~30 MiB more heap at
     * once, and the collection that followed grew the heap for good (docs/benchmarks.md, issue 12).
     */
    public void scrape(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }

    public String contentType() {
        return writer.getContentType();
    }
}
