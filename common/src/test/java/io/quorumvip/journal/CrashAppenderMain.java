package io.quorumvip.journal;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;

/**
 * Child process for the kill -9 test: appends as fast as it can and prints each sequence number once the journal
 * reports it durable. The parent kills it with SIGKILL and checks every printed number survived.
 */
public final class CrashAppenderMain {

    private CrashAppenderMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: CrashAppenderMain JOURNAL_DIR");
            System.exit(2);
        }
        PrintStream out = System.out;
        Semaphore window = new Semaphore(4096);
        try (Journal journal = Journal.open(JournalConfig.of(Path.of(args[0]), "node-11").withSegmentBytes(256 * 1024))) {
            out.println("ready");
            for (long i = 0; ; i++) {
                window.acquire();
                journal.append(JournalFixtures.draft(i)).whenComplete((record, error) -> {
                    window.release();
                    if (error == null) {
                        out.println(record.seq());
                    }
                });
            }
        }
    }
}
