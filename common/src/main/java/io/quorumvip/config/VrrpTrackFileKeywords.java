package io.quorumvip.config;


/** Handlers for the keywords of a top-level {@code track_file} block (or {@code vrrp_track_file}, its synonym). */
final class VrrpTrackFileKeywords {

    static final KeywordTable<Drafts.TrackFile> TABLE = KeywordTable.<Drafts.TrackFile>forBlock("vrrp_track_file")
            .keyword("file", (s, v, d) -> Values.word(s, "file \"/path/to/file\"", d).ifPresent(x -> v.file = x))
            .keyword("weight", VrrpTrackFileKeywords::weight)
            .keyword("init_file", VrrpTrackFileKeywords::initFile)
            .validElsewhere(KeepalivedKeywords.TOP_LEVEL_SUPPORTED)
            .build();

    private VrrpTrackFileKeywords() {
    }

    private static void weight(Statement s, Drafts.TrackFile v, Diagnostics d) {
        VrrpScriptKeywords.trackerWeight(s, VrrpTrackFile.MAX_WEIGHT, d).ifPresent(x -> {
            v.weight = x.weight();
            v.reverse = x.reverse();
        });
    }

    /** {@code init_file [VALUE] [overwrite]}: VALUE defaults to 0, as in keepalived. */
    private static void initFile(Statement s, Drafts.TrackFile v, Diagnostics d) {
        if (!Values.arguments(s, 0, 2, "init_file [VALUE] [overwrite]", d)) {
            return;
        }
        long value = 0;
        boolean overwrite = false;
        for (Token arg : s.arguments()) {
            if (arg.text().equals("overwrite")) {
                overwrite = true;
            } else if (arg.text().matches("[-+]?\\d{1,10}")) {
                value = Long.parseLong(arg.text());
            } else {
                d.error(arg.position(), "init_file " + arg.text() + " is neither a whole number nor `overwrite`",
                        "write `init_file 0` or `init_file 0 overwrite`");
                return;
            }
        }
        v.initValue = value;
        v.initOverwrite = overwrite;
    }
}
