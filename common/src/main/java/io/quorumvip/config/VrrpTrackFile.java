package io.quorumvip.config;

import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * A {@code vrrp_track_file}: a file holding an integer that instances tracking it turn into priority (see
 * {@code io.quorumvip.track.TrackedFileStatus} for keepalived's rules).
 *
 * @param path          the file read
 * @param weight        any int but its minimum (default 1), as keepalived 2.2.7 reads it; 0 puts tracking instances
 *                      in FAULT while the value is not 0
 * @param reverse       {@code weight N reverse}: value × weight negated (with weight 0: FAULT while the value is 0);
 *                      the default of the instances' track_file entries
 * @param initValue     {@code init_file [VALUE]}: the value written when the agent starts and the file is missing
 * @param initOverwrite {@code init_file VALUE overwrite}: write it even when the file exists
 */
public record VrrpTrackFile(String name, Path path, int weight, boolean reverse, OptionalLong initValue,
                            boolean initOverwrite, SourcePosition position) {

    public static final int DEFAULT_WEIGHT = 1;
    public static final int MAX_WEIGHT = Integer.MAX_VALUE;
    /** An instance's {@code track_file { NAME weight N }} is −254..254. */
    public static final int MAX_INSTANCE_WEIGHT = 254;
}
