package io.sluice.recording;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File names of recordings: the layout, unique names, and no way out of the recordings directory. */
class RecordingPathsTest {
    private static final Instant T = Instant.parse("2025-06-01T23:59:58.500Z");

    @TempDir
    Path data;

    @Test
    void layoutIsAppStreamDayAndStreamWithStartTime() throws Exception {
        RecordingPaths paths = new RecordingPaths(data);
        Path file = paths.newSegment("live", "cam-1", T);
        assertThat(paths.relative(file)).isEqualTo("recordings/live/cam-1/2025-06-01/cam-1-20250601-235958.flv");
        assertThat(paths.resolve(paths.relative(file))).isEqualTo(file);
        assertThat(paths.relative(paths.newSegment("a/b", "x", T))).isEqualTo("recordings/a/b/x/2025-06-01/x-20250601-235958.flv");

        // a second file in the same second gets a counter, so does one whose .part exists
        Files.createDirectories(file.getParent());
        Files.createFile(file);
        Path second = paths.newSegment("live", "cam-1", T);
        assertThat(second.getFileName().toString()).isEqualTo("cam-1-20250601-235958-1.flv");
        Files.createFile(RecordingPaths.part(second));
        assertThat(paths.newSegment("live", "cam-1", T).getFileName().toString()).isEqualTo("cam-1-20250601-235958-2.flv");
    }

    @Test
    void namesThatCouldLeaveTheDirectoryAreRefused() {
        RecordingPaths paths = new RecordingPaths(data);
        for (String[] bad : new String[][] {{"live", ".."}, {"live", "../x"}, {"..", "x"}, {"live/..", "x"},
                {"live", "a/b"}, {"live", "a\\b"}, {"live", ".hidden"}, {"", "x"}, {"live", ""}, {"a//b", "x"},
                {"live", "x\u0000"}, {"live", "caf\u00e9"}, {"/etc", "x"}, {"live", "x".repeat(201)}}) {
            assertThat(RecordingPaths.invalidStream(bad[0], bad[1])).as("%s/%s", bad[0], bad[1]).isNotNull();
            assertThatThrownBy(() -> paths.newSegment(bad[0], bad[1], T)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(RecordingPaths.invalidStream("live", "a.b_c-d~e@f+g=h")).isNull();
        assertThat(RecordingPaths.invalidStream("live", "x/y")).contains("'/'");
        // stored paths are checked too
        assertThatThrownBy(() -> paths.resolve("recordings/../db/sluice.mv.db")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> paths.resolve("/etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> paths.resolve("recordings")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void deletingTheLastFileRemovesTheDirectoriesItLeavesEmpty() throws Exception {
        RecordingPaths paths = new RecordingPaths(data);
        Path a = paths.newSegment("live", "x", T);
        Files.createDirectories(a.getParent());
        Files.createFile(a);
        Path b = paths.newSegment("live", "y", T);
        Files.createDirectories(b.getParent());
        Files.createFile(RecordingPaths.part(b));
        paths.deleteWithEmptyParents(a);
        assertThat(data.resolve("recordings/live/x")).doesNotExist();
        assertThat(data.resolve("recordings/live")).exists();
        paths.deleteWithEmptyParents(b);
        assertThat(data.resolve("recordings/live")).doesNotExist();
        assertThat(paths.root()).exists();
    }
}
