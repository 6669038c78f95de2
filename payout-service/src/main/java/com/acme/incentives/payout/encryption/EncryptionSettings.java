package com.acme.incentives.payout.encryption;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Map;
import java.util.Optional;

/**
 * {@code payout.encryption.*}: the field-encryption keys, by version, and the re-encryption job (README
 * "Configuration"; deploy/k8s/README.md "Rotating the field-encryption key").
 */
@ConfigMapping(prefix = "payout.encryption")
public interface EncryptionSettings {

    /**
     * Key version 1 (base64 of 32 bytes; {@code PAYOUT_ENCRYPTION_KEY}). It keeps its own name so that a deployment
     * that has never rotated changes nothing.
     */
    Optional<String> key();

    /**
     * Further key versions 2..255 by number: {@code payout.encryption.keys.2} (environment
     * {@code PAYOUT_ENCRYPTION_KEYS_2}). A version stays here as long as any stored value may still be under it.
     */
    Map<Integer, String> keys();

    /** The version new values are written with. Its key must be configured, or the service does not start. */
    @WithDefault("1")
    int currentVersion();

    /** Only deploy/local/services.sh sets it (PAYOUT_ENCRYPTION_ALLOW_LOCAL_ONLY_KEY): a laptop running the jar. */
    @WithDefault("false")
    boolean allowLocalOnlyKey();

    /**
     * How often {@link FieldReencryption} looks for stored values not under the current version ({@code off} in
     * tests, which run it themselves; its {@code @Scheduled} reads the same key).
     */
    @WithDefault("15m")
    String reencryptEvery();

    /** Account identifiers re-encrypted per transaction (bank_profile, bank_profile_version rows). */
    @WithDefault("100")
    int reencryptBatchSize();

    /** Bank files re-sealed per transaction: a file can be 15 MB, held twice in memory (old and new) while it is. */
    @WithDefault("2")
    int reencryptFilesPerBatch();
}
