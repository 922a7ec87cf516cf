package io.sluice.engine.stream;

/** A live stream's identity: application and stream name (never the query string). */
public record StreamKey(String app, String name) {

    @Override
    public String toString() {
        return app + "/" + name;
    }
}
