package io.sluice.engine.protocol.amf;

/**
 * Bounds applied while decoding untrusted AMF.
 *
 * @param maxDepth       deepest nesting of containers (objects, arrays, ...); a top-level object is depth 1
 * @param maxEntries     most entries (keys or elements) in one container
 * @param maxStringBytes longest string, XML document or byte array, in encoded bytes
 */
public record AmfLimits(int maxDepth, int maxEntries, int maxStringBytes) {

    /** Decoding recurses once per level, so depth is capped well below what the stack can take. */
    public static final int MAX_SUPPORTED_DEPTH = 1024;

    public static final AmfLimits DEFAULT = new AmfLimits(32, 65_536, 1 << 20);

    public AmfLimits {
        if (maxDepth < 1 || maxDepth > MAX_SUPPORTED_DEPTH) {
            throw new IllegalArgumentException("maxDepth must be in 1.." + MAX_SUPPORTED_DEPTH + ": " + maxDepth);
        }
        if (maxEntries < 0) {
            throw new IllegalArgumentException("maxEntries must not be negative: " + maxEntries);
        }
        if (maxStringBytes < 0) {
            throw new IllegalArgumentException("maxStringBytes must not be negative: " + maxStringBytes);
        }
    }
}
