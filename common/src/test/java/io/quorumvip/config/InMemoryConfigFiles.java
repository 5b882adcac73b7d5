package io.quorumvip.config;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Files held in memory as bytes and decoded like local ones, so thousands of generated configurations need no disk. */
record InMemoryConfigFiles(Map<Path, byte[]> files) implements ConfigFiles {

    @Override
    public List<String> readLines(Path file) throws IOException {
        byte[] bytes = files.get(file.normalize());
        if (bytes == null) {
            throw new NoSuchFileException(file.toString());
        }
        return ConfigText.lines(bytes);
    }

    @Override
    public List<Path> glob(Path pattern) {
        return List.of(pattern);
    }

    @Override
    public Path canonical(Path file) {
        return file.normalize();
    }
}
