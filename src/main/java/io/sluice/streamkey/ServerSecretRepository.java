package io.sluice.streamkey;

import org.springframework.data.jpa.repository.JpaRepository;

interface ServerSecretRepository extends JpaRepository<ServerSecret, String> {
}
