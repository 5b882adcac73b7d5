package io.quorumvip.lb;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maglev's lookup table (Eisenbud et al., NSDI 2016): each member's preference list is a permutation of the table's
 * slots derived from its name alone, and members take turns claiming their next preferred free slot. The same
 * members give the same table on every director; removing one member moves little more than that member's slots.
 * Weights are honoured by giving a member of weight w a turn in w of every max-weight rounds.
 */
public final class Maglev {

    /**
     * Primes for the table size; the smallest at least {@link #SLOTS_PER_MEMBER} per member is used, at most 16,381:
     * a pool change fills and compares the whole table (docs/load-balancing.md, pool-change latency), and with
     * equal weights every member still gets within one slot of an even share.
     */
    static final int[] SIZES = {251, 509, 1021, 2039, 4093, 8191, 16_381};
    static final int SLOTS_PER_MEMBER = 100;
    /**
     * The fewest slots per member a budget may leave a virtual server (while the largest size allows): with equal
     * weights a member then has ⌊M/N⌋ or ⌈M/N⌉ slots, within 5 % of its share.
     */
    static final int MIN_SLOTS_PER_MEMBER = 20;
    /**
     * Each name's two SHA-256 values, which cost more than filling the table: a pool change recomputes the table
     * of a thousand members, so they are remembered (a name's values never change; names come from configuration).
     */
    private static final Map<String, long[]> HASHES = new ConcurrentHashMap<>();

    private Maglev() {
    }

    public static int tableSize(int members) {
        return smallestAtLeast((long) members * SLOTS_PER_MEMBER);
    }

    /**
     * The size for {@code members} when at most {@code budget} slots are left for it: {@link #tableSize(int)} if it
     * fits, else the largest size within the budget, but never under {@link #MIN_SLOTS_PER_MEMBER} per member.
     */
    public static int tableSize(int members, long budget) {
        int fits = SIZES[0];
        for (int size : SIZES) {
            if (size <= budget) {
                fits = size;
            }
        }
        return Math.max(smallestAtLeast((long) members * MIN_SLOTS_PER_MEMBER), Math.min(tableSize(members), fits));
    }

    private static int smallestAtLeast(long slots) {
        for (int size : SIZES) {
            if (size >= slots) {
                return size;
            }
        }
        return SIZES[SIZES.length - 1];
    }

    /**
     * The lookup table: for each slot, the index of its member in {@code names}.
     *
     * @param names   stable member names (the same on every director), at least one
     * @param weights positive, one per name
     */
    public static int[] table(List<String> names, List<Integer> weights, int size) {
        if (names.isEmpty() || names.size() != weights.size()) {
            throw new IllegalArgumentException(names.size() + " names for " + weights.size() + " weights");
        }
        int n = names.size();
        int[] slot = new int[n];
        int[] skip = new int[n];
        int[] weight = new int[n];
        int maxWeight = 0;
        for (int i = 0; i < n; i++) {
            long[] hashes = HASHES.computeIfAbsent(names.get(i),
                    name -> new long[]{hash(name, "offset"), hash(name, "skip")});
            slot[i] = (int) Math.floorMod(hashes[0], size);
            skip[i] = (int) Math.floorMod(hashes[1], size - 1) + 1;
            weight[i] = weights.get(i);
            maxWeight = Math.max(maxWeight, weight[i]);
        }
        int[] table = new int[size];
        Arrays.fill(table, -1);
        int filled = 0;
        for (long round = 0; filled < size; round++) {
            int turn = (int) (round % maxWeight);
            for (int i = 0; i < n && filled < size; i++) {
                if (turn >= weight[i]) {
                    continue;
                }
                // slot[i] walks offset + k·skip (mod size) for k = 0, 1, …: each member's preference list. In
                // locals while it walks: the agent's C1 compiler keeps array elements in memory, and this loop
                // is most of a pool change's build at 1,000 real servers.
                int at = slot[i];
                int step = skip[i];
                while (table[at] >= 0) {
                    at = advance(at, step, size);
                }
                table[at] = i;
                slot[i] = advance(at, step, size);
                filled++;
            }
        }
        return table;
    }

    private static int advance(int slot, int skip, int size) {
        int next = slot + skip;
        return next >= size ? next - size : next;
    }

    private static long hash(String name, String salt) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((salt + "/" + name).getBytes(StandardCharsets.UTF_8));
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = value << 8 | (digest[i] & 0xFF);
            }
            return value;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
