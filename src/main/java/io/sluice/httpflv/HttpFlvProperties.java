package io.sluice.httpflv;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code sluice.http-flv.*}: live FLV over HTTP on the web port.
 *
 * @param corsOrigins  origins allowed to play from other sites ("*" for any); none by default
 * @param bufferLimit  bytes queued for one viewer before it counts as slow and drops to a keyframe
 * @param maxLag       how long a viewer may stay slow before it is disconnected
 * @param gateTimeout  how long the play decision may take
 */
@ConfigurationProperties("sluice.http-flv")
public record HttpFlvProperties(@DefaultValue("") List<String> corsOrigins, @DefaultValue("2MB") DataSize bufferLimit,
                                @DefaultValue("10s") Duration maxLag, @DefaultValue("10s") Duration gateTimeout) {
}
