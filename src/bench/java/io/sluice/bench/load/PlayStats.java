package io.sluice.bench.load;

/**
 * What N players measured over a steady window. Times in microseconds; bitrates in percent of the
 * stream's nominal bytes per second.
 *
 * @param withoutFrame players that never received a video frame
 * @param stalled      players with a gap of more than 2 s without media after their first frame
 * @param dropped      players whose connection the server closed (or that failed)
 * @param windowBytes  bytes all players received in the window
 */
public record PlayStats(int players, int withoutFrame, int stalled, int dropped, long firstFrameP50,
                        long firstFrameP99, long latencyP50, long latencyP99, long latencyMax, long frames,
                        double bitrateMedianPct, double bitrateMinPct, long windowBytes, double windowSeconds) {

    /** Whether the run held: nobody stalled, dropped or went without frames, everyone at ≥ 95 % bitrate. */
    public boolean held() {
        return stalled == 0 && dropped == 0 && withoutFrame == 0 && bitrateMinPct >= 95;
    }

    public double deliveredGbit() {
        return windowBytes * 8 / 1e9;
    }
}
