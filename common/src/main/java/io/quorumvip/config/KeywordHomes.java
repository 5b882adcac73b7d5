package io.quorumvip.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which block each keepalived keyword belongs to, over every block we read. A keyword found in the wrong block is
 * not a typo: keepalived logs it as unknown there and carries on, so we warn and ignore it too, instead of refusing
 * a file keepalived runs.
 */
final class KeywordHomes {

    private KeywordHomes() {
    }

    /** Built on first use, after every table exists (the tables refer to each other's keyword sets). */
    private static final class Holder {
        static final Map<String, String> HOMES = homes(List.of(TopLevelKeywords.TABLE, GlobalDefsKeywords.TABLE,
                VrrpInstanceKeywords.TABLE, VrrpScriptKeywords.TABLE, SyncGroupKeywords.TABLE, VirtualServerKeywords.TABLE,
                RealServerKeywords.TABLE));

        private static Map<String, String> homes(List<KeywordTable<?>> tables) {
            Map<String, String> homes = new LinkedHashMap<>();
            tables.forEach(table -> table.keywords().forEach(k -> homes.putIfAbsent(k, table.blockName())));
            return homes;
        }
    }

    /** The block a keyword belongs to, if it is a keyword of any block we read. */
    static Optional<String> homeOf(String keyword) {
        return Optional.ofNullable(Holder.HOMES.get(keyword));
    }
}
