package io.sluice.recording;

import io.sluice.testing.SluiceSpringTest;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/**
 * One application context for the tests that record in 3-second files, with a storage that can be
 * made to fail ({@link FaultyStorage}) and a {@link RecordingListener} that keeps what it is told.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SluiceSpringTest
@TestPropertySource(properties = {"sluice.keys.default-publish-policy=OPEN", "sluice.recording.apps=auto",
        "sluice.recording.max-segment-duration=3s"})
@Import(FaultyStorage.Config.class)
@interface SegmentedRecordingTest {
}
