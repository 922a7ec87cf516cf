package io.sluice.engine.relay;

import io.netty.buffer.ByteBuf;
import io.sluice.engine.client.RtmpClient;
import io.sluice.engine.flv.FlvTags;
import java.io.IOException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Feeds an FLV file's tags from a {@link FlvPacer} to a publishing {@link RtmpClient}. A file is not a
 * live source: when the connection is backed up, the pacer waits for it rather than dropping (as
 * {@code ffmpeg -re} does).
 */
public final class ClientPublishSink implements FlvPacer.Sink {
    private final RtmpClient client;
    private final int streamId;
    private final Supplier<String> failure;

    /** @param failure why to stop (e.g. an error status from the server), or null while all is well */
    public ClientPublishSink(RtmpClient client, int streamId, Supplier<String> failure) {
        this.client = client;
        this.streamId = streamId;
        this.failure = failure;
    }

    @Override
    public void tag(int type, int timestamp, ByteBuf payload) throws IOException {
        while (!client.isWritable()) {
            if (!client.isActive()) {
                throw new IOException("the server closed the connection");
            }
            LockSupport.parkNanos(1_000_000);
        }
        String why = failure.get();
        if (why != null) {
            throw new IOException(why);
        }
        if (type == FlvTags.TAG_SCRIPT) {
            client.sendDataFrame(streamId, timestamp, payload.retain());
        } else {
            client.send(type, streamId, timestamp, payload.retain());
        }
    }

    @Override
    public void flush() {
        client.flush();
    }
}
