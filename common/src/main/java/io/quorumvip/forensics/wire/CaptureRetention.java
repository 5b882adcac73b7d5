package io.quorumvip.forensics.wire;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which of an agent's rolling capture files to delete, like the journal's retention: the oldest go while the files
 * together exceed the size bound, and any whose frames are all older than the age bound. The newest file (being
 * written) always stays. Pure: the caller lists the files and deletes.
 */
public final class CaptureRetention {

    private CaptureRetention() {
    }

    /**
     * @param files        one capture's files, oldest first
     * @param nowMicros    the wall clock now, µs since 1970
     * @param maxBytes     the most all files together may hold
     * @param maxAgeMicros how old a file's newest frame may be; a file's frames end where the next file starts
     * @return the files to delete, oldest first
     */
    public static List<Path> expired(List<CaptureFile> files, long nowMicros, long maxBytes, long maxAgeMicros) {
        long total = files.stream().mapToLong(CaptureFile::bytes).sum();
        List<Path> delete = new ArrayList<>();
        for (int i = 0; i < files.size() - 1; i++) {
            boolean tooOld = nowMicros - files.get(i + 1).startMicros() > maxAgeMicros;
            if (!tooOld && total <= maxBytes) {
                break;
            }
            delete.add(files.get(i).path());
            total -= files.get(i).bytes();
        }
        return delete;
    }

    /**
     * One capture file.
     *
     * @param path        where it is
     * @param startMicros when it was opened (from its name, {@link PcapFiles#startMicros})
     * @param bytes       its size
     */
    public record CaptureFile(Path path, long startMicros, long bytes) {
    }
}
