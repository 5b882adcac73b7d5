package io.quorumvip.agent.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The logging set-up of the agent and the tools in its jar, in code rather than a {@code logback.xml}: reading XML
 * loads logback's Joran and the JDK's XML parser, about 400 classes and 2-3 MiB of class metadata that stay for the
 * agent's whole life (docs/benchmarks.md, "Idle footprint"). One line per event with key=value pairs after the
 * message, so people and log shippers can both read it; the ISO time stays even under systemd's journal, as logs get
 * copied around and compared across nodes. {@code QVIP_LOG_LEVEL} sets the root level (default INFO); an operator's
 * own file given with {@code -Dlogback.configurationFile} still wins.
 */
public final class LogConfigurator extends ContextAwareBase implements Configurator {

    static final String PATTERN =
            "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%logger{0}] %msg%replace( %kvp){'^ $', ''}%n";
    static final String LEVEL_VARIABLE = "QVIP_LOG_LEVEL";
    /**
     * Chatty libraries at INFO: their connection and start-up lines would drown the agent's own (pcap4j says
     * "Starting dispatch." at every drain of the capture).
     */
    static final Map<String, Level> LIBRARY_LEVELS = Map.of(
            "org.apache.zookeeper", Level.WARN,
            "org.apache.curator", Level.WARN,
            "io.netty", Level.WARN,
            "org.pcap4j", Level.WARN,
            "io.vertx", Level.INFO);

    private final UnaryOperator<String> settings;

    /** The one logback's service loader calls: settings from system properties, then the environment. */
    public LogConfigurator() {
        this(name -> {
            String property = System.getProperty(name);
            return property != null ? property : System.getenv(name);
        });
    }

    LogConfigurator(UnaryOperator<String> settings) {
        this.settings = settings;
    }

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (settings.apply("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("STDOUT");
        console.setEncoder(encoder);
        console.start();
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(rootLevel(settings.apply(LEVEL_VARIABLE)));
        root.addAppender(console);
        LIBRARY_LEVELS.forEach((name, level) -> context.getLogger(name).setLevel(level));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** INFO when unset; a value that names no level is said on stderr (logging is not up yet) and INFO is used. */
    static Level rootLevel(String value) {
        if (value == null || value.isBlank()) {
            return Level.INFO;
        }
        Level level = Level.toLevel(value.trim().toUpperCase(Locale.ROOT), null);
        if (level == null) {
            System.err.printf("%s got '%s' (expected TRACE, DEBUG, INFO, WARN, ERROR or OFF); logging at INFO%n",
                    LEVEL_VARIABLE, value);
            return Level.INFO;
        }
        return level;
    }
}
