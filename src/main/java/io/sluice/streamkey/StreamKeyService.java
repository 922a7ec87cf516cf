package io.sluice.streamkey;

import io.sluice.live.KeyDisabler;
import io.sluice.streamkey.StreamKeyDtos.CreateKeyRequest;
import io.sluice.streamkey.StreamKeyDtos.IssuedPlayToken;
import io.sluice.streamkey.StreamKeyDtos.IssuedSecret;
import io.sluice.streamkey.StreamKeyDtos.KeyPage;
import io.sluice.streamkey.StreamKeyDtos.KeyState;
import io.sluice.streamkey.StreamKeyDtos.KeyView;
import io.sluice.streamkey.StreamKeyDtos.UpdateKeyRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Page;
import org.springframework.data.domain.PageRequest;
import org.springframework.data.domain.Sort;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Stream keys: create, list, change, enable/disable, rotate, delete, and play tokens. Input is
 * validated by the controller's bean validation; the rules that span fields are checked here. The
 * secret leaves this class only in an {@link IssuedSecret}.
 */
@Service
@Transactional
public class StreamKeyService implements KeyDisabler {
    private static final Logger log = LoggerFactory.getLogger(StreamKeyService.class);

    private final StreamKeyRepository keys;
    private final LivePublishes live;
    private final PlayTokens playTokens;
    private final Clock clock;

    @Autowired
    StreamKeyService(StreamKeyRepository keys, LivePublishes live, PlayTokens playTokens) {
        this(keys, live, playTokens, Clock.systemUTC());
    }

    StreamKeyService(StreamKeyRepository keys, LivePublishes live, PlayTokens playTokens, Clock clock) {
        this.keys = keys;
        this.live = live;
        this.playTokens = playTokens;
        this.clock = clock;
    }

    public IssuedSecret create(CreateKeyRequest request) {
        Instant now = clock.instant();
        String app = request.app() == null ? StreamKeyDtos.DEFAULT_APP : request.app();
        checkWindow(request.notBefore(), request.notAfter());
        String publicName;
        if (request.publicName() != null) {
            publicName = request.publicName();
            if (keys.existsByAppAndPublicName(app, publicName)) {
                throw StreamKeyProblem.duplicatePublicName(app, publicName);
            }
        } else {
            publicName = uniqueSlug(app, request.label());
        }
        String secret = KeySecrets.newSecret();
        StreamKey key = new StreamKey(request.label().trim(), app, publicName, KeySecrets.hash(secret),
                KeySecrets.displayPrefix(secret), now);
        key.update(key.getLabel(), publicName, request.enabled() == null || request.enabled(), request.notBefore(),
                request.notAfter(), request.autoRecord() != null && request.autoRecord(),
                request.maxPublishers() == null ? 1 : request.maxPublishers(), now);
        key = save(key);
        log.info("stream key {} ({}, '{}') created for {}/{}", key.getId(), key.getSecretPrefix(), key.getLabel(), app,
                publicName);
        return new IssuedSecret(view(key, now), secret);
    }

    @Transactional(readOnly = true)
    public KeyPage list(String label, String app, Boolean enabled, int page, int size) {
        Instant now = clock.instant();
        Page<StreamKey> result = keys.findAll(StreamKeyRepository.filter(label, app, enabled),
                PageRequest.of(page, size, Sort.by(Sort.Order.desc("createdAt"), Sort.Order.desc("id"))));
        return new KeyPage(result.getContent().stream().map(k -> view(k, now)).toList(), result.getNumber(),
                result.getSize(), result.getTotalElements(), result.getTotalPages());
    }

    @Transactional(readOnly = true)
    public KeyView get(long id) {
        return view(find(id), clock.instant());
    }

    public KeyView update(long id, UpdateKeyRequest request) {
        Instant now = clock.instant();
        StreamKey key = find(id);
        checkWindow(request.notBefore(), request.notAfter());
        String publicName = request.publicName() == null ? key.getPublicName() : request.publicName();
        if (!publicName.equals(key.getPublicName())
                && keys.existsByAppAndPublicNameAndIdNot(key.getApp(), publicName, key.getId())) {
            throw StreamKeyProblem.duplicatePublicName(key.getApp(), publicName);
        }
        key.update(request.label().trim(), publicName, request.enabled(), request.notBefore(), request.notAfter(),
                request.autoRecord(), request.maxPublishers(), now);
        key = save(key);
        log.info("stream key {} ({}) updated", key.getId(), key.getSecretPrefix());
        return view(key, now);
    }

