package com.acme.incentives.payout.encryption;

import com.acme.incentives.payout.BankFixture;
import com.acme.incentives.payout.PayoutFixture;
import com.acme.incentives.platform.testing.TestTokens;
import com.acme.incentives.platform.testing.TestUsers;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import static com.acme.incentives.platform.testing.TestSql.count;
import static com.acme.incentives.platform.testing.TestSql.text;
import static com.acme.incentives.platform.testing.TestSql.update;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A key rotation on the real database: the service runs with key 2 current (this class's profile; every test knows
 * key 2, application.properties), as after step 2 of deploy/k8s/README.md "Rotating the field-encryption key". Values
 * that a replica with only key 1 wrote (made here with key 1 alone, as such a replica would) are rewritten under key
 * 2 by {@link FieldReencryption} and still read as the same account and the same bank file.
 */
@QuarkusTest
@TestProfile(FieldRotationTest.KeyTwoCurrent.class)
class FieldRotationTest {

    /** Key 2 (known to every test) is the current version. */
    public static class KeyTwoCurrent implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("payout.encryption.current-version", "2");
        }
    }

    @Inject
    AgroalDataSource dataSource;

    @Inject
    FieldEncryption encryption;

    @Inject
    FieldReencryption reencryption;

    @Inject
    MeterRegistry registry;

    /** What a replica of before the rotation has: the test profile's key 1, nothing else. */
    private static FieldEncryption keyOneOnly() {
        String keyOne = ConfigProvider.getConfig().getValue("payout.encryption.key", String.class);
        FieldEncryption old = new FieldEncryption();
        old.settings = new SmallRyeConfigBuilder().withMapping(EncryptionSettings.class)
                .withSources(new PropertiesConfigSource(Map.of("payout.encryption.key", keyOne), "key-one", 100))
                .build().getConfigMapping(EncryptionSettings.class);
        old.init();
        return old;
    }

    private double behind(String table) {
        return registry.get("payout.encryption.behind").tag("table", table).gauge().value();
    }

    @Test
    void valuesWrittenUnderKeyOneAreRewrittenUnderKeyTwoAndStillReadTheSame() {
        FieldEncryption keyOne = keyOneOnly();
        UUID org = UUID.randomUUID();
        String admin = TestUsers.create(org, "INCENTIVE_ADMIN").token();
        UUID profile = UUID.fromString(PayoutFixture.createBankProfile(admin, org,
                PayoutFixture.bankBody("Main", "DE", "EUR", PayoutFixture.DE_IBAN, PayoutFixture.DE_BIC), "APPROVED"));
        // Written now: under the current version.
        String written = text(dataSource, "SELECT account_ciphertext FROM bank_profile WHERE id = ?", profile);
        assertThat(written).startsWith("v2:");
        String account = encryption.decrypt(written);
        assertThat(account).isEqualTo(PayoutFixture.DE_IBAN);

        // As a replica with key 1 only wrote them (before the rotation, or during its rollout).
        update(dataSource, "UPDATE bank_profile SET account_ciphertext = ? WHERE id = ?", keyOne.encrypt(account),
                profile);
        update(dataSource, "UPDATE bank_profile_version SET account_ciphertext = ? WHERE profile_id = ?",
                keyOne.encrypt(account), profile);
        byte[] document = ("<Document>" + account + " 山田</Document>").getBytes(StandardCharsets.UTF_8);
        UUID run = UUID.randomUUID();
        UUID file = UUID.randomUUID();
        Timestamp now = Timestamp.from(Instant.now());
        update(dataSource, """
                INSERT INTO payout_run (id, period, trigger, status, requested_by, started_at, completed_at,
                    lease_until) VALUES (?, '1998-01', 'OPERATOR', 'COMPLETED', 'field-rotation-test', ?, ?, ?)""",
                run, now, now, now);
        update(dataSource, """
                INSERT INTO bank_file (id, message_id, payout_run_id, content, content_sha256, transfer_count, state,
                    next_attempt_at, created_at) VALUES (?, ?, ?, ?, 'x', 1, 'ACKNOWLEDGED', ?, ?)""",
                file, "ROTATION" + file.toString().replace("-", "").substring(0, 20), run, keyOne.seal(document),
                now, now);
        // A value no configured key reads (tampered): left as it is, counted, and the others still done.
        String[] unreadable = keyOne.encrypt("DE00UNREADABLE").split(":");
        byte[] tampered = Base64.getDecoder().decode(unreadable[1]);
        tampered[tampered.length - 1] ^= 1;
        UUID broken = UUID.fromString(PayoutFixture.createBankProfile(admin, org,
                PayoutFixture.bankBody("Broken", "DE", "EUR", BankFixture.germanIbanEndingIn("4711"),
                        PayoutFixture.DE_BIC),
                "APPROVED"));
        String brokenBefore = text(dataSource, "SELECT account_ciphertext FROM bank_profile_version"
                + " WHERE profile_id = ?", broken);
        update(dataSource, "UPDATE bank_profile_version SET account_ciphertext = ? WHERE profile_id = ?",
                "v1:" + Base64.getEncoder().encodeToString(tampered), broken);
        try {
            assertThat(bankFile(run, file)).isEqualTo(document);

            FieldReencryption.Outcome outcome = reencryption.run();

            assertThat(outcome.rewritten()).isGreaterThanOrEqualTo(3);
            assertThat(outcome.unreadable()).isGreaterThanOrEqualTo(1);
            String profileValue = text(dataSource, "SELECT account_ciphertext FROM bank_profile WHERE id = ?",
                    profile);
            String versionValue = text(dataSource, "SELECT account_ciphertext FROM bank_profile_version"
                    + " WHERE profile_id = ?", profile);
            assertThat(profileValue).startsWith("v2:");
            assertThat(versionValue).startsWith("v2:");
            assertThat(encryption.decrypt(profileValue)).isEqualTo(account);
            assertThat(encryption.decrypt(versionValue)).isEqualTo(account);
            assertThat(count(dataSource, "SELECT get_byte(content, 0) FROM bank_file WHERE id = ?", file))
                    .isEqualTo(2);
            // The operator's download opens the re-sealed file to the same document.
            assertThat(bankFile(run, file)).isEqualTo(document);
            // Nothing a client sees changed: the profile's version (its ETag) is still the first.
            assertThat(count(dataSource, "SELECT version FROM bank_profile WHERE id = ?", profile)).isEqualTo(1);
            // The tampered value is left for a person to look at, and counted as behind.
            assertThat(text(dataSource, "SELECT account_ciphertext FROM bank_profile_version WHERE profile_id = ?",
                    broken)).isEqualTo("v1:" + Base64.getEncoder().encodeToString(tampered));
            // (Other replicas of the test instance may write rows meanwhile: only this test's rows are asserted.)
            assertThat(behind("bank_profile_version")).isGreaterThanOrEqualTo(1);
            assertThat(behind("bank_profile") + behind("bank_profile_version") + behind("bank_file"))
                    .isEqualTo(outcome.behind()).isGreaterThanOrEqualTo(1);

            // Again: what was rewritten is not rewritten again (idempotent).
            reencryption.run();
            assertThat(text(dataSource, "SELECT account_ciphertext FROM bank_profile WHERE id = ?", profile))
                    .isEqualTo(profileValue);
            assertThat(text(dataSource, "SELECT account_ciphertext FROM bank_profile_version WHERE profile_id = ?",
                    profile)).isEqualTo(versionValue);
        } finally {
            // Leave no unreadable value behind for later runs of the test instance.
            update(dataSource, "UPDATE bank_profile_version SET account_ciphertext = ? WHERE profile_id = ?",
                    brokenBefore, broken);
        }
    }

    private byte[] bankFile(UUID run, UUID file) {
        return given().auth().oauth2(TestTokens.operator())
                .get("/api/v1/payout-runs/" + run + "/bank-files/" + file).then().statusCode(200).extract()
                .asByteArray();
    }
}
