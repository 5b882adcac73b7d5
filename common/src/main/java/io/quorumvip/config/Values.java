package io.quorumvip.config;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/** Reads and checks keyword arguments; every failure becomes an ERROR naming keyword, value and what is expected. */
final class Values {

    private static final Set<String> TRUE_WORDS = Set.of("on", "true", "yes");
    private static final Set<String> FALSE_WORDS = Set.of("off", "false", "no");

    private Values() {
    }

    /**
     * Checks the argument count of a keepalived keyword and that no block follows; {@code usage} is shown in the
     * hint. Words beyond {@code max} are ignored with a warning, as keepalived ignores them (it reads the words it
     * needs and never looks at the rest); callers read only the first {@code max}.
     */
    static boolean arguments(Statement s, int min, int max, String usage, Diagnostics d) {
        return arguments(s, min, max, usage, false, d);
    }

    /** {@link #arguments} for our own blocks (quorum, coordinator): extra words are an error, nothing is guessed. */
    static boolean exactArguments(Statement s, int min, int max, String usage, Diagnostics d) {
        return arguments(s, min, max, usage, true, d);
    }

    private static boolean arguments(Statement s, int min, int max, String usage, boolean exact, Diagnostics d) {
        boolean ok = noBlock(s, d);
        int count = s.arguments().size();
        if (count < min) {
            d.error(s.position(), "`" + s.name() + "` needs " + (min == 1 ? "a value" : min + " values"),
                    "write `" + usage + "`");
            return false;
        }
        if (count > max) {
            Token extra = s.arguments().get(max);
            String takes = "`" + s.name() + "` takes " + (max == 0 ? "no value" : "at most " + max
                    + (max == 1 ? " value" : " values")) + ", got " + count + ": `" + s.text() + "`";
            if (exact) {
                d.error(extra.position(), takes, "write `" + usage + "`");
                return false;
            }
            d.warning(extra.position(), takes + "; the rest is ignored, as keepalived does",
                    "write `" + usage + "`");
        }
        return ok;
    }

    static boolean noBlock(Statement s, Diagnostics d) {
        if (s.block().isPresent()) {
            d.error(s.block().get().open().position(), "`" + s.name() + "` does not take a block",
                    "remove the `{ ... }` after it");
            return false;
        }
        return true;
    }

    /** The block of a keyword that needs one, after checking the argument count. */
    static Optional<Statement.Block> block(Statement s, int arguments, String usage, Diagnostics d) {
        if (s.block().isEmpty()) {
            d.error(s.position(), "`" + s.name() + "` needs a block", "write `" + usage + "`");
            return Optional.empty();
        }
        if (s.arguments().size() != arguments) {
            d.error(s.position(), "`" + s.name() + "` takes " + (arguments == 0 ? "no name" : "exactly one name")
                    + " before its block, got `" + s.text() + "`", "write `" + usage + "`");
        }
        return s.block();
    }

    static Optional<String> word(Statement s, String usage, Diagnostics d) {
        return arguments(s, 1, 1, usage, d) ? Optional.of(s.arguments().get(0).text()) : Optional.empty();
    }

    /** {@link #word} for our own blocks: exactly one word. */
    static Optional<String> exactWord(Statement s, String usage, Diagnostics d) {
        return exactArguments(s, 1, 1, usage, d) ? Optional.of(s.arguments().get(0).text()) : Optional.empty();
    }

    static OptionalInt integer(Statement s, int min, int max, Diagnostics d) {
        if (!arguments(s, 1, 1, s.name() + " " + min + ".." + max, d)) {
            return OptionalInt.empty();
        }
        return integer(s.name(), s.arguments().get(0), min, max, d);
    }

