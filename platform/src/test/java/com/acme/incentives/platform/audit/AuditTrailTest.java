package com.acme.incentives.platform.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What an audit entry may hold, checked before anything is written: a credential or a full account or tax id is
 * refused outright (the call fails in its first test), and identifiers are shown by their last four only.
 */
class AuditTrailTest {

    private static AuditTrail trail() {
        AuditTrail trail = new AuditTrail();
        trail.setMapper(new ObjectMapper());
        return trail;
    }

    @Test
    void detailsThatWouldCarryASecretOrAFullIdentifierAreRefused() {
        UUID org = UUID.randomUUID();
        for (String key : new String[] { "password", "temporaryPassword", "IBAN", "accountNumber", "taxId", "secret" }) {
            assertThatThrownBy(() -> trail().record(org, "USER_CREATED", "USER", "u", Map.of(key, "x")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(key);
        }
    }

    @Test
    void anEntryNamesItsOrganizationAndAnUpperSnakeAction() {
        assertThatThrownBy(() -> trail().record(null, "USER_CREATED", "USER", "u", Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        for (String action : new String[] { "userCreated", "USER CREATED", "", "_X" }) {
            assertThatThrownBy(() -> trail().record(UUID.randomUUID(), action, "USER", "u", Map.of()))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void identifiersAreShownByTheirLastFour() {
        assertThat(AuditTrail.lastFour("DE89 3704 0044 0532 0130 00")).isEqualTo("****3000");
        assertThat(AuditTrail.lastFour("DE123456789")).isEqualTo("****6789");
        assertThat(AuditTrail.lastFour("123")).isEqualTo("****123");
        assertThat(AuditTrail.lastFour(null)).isNull();
    }

    @Test
    void detailsMayHoldNullsInTheirOrder() {
        Map<String, Object> details = AuditTrail.details("bic", null, "currency", "EUR");
        assertThat(details).containsEntry("bic", null).containsEntry("currency", "EUR");
        assertThat(details.keySet()).containsExactly("bic", "currency");
        assertThatThrownBy(() -> AuditTrail.details("lonely")).isInstanceOf(IllegalArgumentException.class);
    }
}
