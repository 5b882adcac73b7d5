package io.quorumvip.agent.lb;

import io.quorumvip.agent.net.NftCounterDump;
import io.quorumvip.agent.nft.Libnftables;
import io.quorumvip.agent.nft.NftablesException;
import io.quorumvip.lb.LvsStats;
import io.quorumvip.lb.NftProgram;
import java.io.IOException;
import java.util.Map;

/**
 * Where the nftables program goes (one libnftables JSON document is one atomic transaction) and where its counters
 * are read back from.
 */
public interface DataPlane extends AutoCloseable {

    void apply(String document) throws NftablesException;

    /**
     * The named counters of the owned table of {@code family}, by name.
     *
     * @throws IOException the counters cannot be read (the kernel refused, or answered what cannot be parsed)
     */
    Map<String, LvsStats.Counter> counters(String family) throws IOException;

    @Override
    void close();

    /**
     * The kernel's, through libnftables in this process (no fork per change); the counters through a netlink dump of
     * just the counter objects ({@link NftCounterDump}: libnftables would list every set element first).
     */
    static DataPlane libnftables() throws NftablesException {
        Libnftables nft = Libnftables.open();
        NftCounterDump reader;
        try {
            reader = NftCounterDump.open();
        } catch (IOException e) {
            nft.close();
            throw new NftablesException("cannot open a netfilter netlink socket to read counters: "
                    + e.getMessage(), "");
        }
        return new DataPlane() {
            @Override
            public void apply(String document) throws NftablesException {
                nft.run(document);
            }

            @Override
            public Map<String, LvsStats.Counter> counters(String family) throws IOException {
                return reader.counters(family, NftProgram.TABLE);
            }

            @Override
            public void close() {
                reader.close();
                nft.close();
            }
        };
    }
}
