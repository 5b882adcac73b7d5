package io.quorumvip.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits one line of keepalived syntax into words and braces. Comments start with {@code #} or {@code !} anywhere
 * outside double quotes; {@code {} and {@code }} are tokens of their own even when they touch a word.
 */
final class LineTokenizer {

    private LineTokenizer() {
    }

    /** The line up to its comment, if any; the part kept is unchanged so columns stay true. */
    static String stripComment(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && (c == '#' || c == '!')) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    /** Tokenizes a line that has no comment left in it. */
    static List<Token> tokenize(String line, Path file, int lineNumber, int logicalLine, Diagnostics diagnostics) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '{' || c == '}') {
                Token.Kind kind = c == '{' ? Token.Kind.BLOCK_OPEN : Token.Kind.BLOCK_CLOSE;
                tokens.add(new Token(kind, String.valueOf(c), false, position(file, lineNumber, i), logicalLine));
                i++;
            } else {
                i = readWord(line, i, file, lineNumber, logicalLine, tokens, diagnostics);
            }
        }
        return tokens;
    }

    private static int readWord(String line, int start, Path file, int lineNumber, int logicalLine,
                                List<Token> tokens, Diagnostics diagnostics) {
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean everQuoted = false;
        int quoteStart = -1;
        int i = start;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '\\' && i + 1 < line.length() && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
                    word.append(line.charAt(i + 1));
                    i += 2;
                    continue;
                }
                if (c == '"') {
                    quoted = false;
                } else {
                    word.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                everQuoted = true;
                quoteStart = i;
            } else if (Character.isWhitespace(c) || c == '{' || c == '}') {
                break;
            } else {
                word.append(c);
            }
            i++;
        }
        if (quoted) {
            diagnostics.error(position(file, lineNumber, quoteStart), "unterminated quote",
                    "close the string with `\"` on the same line");
        }
        tokens.add(new Token(Token.Kind.WORD, word.toString(), everQuoted, position(file, lineNumber, start),
                logicalLine));
        return i;
    }

    private static SourcePosition position(Path file, int lineNumber, int index) {
        return new SourcePosition(file, lineNumber, index + 1);
    }
}
