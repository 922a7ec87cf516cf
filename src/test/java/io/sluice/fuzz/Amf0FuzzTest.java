package io.sluice.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sluice.engine.protocol.amf.Amf0;

/**
 * The AMF0 decoder (AMF0 spec; AMF3 inside it through the avmplus marker) on arbitrary bytes, as the
 * body of a command or data message. What must hold: see {@link AmfChecks#decodeAndCheck}.
 */
class Amf0FuzzTest {

    @FuzzTest(maxDuration = "15s")
    void amf0(byte[] data) {
        AmfChecks.decodeAndCheck(data, buf -> Amf0.decodeAll(buf, AmfChecks.LIMITS));
    }
}
