package io.sluice.engine.protocol.message;

import io.sluice.engine.protocol.amf.AmfNull;
import io.sluice.engine.protocol.amf.AmfValue;
import java.util.List;

/**
 * A command message (RTMP 1.0 section 7.1.1, type 20, or 17 when AMF3-framed): name, transaction id,
 * command object and the optional arguments.
 */
public record CommandMessage(int streamId, String name, double transactionId, AmfValue commandObject,
                             List<AmfValue> arguments) implements RtmpMessage {

    public CommandMessage {
        commandObject = commandObject == null ? AmfNull.INSTANCE : commandObject;
        arguments = List.copyOf(arguments);
    }

    @Override
    public int typeId() {
        return MessageType.COMMAND_AMF0;
    }

    /** The argument at {@code index}, or AMF null when absent. */
    public AmfValue argument(int index) {
        return index < arguments.size() ? arguments.get(index) : AmfNull.INSTANCE;
    }
}
