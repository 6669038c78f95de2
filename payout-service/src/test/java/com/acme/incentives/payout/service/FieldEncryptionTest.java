package com.acme.incentives.payout.service;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Bank account numbers and bank files at rest (plain unit tests: the rules, not Quarkus' start-up): the production
 * start-up check on the key, and that AES-GCM gives back exactly what was sealed, with this key only, and refuses
 * anything changed (nonce, ciphertext, tag) instead of answering a wrong account number.
 */
class FieldEncryptionTest {

    private static final String OWN_KEY = "c2VjcmV0LWtleS1mcm9tLXRoZS1zZWNyZXQtc3RvcmU=";
    private static final String OTHER_KEY = Base64.getEncoder()
            .encodeToString("another-key-of-thirty-two-bytes!".getBytes(StandardCharsets.US_ASCII));
    private static final int IV_BYTES = 12;
    private static final int TAG_BYTES = 16;

    private static FieldEncryption withKey(String base64Key) {
        FieldEncryption encryption = new FieldEncryption();
        encryption.base64Key = Optional.of(base64Key);
        encryption.init();
        return encryption;
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
}
