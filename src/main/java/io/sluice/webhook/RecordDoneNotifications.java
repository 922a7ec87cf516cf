package io.sluice.webhook;

import io.sluice.recording.RecordedSegment;
import io.sluice.recording.RecordingListener;
import org.springframework.stereotype.Component;

/** Sends {@code on_record_done} for every finished recording file. */
@Component
class RecordDoneNotifications implements RecordingListener {
    private final WebhookNotifier notifier;

    RecordDoneNotifications(WebhookNotifier notifier) {
        this.notifier = notifier;
    }

    @Override
    public void segmentCompleted(RecordedSegment s) {
        if (s.path() == null) {
            return; // failed before any file existed: nothing to fetch
        }
        notifier.recordDone(new RecordDoneEvent(s.publisherSessionId(), s.app(), s.stream(), s.keyLabel(), s.path(),
                s.durationSeconds(), s.sizeBytes()));
    }
}
