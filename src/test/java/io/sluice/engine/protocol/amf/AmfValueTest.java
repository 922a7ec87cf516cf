package io.sluice.engine.protocol.amf;

import static io.sluice.engine.protocol.amf.AmfTestSupport.num;
import static io.sluice.engine.protocol.amf.AmfTestSupport.str;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AmfValueTest {

    @Test
    void convenienceFactories() {
        assertThat(AmfValue.of("a")).isEqualTo(new AmfString("a"));
        assertThat(AmfValue.of((String) null)).isSameAs(AmfNull.INSTANCE);
        assertThat(AmfValue.of(2.5)).isEqualTo(new AmfNumber(2.5));
        assertThat(AmfValue.of(true)).isSameAs(AmfBoolean.TRUE);
        assertThat(AmfValue.of(false)).isSameAs(AmfBoolean.FALSE);
    }

    @Test
    void typedGettersReturnNullForAbsentOrWrongType() {
        AmfObject inner = AmfObject.of("x", num(1));
        AmfObject o = AmfObject.builder()
                .put("level", "status")
                .put("n", 3.0)
                .put("ok", true)
                .put("inner", inner)
                .put("nothing", (String) null)
                .build();

        assertThat(o.string("level")).isEqualTo("status");
        assertThat(o.number("n")).isEqualTo(3.0);
        assertThat(o.bool("ok")).isTrue();
        assertThat(o.object("inner")).isSameAs(inner);
        assertThat(o.get("nothing")).contains(AmfNull.INSTANCE);

        assertThat(o.string("n")).isNull();
        assertThat(o.number("level")).isNull();
        assertThat(o.bool("level")).isNull();
        assertThat(o.object("level")).isNull();
        assertThat(o.string("missing")).isNull();
        assertThat(o.get("missing")).isEmpty();
        assertThat(o.containsKey("ok")).isTrue();
        assertThat(o.size()).isEqualTo(5);
    }

    @Test
    void builderPutReplacesInPlaceAndKeepsOrder() {
        AmfObject o = AmfObject.builder().put("a", 1.0).put("b", 2.0).put("a", "again").build();
        assertThat(o.entries()).containsExactly(Map.entry("a", str("again")), Map.entry("b", num(2)));
    }

    @Test
    void entriesKeepDuplicatesAndLookupsTakeTheLast() {
        AmfObject o = AmfObject.ofEntries(List.of(Map.entry("k", num(1)), Map.entry("j", num(0)), Map.entry("k", num(2))));
        assertThat(o.size()).isEqualTo(3);
        assertThat(o.number("k")).isEqualTo(2.0);
        assertThat(o.asMap()).containsExactly(Map.entry("k", num(2)), Map.entry("j", num(0)));
    }

    @Test
    void largeContainersUseTheSameLookupRules() {
        AmfEcmaArray.Builder<AmfEcmaArray> b = AmfEcmaArray.builder();
        for (int i = 0; i < 100; i++) {
            b.put("k" + i, i);
        }
        AmfEcmaArray a = b.build();
        assertThat(a.number("k57")).isEqualTo(57.0);
        assertThat(a.number("k100")).isNull();
        AmfEcmaArray dup = AmfEcmaArray.ofEntries(
                java.util.stream.Stream.concat(a.entries().stream(), java.util.stream.Stream.of(Map.entry("k3", num(-3))))
                        .toList());
        assertThat(dup.number("k3")).isEqualTo(-3.0);
    }

    @Test
    void valuesAreImmutable() {
        AmfObject o = AmfObject.of("a", num(1));
        assertThatThrownBy(() -> o.entries().add(Map.entry("b", num(2)))).isInstanceOf(UnsupportedOperationException.class);
        Map<String, AmfValue> copy = o.asMap();
        copy.put("b", num(2));
        assertThat(copy).isInstanceOf(LinkedHashMap.class);
        assertThat(o.size()).isEqualTo(1);

        byte[] bytes = {1, 2};
        AmfByteArray ba = new AmfByteArray(bytes);
        bytes[0] = 9;
        ba.bytes()[1] = 9;
        assertThat(ba.bytes()).containsExactly(1, 2);

        List<AmfValue> list = new java.util.ArrayList<>(List.of(num(1)));
        AmfStrictArray sa = new AmfStrictArray(list);
        list.add(num(2));
        assertThat(sa.size()).isEqualTo(1);
    }

    @Test
    void objectAndEcmaArrayWithSameEntriesAreNotEqual() {
        AmfObject o = AmfObject.of("a", num(1));
        AmfEcmaArray a = AmfEcmaArray.builder().put("a", 1.0).build();
        assertThat((AmfValue) o).isNotEqualTo(a);
        assertThat(o).isEqualTo(AmfObject.of(Map.of("a", num(1)))).hasSameHashCodeAs(AmfObject.of("a", num(1)));
        assertThat(o.toString()).isEqualTo("AmfObject{a=AmfNumber[value=1.0]}");
    }

    @Test
    void limitsAreValidated() {
        assertThat(AmfLimits.DEFAULT).isEqualTo(new AmfLimits(32, 65_536, 1 << 20));
        assertThatThrownBy(() -> new AmfLimits(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AmfLimits(100_000, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AmfLimits(1, -1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void amfExceptionIsAProtocolException() {
        assertThat(new AmfException("x")).isInstanceOf(io.sluice.engine.protocol.RtmpProtocolException.class);
    }
}
