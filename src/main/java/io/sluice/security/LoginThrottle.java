package io.sluice.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Slows down password guessing: after {@value #FREE_FAILURES} failed sign-ins from one address, that
 * address must wait 1 s, twice as long after each further failure (up to 15 minutes), and gets 429
 * until then. A successful sign-in clears it; failures an hour old are forgotten.
 */
@Component
class LoginThrottle {
    static final int FREE_FAILURES = 5;
    private static final AddressThrottle.Policy POLICY = new AddressThrottle.Policy(FREE_FAILURES, Duration.ZERO,
            FREE_FAILURES, Duration.ofSeconds(1), Duration.ofMinutes(15), Duration.ofHours(1), 100_000);

    private final AddressThrottle failures = new AddressThrottle(POLICY, Clock.systemUTC());

    @EventListener
    void onFailure(AbstractAuthenticationFailureEvent event) {
        String address = currentAddress();
        if (address != null) {
            failures.failed(address);
        }
    }

    @EventListener
    void onSuccess(AuthenticationSuccessEvent event) {
        String address = currentAddress();
        if (address != null) {
            failures.succeeded(address);
        }
    }

    private static String currentAddress() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes a
                ? a.getRequest().getRemoteAddr() : null;
    }

    /** The filter that answers 429 while an address must wait (placed before authentication). */
    OncePerRequestFilter filter() {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                                            FilterChain chain) throws ServletException, IOException {
                refuseOrContinue(request, response, chain);
            }
        };
    }

    private void refuseOrContinue(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long waitMillis = failures.check(request.getRemoteAddr()).blockedFor().toMillis();
        if (waitMillis > 0 && carriesCredentials(request)) {
            response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
            response.setHeader("Retry-After", Long.toString((waitMillis + 999) / 1000));
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Too Many Requests\",\"status\":429,"
                    + "\"detail\":\"Too many failed sign-ins from this address; try again in "
                    + ((waitMillis + 999) / 1000) + " s.\"}");
            return;
        }
        chain.doFilter(request, response);
    }

    private static boolean carriesCredentials(HttpServletRequest request) {
        return request.getHeader("Authorization") != null
                || "POST".equals(request.getMethod()) && "/login".equals(request.getServletPath());
    }
}
