package io.quorumvip.lb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class MaglevTest {

    private static List<String> names(int n) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add("192.0.2." + (51 + i) + ":80");
        }
        return names;
    }

    @Property
    void shouldGiveEqualMembersNearlyEqualShares(@ForAll @IntRange(min = 1, max = 50) int members) {
        int size = Maglev.tableSize(members);
        int[] table = Maglev.table(names(members), Collections.nCopies(members, 1), size);

        int[] counts = new int[members];
        for (int slot : table) {
            counts[slot]++;
        }
        for (int count : counts) {
            assertThat(count).isBetween(size / members - 1, size / members + 1);
        }
    }

    @Property
    void shouldMoveFewSlotsWhenOneMemberLeaves(@ForAll @IntRange(min = 3, max = 40) int members,
                                               @ForAll @IntRange(min = 0, max = 39) int leaving) {
        int gone = leaving % members;
        List<String> all = names(members);
        List<String> rest = new ArrayList<>(all);
        rest.remove(gone);
        int size = Maglev.tableSize(members);
        int[] before = Maglev.table(all, Collections.nCopies(members, 1), size);
        int[] after = Maglev.table(rest, Collections.nCopies(members - 1, 1), size);

        int moved = 0;
        for (int slot = 0; slot < size; slot++) {
            String was = all.get(before[slot]);
            String is = rest.get(after[slot]);
            if (!was.equals(all.get(gone)) && !was.equals(is)) {
                moved++;
            }
        }
        // Maglev's paper: little beyond the leaving member's own slots moves.
        assertThat(moved).isLessThan(size / 10);
    }

    @Property
    void shouldHonourWeights(@ForAll @IntRange(min = 1, max = 5) int heavy) {
        int size = Maglev.tableSize(2);
        int[] table = Maglev.table(names(2), List.of(heavy, 1), size);

        long first = java.util.Arrays.stream(table).filter(s -> s == 0).count();
        assertThat((double) first / size).isCloseTo(heavy / (heavy + 1.0), org.assertj.core.data.Offset.offset(0.02));
    }
}
