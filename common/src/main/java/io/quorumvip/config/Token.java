package io.quorumvip.config;

/**
 * One word or brace of keepalived syntax.
 *
 * @param quoted      the word was (partly) written in double quotes, so it is never a brace or a keyword
 * @param logicalLine counts the lines the lexer produced; arguments of a keyword are the words on the same logical
 *                    line (a multi-line parameter expansion yields several logical lines at one source line)
 */
record Token(Kind kind, String text, boolean quoted, SourcePosition position, int logicalLine) {

    enum Kind { WORD, BLOCK_OPEN, BLOCK_CLOSE }

    boolean isWord() {
        return kind == Kind.WORD;
    }
}
