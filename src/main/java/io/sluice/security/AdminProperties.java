package io.sluice.security;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code sluice.admin.*}: the first administrator. Without a password one is generated at the first
 * start and printed once in the log ({@code SLUICE_ADMIN_PASSWORD} sets it from the environment).
 */
@ConfigurationProperties("sluice.admin")
public record AdminProperties(@DefaultValue("admin") String username, String password) {
}
