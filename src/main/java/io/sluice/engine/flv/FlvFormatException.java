package io.sluice.engine.flv;

import io.sluice.engine.protocol.RtmpProtocolException;

/** An FLV file that breaks the format (FLV 10.1 Annex E) or a configured limit. */
public class FlvFormatException extends RtmpProtocolException {

    public FlvFormatException(String message) {
        super(message);
    }

    public FlvFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
