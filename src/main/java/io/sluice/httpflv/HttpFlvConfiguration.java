package io.sluice.httpflv;

import io.sluice.engine.RtmpServer;
import io.sluice.engine.spi.AccessGate;
import io.sluice.relay.PullRelayService;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Maps {@code *.flv} on the web port to the HTTP-FLV servlet (async: no thread per viewer). */
@Configuration(proxyBeanMethods = false)
class HttpFlvConfiguration {

    @Bean
    ServletRegistrationBean<HttpFlvServlet> httpFlvServlet(RtmpServer rtmp, AccessGate gate,
                                                           HttpFlvProperties properties,
                                                           PullRelayService pulls) {
        ServletRegistrationBean<HttpFlvServlet> registration =
                new ServletRegistrationBean<>(new HttpFlvServlet(rtmp, gate, properties, pulls), "*.flv");
        registration.setName("httpFlv");
        registration.setAsyncSupported(true);
        return registration;
    }
}
