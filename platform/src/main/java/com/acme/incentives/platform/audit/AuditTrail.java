package com.acme.incentives.platform.audit;

import com.acme.incentives.platform.audit.AuditRecorded.Actor;
import com.acme.incentives.platform.audit.AuditRecorded.ActorKind;
import com.acme.incentives.platform.correlation.CorrelationId;
import com.acme.incentives.platform.events.Outbox;
import com.acme.incentives.platform.security.Caller;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The organizations' audit log, as each service writes to it: who did what to which of an organization's things,
 * when, in which request. {@link #record} publishes an {@value #EVENT_TYPE} event through the {@link Outbox}, in the
 * caller's transaction, so an entry exists if and only if the change committed (a refusal that must stay on record
 * is recorded in a transaction of its own that commits, as payout's four-eyes refusal is). enrollment-service keeps
 * every service's entries in one table and serves them (enrollment-service/README.md, "Audit log").
 *
 * <p>The actor is read from the request's {@link Caller} when a request with a signed-in caller is active; otherwise
 * (a scheduled job, a consumed event) the change is the service's own: {@link ActorKind#SYSTEM}.
 */
@ApplicationScoped
public class AuditTrail {

    public static final String EVENT_TYPE = "AuditRecorded";

    /**
     * Detail keys that would carry a secret or a full identifier: refused outright, so that a careless call fails in
     * its first test instead of copying an account number into an export. Pass {@link #lastFour} values under
     * another name ({@code accountLast4}, {@code taxIdLast4}).
     */
    private static final Set<String> FORBIDDEN_KEYS = Set.of("password", "temporarypassword", "secret", "token",
            "iban", "accountnumber", "account", "taxid");

    @Inject
    Outbox outbox;

    @Inject
    Clock clock;

    /** The service's mapper, writing map keys in order: the same change always reads the same in the log. */
    ObjectMapper json;

    @ConfigProperty(name = "quarkus.application.name")
    String service;

    @Inject
    void setMapper(ObjectMapper mapper) {
        this.json = mapper.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    }

    /**
     * Records one change of the organization's data, in the current transaction (which must be active).
     *
     * @param action  UPPER_SNAKE, past tense: {@code USER_ROLES_CHANGED}
     * @param details a small map of what changed (null: none); never a credential, account number or tax id
     */
    public UUID record(UUID organizationId, String action, String targetType, String targetId,
            Map<String, ?> details) {
        if (organizationId == null) {
            throw new IllegalArgumentException("An audit entry belongs to an organization");
        }
        if (action == null || !action.matches("[A-Z][A-Z0-9_]*")) {
            throw new IllegalArgumentException("An audit action is UPPER_SNAKE: " + action);
        }
        ObjectNode detailNode = json.createObjectNode();
        if (details != null) {
            new TreeMap<String, Object>(details).forEach((key, value) -> {
                if (FORBIDDEN_KEYS.contains(key.toLowerCase(Locale.ROOT))) {
                    throw new IllegalArgumentException("Audit details never carry " + key + " (" + action + ")");
                }
                detailNode.set(key, json.valueToTree(value));
            });
        }
        AuditRecorded entry = new AuditRecorded(organizationId, action, targetType, targetId, detailNode, actor(),
                CorrelationId.current(), clock.instant().truncatedTo(ChronoUnit.MICROS), service);
        // Keyed by the organization: its entries stay in order on one partition, whatever they are about.
        return outbox.publish(organizationId.toString(), EVENT_TYPE, entry);
    }

    /**
     * Details from {@code key, value, key, value…}; unlike {@code Map.of} a value may be null (a profile without a
     * BIC, a locale removed), and it is written as null.
     */
    public static Map<String, Object> details(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("Audit details come in key, value pairs");
        }
        Map<String, Object> details = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            details.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return details;
    }

    /**
     * The last four characters, the rest masked ({@code ****1234}), as accounts are shown everywhere; spaces (an IBAN
     * as printed) do not count; null stays null.
     */
    public static String lastFour(String value) {
        if (value == null) {
            return null;
        }
        String compact = value.replaceAll("\\s", "");
        return "****" + compact.substring(Math.max(0, compact.length() - 4));
    }

    /** The request's caller when one is signed in; the service itself otherwise. */
    private Actor actor() {
        ManagedContext request = Arc.container().requestContext();
        // A scheduled job or a consumed event may run with a request context too, but never with a signed-in caller.
        if (!request.isActive()) {
            return system();
        }
        Caller caller = Arc.container().instance(Caller.class).get();
        if (!caller.isAuthenticated() || caller.subject() == null) {
            return system();
        }
        ActorKind kind = caller.isOperator() ? ActorKind.OPERATOR
                : caller.isMachineClient() ? ActorKind.CLIENT : ActorKind.USER;
        String name = kind == ActorKind.CLIENT ? caller.clientId()
                : caller.email() != null ? caller.email() : caller.username();
        return new Actor(caller.subject(), name, kind);
    }

    /** The service itself: no subject, named by the service (who else changed it is then in the details). */
    private Actor system() {
        return new Actor(null, service, ActorKind.SYSTEM);
    }
}
