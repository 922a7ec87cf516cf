package io.sluice.engine;

/**
 * How much one peer, and all peers together, may ask of the server. Whatever goes over a limit is
 * refused with one log line and one {@link io.sluice.engine.spi.Refusal} event, and only the
 * offending connection is affected.
 *
 * @param maxConnections           connections open in total; more are closed at once
 * @param maxConnectionsPerAddress connections open from one remote IP address; more are closed at once
 * @param maxHandshakes            connections still in their handshake (TLS and RTMP, from accept to the
 *                                 RTMP handshake's end); more are closed at once
 * @param maxStreamsPerConnection  message streams (createStream, or a publish/play on a new stream id)
 *                                 per connection; more are answered with an error
 * @param commandsPerSecond        commands (AMF0/AMF3 command messages, and ping requests: whatever
 *                                 gets a reply; not media, data or other protocol control) a connection
 *                                 may send per second, on average; a connection that sends more is closed
 * @param commandBurst             commands a connection may send at once before the rate applies
 * @param maxPendingBytes          bytes queued for sending on one connection; a connection that lets more
 *                                 pile up (a player or client that does not read) is closed. Media to a
 *                                 player already stops at the write buffer's high water mark; this caps
 *                                 what is always sent (metadata, sequence headers, command replies)
 */
public record ConnectionLimits(int maxConnections, int maxConnectionsPerAddress, int maxHandshakes,
                               int maxStreamsPerConnection, int commandsPerSecond, int commandBurst,
                               long maxPendingBytes) {

    /**
     * Generous enough that no encoder or player ever meets them (ffmpeg, OBS and GStreamer send fewer
     * than ten commands to start), tight enough that one peer cannot take the server down.
     */
    public static final ConnectionLimits DEFAULT = new ConnectionLimits(10_000, 100, 256, 8, 50, 100,
            16L * 1024 * 1024);

    public ConnectionLimits {
        if (maxConnections < 1 || maxConnectionsPerAddress < 1 || maxHandshakes < 1 || maxStreamsPerConnection < 1
                || commandsPerSecond < 1 || commandBurst < 1 || maxPendingBytes < 1) {
            throw new IllegalArgumentException("connection limits must be positive: " + this);
        }
    }

    public ConnectionLimits withMaxConnections(int total, int perAddress) {
        return new ConnectionLimits(total, perAddress, maxHandshakes, maxStreamsPerConnection, commandsPerSecond,
                commandBurst, maxPendingBytes);
    }

    public ConnectionLimits withMaxHandshakes(int handshakes) {
        return new ConnectionLimits(maxConnections, maxConnectionsPerAddress, handshakes, maxStreamsPerConnection,
                commandsPerSecond, commandBurst, maxPendingBytes);
    }

    public ConnectionLimits withCommandRate(int perSecond, int burst) {
        return new ConnectionLimits(maxConnections, maxConnectionsPerAddress, maxHandshakes, maxStreamsPerConnection,
                perSecond, burst, maxPendingBytes);
    }

    public ConnectionLimits withMaxStreamsPerConnection(int streams) {
        return new ConnectionLimits(maxConnections, maxConnectionsPerAddress, maxHandshakes, streams,
                commandsPerSecond, commandBurst, maxPendingBytes);
    }

    public ConnectionLimits withMaxPendingBytes(long bytes) {
        return new ConnectionLimits(maxConnections, maxConnectionsPerAddress, maxHandshakes, maxStreamsPerConnection,
                commandsPerSecond, commandBurst, bytes);
    }
}
