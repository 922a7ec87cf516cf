package io.sluice.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.sluice.engine.protocol.amf.Amf3;
import java.util.List;

/**
 * The AMF3 decoder (AMF3 spec) on arbitrary bytes, one value as after an avmplus marker. What must
 * hold: see {@link AmfChecks#decodeAndCheck}; a decoded value is re-encoded as AMF0 (Sluice writes
 * no AMF3) and must decode to the same value.
 */
class Amf3FuzzTest {

    @FuzzTest(maxDuration = "15s")
    void amf3(byte[] data) {
        AmfChecks.decodeAndCheck(data, buf -> List.of(Amf3.decode(buf, AmfChecks.LIMITS)));
    }
}
