package io.sluice.relay;

import io.sluice.engine.RtmpServer;
import io.sluice.engine.client.Reconnector;
import io.sluice.engine.client.RtmpClient;
import io.sluice.engine.flv.FlvReader;
import io.sluice.engine.flv.FlvTag;
import io.sluice.engine.relay.FilePublisher;
import io.sluice.engine.stream.AlreadyPublishingException;
import io.sluice.engine.stream.StreamKey;
import io.sluice.relay.RelayDtos.FilePublishRequest;
import io.sluice.relay.RelayDtos.FilePublishView;
import io.sluice.system.SluiceProperties;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Server-side FLV files published as live streams at real-time pace ({@link FilePublisher}). Only
 * files inside the data directory can be published.
 */
@Service
public class FilePublishService {
    private static final Logger log = LoggerFactory.getLogger(FilePublishService.class);
    private static final long START_TIMEOUT_SECONDS = 10;

    private final RtmpServer server;
    private final Path dataDir;
    private final Map<StreamKey, FilePublisher> publishes = new ConcurrentHashMap<>();

    FilePublishService(RtmpServer server, SluiceProperties properties) {
        this.server = server;
        this.dataDir = properties.dataDir().toAbsolutePath().normalize();
    }

    public FilePublishView start(String app, String name, FilePublishRequest body) {
        Path file = resolve(body.path());
        StreamKey key = new StreamKey(app, name);
        FilePublisher current = publishes.get(key);
        if (current != null && !current.done().isDone()) {
            throw RelayProblem.conflict("A file is already being published as " + key + ".");
        }
        boolean loop = body.loop() != null && body.loop();
        FilePublisher publisher = new FilePublisher(server.streams(), key, file, loop, "file " + file.getFileName());
        try {
            publisher.start(RtmpClient.nextExecutor()).get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw RelayProblem.conflict("Interrupted while starting.");
        } catch (Exception e) {
            Throwable cause = Reconnector.unwrap(e);
            if (cause instanceof AlreadyPublishingException) {
                throw RelayProblem.conflict("Stream " + key + " is already live.");
            }
            throw RelayProblem.conflict("Could not publish " + key + ": " + cause.getMessage());
        }
        publishes.put(key, publisher);
        log.info("publishing {} as {}{}", dataDir.relativize(file), key, loop ? " (looped)" : "");
        return view(publisher);
    }

    public FilePublishView get(String app, String name) {
        FilePublisher p = publishes.get(new StreamKey(app, name));
        if (p == null) {
            throw RelayProblem.notFound("No file was published as " + app + "/" + name + ".");
        }
        return view(p);
    }

    public FilePublishView stop(String app, String name) {
        FilePublisher p = publishes.get(new StreamKey(app, name));
        if (p == null) {
            throw RelayProblem.notFound("No file was published as " + app + "/" + name + ".");
        }
        p.stop();
        try {
            p.done().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the status below says where it is
        }
        return view(p);
    }

    /** {@code relative} inside the data directory, an FLV file; else a 400 naming the problem. */
    private Path resolve(String relative) {
        Path file;
        try {
            file = dataDir.resolve(relative.trim()).normalize();
        } catch (RuntimeException e) {
            throw RelayProblem.invalid("path", "is not a valid path");
        }
        if (!file.startsWith(dataDir)) {
            throw RelayProblem.invalid("path", "must be inside the data directory");
        }
        try {
            if (!Files.isRegularFile(file) || !file.toRealPath().startsWith(dataDir.toRealPath())) {
                throw RelayProblem.invalid("path", "is not a file in the data directory");
            }
        } catch (IOException e) {
            throw RelayProblem.invalid("path", "is not a file in the data directory");
        }
        try (FlvReader reader = FlvReader.open(file)) {
            FlvTag first = reader.header() == null ? null : reader.next();
            if (first == null) {
                throw RelayProblem.invalid("path", "is not an FLV file with tags");
            }
            first.release();
        } catch (IOException | RuntimeException e) {
            if (e instanceof RelayProblem problem) {
                throw problem;
            }
            throw RelayProblem.invalid("path", "is not a readable FLV file (" + e.getMessage() + ")");
        }
        return file;
    }

    private FilePublishView view(FilePublisher p) {
        FilePublisher.Status s = p.status();
        String path = s.file().startsWith(dataDir) ? dataDir.relativize(s.file()).toString() : s.file().toString();
        return new FilePublishView(s.key().app(), s.key().name(), path, s.loop(), s.state(), s.startedAt(),
                s.mediaMillis(), s.loops(), s.bytes(), s.error());
    }

    @PreDestroy
    void shutdown() {
        publishes.values().forEach(FilePublisher::stop);
    }
}
