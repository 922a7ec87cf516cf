package io.sluice.security;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Administrators: sign-in lookup, and the first account created at start-up. */
@Service
class AdminAccounts implements UserDetailsService, ApplicationRunner {
    private static final Logger log = LoggerFactory.getLogger(AdminAccounts.class);

    private final AdminAccountRepository accounts;
    private final PasswordEncoder passwordEncoder;
    private final AdminProperties properties;

    AdminAccounts(AdminAccountRepository accounts, PasswordEncoder passwordEncoder, AdminProperties properties) {
        this.accounts = accounts;
        this.passwordEncoder = passwordEncoder;
        this.properties = properties;
    }

    @Override
    @Transactional(readOnly = true)
    public UserDetails loadUserByUsername(String username) {
        AdminAccount account = accounts.findByUsername(username)
                .orElseThrow(() -> new UsernameNotFoundException("no such administrator"));
        List<SimpleGrantedAuthority> authorities = new ArrayList<>();
        authorities.add(new SimpleGrantedAuthority("ROLE_ADMIN"));
        Scope.allAuthorities().forEach(a -> authorities.add(new SimpleGrantedAuthority(a)));
        return User.withUsername(account.username()).password(account.passwordHash()).authorities(authorities).build();
    }

    /** Creates the first administrator, or applies a configured password to it. */
    @Override
    @Transactional
    public void run(ApplicationArguments args) {
        String configured = properties.password();
        var existing = accounts.findByUsername(properties.username());
        if (existing.isPresent()) {
            if (configured != null && !configured.isBlank()
                    && !passwordEncoder.matches(configured, existing.get().passwordHash())) {
                existing.get().changePasswordHash(passwordEncoder.encode(configured));
                log.info("Administrator '{}': password set from sluice.admin.password", properties.username());
            }
            return;
        }
        if (accounts.count() > 0) {
            return;
        }
        String password = configured;
        if (password == null || password.isBlank()) {
            password = Secrets.random(12);
            log.warn("\n\n  Created administrator '{}' with the generated password: {}\n"
                    + "  It is shown only this once. Set sluice.admin.password (SLUICE_ADMIN_PASSWORD) to choose one.\n",
                    properties.username(), password);
        } else {
            log.info("Created administrator '{}' with the configured password", properties.username());
        }
        accounts.save(new AdminAccount(properties.username(), passwordEncoder.encode(password)));
    }
}
