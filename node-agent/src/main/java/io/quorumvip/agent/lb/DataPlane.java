package io.quorumvip.agent.lb;

import io.quorumvip.agent.nft.Libnftables;
import io.quorumvip.agent.nft.NftablesException;

/**
 * Where the nftables program goes (one libnftables JSON document is one atomic transaction) and where its counters
 * are read back from.
 */
public interface DataPlane extends AutoCloseable {

    void apply(String document) throws NftablesException;

    /**
     * Runs a document of list commands and returns what libnftables printed (its JSON), without the elements of sets
     * and maps: the counters are in the rules.
     */
    String read(String document) throws NftablesException;

    @Override
    void close();

    /** The kernel's, through libnftables in this process (no fork per change). */
    static DataPlane libnftables() throws NftablesException {
        Libnftables nft = Libnftables.open();
        Libnftables reader;
        try {
            reader = Libnftables.openTerse();
        } catch (NftablesException e) {
            nft.close();
            throw e;
        }
        return new DataPlane() {
            @Override
            public void apply(String document) throws NftablesException {
                nft.run(document);
            }

            @Override
            public String read(String document) throws NftablesException {
                return reader.run(document);
            }

            @Override
            public void close() {
                reader.close();
                nft.close();
            }
        };
    }
}
