package io.quorumvip.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the load-balancing keyword handlers fill in while one file is read (see {@link Drafts}); a null field was
 * not written. {@link VirtualServerCompleter} turns them into the immutable model.
 */
final class LbDrafts {

    private LbDrafts() {
    }

    static final class LoadBalancing {
        final List<Group> groups = new ArrayList<>();
        final List<VirtualServer> virtualServers = new ArrayList<>();
    }

    static final class Group {
        final String name;
        final SourcePosition position;
        final List<VirtualService.Endpoint> endpoints = new ArrayList<>();
        final List<VirtualService.Fwmark> fwmarks = new ArrayList<>();

        Group(String name, SourcePosition position) {
            this.name = name;
            this.position = position;
        }
    }

    /** The keywords a virtual server, a real server and a checker share; the nearest one written wins. */
    static final class Timing {
        Duration delayLoop;
        Duration connectTimeout;
        Integer retry;
        Duration delayBeforeRetry;
        Duration warmup;
        Boolean alpha;
        Integer rise;
        Boolean inhibitOnFailure;
        String virtualhost;

        /** This level's values, with the parent's where this one wrote none. */
        Timing under(Timing parent) {
            Timing t = new Timing();
            t.delayLoop = delayLoop != null ? delayLoop : parent.delayLoop;
            t.connectTimeout = connectTimeout != null ? connectTimeout : parent.connectTimeout;
            t.retry = retry != null ? retry : parent.retry;
            t.delayBeforeRetry = delayBeforeRetry != null ? delayBeforeRetry : parent.delayBeforeRetry;
            t.warmup = warmup != null ? warmup : parent.warmup;
            t.alpha = alpha != null ? alpha : parent.alpha;
            t.rise = rise != null ? rise : parent.rise;
            t.inhibitOnFailure = inhibitOnFailure != null ? inhibitOnFailure : parent.inhibitOnFailure;
            t.virtualhost = virtualhost != null ? virtualhost : parent.virtualhost;
            return t;
        }
    }

    static final class VirtualServer {
        final VirtualService service;
        final SourcePosition position;
        final Timing timing = new Timing();
        L4Protocol protocol;
        LbScheduler scheduler;
        SourcePosition schedulerPosition;
        ForwardingMethod method;
        Duration persistenceTimeout;
        SourcePosition persistencePosition;
        Integer granularityPrefix;
        SourcePosition granularityPosition;
        Integer quorum;
        Integer hysteresis;
        SourcePosition hysteresisPosition;
        NotifyScript quorumUp;
        NotifyScript quorumDown;
        boolean haSuspend;
        boolean omega;
        boolean hashPort;
        Boolean smtpAlert;
        RealServer sorryServer;
        boolean sorryInhibit;
        SourcePosition expireNodestConnPosition;
        ForwardingMethod sorryMethod;
        final List<RealServer> realServers = new ArrayList<>();

        VirtualServer(VirtualService service, SourcePosition position) {
            this.service = service;
            this.position = position;
        }
    }

    static final class RealServer {
        final InetAddress address;
        final Integer port;
        final SourcePosition position;
        final Timing timing = new Timing();
        Integer weight;
        ForwardingMethod method;
        SourcePosition methodPosition;
        NotifyScript notifyUp;
        NotifyScript notifyDown;
        Boolean smtpAlert;
        final List<Checker> checkers = new ArrayList<>();

        RealServer(InetAddress address, Integer port, SourcePosition position) {
            this.address = address;
            this.port = port;
            this.position = position;
        }
    }

    /** Where to connect from and to; SMTP_CHECK's {@code host} blocks each add one. */
    static final class Target {
        InetAddress connectIp;
        Integer connectPort;
        InetAddress bindTo;
        Integer bindPort;
        String bindInterface;
        Long fwmark;
        boolean closeWithReset;
        boolean untracked;
    }

    static final class Url {
        final SourcePosition position;
        String path;
        String digest;
        final List<HttpUrl.StatusCodeRange> statusCodes = new ArrayList<>();
        String virtualhost;
        String regex;
        boolean regexNoMatch;

        Url(SourcePosition position) {
            this.position = position;
        }
    }

    static final class Checker {
        final String keyword;
        final SourcePosition position;
        final Timing timing = new Timing();
        final Target target = new Target();
        final List<Target> hosts = new ArrayList<>();
        final List<Url> urls = new ArrayList<>();
        String httpProtocol;
        boolean fastRecovery;
        boolean sni;
        String miscPath;
        Duration miscTimeout;
        boolean miscDynamic;
        String user;
        String heloName;
        String dnsType;
        String dnsName;
        byte[] payload;
        boolean requireReply;
        String replyPattern;
        Integer minReplyLength;
        Integer maxReplyLength;
        String trackFile;
        boolean fileDynamic;
        Integer fileWeight;
        boolean fileReverse;

        Checker(String keyword, SourcePosition position) {
            this.keyword = keyword;
            this.position = position;
        }
    }
}
