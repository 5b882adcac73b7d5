package io.quorumvip.coordinator;

import io.quorumvip.events.EventRecord;
import io.quorumvip.forensics.Forensics;
import io.quorumvip.forensics.ForensicsSettings;
import io.quorumvip.forensics.Incident;
import io.quorumvip.forensics.Interval;
import io.quorumvip.forensics.JsonReport;
import io.quorumvip.forensics.WindowReport;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /v1/forensics} computed off the event loop, one at a time, so a large archive can keep one thread busy
 * and never all of the workers: each request's job is cancelled (its thread interrupted, which forensics checks)
 * when its client goes away or its deadline passes; a job still queued then never starts.
 *
 * <p>A window ({@code from} or {@code to} given) is answered from the {@link IncidentFollower}'s fold when it is near
 * the end of the archives: the stored entries that touch the window and the fold's tail ({@link WindowReport}), on
 * a thread of their own so they do not queue behind an analysis of everything. Otherwise, a job is the streamed analysis of {@code qvip forensics --json} ({@link Forensics#stream}) over the archives'
 * files as stored when it starts, read record by record: its memory is bounded by what is open, not by the
 * archive's size. Its JSON goes to a file in a directory of its own (a whole history's report is gigabytes), which
 * the server sends; files left there by a coordinator that was killed are removed when the next one starts; the last answer is cached by the number of records stored and the window, so the page asking
 * again before anything new arrived costs nothing. The last {@value #KEEP} answers' files are kept, so one being
 * sent while newer ones are made is not deleted under it. A start answers one window and discards it before the
 * server listens ({@link #warmUp}), so the first request does not pay for a fresh JVM's cold code.
 */
final class ForensicsJobs implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ForensicsJobs.class);
    private static final int KEEP = 4;
    private static final long WARM_UP_SPAN_MICROS = 3_600_000_000L;
    private static final long WARM_UP_GRID_MICROS = WARM_UP_SPAN_MICROS / 4;

    /** What a job ended with: the JSON's file, or why there is none. */
    sealed interface Outcome {
        record Done(Path json) implements Outcome {
        }

        record Cancelled() implements Outcome {
        }

        record Failed(Throwable cause) implements Outcome {
        }
    }

    private record Cached(long version, ForensicsSettings settings, Path json) {
    }

    private final ClusterStore store;
    private final IncidentFollower follower;
    private final Duration deadline;
    private final Path dir;
    private final ExecutorService worker = worker("qvip-forensics");
    private final ExecutorService windowWorker = worker("qvip-forensics-window");
    private final AtomicReference<Cached> last = new AtomicReference<>();
    /** The answers' files, oldest first; guarded by itself. */
    private final Deque<Path> files = new ArrayDeque<>();
    private final AtomicLong made = new AtomicLong();

    /**
     * {@code dir}: where the answers' files go; anything in it is left from an earlier run and removed.
     * {@code follower}: the fold windows are answered from.
     */
    ForensicsJobs(ClusterStore store, IncidentFollower follower, Duration deadline, Path dir) throws IOException {
        this.store = store;
        this.follower = follower;
        this.deadline = deadline;
        this.dir = dir;
        Files.createDirectories(dir);
        try (Stream<Path> left = Files.list(dir)) {
            for (Path file : left.toList()) {
                Files.delete(file);
            }
        }
    }

    Duration deadline() {
        return deadline;
    }

    /** The cached answer's file when nothing was stored since it was computed for the same window. */
    Path cached(ForensicsSettings settings) {
        Cached cached = last.get();
        return cached != null && cached.version() == store.version() && cached.settings().equals(settings)
                ? cached.json() : null;
    }

    /**
     * Queues the analysis; {@code done} is called once, on the worker thread, with its outcome. Returns the job, to
     * cancel with {@code cancel(true)}.
     */
    FutureTask<Path> submit(ForensicsSettings settings, Consumer<Outcome> done) {
        boolean windowed = settings.fromMicros() != Long.MIN_VALUE || settings.toMicros() != Long.MAX_VALUE;
        Callable<Path> analysis = () -> {
            try (ClusterStore.Snapshot snapshot = store.snapshot()) {
                Path json = analyze(snapshot, settings);
                last.set(new Cached(snapshot.version(), settings, json));
                return json;
            }
        };
        Callable<Path> work = !windowed ? analysis : () -> {
            Optional<IncidentFollower.Window> window = follower.window(settings).get();
            return window.isPresent() ? report(window.get(), settings) : analysis.call();
        };
        FutureTask<Path> job = new FutureTask<>(work) {
            @Override
            protected void done() {
                try {
                    done.accept(new Outcome.Done(get()));
                } catch (CancellationException e) {
                    done.accept(new Outcome.Cancelled());
                } catch (ExecutionException e) {
                    done.accept(e.getCause() instanceof CancellationException
                            ? new Outcome.Cancelled() : new Outcome.Failed(e.getCause()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    done.accept(new Outcome.Cancelled());
                }
            }
        };
        (windowed ? windowWorker : worker).execute(job);
        return job;
    }

    /**
     * Answers {@code window} from the fold as a request for it would be, on the windows' thread, and deletes the
     * answer. Why: a fresh JVM runs that code (the fold's tail, the store's reads, the report) interpreted and loads
     * its classes on first use, so the first window after a start took 300-500 ms where the next took 35-100. Waits
     * at most {@code bound}, then cancels it. It never falls back to the batch analysis: with the fold far behind the
     * archives there is nothing quick to warm up, so it is skipped.
     */
    WarmUp warmUp(ForensicsSettings window, Duration bound) {
        long started = System.nanoTime();
        FutureTask<Boolean> job = new FutureTask<>(() -> {
            Optional<IncidentFollower.Window> answer = follower.window(window).get();
            if (answer.isPresent()) {
                Files.delete(write(answer.get(), window));
            }
            return answer.isPresent();
        });
        try {
            windowWorker.execute(job);
            return job.get(bound.toNanos(), TimeUnit.NANOSECONDS)
                    ? new WarmUp.Answered(Duration.ofNanos(System.nanoTime() - started))
                    : new WarmUp.Skipped("the incident fold is more than " + IncidentFollower.TAIL_LIMIT
                            + " records behind the archives, or failed");
        } catch (TimeoutException e) {
            job.cancel(true);
            return new WarmUp.Stopped("not done within " + bound.toMillis() + " ms");
        } catch (RejectedExecutionException | CancellationException e) {
            return new WarmUp.Stopped("the forensics jobs were closed");
        } catch (ExecutionException e) {
            return new WarmUp.Skipped("it failed: " + e.getCause());
        } catch (InterruptedException e) {
            job.cancel(true);
            Thread.currentThread().interrupt();
            return new WarmUp.Stopped("interrupted");
        }
    }

    /**
     * The window a start warms up with ({@link #warmUp}): the page's first question, the hour up to the newest record
     * stored (its start on the page's quarter-hour grid), open-ended.
     */
    static ForensicsSettings warmUpWindow(long newestWallMicros) {
        long from = Math.floorDiv(newestWallMicros - WARM_UP_SPAN_MICROS, WARM_UP_GRID_MICROS) * WARM_UP_GRID_MICROS;
        return ForensicsSettings.DEFAULT.withWindow(from, Long.MAX_VALUE);
    }

    /** A window's report from the fold, kept among the answers' files. */
    private Path report(IncidentFollower.Window window, ForensicsSettings settings) throws IOException {
        return kept(write(window, settings));
    }

    /**
     * A window's report from the fold, written to a new file of {@link #dir}: its settled entries that touch the
     * window, then its tail's.
     */
    private Path write(IncidentFollower.Window window, ForensicsSettings settings) throws IOException {
        Path json = dir.resolve("forensics-" + made.incrementAndGet() + ".json");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(json), 1 << 16);
             WindowReport report = new WindowReport(out, settings, dir)) {
            follower.read(window.settled(), settings, report::interval, report::incident);
            window.tailIntervals().forEach(report::interval);
            window.tailIncidents().forEach(report::incident);
            report.finish(window.whole());
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(json);
            throw e;
        }
        return json;
    }

    /** Keeps {@code json} among the last {@value #KEEP} answers' files, deleting the oldest. */
    private Path kept(Path json) throws IOException {
        synchronized (files) {
            files.addLast(json);
            while (files.size() > KEEP) {
                Files.deleteIfExists(files.removeFirst());
            }
        }
        return json;
    }

    private static ExecutorService worker(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The report of {@code qvip forensics --json} over the snapshot, written to a new file of {@link #dir}. */
    private Path analyze(ClusterStore.Snapshot snapshot, ForensicsSettings settings) throws IOException {
        Path json = dir.resolve("forensics-" + made.incrementAndGet() + ".json");
        List<Iterator<EventRecord>> journals = new ArrayList<>(snapshot.journals().values());
        List<String> names = snapshot.journals().keySet().stream().map(node -> "the archive of node " + node).toList();
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(json), 1 << 16);
             JsonReport.Stream report = new JsonReport.Stream(out, settings, dir)) {
            Forensics.Summary summary = Forensics.stream(journals, names, settings, new Forensics.Listener() {
                @Override
                public void interval(Interval interval) {
                    report.interval(interval);
                }

                @Override
                public void incident(Incident incident) {
                    report.incident(incident, null);
                }
            });
            report.finish(summary, List.of());
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(json);
            throw e;
        }
        return kept(json);
    }

    /**
     * Stops the job running (waiting up to 5 s for it to see that), cancels those queued and removes the answers'
     * files.
     */
    @Override
    public void close() {
        // Jobs still queued never start; cancelled, their callers (a request, a warm-up) hear so instead of waiting.
        worker.shutdownNow().forEach(job -> ((Future<?>) job).cancel(false));
        windowWorker.shutdownNow().forEach(job -> ((Future<?>) job).cancel(false));
        try {
            if (!worker.awaitTermination(5, TimeUnit.SECONDS) || !windowWorker.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("the forensics job did not stop within 5 s; its answers stay in {} until the next start", dir);
                return;
            }
            synchronized (files) {
                for (Path file : files) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            log.warn("removing the forensics answers in {} failed", dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
