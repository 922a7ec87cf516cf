package io.sluice.cli;

import io.sluice.engine.client.Reconnector;
import io.sluice.engine.client.RtmpClient;
import io.sluice.engine.client.RtmpUrl;
import io.sluice.engine.client.StatusEvent;
import io.sluice.engine.flv.FlvReader;
import io.sluice.engine.relay.ClientPublishSink;
import io.sluice.engine.relay.FlvPacer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code push <in.flv> <rtmp-url>}: publishes an FLV file at real-time pace (as {@code ffmpeg -re} does),
 * once or with {@code --loop}. When the server cannot take more the sender waits (the file is not a
 * live source: nothing is dropped). Ctrl-C stops it cleanly (FCUnpublish, deleteStream, close).
 */
final class PushCommand {
    private static final long HOOK_WAIT_SECONDS = 10;

    private final Cli.Options options;
    private final Progress progress;
    private final PrintStream err;
    private volatile String serverError;

    PushCommand(Cli.Options options, Progress progress, PrintStream err) {
        this.options = options;
        this.progress = progress;
        this.err = err;
    }

    int run() {
        RtmpUrl url = RtmpUrl.parse(options.url());
        String problem = checkFile();
        if (problem != null) {
            err.println("error: " + problem);
            return Cli.ERROR;
        }
        RtmpClient client;
        int streamId;
        try {
            client = RtmpClient.connect(options.url(), options.clientOptions())
                    .get(options.timeout().toMillis() * 3, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            err.println("error: " + Cli.describe(Reconnector.unwrap(e), url));
            return Cli.ERROR;
        }
        try {
            client.onStatus(this::onStatus);
            streamId = client.publish().get(options.timeout().toMillis() * 3, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            client.close();
            err.println("error: " + Cli.describe(Reconnector.unwrap(e), url));
            return Cli.ERROR;
        }
        err.println("pushing " + options.file() + " to " + url.tcUrl() + "/" + url.stream()
                + (options.loop() ? " (looped)" : ""));
        FlvPacer pacer = new FlvPacer(options.file(), options.loop(), true);
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            pacer.stop();
            try {
                finished.await(HOOK_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sluice-push-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-push-progress");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(() -> progress.print(pacer.mediaMillis(), pacer.bytes()), 1, 1, TimeUnit.SECONDS);
        try {
            pacer.run(new ClientPublishSink(client, streamId, () -> serverError));
            if (serverError != null) {
                err.println("error: " + serverError);
                return Cli.ERROR;
            }
            client.unpublish(streamId, url.stream()).get(options.timeout().toMillis(), TimeUnit.MILLISECONDS);
            progress.done(pacer.stopped() ? "stopped" : "done", pacer.mediaMillis(), pacer.bytes());
            return Cli.OK;
        } catch (IOException e) {
            err.println("error: " + (serverError != null ? serverError : e.getMessage()));
            return Cli.ERROR;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            err.println("error: " + Cli.describe(Reconnector.unwrap(e), url));
            return Cli.ERROR;
        } finally {
            ticker.shutdownNow();
            client.close();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and waits for us
            }
        }
    }

    /** A clear message if the input is not a readable FLV file, else null. */
    private String checkFile() {
        if (!Files.isRegularFile(options.file()) || !Files.isReadable(options.file())) {
            return "cannot read " + options.file();
        }
        try (FlvReader reader = FlvReader.open(options.file())) {
            if (reader.header() == null) {
                return options.file() + " is not an FLV file (too short)";
            }
        } catch (IOException e) {
            return options.file() + ": " + e.getMessage();
        }
        return null;
    }

    private void onStatus(StatusEvent e) {
        if ("error".equals(e.level())) {
            serverError = "the server sent " + e.code() + (e.description() == null || e.description().isEmpty()
                    ? "" : ": " + e.description());
        }
    }
}
