package io.quorumvip.config;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A keyword with the words after it on its line, and the block that follows it if any: the shape every line of
 * keepalived.conf has, whatever it means.
 */
record Statement(Token keyword, List<Token> arguments, Optional<Block> block) {

    /** The statements between a {@code {} and its {@code }}. */
    record Block(Token open, List<Statement> statements) {
    }

    String name() {
        return keyword.text();
    }

    SourcePosition position() {
        return keyword.position();
    }

    List<String> argumentTexts() {
        return arguments.stream().map(Token::text).toList();
    }

    /**
     * This statement under the keyword it was meant to be, at the same place: handlers that look themselves up by
     * name (the checker blocks) then read a misspelt block as the one meant.
     */
    Statement readAs(String meant) {
        Token k = keyword;
        return new Statement(new Token(k.kind(), meant, k.quoted(), k.position(), k.logicalLine()), arguments, block);
    }

    /** The keyword and its arguments as written, for messages. */
    String text() {
        return arguments.isEmpty() ? name()
                : name() + " " + arguments.stream().map(Token::text).collect(Collectors.joining(" "));
    }

    /** Every word on this line and, recursively, in its block: how keepalived reads list blocks. */
    List<Token> allWords() {
        List<Token> words = new java.util.ArrayList<>();
        words.add(keyword);
        words.addAll(arguments);
        block.ifPresent(b -> b.statements().forEach(s -> words.addAll(s.allWords())));
        return words;
    }
}
