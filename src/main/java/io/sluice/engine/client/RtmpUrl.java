package io.sluice.engine.client;

import java.net.URI;

/**
 * An {@code rtmp://host[:port]/app[/more]/stream[?query]} URL split the way servers read it: the last
 * path segment (with the query) is the stream, everything before it the application.
 */
public record RtmpUrl(String scheme, String host, int port, String app, String stream) {

    public static final int DEFAULT_PORT = 1935;
    public static final int DEFAULT_TLS_PORT = 443;

    public static RtmpUrl parse(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a URL: " + url, e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("rtmp") && !scheme.equals("rtmps")) {
            throw new IllegalArgumentException("not an rtmp:// or rtmps:// URL: " + url);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("no host in " + url);
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceAll("^/+", "");
        int slash = path.lastIndexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("expected rtmp://host/app/stream, got " + url);
        }
        String stream = path.substring(slash + 1) + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        int port = uri.getPort() > 0 ? uri.getPort() : scheme.equals("rtmps") ? DEFAULT_TLS_PORT : DEFAULT_PORT;
        return new RtmpUrl(scheme, uri.getHost(), port, path.substring(0, slash), stream);
    }

    /** The tcUrl of the connect command: the URL without the stream. */
    public String tcUrl() {
        return scheme + "://" + host + ":" + port + "/" + app;
    }

    public boolean tls() {
        return scheme.equals("rtmps");
    }
}
