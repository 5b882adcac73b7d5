package io.quorumvip.agent.lease;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.curator.utils.ZookeeperFactory;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ConnectStringParser;
import org.apache.zookeeper.client.HostProvider;
import org.apache.zookeeper.client.StaticHostProvider;
import org.apache.zookeeper.client.ZKClientConfig;

/**
 * Builds the agent's ZooKeeper handles (Curator's {@link ZookeeperFactory}) so that the session prover can move the
 * session off a silent server at once ({@link io.quorumvip.lease.SilentServer}) instead of waiting for the client's
 * read timeout.
 *
 * <p>Public API only: each handle gets its own {@link HostProvider} (ZooKeeper's {@link StaticHostProvider}, the
 * one it would make itself, wrapped). {@link ZooKeeper#updateServerList} asks the provider whether the client must
 * leave its server and, if so, closes the connection; the client then takes the provider's next server and resumes
 * the same session there (its id and password), as after any lost connection. While a move is asked for, the
 * wrapper answers "leave" for the unchanged list; any other call (Curator passes on a changed ensemble) goes to
 * ZooKeeper's provider unchanged.
 */
final class ServerSwitch implements ZookeeperFactory {

    private final AtomicReference<Handle> latest = new AtomicReference<>();

    private record Handle(ZooKeeper zooKeeper, LeavingHostProvider servers, String connectString) {
    }

    @Override
    public ZooKeeper newZooKeeper(String connectString, int sessionTimeout, Watcher watcher, boolean canBeReadOnly)
            throws IOException {
        return newZooKeeper(connectString, sessionTimeout, watcher, canBeReadOnly, new ZKClientConfig());
    }

    /**
     * A plain {@link ZooKeeper}: Curator's default factory makes a {@code ZooKeeperAdmin}, whose constructors take no
     * provider, for ensemble reconfiguration, which the agent never does.
     */
    @Override
    public ZooKeeper newZooKeeper(String connectString, int sessionTimeout, Watcher watcher, boolean canBeReadOnly,
                                  ZKClientConfig config) throws IOException {
        LeavingHostProvider servers = new LeavingHostProvider(
                new StaticHostProvider(new ConnectStringParser(connectString).getServerAddresses()));
        ZKClientConfig clientConfig = config == null ? new ZKClientConfig() : config;
        ZooKeeper zooKeeper = new ZooKeeper(connectString, sessionTimeout, watcher, canBeReadOnly, servers,
                clientConfig);
        latest.set(new Handle(zooKeeper, servers, connectString));
        return zooKeeper;
    }

    /**
     * Drops the connection of {@code zooKeeper} (the handle the prover confirms on) so that the client resumes its
     * session on the next server of its list. Returns the server left; empty when that handle is not the latest
     * one or its socket is not connected (nothing to leave: the client is already looking for a server).
     */
    Optional<InetSocketAddress> leave(ZooKeeper zooKeeper) throws IOException {
        Handle handle = latest.get();
        if (handle == null || handle.zooKeeper() != zooKeeper) {
            return Optional.empty();
        }
        return handle.servers().leave(handle.zooKeeper(), handle.connectString());
    }

    /** ZooKeeper's own provider, which answers "leave" while asked to and says which server that was. */
    private static final class LeavingHostProvider implements HostProvider {
        private final StaticHostProvider servers;
        private boolean leaving;
        private InetSocketAddress left;

        LeavingHostProvider(StaticHostProvider servers) {
            this.servers = servers;
        }

        @Override
        public int size() {
            return servers.size();
        }

        @Override
        public InetSocketAddress next(long spinDelay) {
            return servers.next(spinDelay);
        }

        @Override
        public void onConnected() {
            servers.onConnected();
        }

        /** {@code current}: the server the client's socket is connected to, null while it is not. */
        @Override
        public synchronized boolean updateServerList(Collection<InetSocketAddress> addresses,
                                                     InetSocketAddress current) {
            if (leaving) {
                left = current;
                return current != null;
            }
            return servers.updateServerList(addresses, current);
        }

        synchronized Optional<InetSocketAddress> leave(ZooKeeper zooKeeper, String connectString) throws IOException {
            leaving = true;
            left = null;
            try {
                // The same list: ZooKeeper reads its socket's server, asks the answer above, closes if "leave".
                zooKeeper.updateServerList(connectString);
            } finally {
                leaving = false;
            }
            return Optional.ofNullable(left);
        }
    }
}
