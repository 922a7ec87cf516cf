package io.sluice.recording;

import io.sluice.engine.session.StreamNames;
import io.sluice.system.SluiceProperties;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Where recordings go: {@code <data-dir>/recordings/{app}/{stream}/{yyyy-MM-dd}/{stream}-{yyyyMMdd-HHmmss}.flv}
 * (UTC). Names are checked segment by segment, and then, as a second line of defence, every path is
 * normalized and checked to stay under the recordings directory, so no application or stream name (and
 * no path stored in the database) can reach outside it.
 */
@Component
class RecordingPaths {
    static final String DIRECTORY = "recordings";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Path dataDir;
    private final Path root;

    @Autowired
    RecordingPaths(SluiceProperties sluice) {
        this(sluice.dataDir());
    }

    RecordingPaths(Path dataDir) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.root = this.dataDir.resolve(DIRECTORY);
    }

    /** The recordings directory. */
    Path root() {
        return root;
    }

    /**
     * Why the stream {@code app/name} cannot be recorded to a file, or null. The names the engine accepts
     * ({@link StreamNames}: letters, digits and {@code - _ . ~ @ + =}, not starting with a dot, at most
     * 200 characters; apps may have several such segments, a/b) are safe as directory and file names.
     */
    static String invalidStream(String app, String name) {
        String why = StreamNames.invalidAppName(app == null ? "" : app);
        return why != null ? why : StreamNames.invalidStreamName(name == null ? "" : name);
    }

    /** A new file name for a segment of {@code app/name} starting at {@code start}; exists neither as .flv nor .part. */
    Path newSegment(String app, String name, Instant start) {
        String why = invalidStream(app, name);
        if (why != null) {
            throw new IllegalArgumentException(why);
        }
        Path dir = root;
        for (String part : app.split("/")) {
            dir = dir.resolve(part);
        }
        dir = dir.resolve(name).resolve(DAY.format(start));
        String base = name + "-" + TIME.format(start);
        Path file = dir.resolve(base + ".flv");
        for (int n = 1; Files.exists(file) || Files.exists(part(file)); n++) {
            file = dir.resolve(base + "-" + n + ".flv");
        }
        return checked(file);
    }

    /** The file's path as stored: relative to the data directory, with '/'. */
    String relative(Path file) {
        return dataDir.relativize(checked(file)).toString().replace(file.getFileSystem().getSeparator(), "/");
    }

    /** A stored path as a file, refusing anything outside the recordings directory. */
    Path resolve(String relative) {
        return checked(dataDir.resolve(relative));
    }

    static Path part(Path file) {
        return file.resolveSibling(file.getFileName() + ".part");
    }

    private Path checked(Path file) {
        Path normal = file.toAbsolutePath().normalize();
        if (!normal.startsWith(root) || normal.equals(root)) {
            throw new IllegalArgumentException("not a recording path: " + file);
        }
        return normal;
    }

    /** Deletes the file and its .part; then the directories it leaves empty, up to the recordings directory. */
    void deleteWithEmptyParents(Path file) throws IOException {
        Path checkedFile = checked(file);
        Files.deleteIfExists(checkedFile);
        Files.deleteIfExists(part(checkedFile));
        for (Path dir = checkedFile.getParent(); dir != null && dir.startsWith(root) && !dir.equals(root);
             dir = dir.getParent()) {
            try {
                Files.deleteIfExists(dir);
            } catch (DirectoryNotEmptyException e) {
                return;
            }
        }
    }
}
