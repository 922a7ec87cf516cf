package io.sluice.engine.spi;

import java.net.InetSocketAddress;
import java.util.Map;

/**
 * What a client asks for, protocol-neutral. For CONNECT the stream name is empty.
 *
 * @param query       the raw query string of the stream name (or of the tcUrl/app for CONNECT), without '?'
 * @param queryParams the query string decoded; the first value of a repeated parameter wins
 * @param publishType live, record or append for PUBLISH; empty otherwise
 */
public record AccessRequest(Action action, long sessionId, InetSocketAddress remoteAddress, String app,
                            String streamName, String query, Map<String, String> queryParams, String tcUrl,
                            String flashVer, String swfUrl, String pageUrl, String publishType) {

    public enum Action { CONNECT, PUBLISH, PLAY }

    public AccessRequest {
        queryParams = Map.copyOf(queryParams);
    }

    public String remoteHost() {
        return remoteAddress == null ? "" : remoteAddress.getAddress() == null
                ? remoteAddress.getHostString() : remoteAddress.getAddress().getHostAddress();
    }
}
