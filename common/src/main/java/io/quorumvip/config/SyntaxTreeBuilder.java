package io.quorumvip.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Groups tokens into statements and blocks. A statement's arguments are the words on its logical line; a
 * {@code {} after them, on the same or a later line, opens its block. Brace mistakes are reported where a person
 * would look: an unclosed block at the line where it began, an extra {@code }} at that brace.
 */
final class SyntaxTreeBuilder {

    private final List<Token> tokens;
    private final Diagnostics diagnostics;
    private int next;

    private SyntaxTreeBuilder(List<Token> tokens, Diagnostics diagnostics) {
        this.tokens = tokens;
        this.diagnostics = diagnostics;
    }

    static List<Statement> build(List<Token> tokens, Diagnostics diagnostics) {
        SyntaxTreeBuilder builder = new SyntaxTreeBuilder(tokens, diagnostics);
        List<Statement> statements = new ArrayList<>();
        while (builder.next < tokens.size()) {
            statements.addAll(builder.statementsUntilClose());
            if (builder.next < tokens.size()) {
                Token extra = tokens.get(builder.next++);
                diagnostics.error(extra.position(), "`}` without a matching `{`",
                        "remove it, or look for a block closed twice above");
            }
        }
        return List.copyOf(statements);
    }

    /** Reads statements until a {@code }} (left unconsumed) or the end of input. */
    private List<Statement> statementsUntilClose() {
        List<Statement> statements = new ArrayList<>();
        while (next < tokens.size()) {
            Token token = tokens.get(next);
            switch (token.kind()) {
                case BLOCK_CLOSE -> {
                    return statements;
                }
                case BLOCK_OPEN -> {
                    diagnostics.error(token.position(), "block `{` without a keyword before it",
                            "write the keyword that owns this block, e.g. `vrrp_instance NAME {`");
                    block(token, "{");
                }
                case WORD -> statements.add(statement());
            }
        }
        return statements;
    }

    private Statement statement() {
        Token keyword = tokens.get(next++);
        List<Token> arguments = new ArrayList<>();
        while (next < tokens.size() && tokens.get(next).isWord()
                && tokens.get(next).logicalLine() == keyword.logicalLine()) {
            arguments.add(tokens.get(next++));
        }
        Optional<Statement.Block> block = Optional.empty();
        if (next < tokens.size() && tokens.get(next).kind() == Token.Kind.BLOCK_OPEN) {
            String opener = arguments.isEmpty() ? keyword.text() : keyword.text() + " " + arguments.get(0).text();
            block = Optional.of(block(tokens.get(next), opener));
        }
        return new Statement(keyword, List.copyOf(arguments), block);
    }

    private Statement.Block block(Token open, String opener) {
        next++;
        List<Statement> statements = statementsUntilClose();
        if (next < tokens.size()) {
            next++;
        } else {
            diagnostics.error(open.position(), "block `" + opener + " {` opened at line " + open.position().line()
                            + " is never closed",
                    "add the missing `}` for the block that begins at " + open.position().file() + ":"
                            + open.position().line());
        }
        return new Statement.Block(open, List.copyOf(statements));
    }
}
