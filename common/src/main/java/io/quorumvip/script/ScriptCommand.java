package io.quorumvip.script;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Splits a configured script line into program and arguments the way keepalived does: on blanks, with single or
 * double quotes grouping words and a backslash escaping the next character. No shell is involved, so the operator's
 * line means the same thing it meant under keepalived.
 */
public final class ScriptCommand {

    private ScriptCommand() {
    }

    /**
     * {@code argv} run as {@code runAs} ({@code USER [GROUP]}, keepalived's words after a script; the group defaults
     * to the user's) with runuser, or unchanged when empty: the agent's own user.
     */
    public static List<String> asUser(List<String> argv, Optional<String> runAs) {
        if (runAs.isEmpty()) {
            return argv;
        }
        String[] userGroup = runAs.get().trim().split("\\s+");
        List<String> command = new ArrayList<>(List.of("runuser", "-u", userGroup[0]));
        if (userGroup.length > 1) {
            command.addAll(List.of("-g", userGroup[1]));
        }
        command.add("--");
        command.addAll(argv);
        return List.copyOf(command);
    }

    public static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length() && quote != '\'') {
                word.append(line.charAt(++i));
                inWord = true;
            } else if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("script line has an unclosed " + quote + " quote: " + line);
        }
        if (inWord) {
            words.add(word.toString());
        }
        if (words.isEmpty()) {
            throw new IllegalArgumentException("script line is empty (expected a program and its arguments)");
        }
        return List.copyOf(words);
    }
}
