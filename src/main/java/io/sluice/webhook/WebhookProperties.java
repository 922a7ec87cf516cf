package io.sluice.webhook;

import io.sluice.system.OutboundUrls;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code sluice.webhooks.*}: the auth callbacks and notifications. A hook is active when it has a URL.
 * Invalid settings fail the start with a message naming the property.
 *
 * @param hooks                   from hook ({@code on-connect}, {@code on-publish}, {@code on-play},
 *                                {@code on-publish-done}, {@code on-play-done}, {@code on-disconnect},
 *                                {@code on-record-done}) to its settings
 * @param deliveryLogSize         how many recent calls {@code GET /api/webhooks/deliveries} keeps
 * @param maxPendingNotifications notifications waiting to be delivered (including retries) beyond which
 *                                new ones are dropped and counted as failures
 * @param allowedHosts            empty (default): callbacks may go to any host; else only to these host
 *                                names ({@code *.example.com} for subdomains). See {@link OutboundUrls}.
 * @param blockPrivateAddresses   also refuse callback URLs to loopback and private addresses (default
 *                                false); link-local addresses (cloud metadata) are always refused
 */
@ConfigurationProperties("sluice.webhooks")
public record WebhookProperties(Map<Hook, HookSettings> hooks,
                                @DefaultValue("200") int deliveryLogSize,
                                @DefaultValue("10000") int maxPendingNotifications,
                                @DefaultValue List<String> allowedHosts,
                                @DefaultValue("false") boolean blockPrivateAddresses) {

    private static final String PREFIX = "sluice.webhooks.";
    private static final Set<String> SCHEMES = Set.of("http", "https");

    @ConstructorBinding
    public WebhookProperties {
        allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
        OutboundUrls.HostPolicy policy = new OutboundUrls.HostPolicy(allowedHosts, blockPrivateAddresses);
        EnumMap<Hook, HookSettings> copy = new EnumMap<>(Hook.class);
        if (hooks != null) {
            copy.putAll(hooks);
        }
        copy.forEach((hook, settings) -> validate(hook, settings, policy));
        hooks = Collections.unmodifiableMap(copy);
        if (deliveryLogSize < 1 || deliveryLogSize > 100_000) {
            throw new IllegalArgumentException(PREFIX + "delivery-log-size must be between 1 and 100000, but is "
                    + deliveryLogSize);
        }
        if (maxPendingNotifications < 1) {
            throw new IllegalArgumentException(PREFIX + "max-pending-notifications must be at least 1, but is "
                    + maxPendingNotifications);
        }
    }

    /** Any host, private addresses included. */
    public WebhookProperties(Map<Hook, HookSettings> hooks, int deliveryLogSize, int maxPendingNotifications) {
        this(hooks, deliveryLogSize, maxPendingNotifications, List.of(), false);
    }

    /** The settings of {@code hook}, if it is configured. */
    public Optional<HookSettings> hook(Hook hook) {
        return Optional.ofNullable(hooks.get(hook));
    }

    /** Whether any notification (not gate) hook is configured. */
    boolean anyNotification() {
        return hooks.keySet().stream().anyMatch(h -> !h.gate());
    }

    private static void validate(Hook hook, HookSettings settings, OutboundUrls.HostPolicy policy) {
        String property = PREFIX + "hooks." + hook.propertyName() + ".";
        if (settings == null || settings.url() == null || settings.url().isBlank()) {
            throw new IllegalArgumentException(property + "url is required (an http:// or https:// URL)");
        }
        String why = invalidUrl(settings.url(), policy);
        if (why != null) {
            throw new IllegalArgumentException(property + "url must be an absolute http:// or https:// URL ("
                    + why + "), but is '" + settings.url() + "'");
        }
        if (settings.timeout().isNegative() || settings.timeout().isZero()) {
            throw new IllegalArgumentException(property + "timeout must be positive, but is " + settings.timeout());
        }
        if (settings.retries() < 0 || settings.retries() > 20) {
            throw new IllegalArgumentException(property + "retries must be between 0 and 20, but is "
                    + settings.retries());
        }
        if (settings.backoff().isNegative() || settings.backoff().isZero()) {
            throw new IllegalArgumentException(property + "backoff must be positive, but is " + settings.backoff());
        }
    }

    private static String invalidUrl(String url, OutboundUrls.HostPolicy policy) {
        String refusal = OutboundUrls.refusal(url, SCHEMES, policy);
        if (refusal != null) {
            return refusal.startsWith("user info") ? refusal + "; use the secret for authentication" : refusal;
        }
        return URI.create(url.trim()).getRawFragment() != null ? "a fragment is not allowed" : null;
    }

    /** How a hook is called. */
    public enum Format {
        /** nginx-rtmp compatible: a form POST; 2xx allows, 3xx with Location renames, anything else denies. */
        NGINX,
        /** A JSON POST of {@link WebhookPayload}; 2xx allows, an optional {@link WebhookReply} refines. */
        JSON
    }

    /** What a gate decides when its callback times out, cannot be reached or answers garbage. */
    public enum FailurePolicy { DENY, ALLOW }

    /**
     * One hook.
     *
     * @param url           where to POST (http or https)
     * @param format        {@code JSON} (default) or {@code NGINX}
     * @param timeout       the whole call, connect to last byte of the reply (default 5s)
     * @param failurePolicy gates only: {@code DENY} (default) or {@code ALLOW} when the call fails
     * @param secret        optional; signs each body: {@code X-Sluice-Signature: sha256=<hex HMAC-SHA256>}
     * @param retries       notifications only: retries after a failed attempt (default 3)
     * @param backoff       notifications only: the delay before the first retry, doubling after each (default 1s)
     */
    public record HookSettings(String url,
                               @DefaultValue("JSON") Format format,
                               @DefaultValue("5s") Duration timeout,
                               @DefaultValue("DENY") FailurePolicy failurePolicy,
                               String secret,
                               @DefaultValue("3") int retries,
                               @DefaultValue("1s") Duration backoff) {

        public HookSettings {
            url = url == null ? null : url.trim();
            format = format == null ? Format.JSON : format;
            timeout = timeout == null ? Duration.ofSeconds(5) : timeout;
            failurePolicy = failurePolicy == null ? FailurePolicy.DENY : failurePolicy;
            secret = secret == null || secret.isEmpty() ? null : secret;
            backoff = backoff == null ? Duration.ofSeconds(1) : backoff;
        }

        /** Whether bodies are signed. */
        public boolean signed() {
            return secret != null;
        }

        /** Never shows the secret. */
        @Override
        public String toString() {
            return "HookSettings[url=" + Urls.redact(url) + ", format=" + format + ", timeout=" + timeout
                    + ", failurePolicy=" + failurePolicy + ", secret=" + (secret == null ? "none" : "******")
                    + ", retries=" + retries + ", backoff=" + backoff + "]";
        }
    }
}
