package io.sluice.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.HeadersConfigurer;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;
import org.springframework.security.web.csrf.CsrfFilter;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.util.matcher.RequestHeaderRequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Everything under {@code /api} needs an API token (Bearer), HTTP Basic as an administrator, or the
 * dashboard's session (with its CSRF token); the dashboard signs in with a form. {@code
 * /actuator/health} is public, the other actuator endpoints need the admin scope.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    ProblemAuthenticationEntryPoint problemEntryPoint(ObjectMapper json) {
        return new ProblemAuthenticationEntryPoint(json);
    }

    @Bean
    @Order(1)
    SecurityFilterChain api(HttpSecurity http, ApiTokens tokens, ProblemAuthenticationEntryPoint problems,
                            LoginThrottle throttle) throws Exception {
        http.securityMatcher(r -> r.getServletPath().startsWith("/api/") || r.getServletPath().startsWith("/actuator/")
                        || r.getServletPath().endsWith(".flv"))
                .authorizeHttpRequests(a -> a
                        .requestMatchers("/actuator/health", "/actuator/health/**").permitAll()
                        // HTTP-FLV decides itself: a signed-in user, or the same play policy as RTMP players
                        .requestMatchers(r -> r.getServletPath().endsWith(".flv")).permitAll()
                        .requestMatchers("/actuator/**").hasAuthority(Scope.ADMIN.authority())
                        .anyRequest().authenticated())
                .httpBasic(b -> b.authenticationEntryPoint(problems))
                .addFilterBefore(throttle.filter(), BasicAuthenticationFilter.class)
                .addFilterBefore(new ApiTokenAuthenticationFilter(tokens, problems), BasicAuthenticationFilter.class)
                // scripts authenticate every request (Bearer or Basic): no CSRF there; the dashboard's
                // session cookie is protected by the CSRF token it sends back in a header
                .csrf(c -> c.csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                        .csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler())
                        .ignoringRequestMatchers(r -> r.getHeader("Authorization") != null))
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                // JSON and FLV only: nothing here may run scripts, load anything or be framed
                .headers(h -> securityHeaders(h, "default-src 'none'; frame-ancestors 'none'"));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain web(HttpSecurity http, LoginThrottle throttle, ProblemAuthenticationEntryPoint problems)
            throws Exception {
        http.authorizeHttpRequests(a -> a
                        .requestMatchers("/login", "/login.html", "/error", "/v3/api-docs/**", "/swagger-ui/**",
                                "/swagger-ui.html", "/favicon.ico", "/assets/**")
                        .permitAll()
                        .anyRequest().authenticated())
                // the dashboard's own sign-in page (frontend/login.html) posts the form to /login
                .formLogin(f -> f.loginPage("/login.html").loginProcessingUrl("/login")
                        .failureUrl("/login.html?error").permitAll())
                .logout(l -> l.logoutSuccessUrl("/login.html?logout").permitAll())
                .csrf(c -> c.csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
                        .csrfTokenRequestHandler(new CsrfTokenRequestAttributeHandler()))
                // static pages render no token: load it on every request so that the XSRF-TOKEN cookie is written
                .addFilterAfter(csrfCookie(), CsrfFilter.class)
                // the dashboard's scripts get a 401 problem, not a redirect to the sign-in page
                .exceptionHandling(e -> e.defaultAuthenticationEntryPointFor(problems,
                        new RequestHeaderRequestMatcher("X-Requested-With", "XMLHttpRequest")))
                .addFilterBefore(throttle.filter(), UsernamePasswordAuthenticationFilter.class)
                // the Vite build loads its scripts from /assets (no inline script); mpegts.js plays through
                // MediaSource (blob: media) from a blob: worker
                .headers(h -> securityHeaders(h, "default-src 'self'; img-src 'self' data:; "
                        + "style-src 'self' 'unsafe-inline'; media-src 'self' blob:; worker-src 'self' blob:; "
                        + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"));
        return http.build();
    }

    /**
     * The headers every response gets, on top of Spring Security's defaults (X-Content-Type-Options:
     * nosniff, no-cache for authenticated pages, HSTS on HTTPS requests only): the given policy, no
     * framing and no Referer leaving the dashboard (its URLs may carry play tokens).
     */
    private static void securityHeaders(HeadersConfigurer<HttpSecurity> headers, String contentSecurityPolicy) {
        headers.contentSecurityPolicy(csp -> csp.policyDirectives(contentSecurityPolicy))
                .frameOptions(HeadersConfigurer.FrameOptionsConfig::deny)
                .referrerPolicy(r -> r.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER));
    }

    /** Loads the deferred CSRF token, so that the cookie repository writes XSRF-TOKEN for the dashboard. */
    private static OncePerRequestFilter csrfCookie() {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                                            FilterChain chain) throws ServletException, IOException {
                CsrfToken token = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
                if (token != null) {
                    token.getToken();
                }
                chain.doFilter(request, response);
            }
        };
    }
}
