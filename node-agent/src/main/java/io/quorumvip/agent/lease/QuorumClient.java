package io.quorumvip.agent.lease;

import io.quorumvip.config.DigestCredentials;
import io.quorumvip.config.QuorumConfig;
import io.quorumvip.instance.InstanceInput;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.curator.framework.state.SessionConnectionStateErrorPolicy;
import org.apache.curator.retry.BoundedExponentialBackoffRetry;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;

/**
 * The agent's one ZooKeeper client (Curator), shared by its session prover and the latches of all its instances,
 * which all run on one lease thread.
 *
 * <ul>
 *   <li>Session timeout S from the {@code quorum} block; ZooKeeper may negotiate it down or up within its
 *       min/max, and the keepers use the negotiated value.</li>
 *   <li>{@link SessionConnectionStateErrorPolicy}: only LOST drops latch leadership, so a ZooKeeper leader
 *       election (SUSPENDED, then RECONNECTED on the same session) does not move the VIP; safety during
 *       SUSPENDED comes from the lease validity bound, not from the connection state.</li>
 *   <li>Its ZooKeeper handles come from a {@link ServerSwitch}, so the session prover can move the session off a
 *       server that stopped answering (an isolated ensemble leader) without waiting for the client's read
 *       timeout.</li>
 *   <li>With {@code digest user:password} configured, every znode this client creates gets
 *       {@code digest:user:HASH} ALL plus world READ: anyone may look, only the cluster's credential may create or
 *       delete latch nodes. Without it, znodes are open (ZooKeeper's world ALL), which docs/lease.md warns
 *       about.</li>
 * </ul>
 */
public final class QuorumClient implements AutoCloseable {

    /** Retries of one operation end well within S: a late answer proves less and less. */
    private static final int RETRY_BASE_MS = 50;
    private static final int RETRY_MAX_MS = 400;
    private static final int RETRY_COUNT = 5;
    private static final long CLOSE_BOUND_MILLIS = 2_000;

    private final CuratorFramework curator;
    private final ServerSwitch servers;
    private final QuorumConfig config;
    private final LongSupplier monotonicNanos;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread t = new Thread(runnable, "qvip-lease");
        t.setDaemon(true);
        return t;
    });

    private QuorumClient(CuratorFramework curator, ServerSwitch servers, QuorumConfig config,
                         LongSupplier monotonicNanos) {
        this.curator = curator;
        this.servers = servers;
        this.config = config;
        this.monotonicNanos = monotonicNanos;
    }

    /** Starts connecting in the background; the prover and latches may be created at once. */
    public static QuorumClient start(QuorumConfig config) {
        return start(config, System::nanoTime);
    }

    static QuorumClient start(QuorumConfig config, LongSupplier monotonicNanos) {
        int sessionMs = Math.toIntExact(config.sessionTimeout().toMillis());
        ZooKeeperTlsDefaults.initialize();
        ServerSwitch servers = new ServerSwitch();
        CuratorFrameworkFactory.Builder builder = CuratorFrameworkFactory.builder()
                .connectString(config.connectString())
                .zookeeperFactory(servers)
                .sessionTimeoutMs(sessionMs)
                .connectionTimeoutMs(sessionMs)
                .retryPolicy(new BoundedExponentialBackoffRetry(RETRY_BASE_MS, RETRY_MAX_MS, RETRY_COUNT))
                .connectionStateErrorPolicy(new SessionConnectionStateErrorPolicy());
        config.digest().ifPresent(digest -> builder
                .authorization("digest", digest.authString().getBytes(StandardCharsets.UTF_8))
                .aclProvider(clusterOnly(digest)));
        CuratorFramework curator = builder.build();
        curator.start();
        return new QuorumClient(curator, servers, config, monotonicNanos);
    }

    /**
     * The latch of one VRRP instance: it lives under {@code <path>/<instance>}, and its node carries
     * {@code participantId} (the agent's node name) so operators see who holds it.
     */
    public LatchAdapter latch(String instance, String participantId, Consumer<InstanceInput> core) {
        String latchPath = config.path().equals("/") ? "/" + instance : config.path() + "/" + instance;
        return new LatchAdapter(curator, latchPath, instance, participantId, monotonicNanos, thread, core);
    }

    /** The node's one session prover, confirming every {@code period} (docs/lease.md: advert_int / 4). */
    public SessionProver prover(Duration period) {
        return new SessionProver(curator, config.path(), config.tickTime(), period, monotonicNanos, thread, servers);
    }

    /** The ACL for every znode created with {@code digest}: its identity may do anything, the world may read. */
    static List<ACL> aclFor(DigestCredentials digest) {
        try {
            Id cluster = new Id("digest", DigestAuthenticationProvider.generateDigest(digest.authString()));
            // Not List.of: ZooKeeper.create asks the list contains(null), which List.of answers with an NPE.
            return Collections.unmodifiableList(Arrays.asList(new ACL(ZooDefs.Perms.ALL, cluster),
                    new ACL(ZooDefs.Perms.READ, ZooDefs.Ids.ANYONE_ID_UNSAFE)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA1 for ZooKeeper digest ACLs: " + e.getMessage(), e);
        }
    }

    private static ACLProvider clusterOnly(DigestCredentials digest) {
        List<ACL> acl = aclFor(digest);
        return new ACLProvider() {
            @Override
            public List<ACL> getDefaultAcl() {
                return acl;
            }

            @Override
            public List<ACL> getAclForPath(String path) {
                return acl;
            }
        };
    }

    public Duration requestedSessionTimeout() {
        return config.sessionTimeout();
    }

    CuratorFramework curator() {
        return curator;
    }

    /**
     * Closes the session: ZooKeeper deletes this agent's latch nodes at once. Close the latches first; their
     * deletions get a moment on the lease thread before the session goes.
     */
    @Override
    public void close() {
        thread.shutdown();
        try {
            thread.awaitTermination(CLOSE_BOUND_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        curator.close();
    }
}
