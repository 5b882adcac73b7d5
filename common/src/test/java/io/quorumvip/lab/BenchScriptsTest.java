package io.quorumvip.lab;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The benchmark scripts' argument checks, which run before anything needs root or makes a lab: a bad value exits 2
 * with a message naming the value and what was expected. The benchmarks themselves are run by hand
 * (docs/benchmarks.md): they take minutes and their figures are not assertions.
 */
class BenchScriptsTest {

    private final RepositoryLayout layout = RepositoryLayout.locate();

    @Test
    void shouldRejectATrialCountOfZeroNamingTheValue() {
        CommandResult result = script("bench-failover.sh", "--trials", "0");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("--trials got '0' (expected 1-99)");
    }

    @Test
    void shouldRejectALabNameOutsideTheBenchmarkPrefix() {
        CommandResult result = script("bench-failover.sh", "--name", "qvip");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("--name got 'qvip' (expected qb + up to 6 chars [a-z0-9])");
    }

    @Test
    void shouldRejectASetupItDoesNotKnowNamingTheList() {
        CommandResult result = script("bench-failover.sh", "--setups", "keepalived,haproxy");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains(
                "--setups got 'keepalived,haproxy' (expected a comma-separated list of keepalived, agent, leased)");
    }

    @Test
    void shouldRejectAFaultListWithAnEmptyItem() {
        CommandResult result = script("bench-failover.sh", "--faults", "pause,,graceful");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains(
                "--faults got 'pause,,graceful' (expected a comma-separated list of hard_kill, graceful, partition, pause, zk_leader_kill, zk_leader_isolate)");
    }

    @Test
    void shouldRefuseZooKeeperLeaderKillsWithoutTheLeasedSetupAlone() {
        CommandResult result = script("bench-failover.sh", "--setups", "agent,leased", "--faults", "zk_leader_kill");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains(
                "--faults zk_leader_kill and zk_leader_isolate need --setups leased (got 'agent,leased'): only the leased pair has ZooKeeper");
    }

    @Test
    void shouldRejectALongTrialCountThatIsNotANumber() {
        CommandResult result = script("bench-failover.sh", "--long-trials", "three");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("--long-trials got 'three' (expected 1-99)");
    }

    @Test
    void shouldRejectAFootprintOfADaemonItDoesNotKnow() {
        CommandResult result = script("bench-footprint.sh", "--only", "haproxy");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("--only got 'haproxy' (expected keepalived, agent or agent-lease)");
    }

    @Test
    void shouldRefuseMoreInstancesThanTheFootprintsInterfacesHold() {
        CommandResult result = script("bench-footprint.sh", "--counts", "100 1001");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains(
                "--counts got '1001' (expected 1-1000 per case: 100 on eth0, 225 on each of vr1..vr4)");
    }

    @Test
    void footprintRefusesASettleThatIsNotSeconds() {
        CommandResult result = script("bench-footprint.sh", "--settle", "2m");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("--settle got '2m' (expected 0-9999 seconds)");
    }

    @Test
    void shouldRefuseMoreFleetPairsThanTheVethAddressesAllow() {
        CommandResult result = script("bench-fleet.sh", "--pairs", "20");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("--pairs got '20' (expected 1-19)");
    }

    @Test
    void shouldRejectAnOddConnectionCountForTheLoadBalancingBenchmark() {
        CommandResult result = script("bench-lb.sh", "--connections", "33");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("--connections got '33' (expected an even number 2-9998)");
    }

    @Test
    void shouldRefuseForensicsSizesThatAreNotNumbers() {
        CommandResult result = script("bench-forensics.sh", "--sizes", "10k,1M");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("--sizes got '10k,1M' (expected numbers, comma-separated)");
    }

    @Test
    void shouldRefuseACoordinatorSizeThatIsNotANumber() {
        CommandResult result = script("bench-coordinator.sh", "--size", "1M");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("--size got '1M' (expected a number of events per node)");
    }

    @Test
    void shouldRejectMoreRealServersThanTheChecksBenchmarkCanListenOn() {
        CommandResult result = script("bench-checks.sh", "--servers", "30000");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("--servers got '30000' (expected 1-20000)");
    }

    @Test
    void shouldRejectAScrapeIntervalNotShorterThanTheMeasuredWindow() {
        CommandResult result = script("bench-checks.sh", "--seconds", "60", "--scrape-every", "60");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("--scrape-every got '60' (expected seconds, 1 to less than --seconds 60)");
    }

    @Test
    void shouldRefuseToScrapeAnAgentTheRunDoesNotStart() {
        CommandResult result = script("bench-checks.sh", "--only", "haproxy", "--scrape-every", "15");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("--scrape-every scrapes the agent, which --only haproxy does not run");
    }

    @Test
    void shouldNameTheKnownBenchmarksWhenAskedForAnUnknownOne() {
        CommandResult result = script("qvip", "bench", "latency");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderr()).contains("unknown benchmark 'latency' (expected failover, footprint, fleet, lb, checks, jmh, forensics or coordinator)");
    }

    private CommandResult script(String name, String... arguments) {
        String[] command = new String[arguments.length + 1];
        command[0] = layout.root().resolve("scripts").resolve(name).toString();
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        return HostCommand.run(command);
    }
}
