package io.quorumvip.agent.lb;

import io.quorumvip.agent.nft.Libnftables;
import io.quorumvip.agent.nft.NftablesException;

/** Where the nftables program goes: one libnftables JSON document is one atomic transaction. */
public interface DataPlane extends AutoCloseable {

    void apply(String document) throws NftablesException;

    @Override
    void close();

    /** The kernel's, through libnftables in this process (no fork per change). */
    static DataPlane libnftables() throws NftablesException {
        Libnftables nft = Libnftables.open();
        return new DataPlane() {
            @Override
            public void apply(String document) throws NftablesException {
                nft.run(document);
            }

            @Override
            public void close() {
                nft.close();
            }
        };
    }
}
