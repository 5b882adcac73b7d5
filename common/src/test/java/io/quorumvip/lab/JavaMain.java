package io.quorumvip.lab;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A Java main class to run in a lab namespace: by default on the test's own classpath and JVM. */
public record JavaMain(String mainClass, List<String> args, String classpath, List<String> jvmOptions) {

    /** Small heap and C1 only: several JVMs share a 2-core machine during the lab tests. */
    public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xms16m", "-Xmx64m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1", "-Xss512k");

    public JavaMain {
        args = List.copyOf(args);
        jvmOptions = List.copyOf(jvmOptions);
    }

    public static JavaMain of(String mainClass, String... args) {
        return new JavaMain(mainClass, List.of(args), testClasspath(), DEFAULT_JVM_OPTIONS);
    }

    public JavaMain withClasspath(String newClasspath) {
        return new JavaMain(mainClass, args, newClasspath, jvmOptions);
    }

    public JavaMain withJvmOptions(String... options) {
        return new JavaMain(mainClass, args, classpath, List.of(options));
    }

    List<String> command() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(args);
        return command;
    }

    /** Surefire runs tests from a manifest-only jar; the real classpath is in its own property. */
    private static String testClasspath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }
}