    /** Enables or disables a key; a live publish with a disabled key ends within a few seconds. */
    public KeyView setEnabled(long id, boolean enabled) {
        Instant now = clock.instant();
        StreamKey key = find(id);
        if (key.isEnabled() != enabled) {
            key.setEnabled(enabled, now);
            log.info("stream key {} ({}) {}", key.getId(), key.getSecretPrefix(), enabled ? "enabled" : "disabled");
        }
        return view(key, now);
    }

    /**
     * Gives a key a new secret. The old one keeps working for {@code grace} (zero: not at all; a live
     * publish with it then ends within a few seconds).
     */
    public IssuedSecret rotate(long id, Duration grace) {
        Instant now = clock.instant();
        StreamKey key = find(id);
        String secret = KeySecrets.newSecret();
        Duration g = grace == null || grace.isNegative() ? Duration.ZERO : grace;
        key.rotate(KeySecrets.hash(secret), KeySecrets.displayPrefix(secret), g.isZero() ? null : now.plus(g), now);
        key = save(key);
        log.info("stream key {} rotated to {} (old secret valid for {}s)", key.getId(), key.getSecretPrefix(),
                g.toSeconds());
        return new IssuedSecret(view(key, now), secret);
    }

    public void delete(long id) {
        StreamKey key = find(id);
        keys.delete(key);
        log.info("stream key {} ({}, '{}') deleted", key.getId(), key.getSecretPrefix(), key.getLabel());
    }

    /** A play token for the key's stream, for apps whose play policy is TOKEN. */
    @Transactional(readOnly = true)
    public IssuedPlayToken issuePlayToken(long id, Duration ttl) {
        StreamKey key = find(id);
        Instant expiresAt = clock.instant().plus(ttl).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        return new IssuedPlayToken(playTokens.issue(key.getApp(), key.getPublicName(), expiresAt), expiresAt,
                key.getApp(), key.getPublicName());
    }

    /** For the live API's "kick and disable the key": disables the key publishing {@code app/publicName}. */
    @Override
    public boolean disableKeyOf(String app, String publicName) {
        return keys.findByAppAndPublicName(app, publicName).map(k -> {
            setEnabled(k.getId(), false);
            return true;
        }).orElse(false);
    }

    // ---- helpers --------------------------------------------------------------------------------

    private StreamKey find(long id) {
        return keys.findById(id).orElseThrow(() -> StreamKeyProblem.notFound(id));
    }

    private StreamKey save(StreamKey key) {
        try {
            return keys.saveAndFlush(key);
        } catch (DataIntegrityViolationException e) {
            // a concurrent create or rename took the name between the check and the insert
            throw StreamKeyProblem.duplicatePublicName(key.getApp(), key.getPublicName());
        }
    }

    private static void checkWindow(Instant notBefore, Instant notAfter) {
        if (notBefore != null && notAfter != null && !notAfter.isAfter(notBefore)) {
            throw StreamKeyProblem.invalid("notAfter", "must be after notBefore");
        }
    }

    /** The label's slug, made unique in the app with -2, -3... */
    private String uniqueSlug(String app, String label) {
        String base = KeySecrets.slug(label);
        String candidate = base;
        for (int n = 2; keys.existsByAppAndPublicName(app, candidate); n++) {
            candidate = n <= 100 ? base + "-" + n : base + "-" + KeySecrets.random(6).replace('_', '-');
        }
        return candidate;
    }

    KeyView view(StreamKey k, Instant now) {
        KeyState state = !k.isEnabled() ? KeyState.DISABLED
                : k.getNotBefore() != null && now.isBefore(k.getNotBefore()) ? KeyState.NOT_YET_VALID
                : k.getNotAfter() != null && !now.isBefore(k.getNotAfter()) ? KeyState.EXPIRED
                : KeyState.ACTIVE;
        return new KeyView(Objects.requireNonNull(k.getId()), k.getLabel(), k.getApp(), k.getPublicName(),
                k.getSecretPrefix(), k.isEnabled(), state, k.getNotBefore(), k.getNotAfter(), k.isAutoRecord(),
                k.getMaxPublishers(), live.countFor(k.getId()),
                k.previousSecretValidAt(now) ? k.getPreviousSecretExpiresAt() : null, k.getCreatedAt(),
                k.getUpdatedAt(), k.getLastUsedAt(), k.getLastUsedAddress());
    }
}