    /** An integer in min..max written as plain decimal digits with an optional sign. */
    static OptionalInt integer(String keyword, Token value, int min, int max, Diagnostics d) {
        String text = value.text();
        if (!text.matches("[-+]?\\d{1,10}")) {
            d.error(value.position(), keyword + " " + text + " is not a whole number (expected " + min + ".."
                    + max + ")", "write a number like `" + Math.max(min, Math.min(max, 1)) + "`");
            return OptionalInt.empty();
        }
        long number = Long.parseLong(text);
        if (number < min || number > max) {
            d.error(value.position(), keyword + " " + text + " is out of range (expected " + min + ".." + max + ")",
                    "use a value from " + min + " to " + max);
            return OptionalInt.empty();
        }
        return OptionalInt.of((int) number);
    }

    /**
     * A non-negative decimal number of seconds with at most {@code decimals} digits after the point, in min..max.
     */
    static Optional<BigDecimal> seconds(String keyword, Token value, BigDecimal min, BigDecimal max, int decimals,
                                        Diagnostics d) {
        String text = value.text();
        String range = "expected " + min.toPlainString() + ".." + max.toPlainString() + " seconds";
        if (!text.matches("\\d{1,9}(\\.\\d+)?|\\.\\d+")) {
            d.error(value.position(), keyword + " " + text + " is not a number of seconds (" + range + ")",
                    "write seconds like `1` or `0.5`");
            return Optional.empty();
        }
        BigDecimal number = new BigDecimal(text);
        if (number.stripTrailingZeros().scale() > decimals) {
            d.error(value.position(), keyword + " " + text + " is finer than "
                            + BigDecimal.ONE.movePointLeft(decimals).toPlainString() + " s (" + range + ")",
                    "round it to " + decimals + (decimals == 1 ? " decimal" : " decimals"));
            return Optional.empty();
        }
        if (number.compareTo(min) < 0 || number.compareTo(max) > 0) {
            d.error(value.position(), keyword + " " + text + " is out of range (" + range + ")",
                    "use a value from " + min.toPlainString() + " to " + max.toPlainString());
            return Optional.empty();
        }
        return Optional.of(number);
    }

    static Optional<Duration> duration(Statement s, BigDecimal min, BigDecimal max, int decimals, Diagnostics d) {
        if (!arguments(s, 1, 1, s.name() + " SECONDS", d)) {
            return Optional.empty();
        }
        return seconds(s.name(), s.arguments().get(0), min, max, decimals, d).map(Values::toDuration);
    }

    static Duration toDuration(BigDecimal seconds) {
        return Duration.ofNanos(seconds.movePointRight(9).longValueExact());
    }

    /** keepalived's {@code <BOOL>}: absent means true. */
    static Optional<Boolean> optionalBoolean(Statement s, Diagnostics d) {
        if (!arguments(s, 0, 1, s.name() + " [on|off|true|false|yes|no]", d)) {
            return Optional.empty();
        }
        if (s.arguments().isEmpty()) {
            return Optional.of(true);
        }
        Token value = s.arguments().get(0);
        String word = value.text().toLowerCase(java.util.Locale.ROOT);
        if (TRUE_WORDS.contains(word)) {
            return Optional.of(true);
        }
        if (FALSE_WORDS.contains(word)) {
            return Optional.of(false);
        }
        // keepalived logs "Invalid ... parameter" and leaves the setting as it was; so do we.
        d.warning(value.position(), s.name() + " " + value.text() + " is not a boolean (expected on|off|true|false|"
                + "yes|no); it is ignored, as keepalived does", "write `" + s.name() + "` alone for on");
        return Optional.empty();
    }

    static Optional<InetAddress> address(String keyword, Token value, Diagnostics d) {
        Optional<InetAddress> address = IpAddresses.parse(value.text());
        if (address.isEmpty()) {
            d.error(value.position(), keyword + " " + value.text() + " is not an IP address (expected an IPv4 "
                    + "address like 192.0.2.10 or an IPv6 address)", "host names are not accepted here");
        }
        return address;
    }

    static Optional<InetAddress> address(Statement s, Diagnostics d) {
        return arguments(s, 1, 1, s.name() + " ADDRESS", d)
                ? address(s.name(), s.arguments().get(0), d) : Optional.empty();
    }
}
