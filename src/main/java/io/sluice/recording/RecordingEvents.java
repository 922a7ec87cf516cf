package io.sluice.recording;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/** Tells every {@link RecordingListener} bean, each isolated from the others' failures. */
@Component
class RecordingEvents {
    private static final Logger log = LoggerFactory.getLogger(RecordingEvents.class);

    private final ObjectProvider<RecordingListener> listeners;

    RecordingEvents(ObjectProvider<RecordingListener> listeners) {
        this.listeners = listeners;
    }

    void segmentCompleted(RecordedSegment segment) {
        listeners.orderedStream().forEach(l -> {
            try {
                l.segmentCompleted(segment);
            } catch (RuntimeException e) {
                log.warn("recording listener {} failed on recording {}", l.getClass().getName(), segment.recordingId(), e);
            }
        });
    }
}
