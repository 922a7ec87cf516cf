package io.sluice.engine.session;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Splits names as clients send them ({@code key?token=abc}) into name and query, and validates names:
 * a stream name becomes a file name in recordings, so nothing that could leave a directory passes.
 */
public final class StreamNames {
    public static final int MAX_NAME_LENGTH = 200;

    private StreamNames() {
    }

    record NameAndQuery(String name, String query) {
    }

    static NameAndQuery split(String raw) {
        int q = raw.indexOf('?');
        return q < 0 ? new NameAndQuery(raw, "") : new NameAndQuery(raw.substring(0, q), raw.substring(q + 1));
    }

    static Map<String, String> parseQuery(String query) {
        Map<String, String> params = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
            params.putIfAbsent(k, v);
        }
        return params;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    /** Why {@code name} is not a valid stream name, or null if it is. */
    public static String invalidStreamName(String name) {
        if (name.isEmpty()) {
            return "empty stream name";
        }
        if (name.length() > MAX_NAME_LENGTH) {
            return "stream name longer than " + MAX_NAME_LENGTH + " characters";
        }
        if (name.equals(".") || name.equals("..") || name.startsWith(".")) {
            return "stream name may not start with a dot";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || c == '-' || c == '_' || c == '.' || c == '~' || c == '@' || c == '+' || c == '=';
            if (!ok) {
                return "stream name contains '" + (c < 32 || c > 126 ? String.format("\\u%04x", (int) c) : c)
                        + "'; allowed are letters, digits and - _ . ~ @ + =";
            }
        }
        return null;
    }

    public static boolean isValidStreamName(String name) {
        return name != null && invalidStreamName(name) == null;
    }

    /** Why {@code app} is not a valid application name (one or more name segments), or null. */
    public static String invalidAppName(String app) {
        if (app.isEmpty()) {
            return "empty application name";
        }
        for (String segment : app.split("/", -1)) {
            String why = invalidStreamName(segment);
            if (why != null) {
                return "application " + why.replace("stream name", "name");
            }
        }
        return null;
    }
}
