package io.sluice.engine.protocol.command;

import io.sluice.engine.protocol.amf.AmfBoolean;
import io.sluice.engine.protocol.amf.AmfNumber;
import io.sluice.engine.protocol.amf.AmfObject;
import io.sluice.engine.protocol.amf.AmfString;
import io.sluice.engine.protocol.amf.AmfValue;
import io.sluice.engine.protocol.message.CommandMessage;

/**
 * The commands a client sends (RTMP 1.0 section 7.2), typed. {@link #parse} is the one place that
 * reads their AMF arguments.
 */
public sealed interface Command {

    double transactionId();

    /** connect (7.2.1.1). */
    record Connect(double transactionId, String app, String tcUrl, String flashVer, String swfUrl, String pageUrl,
                   double objectEncoding) implements Command {
    }

    /** createStream (7.2.1.3). */
    record CreateStream(double transactionId) implements Command {
    }

    /** publish (7.2.2.6); type is live, record or append. */
    record Publish(double transactionId, int streamId, String name, String type) implements Command {
    }

    /** play (7.2.2.1): start -2 live-or-recorded, -1 live only; duration -1 until the end. */
    record Play(double transactionId, int streamId, String name, double start, double duration, boolean reset)
            implements Command {
    }

    /** pause (7.2.2.8). */
    record Pause(double transactionId, int streamId, boolean pause, double milliseconds) implements Command {
    }

    /** deleteStream (7.2.2.3), sent on the NetConnection, naming the stream. */
    record DeleteStream(double transactionId, int streamId) implements Command {
    }

    /** closeStream, sent on the stream itself. */
    record CloseStream(double transactionId, int streamId) implements Command {
    }

    /** receiveAudio / receiveVideo (7.2.2.4, 7.2.2.5). */
    record Receive(double transactionId, int streamId, boolean video, boolean enabled) implements Command {
    }

    /** releaseStream, FCPublish, FCUnpublish, FCSubscribe: Flash Media Encoder conventions carrying a name. */
    record StreamNameCall(double transactionId, String call, String name) implements Command {
    }

    /** getStreamLength. */
    record GetStreamLength(double transactionId, String name) implements Command {
    }

    /** _checkbw: bandwidth check; answered with a result, we do not measure. */
    record CheckBandwidth(double transactionId) implements Command {
    }

    /** A reply to one of our calls (_result / _error / onBWDone answers): nothing to do. */
    record Reply(double transactionId, String name) implements Command {
    }

    /** Anything else: answered with _error. */
    record Unknown(double transactionId, String name) implements Command {
    }

    static Command parse(CommandMessage m) {
        double tid = m.transactionId();
        return switch (m.name()) {
            case "connect" -> {
                AmfObject o = m.commandObject() instanceof AmfObject obj ? obj : AmfObject.builder().build();
                Double encoding = o.number("objectEncoding");
                yield new Connect(tid, nonNull(o.string("app")), nonNull(o.string("tcUrl")),
                        nonNull(o.string("flashVer")), nonNull(o.string("swfUrl")), nonNull(o.string("pageUrl")),
                        encoding == null ? 0 : encoding);
            }
            case "createStream" -> new CreateStream(tid);
            case "publish" -> new Publish(tid, m.streamId(), string(m.argument(0)),
                    m.argument(1) instanceof AmfString s ? s.value() : "live");
            case "play" -> new Play(tid, m.streamId(), string(m.argument(0)), number(m.argument(1), -2),
                    number(m.argument(2), -1), !(m.argument(3) instanceof AmfBoolean b) || b.value());
            case "pause" -> new Pause(tid, m.streamId(), m.argument(0) instanceof AmfBoolean b && b.value(),
                    number(m.argument(1), 0));
            case "deleteStream" -> new DeleteStream(tid, (int) number(m.argument(0), m.streamId()));
            case "closeStream" -> new CloseStream(tid, m.streamId());
            case "receiveAudio", "receiveVideo" -> new Receive(tid, m.streamId(), m.name().equals("receiveVideo"),
                    !(m.argument(0) instanceof AmfBoolean b) || b.value());
            case "releaseStream", "FCPublish", "FCUnpublish", "FCSubscribe", "FCUnsubscribe" ->
                    new StreamNameCall(tid, m.name(), string(m.argument(0)));
            case "getStreamLength" -> new GetStreamLength(tid, string(m.argument(0)));
            case "_checkbw" -> new CheckBandwidth(tid);
            case "_result", "_error", "onBWCheck", "onBWDone", "onStatus", "_onbwcheck", "_onbwdone" ->
                    new Reply(tid, m.name());
            default -> new Unknown(tid, m.name());
        };
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }

    private static String string(AmfValue v) {
        return v instanceof AmfString s ? s.value() : "";
    }

    private static double number(AmfValue v, double fallback) {
        return v instanceof AmfNumber n ? n.value() : fallback;
    }
}
