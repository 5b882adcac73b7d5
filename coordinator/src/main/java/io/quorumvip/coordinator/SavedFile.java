package io.quorumvip.coordinator;

import io.quorumvip.events.Hash256;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A state the coordinator saves to start again faster: four magic bytes naming what it is, the format version, the
 * body's length and SHA-256, then the body. Written atomically; read back only when every part checks, else refused
 * with the reason, and the caller rebuilds what the file would have spared.
 */
final class SavedFile {

    private static final int HEADER = 4 + Integer.BYTES + Integer.BYTES + Hash256.LENGTH;

    private SavedFile() {
    }

    /**
     * The body of {@code file}, checked: {@code magic}, the format {@code schema}, the length and the hash.
     *
     * @throws java.nio.file.NoSuchFileException when none is saved
     * @throws IOException naming what does not check
     */
    static byte[] read(Path file, byte[] magic, int schema) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < HEADER || !Arrays.equals(bytes, 0, magic.length, magic, 0, magic.length)) {
            throw new IOException(file + " is not a saved coordinator state (expected " + HEADER
                    + " bytes or more starting with " + new String(magic, StandardCharsets.US_ASCII)
                    + ", got " + bytes.length + " bytes)");
        }
        ByteBuffer header = ByteBuffer.wrap(bytes, magic.length, HEADER - magic.length);
        int saved = header.getInt();
        if (saved != schema) {
            throw new IOException(file + ": saved state format " + saved + " (expected " + schema + ")");
        }
        int length = header.getInt();
        if (length != bytes.length - HEADER) {
            throw new IOException(file + ": body of " + (bytes.length - HEADER) + " bytes (its header says " + length
                    + "): the file was cut or extended");
        }
        byte[] expected = new byte[Hash256.LENGTH];
        header.get(expected);
        MessageDigest digest = sha256();
        digest.update(bytes, HEADER, length);
        if (!Arrays.equals(digest.digest(), expected)) {
            throw new IOException(file + ": body does not match its SHA-256 (the file was altered or damaged)");
        }
        return Arrays.copyOfRange(bytes, HEADER, bytes.length);
    }

    /**
     * Writes {@code body} atomically: a temporary file, fsynced, renamed over the old one, the directory fsynced. Not
     * for two threads at once on one file (they share the temporary file).
     */
    static void write(Path file, byte[] magic, int schema, byte[] body) throws IOException {
        Files.createDirectories(file.getParent());
        ByteBuffer bytes = ByteBuffer.allocate(HEADER + body.length);
        bytes.put(magic).putInt(schema).putInt(body.length).put(sha256().digest(body)).put(body).flip();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        try (FileChannel directory = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            directory.force(true);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256 (every Java SE runtime must)", e);
        }
    }
}
