package io.sluice.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzer-chosen read boundaries: a stream arrives in up to 8 non-empty pieces, as TCP may deliver it.
 * The sizes are consumed as integers, which {@link FuzzedDataProvider} takes from the end of the
 * input, so a captured byte stream used as a seed keeps its beginning intact.
 */
final class Splits {

    private static final int MAX_SPLITS = 7;
    private static final int MAX_PIECE = 4096;

    private Splits() {
    }

    /** Consumes the sizes of the first pieces; the last piece takes the rest. */
    static int[] choose(FuzzedDataProvider data) {
        int[] sizes = new int[data.consumeInt(0, MAX_SPLITS)];
        for (int i = 0; i < sizes.length; i++) {
            sizes[i] = data.consumeInt(1, MAX_PIECE);
        }
        return sizes;
    }

    /** {offset, length} of each non-empty piece of a stream of {@code total} bytes. */
    static List<int[]> pieces(int[] sizes, int total) {
        List<int[]> pieces = new ArrayList<>();
        int offset = 0;
        for (int size : sizes) {
            if (offset >= total) {
                break;
            }
            int length = Math.min(size, total - offset);
            pieces.add(new int[] {offset, length});
            offset += length;
        }
        if (offset < total) {
            pieces.add(new int[] {offset, total - offset});
        }
        return pieces;
    }
}
