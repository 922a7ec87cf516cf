package io.sluice.engine.protocol.message;

import io.sluice.engine.protocol.amf.AmfString;
import io.sluice.engine.protocol.amf.AmfValue;
import java.util.List;

/** A data message (type 18, or 15 when it came AMF3-framed), such as {@code @setDataFrame onMetaData}. */
public record DataMessage(int streamId, int timestamp, List<AmfValue> values) implements RtmpMessage {

    public DataMessage {
        values = List.copyOf(values);
    }

    @Override
    public int typeId() {
        return MessageType.DATA_AMF0;
    }

    /** The handler name: the first value when it is a string, else an empty string. */
    public String name() {
        return !values.isEmpty() && values.get(0) instanceof AmfString s ? s.value() : "";
    }
}
