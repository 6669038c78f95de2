package com.acme.incentives.identity.service;

import com.acme.incentives.identity.domain.UserAccount;
import com.acme.incentives.identity.domain.UserAudit;
import com.acme.incentives.platform.audit.AuditTrail;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A change of a user, written twice in the change's transaction: a row of {@code user_audit} (the user's own history
 * in this service's database, kept as it was: it is this service's record even while Kafka is away) and an entry of
 * the organization's audit log ({@link AuditTrail}: {@code USER_<action>}, served with every other service's entries
 * by enrollment-service). Details never hold a credential: a password reset records only that it happened.
 */
@ApplicationScoped
public class UserHistory {

    @Inject
    AuditTrail audit;

    /**
     * The service's mapper, but writing null values (a locale removed is {@code "to":null}, as before) and keys in
     * order, so the same change always reads the same.
     */
    private final ObjectMapper json;

    @Inject
    UserHistory(ObjectMapper json) {
        this.json = json.copy().setSerializationInclusion(JsonInclude.Include.ALWAYS)
                .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    }

    /** {@code details}: what changed (null: nothing beyond the action), the same map in both records. */
    public void record(UserAccount user, UserAudit.Action action, String actor, Instant at, Map<String, ?> details) {
        UserAudit.record(user, action, actor, at, details == null ? null : text(details));
        Map<String, Object> entry = new LinkedHashMap<>();
        // the log is read without the directory at hand: say whose account it was
        entry.put("email", user.email);
        if (details != null) {
            entry.putAll(details);
        }
        audit.record(user.organizationId, "USER_" + action.name(), "USER", user.id.toString(), entry);
    }

    private String text(Map<String, ?> details) {
        try {
            return json.writeValueAsString(details);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Audit details are plain values", e);
        }
    }
}
