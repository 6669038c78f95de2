package com.acme.incentives.payout.service;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.interceptor.Interceptor;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * AES-256-GCM for bank account identifiers at rest. Stored form: {@code v1:<base64(iv ‖ ciphertext+tag)>}; the
 * version prefix leaves room for key rotation. GCM authenticates, so a tampered value fails to decrypt instead of
 * yielding a wrong account number.
 */
@ApplicationScoped
// First of all start-up work: a refused key must stop the service before its Kafka consumers start (messaging starts
// at LIBRARY_BEFORE); otherwise events consumed during the failing start-up would be retried against a closing
// service and dead-lettered.
@Startup(Interceptor.Priority.PLATFORM_BEFORE)
public class FieldEncryption {

    private static final Logger LOG = Logger.getLogger(FieldEncryption.class);
    /** The key deploy/local runs with (it is in this repository, so it protects nothing); refused in production. */
    static final String LOCAL_ONLY_KEY = "TE9DQUwtT05MWS1kby1ub3QtdXNlLWluLXByb2QhISE=";
    private static final String PREFIX = "v1:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final byte SEALED_V1 = 1;

    @ConfigProperty(name = "payout.encryption.key")
    Optional<String> base64Key;

    /** Only deploy/local/services.sh sets it (PAYOUT_ENCRYPTION_ALLOW_LOCAL_ONLY_KEY): a laptop running the jar. */
    @ConfigProperty(name = "payout.encryption.allow-local-only-key", defaultValue = "false")
    boolean allowLocalOnlyKey;

    private SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    @PostConstruct
    void init() {
        String configured = requireUsableKey(LaunchMode.current() == LaunchMode.NORMAL, base64Key.orElse(null),
                allowLocalOnlyKey);
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(configured);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("payout.encryption.key (PAYOUT_ENCRYPTION_KEY) is not base64");
        }
        if (raw.length != 32) {
            throw new IllegalStateException("payout.encryption.key must be 32 bytes, base64-encoded (AES-256)");
        }
        if (LOCAL_ONLY_KEY.equals(configured)) {
            LOG.warn("payout.encryption.key is the LOCAL-ONLY key: never use it outside a laptop");
        }
        key = new SecretKeySpec(raw, "AES");
    }

    /**
     * The production (prod profile) start-up check: without a key of its own, or with the LOCAL-ONLY key that is
     * published in this repository, the service refuses to start rather than encrypt real account numbers with a
     * key everybody has. The one exception is a local run of the production jar that says so explicitly.
     */
    static String requireUsableKey(boolean production, String configured, boolean allowLocalOnlyKey) {
        if (configured == null || configured.isBlank()) {
            throw new IllegalStateException("payout.encryption.key is not set: set PAYOUT_ENCRYPTION_KEY to this"
                    + " deployment's AES-256 key (base64 of 32 bytes) from its secret store");
        }
        if (production && LOCAL_ONLY_KEY.equals(configured.trim()) && !allowLocalOnlyKey) {
            throw new IllegalStateException("Refusing to start in the prod profile with the LOCAL-ONLY encryption"
                    + " key (it is published in the repository): set PAYOUT_ENCRYPTION_KEY to this deployment's own"
                    + " AES-256 key from its secret store (deploy/local/services.sh alone may accept the local key,"
                    + " with PAYOUT_ENCRYPTION_ALLOW_LOCAL_ONLY_KEY=true)");
        }
        return configured.trim();
    }

    public String encrypt(String plain) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Encryption failed", e);
        }
    }

    /**
     * Seals a document (a bank file: it names whole accounts) for storage: version byte 1, then IV, ciphertext and
     * tag, as {@link #encrypt} but binary, so a 15 MB file is not base64-inflated in the database.
     */
    public byte[] seal(byte[] plain) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(1 + iv.length + sealed.length).put(SEALED_V1).put(iv).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Encryption failed", e);
        }
    }

    public byte[] open(byte[] stored) {
        if (stored.length < 1 + IV_BYTES || stored[0] != SEALED_V1) {
            throw new IllegalStateException("Unknown sealed document version");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 1, IV_BYTES));
            return cipher.doFinal(stored, 1 + IV_BYTES, stored.length - 1 - IV_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Decryption failed (wrong key or tampered document)", e);
        }
    }

    public String decrypt(String stored) {
        if (!stored.startsWith(PREFIX)) {
            throw new IllegalStateException("Unknown ciphertext version");
        }
        try {
            byte[] all = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
            return new String(cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Decryption failed (wrong key or tampered value)", e);
        }
    }
}
