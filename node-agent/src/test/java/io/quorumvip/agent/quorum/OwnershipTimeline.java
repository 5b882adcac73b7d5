package io.quorumvip.agent.quorum;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The holders of one VIP as the nodes' kernels reported them, poll after poll, and what follows from them. Each
 * sample's holder set is taken to last until the next sample: durations are as fine as the polling, no finer.
 */
final class OwnershipTimeline {

    /**
     * One poll: started at {@code atNanos} (System.nanoTime of the test JVM), it read every node in turn and took
     * {@code readNanos} to do so, so the nodes' answers are up to that far apart.
     */
    record Sample(long atNanos, long readNanos, Set<String> holders) {

        Sample {
            holders = Set.copyOf(holders);
        }
    }

    /**
     * A node's address appeared (or disappeared) between two polls: it was not yet so at {@code beforeNanos} and
     * was so at {@code seenNanos}.
     */
    record Change(long beforeNanos, long seenNanos) {
    }

    private final List<Sample> samples;

    OwnershipTimeline(List<Sample> samples) {
        this.samples = List.copyOf(samples);
    }

    List<Sample> samples() {
        return samples;
    }

    /** The samples taken from {@code fromNanos} (inclusive) to {@code toNanos} (exclusive). */
    OwnershipTimeline between(long fromNanos, long toNanos) {
        return new OwnershipTimeline(samples.stream()
                .filter(s -> s.atNanos() - fromNanos >= 0 && s.atNanos() - toNanos < 0).toList());
    }

    OwnershipTimeline from(long fromNanos) {
        return between(fromNanos, Long.MAX_VALUE);
    }

    int maxHolders() {
        return samples.stream().mapToInt(s -> s.holders().size()).max().orElse(0);
    }

    /** Every holder set seen, in the order first seen. */
    Set<Set<String>> holderSets() {
        Set<Set<String>> sets = new LinkedHashSet<>();
        samples.forEach(s -> sets.add(s.holders()));
        return sets;
    }

    long doubleOwnershipMillis() {
        return millisWith(holders -> holders.size() >= 2);
    }

    long noOwnerMillis() {
        return millisWith(Set::isEmpty);
    }

    /** How many times the holder set differs from the sample before, losing the VIP counts as well as gaining it. */
    int changes() {
        int changes = 0;
        for (int i = 1; i < samples.size(); i++) {
            if (!samples.get(i).holders().equals(samples.get(i - 1).holders())) {
                changes++;
            }
        }
        return changes;
    }

    /** The first poll whose holders differ from the first sample's. */
    Optional<Change> firstChange() {
        for (int i = 1; i < samples.size(); i++) {
            if (!samples.get(i).holders().equals(samples.get(0).holders())) {
                return Optional.of(new Change(samples.get(i - 1).atNanos(), samples.get(i).atNanos()));
            }
        }
        return Optional.empty();
    }

    /** When {@code node} first holds the VIP after not holding it (a bind seen by the kernel). */
    Optional<Change> firstBind(String node) {
        return firstTransition(s -> !s.holders().contains(node), s -> s.holders().contains(node));
    }

    /** When {@code node} first no longer holds the VIP after holding it. */
    Optional<Change> firstRelease(String node) {
        return firstTransition(s -> s.holders().contains(node), s -> !s.holders().contains(node));
    }

    /** The largest time between the starts of two polls in a row: how fine this timeline really is. */
    long maxGapMillis() {
        return gapsNanos().stream().mapToLong(Long::longValue).max().orElse(0) / 1_000_000;
    }

    long medianGapMillis() {
        List<Long> gaps = gapsNanos();
        if (gaps.isEmpty()) {
            return 0;
        }
        return gaps.stream().sorted().toList().get(gaps.size() / 2) / 1_000_000;
    }

    /** The longest a single poll took to read all nodes: how far apart the answers of one sample may be. */
    long maxReadMillis() {
        return samples.stream().mapToLong(Sample::readNanos).max().orElse(0) / 1_000_000;
    }

    /** One line for the test's output: everything the lead collects from a scenario. */
    String summary() {
        return String.format("samples=%d gap_median_ms=%d gap_max_ms=%d read_max_ms=%d max_holders=%d "
                        + "double_ownership_ms=%d no_owner_ms=%d changes=%d holder_sets=%s",
                samples.size(), medianGapMillis(), maxGapMillis(), maxReadMillis(), maxHolders(),
                doubleOwnershipMillis(), noOwnerMillis(), changes(), holderSets());
    }

    /** The summary, then each change of holders with its time in ms relative to {@code originNanos}. */
    String describe(long originNanos) {
        StringBuilder text = new StringBuilder(summary());
        Set<String> last = null;
        for (Sample sample : samples) {
            if (!sample.holders().equals(last)) {
                long millis = (sample.atNanos() - originNanos) / 1_000_000;
                text.append(String.format("%n  %+7d ms %s", millis, sample.holders()));
                last = sample.holders();
            }
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return describe(samples.isEmpty() ? 0 : samples.get(0).atNanos());
    }

    private long millisWith(Predicate<Set<String>> condition) {
        long nanos = 0;
        for (int i = 0; i + 1 < samples.size(); i++) {
            if (condition.test(samples.get(i).holders())) {
                nanos += samples.get(i + 1).atNanos() - samples.get(i).atNanos();
            }
        }
        return nanos / 1_000_000;
    }

    private Optional<Change> firstTransition(Predicate<Sample> before, Predicate<Sample> after) {
        for (int i = 1; i < samples.size(); i++) {
            if (before.test(samples.get(i - 1)) && after.test(samples.get(i))) {
                return Optional.of(new Change(samples.get(i - 1).atNanos(), samples.get(i).atNanos()));
            }
        }
        return Optional.empty();
    }

    private List<Long> gapsNanos() {
        List<Long> gaps = new ArrayList<>();
        for (int i = 1; i < samples.size(); i++) {
            gaps.add(samples.get(i).atNanos() - samples.get(i - 1).atNanos());
        }
        return gaps;
    }
}
