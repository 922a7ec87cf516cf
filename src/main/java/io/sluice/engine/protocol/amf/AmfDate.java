package io.sluice.engine.protocol.amf;

/**
 * A date. The time zone is carried through unchanged: AMF0 spec 2.13 says it should be 0 (UTC),
 * and AMF3 dates have none.
 */
public record AmfDate(double epochMillis, short timezoneMinutes) implements AmfValue {
}
