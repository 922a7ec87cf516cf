package io.sluice;

import io.sluice.cli.Cli;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class SluiceApplication {

    /** {@code pull} and {@code push} run the command-line tools (no Spring context); anything else starts the server. */
    public static void main(String[] args) {
        if (Cli.isCommand(args)) {
            Cli.main(args);
            return;
        }
        SpringApplication.run(SluiceApplication.class, args);
    }
}
