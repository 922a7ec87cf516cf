package io.sluice.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.jackson.JacksonAutoConfiguration;
import org.springframework.boot.autoconfigure.validation.ValidationAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.json.MappingJackson2HttpMessageConverter;
import org.springframework.mock.http.MockHttpInputMessage;
import org.springframework.util.ClassUtils;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The REST API's JSON request bodies: every {@code @RequestBody} type of every controller, read by the
 * application's own Jackson configuration (Spring Boot's auto-configured ObjectMapper, with
 * application.yml) through the converter Spring MVC uses, then bean-validated. What must hold: a body
 * that cannot be read fails with {@link HttpMessageNotReadableException} or an {@link IOException}
 * (both a 400 problem: Spring MVC's body resolver wraps the latter in the former), a body that
 * can is validated without an exception, and every violation has a message.
 *
 * <p>Input: the body; the last byte picks the request type.
 */
class RestBodyFuzzTest {

    private static final ConfigurableApplicationContext JSON = new SpringApplicationBuilder(
            JacksonAutoConfiguration.class, ValidationAutoConfiguration.class)
            .web(WebApplicationType.NONE).logStartupInfo(false).run();
    private static final MappingJackson2HttpMessageConverter CONVERTER =
            new MappingJackson2HttpMessageConverter(JSON.getBean(ObjectMapper.class));
    private static final Validator VALIDATOR = JSON.getBean(Validator.class);
    private static final List<Class<?>> REQUEST_TYPES = requestBodyTypes();

    @FuzzTest(maxDuration = "15s")
    void requestBody(FuzzedDataProvider data) throws Exception {
        Class<?> type = REQUEST_TYPES.get(data.consumeInt(0, REQUEST_TYPES.size() - 1));
        byte[] body = data.consumeRemainingAsBytes();
        MockHttpInputMessage message = new MockHttpInputMessage(body);
        message.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        Object value;
        try {
            value = CONVERTER.read(type, message);
        } catch (HttpMessageNotReadableException | IOException e) {
            // an IOException (e.g. a CharConversionException for bytes that look like bad UTF-32) is
            // what Spring MVC's body resolver turns into HttpMessageNotReadableException too: a 400
            return;
        }
        if (value != null) {
            Set<ConstraintViolation<Object>> violations = VALIDATOR.validate(value);
            for (ConstraintViolation<Object> v : violations) {
                assertThat(v.getMessage()).isNotBlank();
            }
        }
    }

    @Test
    void findsTheRequestBodies() {
        assertThat(REQUEST_TYPES).extracting(Class::getSimpleName)
                .contains("CreateKeyRequest", "UpdateKeyRequest", "TargetRequest", "CreateTokenRequest");
    }

    /** The {@code @RequestBody} parameter types of the application's controllers, in a stable order. */
    static List<Class<?>> requestBodyTypes() {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(RestController.class));
        List<Class<?>> types = new ArrayList<>();
        for (BeanDefinition controller : scanner.findCandidateComponents("io.sluice")) {
            Class<?> c = ClassUtils.resolveClassName(controller.getBeanClassName(), null);
            for (Method method : c.getDeclaredMethods()) {
                for (Parameter p : method.getParameters()) {
                    if (p.isAnnotationPresent(RequestBody.class) && !types.contains(p.getType())) {
                        types.add(p.getType());
                    }
                }
            }
        }
        types.sort(Comparator.comparing(Class::getName));
        return types;
    }
}
