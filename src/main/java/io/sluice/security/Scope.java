package io.sluice.security;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** What an API token may do; each is the authority {@code SCOPE_<name>}. Admins hold them all. */
public enum Scope {
    STREAMS_READ("streams:read"), STREAMS_KICK("streams:kick"), KEYS("keys"), RECORDINGS("recordings"),
    ADMIN("admin");

    private final String value;

    Scope(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public String authority() {
        return "SCOPE_" + value;
    }

    public static Scope of(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(s -> s.value.equals(v)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown scope '" + value + "'; known: "
                        + Arrays.stream(values()).map(Scope::value).toList()));
    }

    public static List<String> allAuthorities() {
        return Arrays.stream(values()).map(Scope::authority).toList();
    }
}
