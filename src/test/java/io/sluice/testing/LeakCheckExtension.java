package io.sluice.testing;

import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class when Netty's (paranoid) leak detector found an unreleased buffer while or before
 * it ran. Registered for every test class through JUnit's extension auto-detection.
 */
public final class LeakCheckExtension implements AfterAllCallback {
    @Override
    public void afterAll(ExtensionContext context) {
        List<String> leaks = LeakRecorder.collect();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " ByteBuf leak(s) detected after "
                    + context.getDisplayName() + ":\n" + String.join("\n\n", leaks));
        }
    }
}
