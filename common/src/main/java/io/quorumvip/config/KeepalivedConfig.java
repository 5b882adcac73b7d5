package io.quorumvip.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A keepalived.conf with its quorum and coordinator blocks, parsed and checked. Immutable.
 *
 * @param source        the main file (includes are folded in)
 * @param vrrpScripts   by name, in the order written
 * @param vrrpInstances in the order written
 * @param quorum        absent: VRRP only, like plain keepalived
 * @param coordinator   absent: the journal stays on the node
 * @param loadBalancing virtual servers and their groups; {@link LoadBalancingConfig#NONE} for VRRP only
 * @param syncGroups    the vrrp_sync_groups, in the order written; each instance is in one at most
 * @param trackFiles    {@code vrrp_track_file} blocks by name, in the order written
 * @param trackProcesses {@code vrrp_track_process} blocks by name, in the order written
 * @param staticRouting {@code static_ipaddress}, {@code static_routes}, {@code static_rules}
 */
public record KeepalivedConfig(
        Path source,
        GlobalDefs globalDefs,
        Map<String, VrrpScript> vrrpScripts,
        List<VrrpInstanceConfig> vrrpInstances,
        Optional<QuorumConfig> quorum,
        Optional<CoordinatorConfig> coordinator,
        LoadBalancingConfig loadBalancing,
        List<SyncGroupConfig> syncGroups,
        Map<String, VrrpTrackFile> trackFiles,
        Map<String, VrrpTrackProcess> trackProcesses,
        StaticRouting staticRouting) {

    public KeepalivedConfig {
        vrrpScripts = Collections.unmodifiableMap(new LinkedHashMap<>(vrrpScripts));
        trackFiles = Collections.unmodifiableMap(new LinkedHashMap<>(trackFiles));
        trackProcesses = Collections.unmodifiableMap(new LinkedHashMap<>(trackProcesses));
        vrrpInstances = List.copyOf(vrrpInstances);
        syncGroups = List.copyOf(syncGroups);
    }

    /** The sync group an instance is in, if any. */
    public Optional<SyncGroupConfig> syncGroupOf(String instance) {
        return syncGroups.stream().filter(g -> g.members().contains(instance)).findFirst();
    }

    public Optional<VrrpInstanceConfig> instance(String name) {
        return vrrpInstances.stream().filter(i -> i.name().equals(name)).findFirst();
    }

    /**
     * This configuration with only the named instances, and the sync groups all of whose members are among them:
     * what a reload starts. Every other block stays, so the instances resolve their scripts and defaults as before.
     */
    public KeepalivedConfig withOnlyInstances(List<String> names) {
        return new KeepalivedConfig(source, globalDefs, vrrpScripts,
                vrrpInstances.stream().filter(i -> names.contains(i.name())).toList(), quorum, coordinator,
                loadBalancing, syncGroups.stream().filter(g -> names.containsAll(g.members())).toList(), trackFiles,
                trackProcesses, staticRouting);
    }
}
