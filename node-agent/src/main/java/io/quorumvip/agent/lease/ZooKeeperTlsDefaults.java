package io.quorumvip.agent.lease;

import java.security.Provider;
import java.security.Security;
import java.util.Arrays;
import java.util.List;
import org.apache.zookeeper.client.ZKClientConfig;

/**
 * Lets ZooKeeper's client set up its TLS defaults without the JDK's TLS provider. Every ZooKeeper handle builds a
 * client config, whose first one initializes {@code org.apache.zookeeper.common.X509Util}; that asks
 * {@code SSLContext.getDefault()} for the protocols and cipher suites it could offer, which loads the JDK's TLS
 * stack and parses its ~140 trusted CA certificates: about 900 classes and 5 MiB of a leased agent's RSS
 * (docs/benchmarks.md, "The leased agent's RSS"), for a client that speaks plain TCP (the quorum block has no TLS).
 * With SunJSSE out of the provider list for that one class initialization, the lookup fails the way X509Util expects
 * (it then offers TLSv1.2 and no cipher suite, used only by a TLS client); the provider goes back to its place at once,
 * and the JVM's default SSLContext stays uncreated, for whoever needs it first to create it complete. Done on the thread
 * that starts the agent, before anything that speaks TLS (checks, shipping) is started.
 */
final class ZooKeeperTlsDefaults {

    static final String TLS_PROVIDER = "SunJSSE";
    static final String X509_UTIL = "org.apache.zookeeper.common.X509Util";

    private ZooKeeperTlsDefaults() {
    }

    /**
     * Initializes X509Util without SunJSSE, unless ZooKeeper TLS was asked for through its system property (its
     * defaults then matter) or this JVM names its TLS provider otherwise (then X509Util is left to itself).
     */
    static void initialize() {
        if (Boolean.getBoolean(ZKClientConfig.SECURE_CLIENT)) {
            return;
        }
        List<Provider> providers = Arrays.asList(Security.getProviders());
        int position = providers.indexOf(Security.getProvider(TLS_PROVIDER)) + 1;
        if (position == 0) {
            return;
        }
        Provider tls = providers.get(position - 1);
        Security.removeProvider(TLS_PROVIDER);
        try {
            Class.forName(X509_UTIL, true, ZooKeeperTlsDefaults.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("ZooKeeper's client has no " + X509_UTIL + " (another ZooKeeper version"
                    + " in the jar?): " + e.getMessage(), e);
        } finally {
            Security.insertProviderAt(tls, position);
        }
    }
}
