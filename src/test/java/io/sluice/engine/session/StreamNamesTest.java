package io.sluice.engine.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Stream and application names become directory and file names: nothing hostile passes. */
class StreamNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "...", ".hidden", "../etc/passwd", "..\\..\\windows", "a/b", "/abs",
            "a\\b", "C:x", "x\u0000", "\u0000", "x\u0000.flv", "x\n", "x\r\nSet-Cookie", "x\t", "a b", "%2e%2e",
            "%2F", "caf\u00e9", "\uff58", "x\u202eflv.exe", "x\u200b", "x\u007f", "a?b", "a#b", "a*b", "a|b", "a:b",
            "a\"b", "a<b", "a>b", "$(id)", "`id`", "x;rm"})
    void hostileStreamNamesAreRefused(String name) {
        assertThat(StreamNames.invalidStreamName(name)).as("'%s'", name).isNotNull();
        assertThat(StreamNames.isValidStreamName(name)).isFalse();
    }

    @Test
    void overLongNamesAreRefused() {
        assertThat(StreamNames.invalidStreamName("x".repeat(StreamNames.MAX_NAME_LENGTH))).isNull();
        assertThat(StreamNames.invalidStreamName("x".repeat(StreamNames.MAX_NAME_LENGTH + 1)))
                .contains("longer than 200");
        assertThat(StreamNames.invalidStreamName("x".repeat(1_000_000))).contains("longer than 200");
    }

    @ParameterizedTest
    @ValueSource(strings = {"cam-1", "a.b_c-d~e@f+g=h", "x..y", "trailing.", "UPPER", "0"})
    void ordinaryNamesPass(String name) {
        assertThat(StreamNames.invalidStreamName(name)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "live/..", "../live", "a//b", "live/", "live/.x", "li ve", "live\u0000"})
    void hostileAppNamesAreRefused(String app) {
        assertThat(StreamNames.invalidAppName(app)).as("'%s'", app).isNotNull();
    }

    @Test
    void nestedAppsPass() {
        assertThat(StreamNames.invalidAppName("live")).isNull();
        assertThat(StreamNames.invalidAppName("a/b/c")).isNull();
    }

    @Test
    void theQueryIsSplitOffBeforeTheNameIsChecked() {
        StreamNames.NameAndQuery nq = StreamNames.split("cam?token=../../x&a=%00");
        assertThat(nq.name()).isEqualTo("cam");
        assertThat(StreamNames.invalidStreamName(nq.name())).isNull();
        assertThat(StreamNames.parseQuery(nq.query())).containsEntry("token", "../../x").containsEntry("a", "\u0000");
    }
}
