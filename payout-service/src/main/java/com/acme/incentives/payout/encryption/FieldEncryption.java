package com.acme.incentives.payout.encryption;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * AES-256-GCM for bank account identifiers at rest, with versioned keys so the key can be rotated without downtime
 * (deploy/k8s/README.md "Rotating the field-encryption key"). Stored form: {@code v<n>:<base64(iv ‖ ciphertext+tag)>}
 * and, for documents, the version byte n then iv, ciphertext and tag; n is the key version (1..255) the value was
 * written with. Values are written with the current version ({@code payout.encryption.current-version}) and read
 * with the key of their own version, so values written before a rotation stay readable until
 * {@link FieldReencryption} has rewritten them. Version 1 is {@code payout.encryption.key}, the one key of every
 * deployment before versions existed: its values ({@code v1:}, byte 1) are exactly what was stored before. GCM
 * authenticates, so a tampered value, or one read with the wrong key, fails to decrypt instead of yielding a wrong
 * account number.
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
    /** A document's version is one byte: versions are 1..255 for both forms, so one key version serves both. */
    static final int MAX_VERSION = 255;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    @Inject
    EncryptionSettings settings;

    private Map<Integer, SecretKeySpec> keys;
    private int current;
    private final SecureRandom random = new SecureRandom();

    @PostConstruct
    void init() {
        boolean production = LaunchMode.current() == LaunchMode.NORMAL;
        Map<Integer, String> configured = new TreeMap<>();
        settings.key().ifPresent(k -> configured.put(1, k));
        settings.keys().forEach((version, k) -> {
            if (version == 1) {
                // Two names for one version would leave it unclear which key reads v1 values.
                throw new IllegalStateException("payout.encryption.keys.1 (PAYOUT_ENCRYPTION_KEYS_1) is not allowed:"
                        + " key version 1 is payout.encryption.key (PAYOUT_ENCRYPTION_KEY)");
            }
            if (version < 1 || version > MAX_VERSION) {
                throw new IllegalStateException("payout.encryption.keys." + version + ": key versions are 2.."
                        + MAX_VERSION + " (a sealed document stores its version in one byte)");
            }
            configured.put(version, k);
        });
        int currentVersion = settings.currentVersion();
        if (currentVersion < 1 || currentVersion > MAX_VERSION) {
            throw new IllegalStateException("payout.encryption.current-version is " + currentVersion
                    + ": key versions are 1.." + MAX_VERSION);
        }
        if (!configured.containsKey(currentVersion)) {
            if (currentVersion == 1) {
                requireUsableKey(production, null, settings.allowLocalOnlyKey()); // says which variable to set
            }
            throw new IllegalStateException("payout.encryption.current-version is " + currentVersion + " but key"
                    + " version " + currentVersion + " is not set: set " + envName(currentVersion) + " first, as a"
                    + " known version on every replica, then make it current (deploy/k8s/README.md, \"Rotating the"
                    + " field-encryption key\")");
        }
        Map<Integer, SecretKeySpec> loaded = new TreeMap<>();
        configured.forEach((version, k) -> loaded.put(version,
                secretKey(version, requireUsableKey(version, production, k, settings.allowLocalOnlyKey()))));
        keys = Collections.unmodifiableMap(loaded);
        current = currentVersion;
        LOG.infof("Field encryption: new values under key version %d; values under key versions %s can be read",
                current, keys.keySet());
    }

    private static SecretKeySpec secretKey(int version, String configured) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(configured);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(propertyName(version) + " (" + envName(version) + ") is not base64");
        }
        if (raw.length != 32) {
            throw new IllegalStateException(propertyName(version) + " must be 32 bytes, base64-encoded (AES-256)");
        }
        if (LOCAL_ONLY_KEY.equals(configured)) {
            LOG.warnf("%s is the LOCAL-ONLY key: never use it outside a laptop", propertyName(version));
        }
        return new SecretKeySpec(raw, "AES");
    }

    /** Where key {@code version} is configured: payout.encryption.key for 1, payout.encryption.keys.n after. */
    static String propertyName(int version) {
        return version == 1 ? "payout.encryption.key" : "payout.encryption.keys." + version;
    }

    /** Its environment variable (SmallRye Config maps PAYOUT_ENCRYPTION_KEYS_2 to payout.encryption.keys.2). */
    static String envName(int version) {
        return version == 1 ? "PAYOUT_ENCRYPTION_KEY" : "PAYOUT_ENCRYPTION_KEYS_" + version;
    }

    /** {@link #requireUsableKey(int, boolean, String, boolean)} for key version 1. */
    static String requireUsableKey(boolean production, String configured, boolean allowLocalOnlyKey) {
        return requireUsableKey(1, production, configured, allowLocalOnlyKey);
    }

    /**
     * The production (prod profile) start-up check, for every key version configured: without a key of its own, or
     * with the LOCAL-ONLY key that is published in this repository, the service refuses to start rather than encrypt
     * real account numbers with a key everybody has. The one exception is a local run of the production jar that
     * says so explicitly.
     */
    static String requireUsableKey(int version, boolean production, String configured, boolean allowLocalOnlyKey) {
        if (configured == null || configured.isBlank()) {
            throw new IllegalStateException(propertyName(version) + " is not set: set " + envName(version)
                    + " to this deployment's AES-256 key (base64 of 32 bytes) from its secret store");
        }
        if (production && LOCAL_ONLY_KEY.equals(configured.trim()) && !allowLocalOnlyKey) {
            throw new IllegalStateException("Refusing to start in the prod profile with the LOCAL-ONLY encryption"
                    + " key" + (version == 1 ? "" : " as key version " + version) + " (it is published in the"
                    + " repository): set " + envName(version) + " to this deployment's own AES-256 key from its"
                    + " secret store (deploy/local/services.sh alone may accept the local key, with"
                    + " PAYOUT_ENCRYPTION_ALLOW_LOCAL_ONLY_KEY=true)");
        }
        return configured.trim();
    }

    /** The key version new values are written with. */
    public int currentVersion() {
        return current;
    }

    /** How a text value written under key {@code version} begins: {@code v2:}. */
    public static String textPrefix(int version) {
        return "v" + version + ":";
    }

    public String encrypt(String plain) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(current), new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return textPrefix(current) + Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Encryption failed", e);
        }
    }

    /**
     * Seals a document (a bank file: it names whole accounts) for storage: version byte, then IV, ciphertext and
     * tag, as {@link #encrypt} but binary, so a 15 MB file is not base64-inflated in the database.
     */
    public byte[] seal(byte[] plain) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(current), new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(1 + iv.length + sealed.length).put((byte) current).put(iv).put(sealed)
                    .array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Encryption failed", e);
        }
    }

    public byte[] open(byte[] stored) {
        if (stored.length < 1 + IV_BYTES || stored[0] == 0) {
            throw new IllegalStateException("Unknown sealed document version");
        }
        int version = stored[0] & 0xff;
        SecretKeySpec key = keys.get(version);
        if (key == null) {
            throw new IllegalStateException("Unknown sealed document version", missingKey(version));
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
        int colon = stored.indexOf(':');
        int version = colon > 1 && stored.charAt(0) == 'v' ? version(stored.substring(1, colon)) : 0;
        if (version == 0) {
            throw new IllegalStateException("Unknown ciphertext version");
        }
        SecretKeySpec key = keys.get(version);
        if (key == null) {
            throw new IllegalStateException("Unknown ciphertext version", missingKey(version));
        }
        byte[] all;
        try {
            all = Base64.getDecoder().decode(stored.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Decryption failed (wrong key or tampered value)", e);
        }
        if (all.length < IV_BYTES) {
            throw new IllegalStateException("Decryption failed (wrong key or tampered value)");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
            return new String(cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Decryption failed (wrong key or tampered value)", e);
        }
    }

    /**
     * Why a value's version cannot be read here. It is the cause of the "Unknown … version" exception (whose message
     * callers and tests already rely on), so the log names the version and the setting that is missing.
     */
    private IllegalStateException missingKey(int version) {
        return new IllegalStateException("No key for key version " + version + " here (known: " + keys.keySet()
                + "): set " + propertyName(version) + " (" + envName(version) + ") while values under it are stored");
    }

    /** The version of a text value's prefix ("2" of "v2:"), written as {@link #textPrefix} writes it; else 0. */
    private static int version(String digits) {
        if (digits.isEmpty() || digits.length() > 3 || digits.charAt(0) == '0'
                || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return 0;
        }
        int version = Integer.parseInt(digits);
        return version <= MAX_VERSION ? version : 0;
    }
}
