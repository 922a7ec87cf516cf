package io.sluice.bench.load;

import java.util.HashMap;
import java.util.Map;

/** {@code --name value} pairs; every flag has a default at the place that reads it. */
final class Args {
    private final Map<String, String> values = new HashMap<>();

    Args(String[] args, int from) {
        for (int i = from; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value, got " + args[i]);
            }
            values.put(args[i].substring(2), args[++i]);
        }
    }

    String string(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    String required(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    int integer(String name, int fallback) {
        return values.containsKey(name) ? Integer.parseInt(values.get(name)) : fallback;
    }

    double number(String name, double fallback) {
        return values.containsKey(name) ? Double.parseDouble(values.get(name)) : fallback;
    }

    /** The stream shape from --video-kbps, --fps, --gop-seconds, --audio-kbps. */
    StreamShape shape() {
        StreamShape d = StreamShape.DEFAULT;
        return new StreamShape(integer("video-kbps", (int) (d.videoBitsPerSecond() / 1000)) * 1000L,
                integer("fps", d.fps()), number("gop-seconds", d.gopSeconds()),
                integer("audio-kbps", (int) (d.audioBitsPerSecond() / 1000)) * 1000L, d.keyframeWeight());
    }
}
