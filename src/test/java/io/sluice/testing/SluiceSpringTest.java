package io.sluice.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The whole application on free ports (HTTP and RTMP) with a fresh H2 database and data directory
 * per test context, and a known admin login (admin / admin-password).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@AutoConfigureObservability(tracing = false)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sluice.rtmp.port=0",
        "sluice.rtmp.host=127.0.0.1",
        "sluice.data-dir=./target/test-data/${random.uuid}",
        "sluice.admin.username=admin",
        "sluice.admin.password=admin-password"})
public @interface SluiceSpringTest {
}
