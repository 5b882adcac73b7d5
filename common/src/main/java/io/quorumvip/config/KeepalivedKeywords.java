package io.quorumvip.config;

import java.util.Set;

/**
 * keepalived's keywords that quorum-vip knows but does not implement, per block, taken from keepalived.conf(5)
 * (keepalived 2.2/2.3). They are what separates "not supported yet" (a warning) from a typo (an error).
 */
final class KeepalivedKeywords {

    private KeepalivedKeywords() {
    }

    /** Top-level blocks and keywords: LVS, BFD, static routing, sync groups, trackers, namespaces. */
    static final Set<String> TOP_LEVEL_NOT_SUPPORTED = Set.of(
            "linkbeat_interfaces", "track_group",
            "bfd_instance", "garp_group", "interface_up_down_delays", "SSL",
            "net_namespace", "net_namespace_ipvs", "namespace_with_ipsets", "instance", "use_pid_dir",
            "linkbeat_use_polling", "child_wait_time");

    /** Top-level keywords we implement; seeing one nested usually means a missing {@code }}. */
    static final Set<String> TOP_LEVEL_SUPPORTED = Set.of("global_defs", "vrrp_script", "vrrp_instance",
            "vrrp_sync_group", "quorum", "vrrp_track_file", "track_file", "vrrp_track_process", "static_ipaddress",
            "static_routes", "static_rules",
            "coordinator", "virtual_server", "virtual_server_group");

    static final Set<String> GLOBAL_DEFS_NOT_SUPPORTED = Set.of(
            "tmp_config_directory", "config_save_dir", "process_names", "process_name", "vrrp_process_name",
            "checker_process_name", "bfd_process_name", "use_symlink_paths", "set_supplementary_groups",
            "startup_script", "startup_script_timeout", "shutdown_script", "shutdown_script_timeout",
            "checker_log_all_failures",
            "no_email_faults", "vrrp_mcast_group4", "vrrp_mcast_group6", "lvs_sync_daemon",
            "lvs_timeouts", "lvs_flush", "lvs_flush_on_stop", "vrrp_garp_lower_prio_repeat",
            "vrrp_garp_lower_prio_delay", "vrrp_garp_interval", "vrrp_gna_interval", "vrrp_min_garp",
            "vrrp_garp_extra_if", "vrrp_down_timer_adverts", "vrrp_lower_prio_no_advert",
            "vrrp_higher_prio_send_advert", "v3_checksum_as_v2", "nftables", "nftables_priority",
            "nftables_counters", "nftables_ifindex", "nftables_ipvs", "nftables_ipvs_priority",
            "nftables_ipvs_start_fwmark", "vrrp_iptables", "vrrp_ipsets", "disable_local_igmp",
            "vrrp_skip_check_adv_addr", "vrrp_strict", "vrrp_notify_priority_changes",
            "max_auto_priority", "min_auto_priority_delay", "vrrp_priority", "checker_priority", "bfd_priority",
            "vrrp_no_swap", "checker_no_swap", "bfd_no_swap", "vrrp_cpu_affinity", "checker_cpu_affinity",
            "bfd_cpu_affinity", "vrrp_rt_priority", "checker_rt_priority", "bfd_rt_priority",
            "vrrp_rlimit_rttime", "checker_rlimit_rttime", "bfd_rlimit_rttime", "snmp_socket",
            "enable_snmp_vrrp", "enable_snmp_checker", "enable_snmp_rfc", "enable_snmp_rfcv2",
            "enable_snmp_rfcv3", "enable_traps", "snmp_vs_stats_update_interval",
            "snmp_rs_stats_update_interval", "enable_dbus", "dbus_service_name", "dbus_no_interface_name",
            "notify_fifo", "notify_fifo_script", "vrrp_notify_fifo",
            "vrrp_notify_fifo_script", "lvs_notify_fifo", "lvs_notify_fifo_script",
            "fifo_write_vrrp_states_on_reload", "dynamic_interfaces", "vrrp_netlink_cmd_rcv_bufs",
            "vrrp_netlink_cmd_rcv_bufs_force", "vrrp_netlink_monitor_rcv_bufs",
            "vrrp_netlink_monitor_rcv_bufs_force", "lvs_netlink_cmd_rcv_bufs", "lvs_netlink_cmd_rcv_bufs_force",
            "lvs_netlink_monitor_rcv_bufs", "lvs_netlink_monitor_rcv_bufs_force", "process_monitor_rcv_bufs",
            "process_monitor_rcv_bufs_force", "vrrp_rx_bufs_policy", "vrrp_rx_bufs_multiplier",
            "rs_init_notifies", "no_checker_emails", "umask", "vrrp_startup_delay", "vrrp_delay_after_boot",
            "log_unknown_vrids", "vmac_prefix", "vmac_addr_prefix", "random_seed", "reload_check_config",
            "include_check", "reload_time_file", "reload_repeat", "reload_file", "data_use_instance",
            "state_file_location", "stats_file_location", "json_file_location", "json_version",
            "iproute_usr_dir", "iproute_etc_dir", "net_namespace", "net_namespace_ipvs", "namespace_with_ipsets",
            "instance", "use_pid_dir", "linkbeat_use_polling", "child_wait_time", "lvs_id", "lvs_process_name",
            "vrrp_vmac_garp_intvl", // read by keepalived 2.2.7, not in its man page
            // Older spellings keepalived 2.2 still reads as the keyword after the arrow:
            "enable_snmp_keepalived", // -> enable_snmp_vrrp
            "lvs_flush_onstop", // -> lvs_flush_on_stop
            "vrrp_rlimit_rtime", "checker_rlimit_rtime", "bfd_rlimit_rtime"); // -> *_rlimit_rttime

    static final Set<String> VRRP_INSTANCE_NOT_SUPPORTED = Set.of(
            "vrf", "use_vmac_addr", "use_ipvlan",
            "track_bfd", "mcast_dst_ip", "track_src_ip",
            "unicast_fault_no_peer", "unicast_ttl", "old_unicast_checksum", "v3_checksum_as_v2",
            "garp_lower_prio_delay", "garp_lower_prio_repeat", "garp_extra_if", "down_timer_adverts",
            "timer_expired_backup", "lower_prio_no_advert", "higher_prio_send_advert", "auth_hmac",
            "no_virtual_ipaddress", "promote_secondaries", "accept",
            "no_accept", "skip_check_adv_addr", "strict_mode", "notify_master_rx_lower_pri",
            "notify_priority_changes", "notify_deleted", "kernel_rx_buf_size", "linkbeat_use_polling",
            "lvs_sync_daemon_interface",
            // keepalived 1.x spellings found in many real files; 2.2 logs them as unknown and carries on:
            "lvs_sync_daemon_inteface", "vrrp_track_file");

    static final Set<String> VRRP_SCRIPT_NOT_SUPPORTED = Set.of("init_fail");

    /** Options of a virtual_ipaddress line beyond dev, label, brd and scope. */
    static final Set<String> VIP_OPTIONS_NOT_SUPPORTED = Set.of(
            "peer", "home", "-nodad", "mngtmpaddr", "noprefixroute", "autojoin", "no_track", "preferred_lft",
            "use_vmac", "track_group");

    /** Those of {@link #VIP_OPTIONS_NOT_SUPPORTED} that are followed by a value. */
    static final Set<String> VIP_OPTIONS_WITH_VALUE = Set.of("peer", "preferred_lft", "track_group");
}
