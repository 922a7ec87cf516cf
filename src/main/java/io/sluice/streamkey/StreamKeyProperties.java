package io.sluice.streamkey;

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
 */
@ConfigurationProperties("sluice.keys")
public record StreamKeyProperties(
        @DefaultValue Map<String, PublishPolicy> publishPolicy,
        @DefaultValue("KEY") PublishPolicy defaultPublishPolicy,
        @DefaultValue Map<String, PlayPolicy> playPolicy,
        @DefaultValue("OPEN") PlayPolicy defaultPlayPolicy) {

    public enum PublishPolicy { KEY, OPEN }

    public enum PlayPolicy { OPEN, TOKEN }

    public StreamKeyProperties {
        publishPolicy = publishPolicy == null ? Map.of() : Map.copyOf(publishPolicy);
        playPolicy = playPolicy == null ? Map.of() : Map.copyOf(playPolicy);
        defaultPublishPolicy = defaultPublishPolicy == null ? PublishPolicy.KEY : defaultPublishPolicy;
        defaultPlayPolicy = defaultPlayPolicy == null ? PlayPolicy.OPEN : defaultPlayPolicy;
    }

    /** The defaults: every app needs a key to publish, anyone may play. */
    public static StreamKeyProperties defaults() {
        return new StreamKeyProperties(Map.of(), PublishPolicy.KEY, Map.of(), PlayPolicy.OPEN);
    }

    public PublishPolicy publishPolicyOf(String app) {
        return publishPolicy.getOrDefault(app, defaultPublishPolicy);
    }

    public PlayPolicy playPolicyOf(String app) {
        return playPolicy.getOrDefault(app, defaultPlayPolicy);
    }
}
