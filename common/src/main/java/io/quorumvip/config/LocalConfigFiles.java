package io.quorumvip.config;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

/** {@link ConfigFiles} on the local file system. */
final class LocalConfigFiles implements ConfigFiles {

    static final LocalConfigFiles INSTANCE = new LocalConfigFiles();

    private LocalConfigFiles() {
    }

    @Override
    public List<String> readLines(Path file) throws IOException {
        return ConfigText.lines(Files.readAllBytes(file));
    }

    @Override
    public List<Path> glob(Path pattern) throws IOException {
        int firstWild = firstWildcardComponent(pattern);
        if (firstWild < 0) {
            return List.of(pattern);
        }
        Path base = firstWild == 0 ? rootOf(pattern) : rootOf(pattern).resolve(pattern.subpath(0, firstWild));
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        int depth = pattern.getNameCount() - firstWild;
        PathMatcher matcher;
        try {
            matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        } catch (PatternSyntaxException e) {
            throw new IOException("not a valid pattern: " + e.getDescription(), e);
        }
        try (Stream<Path> walk = Files.walk(base, depth)) {
            return walk.filter(p -> p.getNameCount() == pattern.getNameCount())
                    .filter(matcher::matches)
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        }
    }

    @Override
    public Path canonical(Path file) throws IOException {
        return file.toRealPath();
    }

    private static Path rootOf(Path pattern) {
        Path root = pattern.getRoot();
        return root == null ? Path.of("") : root;
    }

    private static int firstWildcardComponent(Path pattern) {
        for (int i = 0; i < pattern.getNameCount(); i++) {
            String name = pattern.getName(i).toString();
            if (name.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{')) {
                return i;
            }
        }
        return -1;
    }
}
