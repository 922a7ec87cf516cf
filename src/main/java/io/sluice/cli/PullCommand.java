package io.sluice.cli;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.engine.client.Reconnector;
import io.sluice.engine.client.RtmpClient;
import io.sluice.engine.client.RtmpUrl;
import io.sluice.engine.client.StatusEvent;
import io.sluice.engine.flv.FlvTags;
import io.sluice.engine.flv.FlvWriter;
import io.sluice.engine.protocol.amf.Amf0;
import io.sluice.engine.protocol.amf.AmfString;
import io.sluice.engine.protocol.amf.AmfValue;
import io.sluice.engine.protocol.command.StatusCode;
import io.sluice.engine.protocol.message.DataMessage;
import io.sluice.engine.protocol.message.MediaMessage;
import io.sluice.engine.protocol.message.RtmpMessage;
import io.sluice.engine.protocol.message.UserControl;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * {@code pull <rtmp-url> <out.flv>}: plays a live stream and writes every tag, as received, to an FLV
 * file (as {@code rtmpdump -v} does). Ends when the stream ends, the server closes, or on Ctrl-C (a
 * shutdown hook); the file then holds only complete tags. The network thread only queues; the file is
 * written on the calling thread.
 */
final class PullCommand {
    private static final long PROGRESS_NANOS = 1_000_000_000L;
    private static final long HOOK_WAIT_SECONDS = 10;

    /** A tag for the file, or the end (payload null) with why; {@code failed} makes the exit code 1. */
    private record Item(int type, int timestamp, ByteBuf payload, String end, boolean failed) {
        Item(int type, int timestamp, ByteBuf payload) {
            this(type, timestamp, payload, null, false);
        }

        static Item end(String why, boolean failed) {
            return new Item(0, 0, null, why, failed);
        }
    }

    private final Cli.Options options;
    private final Progress progress;
    private final PrintStream err;
    private final BlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private boolean closed; // guarded by queue

    PullCommand(Cli.Options options, Progress progress, PrintStream err) {
        this.options = options;
        this.progress = progress;
        this.err = err;
    }

    int run() {
        RtmpUrl url = RtmpUrl.parse(options.url());
        RtmpClient client;
        try {
            client = RtmpClient.connect(options.url(), options.clientOptions())
                    .get(options.timeout().toMillis() * 3, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            err.println("error: " + Cli.describe(Reconnector.unwrap(e), url));
            return Cli.ERROR;
        }
        FlvWriter writer;
        try {
            writer = FlvWriter.create(options.file());
            writer.writeHeader(true, true);
        } catch (IOException e) {
            client.close();
            err.println("error: cannot write " + options.file() + ": " + e.getMessage());
            return Cli.ERROR;
        }
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            queue.add(Item.end("interrupted", false));
            try {
                finished.await(HOOK_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "sluice-pull-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            client.onStatus(this::onStatus);
            client.closeFuture().thenRun(() -> queue.add(Item.end("the server closed the connection", false)));
            try {
                client.play(this::onMessage).get(options.timeout().toMillis() * 3, TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                err.println("error: " + Cli.describe(Reconnector.unwrap(e), url));
                return Cli.ERROR;
            }
            err.println("pulling " + url.tcUrl() + "/" + url.stream() + " into " + options.file());
            return writeUntilEnd(writer);
        } finally {
            client.closeAsync();
            try {
                writer.close();
            } catch (IOException e) {
                err.println("error: closing " + options.file() + ": " + e.getMessage());
            }
            synchronized (queue) {
                closed = true;
            }
            releaseQueued();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and waits for us
            }
        }
    }

    private int writeUntilEnd(FlvWriter writer) {
        long lastProgress = System.nanoTime();
        long bytes = writer.position();
        long firstTs = -1;
        long lastTs = 0;
        try {
            while (true) {
                Item item = queue.poll(200, TimeUnit.MILLISECONDS);
                if (item != null && item.end() != null) {
                    if (item.failed()) {
                        err.println("error: " + item.end());
                        return Cli.ERROR;
                    }
                    progress.done("done (" + item.end() + ")", lastTs - Math.max(firstTs, 0), writer.position());
                    return Cli.OK;
                }
                if (item != null) {
                    try {
                        writer.writeTag(item.type(), item.timestamp(), item.payload());
                    } finally {
                        item.payload().release();
                    }
                    if (item.type() != FlvTags.TAG_SCRIPT) {
                        long ts = Integer.toUnsignedLong(item.timestamp());
                        firstTs = firstTs < 0 ? ts : firstTs;
                        lastTs = Math.max(lastTs, ts);
                    }
                }
                if (System.nanoTime() - lastProgress >= PROGRESS_NANOS) {
                    lastProgress = System.nanoTime();
                    progress.print(lastTs - Math.max(firstTs, 0), writer.position());
                }
            }
        } catch (IOException e) {
            err.println("error: writing " + options.file() + ": " + e.getMessage());
            return Cli.ERROR;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Cli.OK;
        }
    }

    private void onMessage(RtmpMessage m) {
        synchronized (queue) {
            if (!closed) {
                enqueue(m);
            }
        }
    }

    private void enqueue(RtmpMessage m) {
        if (m instanceof MediaMessage mm) {
            queue.add(new Item(mm.typeId(), mm.timestamp(), mm.content().retain()));
        } else if (m instanceof DataMessage dm) {
            List<AmfValue> values = dm.values();
            String name = dm.name();
            if (name.equals("@setDataFrame")) {
                values = values.subList(1, values.size());
                name = !values.isEmpty() && values.get(0) instanceof AmfString s ? s.value() : "";
            }
            if (name.startsWith("|") || values.isEmpty()) {
                return; // |RtmpSampleAccess is for Flash players
            }
            ByteBuf payload = ByteBufAllocator.DEFAULT.buffer(256);
            Amf0.encodeAll(payload, values);
            queue.add(new Item(FlvTags.TAG_SCRIPT, name.equals("onMetaData") ? 0 : dm.timestamp(), payload));
        } else if (m instanceof UserControl uc && uc.event() == UserControl.Event.STREAM_EOF) {
            queue.add(Item.end("the stream ended", false));
        }
    }

    private void onStatus(StatusEvent e) {
        String code = e.code() == null ? "" : e.code();
        if (code.equals(StatusCode.PLAY_STOP.code()) || code.equals(StatusCode.PLAY_UNPUBLISH_NOTIFY.code())
                || code.equals("NetStream.Play.Complete")) {
            queue.add(Item.end("the stream ended", false));
        } else if ("error".equals(e.level())) {
            queue.add(Item.end("the server sent " + code + (e.description() == null || e.description().isEmpty()
                    ? "" : ": " + e.description()), true));
        }
    }

    private void releaseQueued() {
        Item item;
        while ((item = queue.poll()) != null) {
            if (item.payload() != null) {
                item.payload().release();
            }
        }
    }
}
