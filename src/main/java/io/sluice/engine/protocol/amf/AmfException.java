package io.sluice.engine.protocol.amf;

import io.sluice.engine.protocol.RtmpProtocolException;

/** Malformed or over-limit AMF input; the message names the marker and reader index. */
public class AmfException extends RtmpProtocolException {

    public AmfException(String message) {
        super(message);
    }

    public AmfException(String message, Throwable cause) {
        super(message, cause);
    }
}
