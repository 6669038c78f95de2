package com.acme.incentives.payout.service;

import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
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

/**
 * AES-256-GCM for bank account identifiers at rest. Stored form: {@code v1:<base64(iv ‖ ciphertext+tag)>}; the
 * version prefix leaves room for key rotation. GCM authenticates, so a tampered value fails to decrypt instead of
 * yielding a wrong account number.
 */
@ApplicationScoped
@Startup
public class FieldEncryption {

    private static final Logger LOG = Logger.getLogger(FieldEncryption.class);
    /** The key in application.properties for local runs only; production sets PAYOUT_ENCRYPTION_KEY. */
    static final String LOCAL_ONLY_KEY = "TE9DQUwtT05MWS1kby1ub3QtdXNlLWluLXByb2QhISE=";
    private static final String PREFIX = "v1:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    @ConfigProperty(name = "payout.encryption.key")
    String base64Key;

    private SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    @PostConstruct
    void init() {
        byte[] raw = Base64.getDecoder().decode(base64Key);
        if (raw.length != 32) {
            throw new IllegalStateException("payout.encryption.key must be 32 bytes, base64-encoded (AES-256)");
        }
        if (LOCAL_ONLY_KEY.equals(base64Key)) {
            LOG.warn("payout.encryption.key is the LOCAL-ONLY default: set PAYOUT_ENCRYPTION_KEY outside a laptop");
        }
        key = new SecretKeySpec(raw, "AES");
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
