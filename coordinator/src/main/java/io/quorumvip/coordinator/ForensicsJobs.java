package io.quorumvip.coordinator;

import io.quorumvip.forensics.Forensics;
import io.quorumvip.forensics.ForensicsSettings;
import io.quorumvip.forensics.JsonReport;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * {@code /v1/forensics} computed off the event loop, one at a time, so a large archive can keep one thread busy
 * and never all of the workers: each request's job is cancelled (its thread interrupted, which forensics checks)
 * when its client goes away or its deadline passes; a job still queued then never starts. The last answer is
 * cached by the number of records stored and the window, so the page asking again before anything new arrived
 * costs nothing.
 */
final class ForensicsJobs implements AutoCloseable {

    /** What a job ended with: the JSON, or why there is none. */
    sealed interface Outcome {
        record Done(String json) implements Outcome {
        }

        record Cancelled() implements Outcome {
        }

        record Failed(Throwable cause) implements Outcome {
        }
    }

    private record Cached(long version, ForensicsSettings settings, String json) {
    }

    private final ClusterStore store;
    private final Duration deadline;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "qvip-forensics");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicReference<Cached> last = new AtomicReference<>();

    ForensicsJobs(ClusterStore store, Duration deadline) {
        this.store = store;
        this.deadline = deadline;
    }

    Duration deadline() {
        return deadline;
    }

    /** The cached answer when nothing was stored since it was computed for the same window. */
    String cached(ForensicsSettings settings) {
        Cached cached = last.get();
        return cached != null && cached.version() == store.version() && cached.settings().equals(settings)
                ? cached.json() : null;
    }

    /**
     * Queues the analysis; {@code done} is called once, on the worker thread, with its outcome. Returns the job, to
     * cancel with {@code cancel(true)}.
     */
    FutureTask<String> submit(ForensicsSettings settings, Consumer<Outcome> done) {
        FutureTask<String> job = new FutureTask<>(() -> {
            long version = store.version();
            String json = JsonReport.render(Forensics.analyze(store.journals(), settings));
            last.set(new Cached(version, settings, json));
            return json;
        }) {
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
        worker.execute(job);
        return job;
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
