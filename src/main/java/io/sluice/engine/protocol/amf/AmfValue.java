package io.sluice.engine.protocol.amf;

/**
 * One decoded AMF value. The set of implementations is closed, so code can branch on the type
 * without a default case going stale.
 */
public sealed interface AmfValue
        permits AmfNumber, AmfBoolean, AmfString, AmfNull, AmfUndefined, AmfEntries, AmfStrictArray,
                AmfDate, AmfTypedObject, AmfXmlDocument, AmfByteArray {

    /** A string value, or {@link AmfNull} for a null reference. */
    static AmfValue of(String value) {
        return value == null ? AmfNull.INSTANCE : new AmfString(value);
    }

    static AmfValue of(double value) {
        return new AmfNumber(value);
    }

    static AmfValue of(boolean value) {
        return AmfBoolean.of(value);
    }
}
