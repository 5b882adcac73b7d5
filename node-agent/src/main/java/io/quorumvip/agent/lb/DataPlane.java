package io.quorumvip.agent.lb;

import io.quorumvip.agent.net.NetlinkErrorException;
import io.quorumvip.agent.net.NftCounterDump;
import io.quorumvip.agent.net.NftElementBatch;
import io.quorumvip.agent.net.NftElementWriter;
import io.quorumvip.agent.nft.Libnftables;
import io.quorumvip.agent.nft.NftablesException;
import io.quorumvip.lb.ElementChange;
import io.quorumvip.lb.LvsStats;
import io.quorumvip.lb.NftProgram;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Where the nftables program goes (one libnftables JSON document is one atomic transaction) and where its counters
 * are read back from.
 */
public interface DataPlane extends AutoCloseable {

    void apply(String document) throws NftablesException;

    /**
     * Applies element changes of the owned tables ({@link NftProgram#elementChanges}) as one transaction, by
     * default as their libnftables document.
     *
     * @throws NftablesException the kernel refused the change
     */
    default void applyElements(List<ElementChange> changes) throws NftablesException {
        apply(NftProgram.elementDocument(changes));
    }

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
     * just the counter objects ({@link NftCounterDump}: libnftables would list every set element first), and element
     * changes through one nf_tables netlink batch ({@link NftElementWriter}: libnftables would read every element of
     * the table first, most of a pool change's cost). An element change too large for one batch, or one the socket
     * fails to carry, goes through libnftables; one the kernel refuses is refused.
     */
    static DataPlane libnftables() throws NftablesException {
        Libnftables nft = Libnftables.open();
        NftCounterDump reader;
        NftElementWriter writer;
        try {
            reader = NftCounterDump.open();
        } catch (IOException e) {
            nft.close();
            throw new NftablesException("cannot open a netfilter netlink socket to read counters: "
                    + e.getMessage(), "");
        }
        try {
            writer = NftElementWriter.open();
        } catch (IOException e) {
            reader.close();
            nft.close();
            throw new NftablesException("cannot open a netfilter netlink socket to write set elements: "
                    + e.getMessage(), "");
        }
        return new DataPlane() {
            @Override
            public void apply(String document) throws NftablesException {
                nft.run(document);
            }

            @Override
            public void applyElements(List<ElementChange> changes) throws NftablesException {
                if (NftElementBatch.estimate(NftProgram.TABLE, changes) > NftElementBatch.MAX_BYTES) {
                    nft.run(NftProgram.elementDocument(changes));
                    return;
                }
                try {
                    writer.apply(NftProgram.TABLE, changes);
                } catch (NetlinkErrorException refused) {
                    throw new NftablesException(refused.getMessage(), "");
                } catch (IOException e) {
                    LoggerFactory.getLogger(DataPlane.class).atWarn()
                            .setMessage("the nf_tables netlink batch failed; the change goes through libnftables")
                            .addKeyValue("error", e.getMessage()).log();
                    nft.run(NftProgram.elementDocument(changes));
                }
            }

            @Override
            public Map<String, LvsStats.Counter> counters(String family) throws IOException {
                return reader.counters(family, NftProgram.TABLE);
            }

            @Override
            public void close() {
                writer.close();
                reader.close();
                nft.close();
            }
        };
    }
}
