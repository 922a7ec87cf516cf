package io.sluice.bench.soak;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Real, decodable H.264 + AAC FLV clips made once by ffmpeg, which the soak's publishers loop: the
 * recordings they produce must decode, so synthetic frames will not do.
 */
final class MediaClips {

    /** One clip: its file and the video bitrate it was encoded for. */
    record Clip(Path file, String size, int kbps) {
    }

    private static final int SECONDS = 20;

    private MediaClips() {
    }

    /** A 640x360 clip at 1 Mbit/s and a 1280x720 one at 2.5 Mbit/s, made in {@code dir} unless present. */
    static List<Clip> prepare(Path dir) throws IOException, InterruptedException {
        List<Clip> clips = new ArrayList<>();
        clips.add(ensure(dir, "640x360", 1000, SECONDS));
        clips.add(ensure(dir, "1280x720", 2500, SECONDS));
        return clips;
    }

    /** A clip of {@code size} at {@code kbps} lasting {@code seconds}, made in {@code dir} unless present. */
    static Clip ensure(Path dir, String size, int kbps, int seconds) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Clip clip = new Clip(dir.resolve("clip-" + size + "-" + kbps + "k-" + seconds + "s.flv"), size, kbps);
        if (!Files.isRegularFile(clip.file()) || Files.size(clip.file()) == 0) {
            encode(clip, seconds);
        }
        return clip;
    }

    private static void encode(Clip clip, int seconds) throws IOException, InterruptedException {
        Path partial = clip.file().resolveSibling(clip.file().getFileName() + ".tmp.flv");
        String rate = clip.kbps() + "k";
        // a keyframe every 2 s (-g 60 at 30 fps), constant-ish bitrate so the load is what it says
        List<String> command = List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", "testsrc2=size=" + clip.size() + ":rate=30",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100",
                "-t", Integer.toString(seconds), "-c:v", "libx264", "-preset", "ultrafast", "-g", "60",
                "-pix_fmt", "yuv420p", "-b:v", rate, "-minrate", rate, "-maxrate", rate, "-bufsize", rate,
                "-x264-params", "nal-hrd=cbr", "-c:a", "aac", "-b:a", "128k", "-f", "flv", partial.toString());
        Process ffmpeg = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(ffmpeg.getInputStream().readAllBytes());
        if (!ffmpeg.waitFor(5, TimeUnit.MINUTES) || ffmpeg.exitValue() != 0) {
            ffmpeg.destroyForcibly();
            throw new IOException("ffmpeg could not make " + clip.file() + ": " + output);
        }
        Files.move(partial, clip.file());
    }
}
