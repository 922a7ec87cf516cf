package io.sluice.streamkey;

import java.time.Clock;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The play-token HMAC key: 32 random bytes stored in the database on first use, so tokens survive a
 * restart and every instance sharing the database agrees. Cached once read; never logged.
 */
@Component
class ServerSecrets {
    static final String PLAY_TOKEN_KEY = "play-token-hmac";
    private static final Logger log = LoggerFactory.getLogger(ServerSecrets.class);

    private final ServerSecretRepository repository;
    private final TransactionTemplate newTransaction;
    private final Clock clock = Clock.systemUTC();
    private volatile byte[] playTokenKey;

    ServerSecrets(ServerSecretRepository repository, PlatformTransactionManager transactions) {
        this.repository = repository;
        // its own transaction: the caller's may be read-only
        this.newTransaction = new TransactionTemplate(transactions);
        this.newTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    /** The play-token HMAC key; may touch the database the first time: never call it on an event loop. */
    byte[] playTokenKey() {
        byte[] key = playTokenKey;
        if (key == null) {
            synchronized (this) {
                key = playTokenKey;
                if (key == null) {
                    key = Base64.getUrlDecoder().decode(loadOrCreate(PLAY_TOKEN_KEY));
                    if (key.length < 32) {
                        throw new IllegalStateException("server secret '" + PLAY_TOKEN_KEY + "' is too short");
                    }
                    playTokenKey = key;
                }
            }
        }
        return key;
    }

    private String loadOrCreate(String name) {
        String existing = newTransaction.execute(tx -> repository.findById(name).map(ServerSecret::getSecret)
                .orElse(null));
        if (existing != null) {
            return existing;
        }
        try {
            String secret = KeySecrets.random(32);
            newTransaction.executeWithoutResult(tx -> repository.saveAndFlush(
                    new ServerSecret(name, secret, clock.instant())));
            log.info("created the server secret '{}'", name);
            return secret;
        } catch (DataIntegrityViolationException raced) {
            // another instance created it at the same moment: use theirs
            return newTransaction.execute(tx -> repository.findById(name).map(ServerSecret::getSecret)
                    .orElseThrow(() -> raced));
        }
    }
}
