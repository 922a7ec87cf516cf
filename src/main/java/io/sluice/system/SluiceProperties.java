package io.sluice.system;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/** {@code sluice.*}: where Sluice keeps its database and recordings. */
@Validated
@ConfigurationProperties("sluice")
public record SluiceProperties(@NotNull Path dataDir) {
}
