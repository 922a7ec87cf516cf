package io.sluice.webhook;

import java.net.URI;
import java.net.URISyntaxException;

/** What of a hook URL may be shown: its query (which may carry a token) is hidden. */
final class Urls {

    private Urls() {
    }

    static String redact(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI uri = new URI(url);
            String shown = new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null)
                    .toString();
            return uri.getRawQuery() == null ? shown : shown + "?[redacted]";
        } catch (URISyntaxException | RuntimeException e) {
            return "[invalid URL]";
        }
    }
}
