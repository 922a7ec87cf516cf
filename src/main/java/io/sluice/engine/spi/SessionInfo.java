package io.sluice.engine.spi;

import java.net.InetSocketAddress;
import java.time.Instant;

/** An immutable snapshot of one connection. */
public record SessionInfo(long id, InetSocketAddress remoteAddress, Role role, String app, String streamName,
                          Instant connectedAt, long bytesIn, long bytesOut, String flashVer, String tcUrl,
                          String label) {

    public enum Role { CONNECTING, IDLE, PUBLISHER, PLAYER }
}
