package io.quorumvip.config;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the keyword handlers fill in while one file is read: mutable, local to one parse, and turned into the
 * immutable model by {@link ConfigCompleter} once everything has been seen. A null field was not written.
 */
final class Drafts {

    private Drafts() {
    }

    static final class Config {
        final Global global = new Global();
        final List<Script> scripts = new ArrayList<>();
        final List<TrackFile> trackFiles = new ArrayList<>();
        final List<TrackProcess> trackProcesses = new ArrayList<>();
        final List<VirtualIpAddress> staticAddresses = new ArrayList<>();
        final List<RouteSpec> staticRoutes = new ArrayList<>();
        final List<RuleSpec> staticRules = new ArrayList<>();
        final List<Instance> instances = new ArrayList<>();
        final List<SyncGroup> syncGroups = new ArrayList<>();
        final List<Quorum> quorums = new ArrayList<>();
        final List<Coordinator> coordinators = new ArrayList<>();
        final LbDrafts.LoadBalancing loadBalancing = new LbDrafts.LoadBalancing();
    }

    static final class Garp {
        Duration masterDelay;
        Integer masterRepeat;
        Duration masterRefresh;
        Integer masterRefreshRepeat;

        GarpSettings resolve(GarpSettings defaults) {
            return new GarpSettings(
                    masterDelay != null ? masterDelay : defaults.masterDelay(),
                    masterRepeat != null ? masterRepeat : defaults.masterRepeat(),
                    masterRefresh != null ? masterRefresh : defaults.masterRefresh(),
                    masterRefreshRepeat != null ? masterRefreshRepeat : defaults.masterRefreshRepeat());
        }
    }

    static final class Global {
        String routerId;
        SourcePosition routerIdPosition;
        final List<String> notificationEmail = new ArrayList<>();
        String notificationEmailFrom;
        SmtpServer smtpServer;
        Duration smtpConnectTimeout;
        Integer vrrpVersion;
        /** keepalived's interface for an instance that names none. */
        String defaultInterface;
        Boolean lbShareChecks;
        final Garp garp = new Garp();
        String smtpHeloName;
        Boolean smtpAlert;
        Boolean smtpAlertVrrp;
        Boolean smtpAlertChecker;
        String scriptUser;
        boolean scriptSecurity;
    }

    static final class Script {
        final String name;
        final SourcePosition position;
        String script;
        Duration interval;
        Duration timeout;
        Integer weight;
        boolean reverse;
        Integer rise;
        Integer fall;
        String user;

        Script(String name, SourcePosition position) {
            this.name = name;
            this.position = position;
        }
    }

    static final class TrackFile {
        final String name;
        final SourcePosition position;
        String file;
        Integer weight;
        boolean reverse;
        Long initValue;
        boolean initOverwrite;

        TrackFile(String name, SourcePosition position) {
            this.name = name;
            this.position = position;
        }
    }

    static final class TrackProcess {
        final String name;
        final SourcePosition position;
        String process;
        List<String> parameters = List.of();
        String paramMatch;
        Integer weight;
        boolean reverse;
        Integer quorum;
        Integer quorumMax;
        Duration forkDelay;
        Duration terminateDelay;
        Duration delay;
        boolean fullCommand;

        TrackProcess(String name, SourcePosition position) {
            this.name = name;
            this.position = position;
        }
    }

    static final class Authentication {
        final SourcePosition position;
        AuthType type;
        /** auth_type was written but is neither PASS nor AH: keepalived then sends no authentication. */
        boolean typeUnknown;
        String password;

        Authentication(SourcePosition position) {
            this.position = position;
        }
    }

    static final class Instance {
        final String name;
        final SourcePosition position;
        InitialState state;
        String interfaceName;
        Integer virtualRouterId;
        Integer priority;
        SourcePosition priorityPosition;
        BigDecimal advertIntervalSeconds;
        SourcePosition advertIntervalPosition;
        Integer version;
        SourcePosition versionPosition;
        Authentication authentication;
        final List<VirtualIpAddress> virtualIpAddresses = new ArrayList<>();
        final List<VirtualIpAddress> excludedVirtualIpAddresses = new ArrayList<>();
        final List<TrackedScript> trackScripts = new ArrayList<>();
        final List<TrackedInterface> trackInterfaces = new ArrayList<>();
        final List<TrackedFile> trackFiles = new ArrayList<>();
        final List<TrackedProcess> trackProcesses = new ArrayList<>();
        final List<RouteSpec> virtualRoutes = new ArrayList<>();
        final List<RuleSpec> virtualRules = new ArrayList<>();
        boolean nopreempt;
        SourcePosition nopreemptPosition;
        Duration preemptDelay;
        SourcePosition preemptDelayPosition;
        InetAddress unicastSourceIp;
        final List<InetAddress> unicastPeers = new ArrayList<>();
        InetAddress multicastSourceIp;
        final Garp garp = new Garp();
        NotifyScript notifyMaster;
        NotifyScript notifyBackup;
        NotifyScript notifyFault;
        NotifyScript notifyStop;
        NotifyScript notifyAny;
        Boolean smtpAlert;
        boolean dontTrackPrimary;
        SourcePosition nativeIpv6Position;
        SourcePosition useVmacPosition;
        String vmacName;
        SourcePosition xmitBasePosition;

        Instance(String name, SourcePosition position) {
            this.name = name;
            this.position = position;
        }
    }

    static final class SyncGroup {
        final String name;
        final SourcePosition position;
        final List<Token> members = new ArrayList<>();
        final List<TrackedScript> trackScripts = new ArrayList<>();
        final List<TrackedInterface> trackInterfaces = new ArrayList<>();
        final List<TrackedFile> trackFiles = new ArrayList<>();
        final List<TrackedProcess> trackProcesses = new ArrayList<>();
        NotifyScript notifyMaster;
        NotifyScript notifyBackup;
        NotifyScript notifyFault;
        NotifyScript notifyStop;
        NotifyScript notifyAny;
        boolean trackingWeight;

        SyncGroup(String name, SourcePosition position) {
            this.name = name;
            this.position = position;
        }
    }

    static final class Quorum {
        final SourcePosition position;
        List<ZooKeeperServer> servers;
        Duration sessionTimeout;
        Duration tickTime;
        String path;
        DigestCredentials digest;
        OnLoss onLoss;

        Quorum(SourcePosition position) {
            this.position = position;
        }
    }

    static final class Coordinator {
        final SourcePosition position;
        final List<URI> urls = new ArrayList<>();
        CoordinatorToken token;
        SourcePosition tokenPosition;

        Coordinator(SourcePosition position) {
            this.position = position;
        }
    }
}
