package io.sluice.webhook;

import io.sluice.engine.session.StreamNames;

/**
 * The engine's rule for stream names (a name becomes a file name in recordings): what a callback may
 * rename a stream to.
 */
final class StreamNameRule {
    private StreamNameRule() {
    }

    static boolean valid(String name) {
        return StreamNames.isValidStreamName(name);
    }

    /**
     * The name an nginx-style {@code Location} renames to: the value itself, or the last path segment
     * when it is a URL; the query is dropped. Null when nothing usable is left.
     */
    static String fromLocation(String location) {
        if (location == null) {
            return null;
        }
        String value = location.trim();
        if (value.contains("://")) {
            try {
                value = new java.net.URI(value).getRawPath();
            } catch (java.net.URISyntaxException e) {
                return null;
            }
            if (value == null) {
                return null;
            }
        } else {
            int end = value.length();
            for (char stop : new char[] {'?', '#'}) {
                int i = value.indexOf(stop);
                end = i >= 0 ? Math.min(end, i) : end;
            }
            value = value.substring(0, end);
        }
        while (value.endsWith("/")) {
            value = value.substring(0, value.length() - 1);
        }
        value = value.substring(value.lastIndexOf('/') + 1);
        return value.isEmpty() ? null : value;
    }
}
