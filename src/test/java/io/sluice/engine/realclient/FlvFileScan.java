package io.sluice.engine.realclient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal FLV walker, independent of the engine's own FLV code, for checking what a client saved:
 * the tags' types and timestamps as they came off the wire.
 */
record FlvFileScan(List<Tag> tags, boolean truncated) {

    record Tag(int type, int size, int timestamp) {
        boolean isVideo() {
            return type == 9;
        }
    }

    static FlvFileScan of(Path file) {
        byte[] d;
        try {
            d = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (d.length < 13 || d[0] != 'F' || d[1] != 'L' || d[2] != 'V') {
            throw new AssertionError(file + " is not an FLV file (" + d.length + " bytes)");
        }
        int off = (int) u32(d, 5) + 4; // header, then PreviousTagSize0
        List<Tag> tags = new ArrayList<>();
        while (off + 11 <= d.length) {
            int type = d[off] & 0x1F;
            int size = (int) u24(d, off + 1);
            int ts = (int) (u24(d, off + 4) | (d[off + 7] & 0xFFL) << 24);
            if (off + 11 + size > d.length) {
                return new FlvFileScan(tags, true);
            }
            tags.add(new Tag(type, size, ts));
            off += 11 + size + 4;
        }
        return new FlvFileScan(tags, off != d.length);
    }

    List<Integer> videoTimestamps() {
        return tags.stream().filter(Tag::isVideo).map(Tag::timestamp).toList();
    }

    /** The largest step between consecutive video timestamps (negative if they went backwards). */
    int largestVideoStep() {
        List<Integer> v = videoTimestamps();
        int largest = 0;
        for (int i = 1; i < v.size(); i++) {
            int step = v.get(i) - v.get(i - 1);
            if (step < 0) {
                return step;
            }
            largest = Math.max(largest, step);
        }
        return largest;
    }

    private static long u24(byte[] d, int i) {
        return (d[i] & 0xFFL) << 16 | (d[i + 1] & 0xFFL) << 8 | d[i + 2] & 0xFFL;
    }

    private static long u32(byte[] d, int i) {
        return (d[i] & 0xFFL) << 24 | u24(d, i + 1);
    }
}
