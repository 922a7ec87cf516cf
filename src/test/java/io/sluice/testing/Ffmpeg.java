package io.sluice.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts ffmpeg publishing a test pattern; skips the test when ffmpeg is not installed. */
public final class Ffmpeg {
    private Ffmpeg() {
    }

    public static void assumeInstalled() {
        assumeTrue(new File("/usr/bin/ffmpeg").canExecute() || onPath("ffmpeg"), "ffmpeg not installed: skipping");
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, tool).canExecute()) {
                return true;
            }
        }
        return false;
    }

    /** ffmpeg publishing {@code seconds} of 320x240 H.264 + AAC in real time; output goes to {@code log}. */
    public static Process publish(String url, int seconds, Path log) throws IOException {
        assumeInstalled();
        Files.createDirectories(log.getParent());
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "info", "-re",
                "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=30", "-f", "lavfi", "-i", "sine=frequency=440",
                "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "30", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-b:a", "64k", "-t", Integer.toString(seconds), "-f", "flv", url));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }
}
