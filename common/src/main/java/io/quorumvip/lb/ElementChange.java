package io.quorumvip.lb;

import java.util.List;

/**
 * A change of one named set's or map's elements alone, every key and value an nftables {@code mark} (32 bits,
 * carried in an int): what a pool change is once the program's structure is settled ({@link
 * NftProgram#elementChanges}), and what the agent can hand the kernel without libnftables.
 *
 * @param map         a map from mark to mark (a slot map), or a set of marks
 * @param deleted     the keys that go, removed before the added ones go in: a slot that changes owner is in both
 * @param addedKeys   the keys that come
 * @param addedValues for a map, each added key's value, in the same order; empty for a set
 */
public record ElementChange(String family, String set, boolean map, List<Integer> deleted, List<Integer> addedKeys,
                            List<Integer> addedValues) {
    public ElementChange {
        deleted = List.copyOf(deleted);
        addedKeys = List.copyOf(addedKeys);
        addedValues = List.copyOf(addedValues);
        if (addedValues.size() != (map ? addedKeys.size() : 0)) {
            throw new IllegalArgumentException(family + " " + set + ": " + addedValues.size() + " values for "
                    + addedKeys.size() + " added keys (expected " + (map ? addedKeys.size() : 0) + ")");
        }
    }

    public int size() {
        return deleted.size() + addedKeys.size();
    }
}
