package io.sluice.streamkey;

import io.sluice.security.AddressThrottle;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code sluice.keys.*}: who may publish and play, per application ({@code live} and so on).
 *
 * @param publishPolicy        app → {@code KEY} (publishing needs a stream key) or {@code OPEN} (any
 *                             name may be published; stream keys still work and their public names
 *                             are reserved for them)
 * @param defaultPublishPolicy for apps not in {@code publishPolicy}
 * @param playPolicy           app → {@code OPEN} (anyone may play) or {@code TOKEN} (players need a
 *                             {@code ?token=} from {@code POST /api/keys/{id}/play-token})
 * @param defaultPlayPolicy    for apps not in {@code playPolicy}
 * @param throttle             how publish attempts with bad stream keys are slowed down per address
 */
@ConfigurationProperties("sluice.keys")
public record StreamKeyProperties(
        @DefaultValue Map<String, PublishPolicy> publishPolicy,
        @DefaultValue("KEY") PublishPolicy defaultPublishPolicy,
        @DefaultValue Map<String, PlayPolicy> playPolicy,
        @DefaultValue("OPEN") PlayPolicy defaultPlayPolicy,
        @DefaultValue Throttle throttle) {

    public enum PublishPolicy { KEY, OPEN }

    public enum PlayPolicy { OPEN, TOKEN }

    public StreamKeyProperties {
        publishPolicy = publishPolicy == null ? Map.of() : Map.copyOf(publishPolicy);
        playPolicy = playPolicy == null ? Map.of() : Map.copyOf(playPolicy);
        defaultPublishPolicy = defaultPublishPolicy == null ? PublishPolicy.KEY : defaultPublishPolicy;
        defaultPlayPolicy = defaultPlayPolicy == null ? PlayPolicy.OPEN : defaultPlayPolicy;
        throttle = throttle == null ? Throttle.DEFAULT : throttle;
    }

    /** The defaults: every app needs a key to publish, anyone may play. */
    public static StreamKeyProperties defaults() {
        return new StreamKeyProperties(Map.of(), PublishPolicy.KEY, Map.of(), PlayPolicy.OPEN, Throttle.DEFAULT);
    }

    /**
     * {@code sluice.keys.throttle.*}: publish attempts refused for their stream key (unknown, disabled,
     * expired), counted per address. Past {@code freeFailures} the address's answers are delayed by
     * {@code delay}; past {@code blockAfter} its publishes are refused at once, without a database
     * look-up, for {@code blockFor}, twice as long after each further failure up to {@code maxBlockFor}.
     * Publishing with a valid key clears the address; failures {@code forgetAfter} old are forgotten.
     */
    public record Throttle(@DefaultValue("3") int freeFailures,
                           @DefaultValue("2s") Duration delay,
                           @DefaultValue("10") int blockAfter,
                           @DefaultValue("1m") Duration blockFor,
                           @DefaultValue("15m") Duration maxBlockFor,
                           @DefaultValue("15m") Duration forgetAfter) {

        public static final Throttle DEFAULT = new Throttle(3, Duration.ofSeconds(2), 10, Duration.ofMinutes(1),
                Duration.ofMinutes(15), Duration.ofMinutes(15));

        /** Validated here, so a bad setting fails at start with the property's name. */
        public AddressThrottle.Policy policy() {
            try {
                return new AddressThrottle.Policy(freeFailures, delay, blockAfter, blockFor, maxBlockFor, forgetAfter,
                        100_000);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("sluice.keys.throttle: block-after must be at least free-failures,"
                        + " durations not negative, max-block-for at least block-for: " + this, e);
            }
        }
    }

    public PublishPolicy publishPolicyOf(String app) {
        return publishPolicy.getOrDefault(app, defaultPublishPolicy);
    }

    public PlayPolicy playPolicyOf(String app) {
        return playPolicy.getOrDefault(app, defaultPlayPolicy);
    }
}
