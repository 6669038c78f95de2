package com.acme.incentives.payout.service;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The production start-up check on the encryption key (a plain unit test: the rule, not Quarkus' start-up). */
class FieldEncryptionKeyTest {

    private static final String OWN_KEY = "c2VjcmV0LWtleS1mcm9tLXRoZS1zZWNyZXQtc3RvcmU=";

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
