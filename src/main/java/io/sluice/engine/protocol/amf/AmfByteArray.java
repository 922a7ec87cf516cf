package io.sluice.engine.protocol.amf;

import java.util.Arrays;
import java.util.HexFormat;

/** AMF3 ByteArray. Copies on the way in and out so the value stays immutable. */
public record AmfByteArray(byte[] bytes) implements AmfValue {

    public AmfByteArray {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    /** Lets the encoder write without a copy. */
    byte[] unsafeBytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AmfByteArray other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return bytes.length <= 32
                ? "AmfByteArray[" + HexFormat.of().formatHex(bytes) + "]"
                : "AmfByteArray[" + bytes.length + " bytes]";
    }
}
