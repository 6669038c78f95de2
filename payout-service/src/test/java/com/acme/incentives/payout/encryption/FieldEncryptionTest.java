package com.acme.incentives.payout.encryption;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bank account numbers and bank files at rest (plain unit tests: the rules, not Quarkus' start-up): the production
 * start-up check on the key, and that AES-GCM gives back exactly what was sealed, with this key only, and refuses
 * anything changed (nonce, ciphertext, tag) instead of answering a wrong account number. Key versions (rotation):
 * each value is read with the key of the version it names, new ones are written with the current version, and every
 * configured key passes the start-up checks. The settings go through SmallRye Config's real mapping.
 */
class FieldEncryptionTest {

    private static final String OWN_KEY = "c2VjcmV0LWtleS1mcm9tLXRoZS1zZWNyZXQtc3RvcmU=";
    private static final String OTHER_KEY = Base64.getEncoder()
            .encodeToString("another-key-of-thirty-two-bytes!".getBytes(StandardCharsets.US_ASCII));
    private static final int IV_BYTES = 12;
    private static final int TAG_BYTES = 16;

    private static final String THIRD_KEY = Base64.getEncoder()
            .encodeToString("a-third-key-thirty-two-bytes-!!!".getBytes(StandardCharsets.US_ASCII));

    private static FieldEncryption withKey(String base64Key) {
        return with(Map.of("payout.encryption.key", base64Key));
    }

    /** A FieldEncryption configured with these payout.encryption.* properties, started as the service starts it. */
    private static FieldEncryption with(Map<String, String> properties) {
        return with(new PropertiesConfigSource(properties, "test", 100));
    }

    private static FieldEncryption with(ConfigSource source) {
        FieldEncryption encryption = new FieldEncryption();
        encryption.settings = new SmallRyeConfigBuilder().withMapping(EncryptionSettings.class).withSources(source)
                .build().getConfigMapping(EncryptionSettings.class);
        encryption.init();
        return encryption;
    }

    /** Key 1 is OWN_KEY, key 2 OTHER_KEY, key 3 THIRD_KEY; new values under {@code current}. */
    private static FieldEncryption threeKeys(int current) {
        return with(Map.of("payout.encryption.key", OWN_KEY, "payout.encryption.keys.2", OTHER_KEY,
                "payout.encryption.keys.3", THIRD_KEY, "payout.encryption.current-version", String.valueOf(current)));
    }

    /** The stored value with one bit of byte {@code index} of its decoded form flipped (negative: from the end). */
    private static String flip(String stored, int index) {
        byte[] all = Base64.getDecoder().decode(stored.substring("v1:".length()));
        all[index < 0 ? all.length + index : index] ^= 1;
        return "v1:" + Base64.getEncoder().encodeToString(all);
    }

    @Test
    void whatIsEncryptedDecryptsToExactlyTheSameText() {
        FieldEncryption encryption = withKey(OWN_KEY);
        for (String plain : new String[] { "DE89370400440532013000", "1234567", "ｶ)ｱｸﾒｼﾞﾔﾊﾟﾝ 山田", "" }) {
            String stored = encryption.encrypt(plain);
            assertThat(stored).startsWith("v1:");
            assertThat(encryption.decrypt(stored)).isEqualTo(plain);
        }
        // A fresh nonce each time: the same account never gives the same stored value (nor reveals that two are equal).
        String first = encryption.encrypt("DE89370400440532013000");
        String second = encryption.encrypt("DE89370400440532013000");
        assertThat(first).isNotEqualTo(second);
        assertThat(Base64.getDecoder().decode(first.substring(3))).hasSize(IV_BYTES + 22 + TAG_BYTES);
        assertThat(encryption.decrypt(second)).isEqualTo("DE89370400440532013000");
        // Another instance with the same key (another replica, or after a restart) reads it.
        assertThat(withKey(OWN_KEY).decrypt(first)).isEqualTo("DE89370400440532013000");
    }

    @Test
    void aChangedNonceCiphertextOrTagIsRefusedNeverDecryptedToSomethingElse() {
        FieldEncryption encryption = withKey(OWN_KEY);
        String stored = encryption.encrypt("DE89370400440532013000");
        for (int index : new int[] { 0, IV_BYTES - 1, IV_BYTES, IV_BYTES + 10, -TAG_BYTES, -1 }) {
            assertThatThrownBy(() -> encryption.decrypt(flip(stored, index))).as("byte %d changed", index)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("Decryption failed (wrong key or tampered value)");
        }
        String truncated = "v1:" + Base64.getEncoder().encodeToString(Arrays.copyOf(
                Base64.getDecoder().decode(stored.substring(3)), IV_BYTES + 22 + TAG_BYTES - 1));
        assertThatThrownBy(() -> encryption.decrypt(truncated)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> encryption.decrypt("v2:" + stored.substring(3)))
                .hasMessage("Unknown ciphertext version");
    }

    @Test
    void anotherKeyCannotDecrypt() {
        String stored = withKey(OWN_KEY).encrypt("DE89370400440532013000");
        assertThatThrownBy(() -> withKey(OTHER_KEY).decrypt(stored)).isInstanceOf(IllegalStateException.class)
                .hasMessage("Decryption failed (wrong key or tampered value)");
        byte[] sealed = withKey(OWN_KEY).seal("<Document/>".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> withKey(OTHER_KEY).open(sealed)).isInstanceOf(IllegalStateException.class)
                .hasMessage("Decryption failed (wrong key or tampered document)");
    }

    @Test
    void aSealedDocumentOpensToTheSameBytesAndRefusesAnyChange() {
        FieldEncryption encryption = withKey(OWN_KEY);
        byte[] document = "<Document>山田 DE89370400440532013000</Document>".repeat(100)
                .getBytes(StandardCharsets.UTF_8);
        byte[] sealed = encryption.seal(document);
        // Version byte, nonce, ciphertext as long as the document, tag: binary, not base64.
        assertThat(sealed).hasSize(1 + IV_BYTES + document.length + TAG_BYTES);
        assertThat(sealed[0]).isEqualTo((byte) 1);
        assertThat(encryption.open(sealed)).isEqualTo(document);
        assertThat(encryption.seal(document)).isNotEqualTo(sealed);
        for (int index : new int[] { 1, IV_BYTES, 1 + IV_BYTES, 1 + IV_BYTES + document.length / 2,
                sealed.length - TAG_BYTES, sealed.length - 1 }) {
            byte[] changed = sealed.clone();
            changed[index] ^= 1;
            assertThatThrownBy(() -> encryption.open(changed)).as("byte %d changed", index)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("Decryption failed (wrong key or tampered document)");
        }
        byte[] otherVersion = sealed.clone();
        otherVersion[0] = 2;
        assertThatThrownBy(() -> encryption.open(otherVersion)).hasMessage("Unknown sealed document version");
        assertThatThrownBy(() -> encryption.open(new byte[] { 1, 2, 3 }))
                .hasMessage("Unknown sealed document version");
    }

    @Test
    void aKeyThatIsNotBase64Or32BytesIsRefusedAtStartUp() {
        assertThatThrownBy(() -> withKey("not base64!")).hasMessageContaining("is not base64");
        String sixteenBytes = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> withKey(sixteenBytes)).hasMessageContaining("must be 32 bytes");
    }

    @Test
    void productionRefusesTheLocalOnlyKeyWithAClearMessage() {
        assertThatThrownBy(() -> FieldEncryption.requireUsableKey(true, FieldEncryption.LOCAL_ONLY_KEY, false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Refusing to start in the prod profile with the LOCAL-ONLY encryption key")
                .hasMessageContaining("PAYOUT_ENCRYPTION_KEY");
    }

    @Test
    void productionRefusesToStartWithoutAKey() {
        assertThatThrownBy(() -> FieldEncryption.requireUsableKey(true, null, false))
                .hasMessageContaining("PAYOUT_ENCRYPTION_KEY");
        assertThatThrownBy(() -> FieldEncryption.requireUsableKey(true, " ", true))
                .hasMessageContaining("PAYOUT_ENCRYPTION_KEY");
    }

    @Test
    void productionStartsWithItsOwnKeyAndDeployLocalWithTheLocalKeyItDeclares() {
        assertThat(FieldEncryption.requireUsableKey(true, OWN_KEY, false)).isEqualTo(OWN_KEY);
        // deploy/local/services.sh: the prod-profile jar on a laptop, saying so explicitly.
        assertThat(FieldEncryption.requireUsableKey(true, FieldEncryption.LOCAL_ONLY_KEY, true))
                .isEqualTo(FieldEncryption.LOCAL_ONLY_KEY);
        // Dev and test profiles have keys of their own and are not production.
        assertThat(FieldEncryption.requireUsableKey(false, FieldEncryption.LOCAL_ONLY_KEY, false))
                .isEqualTo(FieldEncryption.LOCAL_ONLY_KEY);
    }

    @Test
    void eachVersionWritesItsOwnPrefixAndVersionByteAndReadsBack() {
        byte[] document = "<Document>山田 DE89370400440532013000</Document>".getBytes(StandardCharsets.UTF_8);
        for (int version = 1; version <= 3; version++) {
            FieldEncryption encryption = threeKeys(version);
            assertThat(encryption.currentVersion()).isEqualTo(version);
            String stored = encryption.encrypt("DE89370400440532013000");
            assertThat(stored).startsWith("v" + version + ":");
            assertThat(Base64.getDecoder().decode(stored.substring(3))).hasSize(IV_BYTES + 22 + TAG_BYTES);
            byte[] sealed = encryption.seal(document);
            assertThat(sealed[0]).isEqualTo((byte) version);
            assertThat(sealed).hasSize(1 + IV_BYTES + document.length + TAG_BYTES);
            // Any instance knowing the version reads it, whatever its own current version.
            for (int reader = 1; reader <= 3; reader++) {
                assertThat(threeKeys(reader).decrypt(stored)).isEqualTo("DE89370400440532013000");
                assertThat(threeKeys(reader).open(sealed)).isEqualTo(document);
            }
        }
    }

    @Test
    void aValueWrittenUnderKeyOneIsStillReadAfterKeyTwoBecomesCurrent() {
        FieldEncryption before = withKey(OWN_KEY);
        String old = before.encrypt("JP-1234567");
        byte[] oldFile = before.seal("<Document/>".getBytes(StandardCharsets.UTF_8));
        // Step 1 of a rotation: key 2 known, key 1 still current. Nothing changes for what is written.
        FieldEncryption known = with(Map.of("payout.encryption.key", OWN_KEY, "payout.encryption.keys.2", OTHER_KEY));
        assertThat(known.encrypt("JP-1234567")).startsWith("v1:");
        assertThat(before.decrypt(known.encrypt("JP-1234567"))).isEqualTo("JP-1234567");
        // Step 2: key 2 current. Old values read with key 1, new ones written with key 2.
        FieldEncryption after = with(Map.of("payout.encryption.key", OWN_KEY, "payout.encryption.keys.2", OTHER_KEY,
                "payout.encryption.current-version", "2"));
        assertThat(after.decrypt(old)).isEqualTo("JP-1234567");
        assertThat(after.open(oldFile)).isEqualTo("<Document/>".getBytes(StandardCharsets.UTF_8));
        String rewritten = after.encrypt(after.decrypt(old));
        assertThat(rewritten).startsWith("v2:");
        // Step 4: key 1 removed once nothing is stored under it; key 2's values still read.
        FieldEncryption only2 = with(Map.of("payout.encryption.keys.2", OTHER_KEY,
                "payout.encryption.current-version", "2"));
        assertThat(only2.decrypt(rewritten)).isEqualTo("JP-1234567");
        assertThatThrownBy(() -> only2.decrypt(old)).hasMessage("Unknown ciphertext version")
                .cause().hasMessageContaining("key version 1").hasMessageContaining("PAYOUT_ENCRYPTION_KEY");
    }

    @Test
    void aVersionWithoutItsKeyIsRefusedNamingTheVersionNeverReadWithAnotherKey() {
        FieldEncryption two = threeKeys(2);
        String stored = two.encrypt("DE89370400440532013000");
        byte[] sealed = two.seal("<Document/>".getBytes(StandardCharsets.UTF_8));
        FieldEncryption onlyOne = withKey(OWN_KEY);
        assertThatThrownBy(() -> onlyOne.decrypt(stored)).hasMessage("Unknown ciphertext version")
                .cause().hasMessageContaining("key version 2").hasMessageContaining("PAYOUT_ENCRYPTION_KEYS_2");
        assertThatThrownBy(() -> onlyOne.open(sealed)).hasMessage("Unknown sealed document version")
                .cause().hasMessageContaining("key version 2").hasMessageContaining("payout.encryption.keys.2");
        // The version named decides the key: a value relabelled to another known version fails, it is not read.
        assertThatThrownBy(() -> two.decrypt("v1:" + stored.substring(3)))
                .hasMessage("Decryption failed (wrong key or tampered value)");
        assertThatThrownBy(() -> two.decrypt("v3:" + stored.substring(3)))
                .hasMessage("Decryption failed (wrong key or tampered value)");
        byte[] relabelled = sealed.clone();
        relabelled[0] = 3;
        assertThatThrownBy(() -> two.open(relabelled))
                .hasMessage("Decryption failed (wrong key or tampered document)");
        // Not a version at all.
        for (String bad : new String[] { "v0:" + stored.substring(3), "v02:" + stored.substring(3),
                "v256:" + stored.substring(3), "v-2:" + stored.substring(3), "x2:" + stored.substring(3),
                stored.substring(3), "v:" }) {
            assertThatThrownBy(() -> two.decrypt(bad)).as(bad).hasMessage("Unknown ciphertext version");
        }
        byte[] zero = sealed.clone();
        zero[0] = 0;
        assertThatThrownBy(() -> two.open(zero)).hasMessage("Unknown sealed document version");
        byte[] unknown = sealed.clone();
        unknown[0] = (byte) 200;
        assertThatThrownBy(() -> two.open(unknown)).hasMessage("Unknown sealed document version")
                .cause().hasMessageContaining("key version 200");
    }

    @Test
    void aChangedNonceCiphertextOrTagIsRefusedUnderEveryVersion() {
        for (int version = 2; version <= 3; version++) {
            FieldEncryption encryption = threeKeys(version);
            String stored = encryption.encrypt("DE89370400440532013000");
            String prefix = "v" + version + ":";
            byte[] sealed = encryption.seal("<Document>DE89370400440532013000</Document>".getBytes(
                    StandardCharsets.UTF_8));
            for (int index : new int[] { 0, IV_BYTES - 1, IV_BYTES, IV_BYTES + 10, -TAG_BYTES, -1 }) {
                byte[] all = Base64.getDecoder().decode(stored.substring(prefix.length()));
                all[index < 0 ? all.length + index : index] ^= 1;
                String changed = prefix + Base64.getEncoder().encodeToString(all);
                assertThatThrownBy(() -> encryption.decrypt(changed)).as("v%s byte %d changed", prefix, index)
                        .hasMessage("Decryption failed (wrong key or tampered value)");
                byte[] changedFile = sealed.clone();
                changedFile[index < 0 ? sealed.length + index : 1 + index] ^= 1;
                assertThatThrownBy(() -> encryption.open(changedFile)).as("v%s file byte %d changed", prefix, index)
                        .hasMessage("Decryption failed (wrong key or tampered document)");
            }
            assertThatThrownBy(() -> encryption.decrypt(prefix + "not*base64"))
                    .hasMessage("Decryption failed (wrong key or tampered value)");
            assertThatThrownBy(() -> encryption.decrypt(prefix + "AAAA"))
                    .hasMessage("Decryption failed (wrong key or tampered value)");
        }
    }

    @Test
    void everyConfiguredKeyIsCheckedAtStartUpAndTheCurrentVersionNeedsItsKey() {
        assertThatThrownBy(() -> with(Map.of("payout.encryption.key", OWN_KEY,
                "payout.encryption.current-version", "2")))
                .hasMessageContaining("payout.encryption.current-version is 2")
                .hasMessageContaining("PAYOUT_ENCRYPTION_KEYS_2");
        // Without key 1 and without another current version: the message of a deployment without its key.
        assertThatThrownBy(() -> with(Map.of("payout.encryption.keys.2", OTHER_KEY)))
                .hasMessageContaining("payout.encryption.key is not set").hasMessageContaining("PAYOUT_ENCRYPTION_KEY");
        assertThatThrownBy(() -> with(Map.of("payout.encryption.key", OWN_KEY,
                "payout.encryption.keys.2", "not base64!")))
                .hasMessage("payout.encryption.keys.2 (PAYOUT_ENCRYPTION_KEYS_2) is not base64");
        String sixteenBytes = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> with(Map.of("payout.encryption.key", OWN_KEY,
                "payout.encryption.keys.3", sixteenBytes)))
                .hasMessage("payout.encryption.keys.3 must be 32 bytes, base64-encoded (AES-256)");
        // A key that is not current is checked too: a bad old key would only show when a value under it is read.
        assertThatThrownBy(() -> with(Map.of("payout.encryption.key", sixteenBytes, "payout.encryption.keys.2",
                OTHER_KEY, "payout.encryption.current-version", "2"))).hasMessageContaining("must be 32 bytes");
        assertThatThrownBy(() -> with(Map.of("payout.encryption.key", OWN_KEY, "payout.encryption.keys.1", OTHER_KEY)))
                .hasMessageContaining("key version 1 is payout.encryption.key");
        assertThatThrownBy(() -> with(Map.of("payout.encryption.key", OWN_KEY,
                "payout.encryption.keys.256", OTHER_KEY)))
                .hasMessageContaining("key versions are 2..255");
        assertThatThrownBy(() -> with(Map.of("payout.encryption.key", OWN_KEY,
                "payout.encryption.current-version", "0")))
                .hasMessageContaining("key versions are 1..255");
        // The LOCAL-ONLY key is refused in production under any version, naming that version's variable.
        assertThatThrownBy(() -> FieldEncryption.requireUsableKey(2, true, FieldEncryption.LOCAL_ONLY_KEY, false))
                .hasMessageContaining("Refusing to start in the prod profile with the LOCAL-ONLY encryption key as"
                        + " key version 2")
                .hasMessageContaining("PAYOUT_ENCRYPTION_KEYS_2");
        assertThat(FieldEncryption.requireUsableKey(2, true, FieldEncryption.LOCAL_ONLY_KEY, true))
                .isEqualTo(FieldEncryption.LOCAL_ONLY_KEY);
        assertThat(FieldEncryption.requireUsableKey(2, true, " " + OTHER_KEY + " ", false)).isEqualTo(OTHER_KEY);
    }

    @Test
    void theEnvironmentNamesTheVersions() {
        // What a Deployment sets: PAYOUT_ENCRYPTION_KEYS_2 is payout.encryption.keys.2 for SmallRye Config.
        FieldEncryption fromEnvironment = with(new EnvConfigSource(Map.of("PAYOUT_ENCRYPTION_KEY", OWN_KEY,
                "PAYOUT_ENCRYPTION_KEYS_2", OTHER_KEY, "PAYOUT_ENCRYPTION_CURRENT_VERSION", "2"), 300));
        assertThat(fromEnvironment.currentVersion()).isEqualTo(2);
        String written = fromEnvironment.encrypt("DE89370400440532013000");
        assertThat(written).startsWith("v2:");
        assertThat(threeKeys(1).decrypt(written)).isEqualTo("DE89370400440532013000");
        assertThat(fromEnvironment.decrypt(withKey(OWN_KEY).encrypt("DE89370400440532013000")))
                .isEqualTo("DE89370400440532013000");
    }
}
