package io.sluice.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StreamNameRuleTest {

    @ParameterizedTest(name = "Location {0} -> {1}")
    @CsvSource(nullValues = "NULL", value = {
            "newname,                                   newname",
            "newname?x=1,                               newname",
            "/live/newname,                             newname",
            "http://auth.example.com/streams/alice,     alice",
            "http://auth.example.com/streams/alice/,    alice",
            "https://auth.example.com/alice?token=1#f,  alice",
            "rtmp://origin.example.com/live/relayed,    relayed",
            "http://auth.example.com,                   NULL",
            "http://auth.example.com/,                  NULL",
            "'',                                        NULL"})
    void locationToName(String location, String name) {
        assertThat(StreamNameRule.fromLocation(location)).isEqualTo(name);
    }

    @ParameterizedTest
    @CsvSource({"alice,true", "a-b_c.d~e@f+g=h,true", ".hidden,false", "a b,false", "a/b,false", "'',false",
            "..,false", "caf\u00e9,false"})
    void validNames(String name, boolean valid) {
        assertThat(StreamNameRule.valid(name)).isEqualTo(valid);
    }
}
