package io.quorumvip.agent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The samples of one scrape of {@code /metrics} (Prometheus text format), looked up by name and labels. */
public final class MetricSamples {

    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    private record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;
    private final String text;

    private MetricSamples(List<Sample> samples, String text) {
        this.samples = samples;
        this.text = text;
    }

    public static MetricSamples parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches()) {
                throw new IllegalArgumentException("metrics line `" + line + "` (expected NAME{LABELS} VALUE)");
            }
            samples.add(new Sample(sample.group(1), labels(sample.group(2), line), Double.parseDouble(sample.group(3))));
        }
        return new MetricSamples(List.copyOf(samples), text);
    }

    /**
     * The sum of the samples of {@code name} whose labels include {@code labels} (name, value, name, value...); 0 when
     * there is none, as for a counter that was never incremented.
     */
    public double value(String name, String... labels) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (int i = 0; i + 1 < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        return samples.stream()
                .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(wanted.entrySet()))
                .mapToDouble(Sample::value)
                .sum();
    }

    @Override
    public String toString() {
        return text;
    }

    private static Map<String, String> labels(String text, String line) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (text == null) {
            return labels;
        }
        Matcher label = LABEL.matcher(text);
        int end = 0;
        while (label.find() && label.start() == end) {
            labels.put(label.group(1), label.group(2));
            end = label.end();
        }
        if (end != text.length()) {
            throw new IllegalArgumentException("metrics labels in `" + line + "` (expected name=\"value\",...)");
        }
        return labels;
    }
}
