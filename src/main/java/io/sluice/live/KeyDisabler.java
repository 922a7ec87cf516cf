package io.sluice.live;

/** Disables the stream key a live stream is published with (implemented by the stream key feature). */
public interface KeyDisabler {

    /** Disables the key publishing {@code app/publicName}; false if the stream has no key. */
    boolean disableKeyOf(String app, String publicName);
}
