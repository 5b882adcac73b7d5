package io.quorumvip.agent.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator.ExecutionStatus;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.slf4j.event.KeyValuePair;

class LogConfiguratorTest {

    private static LoggerContext configured(Map<String, String> settings, ExecutionStatus expected) {
        LoggerContext context = new LoggerContext();
        LogConfigurator configurator = new LogConfigurator(settings::get);
        configurator.setContext(context);
        assertThat(configurator.configure(context)).isEqualTo(expected);
        return context;
    }

    @Test
    void shouldWriteOneLineWithKeyValuePairsAfterTheMessage() {
        LoggerContext context = configured(Map.of(), ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        @SuppressWarnings("unchecked")
        ConsoleAppender<ILoggingEvent> console = (ConsoleAppender<ILoggingEvent>) root.getAppender("STDOUT");
        PatternLayoutEncoder encoder = (PatternLayoutEncoder) console.getEncoder();

        LoggingEvent withPairs = new LoggingEvent("x", context.getLogger("io.quorumvip.agent.Agent"), Level.WARN,
                "lease lost", null, null);
        withPairs.setKeyValuePairs(List.of(new KeyValuePair("vip", "192.0.2.200")));
        LoggingEvent without = new LoggingEvent("x", context.getLogger("io.quorumvip.agent.Agent"), Level.INFO,
                "started", null, null);

        assertThat(new String(encoder.encode(withPairs), StandardCharsets.UTF_8))
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\S+ WARN  \\[Agent] lease lost vip=\"?192\\.0\\.2\\.200\"?\\R");
        assertThat(new String(encoder.encode(without), StandardCharsets.UTF_8)).endsWith("INFO  [Agent] started" + System.lineSeparator());
    }

    @Test
    void shouldQuietTheLibrariesAndTakeTheRootLevelFromTheSetting() {
        LoggerContext context = configured(Map.of("QVIP_LOG_LEVEL", "debug"), ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);

        assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.DEBUG);
        assertThat(context.getLogger("org.apache.zookeeper.ClientCnxn").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("org.apache.curator").getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("io.vertx.core.impl").getEffectiveLevel()).isEqualTo(Level.INFO);
        assertThat(context.getLogger("io.quorumvip.agent").getEffectiveLevel()).isEqualTo(Level.DEBUG);
    }

    @Test
    void shouldLogAtInfoWhenTheLevelIsUnsetOrNamesNoLevel() {
        assertThat(LogConfigurator.rootLevel(null)).isEqualTo(Level.INFO);
        assertThat(LogConfigurator.rootLevel(" ")).isEqualTo(Level.INFO);
        assertThat(LogConfigurator.rootLevel("LOUD")).isEqualTo(Level.INFO);
        assertThat(LogConfigurator.rootLevel(" warn ")).isEqualTo(Level.WARN);
    }

    @Test
    void shouldLeaveAnOperatorsOwnFileToLogback() {
        LoggerContext context = configured(Map.of("logback.configurationFile", "/etc/qvip/logback.xml"),
                ExecutionStatus.INVOKE_NEXT_IF_ANY);

        assertThat(context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).iteratorForAppenders().hasNext()).isFalse();
    }

    @Test
    void shouldBeFoundByLogbacksServiceLoader() {
        assertThat(ServiceLoader.load(ch.qos.logback.classic.spi.Configurator.class).stream()
                .map(provider -> provider.type().getName()).toList()).contains(LogConfigurator.class.getName());
    }
}
