package io.quorumvip.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads a keepalived.conf (with includes, conditional lines and parameters) plus our {@code quorum} block.
 * Three steps, each pure apart from reading files: tokens, statements, then one handler per keyword and one
 * cross-field pass. Every problem is a {@link Finding}; nothing is thrown except failing to read the main file.
 */
public final class KeepalivedConfigParser {

    private KeepalivedConfigParser() {
    }

    public static ParseResult parse(Path file) throws IOException {
        return parse(file, ParseOptions.defaults());
    }

    public static ParseResult parse(Path file, ParseOptions options) throws IOException {
        Diagnostics diagnostics = new Diagnostics();
        List<Token> tokens = new ConfigLexer(options.files(), options.configId(), diagnostics).lex(file);
        List<Statement> statements = SyntaxTreeBuilder.build(tokens, diagnostics);
        Drafts.Config draft = new Drafts.Config();
        TopLevelKeywords.TABLE.dispatch(statements, draft, diagnostics);
        KeepalivedConfig config = ConfigCompleter.complete(file, draft, diagnostics);
        return new ParseResult(config, diagnostics.findings());
    }
}
