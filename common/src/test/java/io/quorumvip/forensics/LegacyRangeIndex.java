package io.quorumvip.forensics;

import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Ranges [start, end) kept in the order given, with the running maximum of their ends, so that a sweep finds by
 * binary search where the ranges that can reach past a time begin, instead of testing every range for every query.
 * When the starts are in order it also knows where the ranges starting before a time end; when they are not, every
 * query falls back to the whole list (correct, only slower).
 *
 * @param <T> what each range belongs to
 */
final class LegacyRangeIndex<T> {

    private final List<T> items;
    private final long[] starts;
    private final long[] reach;
    private final boolean startsInOrder;

    LegacyRangeIndex(List<T> items, ToLongFunction<T> start, ToLongFunction<T> end) {
        this.items = items;
        this.starts = new long[items.size()];
        this.reach = new long[items.size()];
        boolean ordered = true;
        for (int i = 0; i < items.size(); i++) {
            starts[i] = start.applyAsLong(items.get(i));
            long e = end.applyAsLong(items.get(i));
            reach[i] = i == 0 ? e : Math.max(reach[i - 1], e);
            ordered &= i == 0 || starts[i - 1] <= starts[i];
        }
        this.startsInOrder = ordered;
    }

    int size() {
        return items.size();
    }

    T get(int position) {
        return items.get(position);
    }

    /** The first position whose range, or an earlier one, ends after {@code time}: no range before it does. */
    int firstReachingPast(long time) {
        int low = 0;
        int high = starts.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (reach[mid] > time) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        return low;
    }

    /** True when this and every later range start at or after {@code time} (known only when starts are in order). */
    boolean startsFrom(int position, long time) {
        return startsInOrder && starts[position] >= time;
    }

    /**
     * The ranges that can touch [from, to] (start at or before {@code to}, end at or after {@code from}), latest
     * start first; the caller applies its exact test, and returns false to stop. Stops by itself at a prefix that
     * cannot reach {@code from}.
     */
    void forEachTouching(long from, long to, Predicate<T> action) {
        int position = startsInOrder ? lastStartingAtOrBefore(to) : starts.length - 1;
        for (; position >= 0 && reach[position] >= from; position--) {
            if (!action.test(items.get(position))) {
                return;
            }
        }
    }

    private int lastStartingAtOrBefore(long time) {
        int low = 0;
        int high = starts.length;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (starts[mid] <= time) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low - 1;
    }
}
