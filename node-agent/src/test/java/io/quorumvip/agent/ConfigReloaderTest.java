package io.quorumvip.agent;

import static io.quorumvip.lab.Await.awaitCondition;
import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.quorumvip.agent.http.AgentMetrics;
import io.quorumvip.agent.journal.AgentJournal;
import io.quorumvip.agent.lb.DataPlane;
import io.quorumvip.agent.lb.LoadBalancer;
import io.quorumvip.agent.lb.NoDataPlane;
import io.quorumvip.config.KeepalivedConfig;
import io.quorumvip.config.KeepalivedConfigParser;
import io.quorumvip.config.ParseOptions;
import io.quorumvip.config.ParseResult;
import io.quorumvip.events.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reload is journaled before what it causes, so reading the journal forward gives the cause first. */
class ConfigReloaderTest {

    @TempDir
    Path dir;

    private AgentJournal journal;
    private LoadBalancer lb;
    private final AtomicReference<LoadBalancer> started = new AtomicReference<>();

    private final DataPlane nothing = new NoDataPlane();

    @AfterEach
    void stop() {
        if (lb != null) {
            lb.stop();
        }
        if (started.get() != null) {
            started.get().stop();
        }
        if (journal != null) {
            journal.close();
        }
    }

    @Test
    void shouldJournalConfigReloadedBeforeTheFirstPoolOfTheLoadBalancerItStarts() throws IOException {
        Path file = dir.resolve("keepalived.conf");
        Files.writeString(file, "global_defs {\n router_id n1\n}\n");
        KeepalivedConfig running = parse(file);
        journal = AgentJournal.open(dir.resolve("journal"), "n1", new AgentMetrics());
        List<Event> order = new CopyOnWriteArrayList<>();
        journal.observe(draft -> order.add(draft.event()));
        ConfigReloader reloader = new ConfigReloader(file, ParseOptions.defaults(), running, journal, null,
                new AtomicReference<>(), next -> {
                    started.set(LoadBalancer.start(next, journal::record, nothing, new PrometheusRegistry()));
                    return started.get();
                });

        Files.writeString(file, "global_defs {\n router_id n1\n}\n" + config("198.51.100.51"));
        reloader.reload();

        awaitCondition("the first pool is journaled", Duration.ofSeconds(20), () -> List.copyOf(order),
                events -> events.stream().anyMatch(Event.PoolChanged.class::isInstance));
        assertThat(order).as("journal order of a reload that starts the load balancer").first()
                .isInstanceOfSatisfying(Event.ConfigReloaded.class, r -> assertThat(r.applied()).isTrue());
    }

    private static String config(String... realServers) {
        StringBuilder text = new StringBuilder("virtual_server 192.0.2.220 80 {\n lb_algo rr\n lb_kind NAT\n");
        for (String real : realServers) {
            text.append(" real_server ").append(real).append(" 80 {\n  weight 1\n }\n");
        }
        return text.append("}\n").toString();
    }

    private KeepalivedConfig parse(Path file) throws IOException {
        ParseResult parsed = KeepalivedConfigParser.parse(file);
        assertThat(parsed.errors()).isEmpty();
        return parsed.config();
    }

    @Test
    void shouldJournalConfigReloadedBeforeThePoolChangeItCauses() throws IOException {
        Path file = dir.resolve("keepalived.conf");
        Files.writeString(file, config("198.51.100.51"));
        KeepalivedConfig running = parse(file);
        journal = AgentJournal.open(dir.resolve("journal"), "n1", new AgentMetrics());
        List<Event> order = new CopyOnWriteArrayList<>();
        journal.observe(draft -> order.add(draft.event()));
        lb = LoadBalancer.start(running, journal::record, nothing, new PrometheusRegistry());
        ConfigReloader reloader = new ConfigReloader(file, ParseOptions.defaults(), running, journal, null,
                new AtomicReference<>(lb), next -> {
                    throw new AssertionError("the load balancer runs already");
                });
        order.clear();

        Files.writeString(file, config("198.51.100.51", "198.51.100.52"));
        reloader.reload();

        // The pool change is journaled once nftables has the program, on the load balancer's own thread.
        awaitCondition("the pool of two is journaled", Duration.ofSeconds(20), () -> List.copyOf(order),
                events -> events.stream().anyMatch(e -> e instanceof Event.PoolChanged p && p.members().size() == 2));
        List<Event> reloadAndPools = order.stream()
                .filter(e -> e instanceof Event.ConfigReloaded || e instanceof Event.PoolChanged).toList();
        assertThat(reloadAndPools.get(0)).isInstanceOfSatisfying(Event.ConfigReloaded.class,
                r -> assertThat(r.applied()).isTrue());
        assertThat(reloadAndPools.subList(1, reloadAndPools.size())).allMatch(Event.PoolChanged.class::isInstance)
                .anySatisfy(e -> assertThat(((Event.PoolChanged) e).members()).hasSize(2));
    }
}
