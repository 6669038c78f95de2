package com.acme.incentives.enrollment.service;

import com.acme.incentives.platform.audit.AuditRecorded;
import com.acme.incentives.platform.events.EventEnvelope;
import com.acme.incentives.platform.inbox.EventPayloads;
import com.acme.incentives.platform.paging.Page;
import com.acme.incentives.platform.paging.PageRequest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The organizations' audit log (enrollment-service/README.md, "Audit log"): every service publishes AuditRecorded on
 * its own topic (platform {@code AuditTrail}), and this service, which already consumes identity's, eligibility's
 * and payout's topics and reads its own for this one type, keeps them in {@code audit_entry}. One row per event id.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class AuditLog {

    /** One entry as stored; {@code details} is the JSON object the publishing service recorded. */
    public record Entry(UUID id, UUID organizationId, Instant occurredAt, String service, String action,
            String targetType, String targetId, String actorSubject, String actorName, String actorKind,
            String correlationId, JsonNode details) {
    }

    /** What a reader asks for: the organization's entries in [from, to), each other filter applied when given. */
    public record Filter(UUID organizationId, Instant from, Instant to, String action, String service,
            String actorSubject) {
    }

    /** The columns of the fields the log can be sorted by (AuditLogResource's @Sortable). */
    private static final Map<String, String> SORT_COLUMNS = Map.of("occurredAt", "occurred_at", "action", "action",
            "service", "service");
    private static final String NEWEST_FIRST = "occurred_at desc, id desc";
    private static final String SELECT = "SELECT id, organization_id, occurred_at, service, action, target_type,"
            + " target_id, actor_subject, actor_name, actor_kind, correlation_id, details::text FROM audit_entry";

    @Inject
    Jdbi jdbi;

    @Inject
    ObjectMapper json;

    @Inject
    EventPayloads payloads;

    /**
     * Stores an AuditRecorded event, in the inbox's transaction. An event seen before (its id) is not stored twice:
     * the inbox already skips a redelivery to the same consumer; the key also holds should the event reach this
     * service by another path (a replay into another consumer).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(EventEnvelope event) {
        AuditRecorded entry = payloads.read(event, AuditRecorded.class);
        // when it happened, as the publishing service says; the envelope's time when the data lacks it
        Instant occurredAt = entry.occurredAt() != null ? entry.occurredAt() : event.occurredAt();
        JsonNode details = entry.details();
        try (Handle h = jdbi.open()) {
            h.createUpdate("""
                    INSERT INTO audit_entry (id, organization_id, occurred_at, service, action, target_type, target_id,
                        actor_subject, actor_name, actor_kind, correlation_id, details)
                    VALUES (:id, :organizationId, :occurredAt, :service, :action, :targetType, :targetId,
                        :actorSubject, :actorName, :actorKind, :correlationId, :details::jsonb)
                    ON CONFLICT (id) DO NOTHING""")
                    .bind("id", event.eventId())
                    .bind("organizationId", entry.organizationId())
                    .bind("occurredAt", occurredAt)
                    .bind("service", entry.service())
                    .bind("action", entry.action())
                    .bind("targetType", entry.targetType())
                    .bind("targetId", entry.targetId())
                    .bind("actorSubject", entry.actor().subject())
                    .bind("actorName", entry.actor().name())
                    .bind("actorKind", entry.actor().kind().name())
                    .bind("correlationId", entry.correlationId())
                    .bind("details", details != null && details.isObject() ? json.writeValueAsString(details) : "{}")
                    .execute();
        } catch (JdbiException | JsonProcessingException e) {
            throw new IllegalStateException("Could not store audit entry " + event.eventId(), e);
        }
    }

    /** One page, newest first unless the client sorts. */
    public Page<Entry> page(Filter filter, PageRequest page) {
        Map<String, Object> params = new LinkedHashMap<>();
        String where = where(filter, params);
        try (Handle h = jdbi.open()) {
            long total = h.createQuery("SELECT count(*) FROM audit_entry" + where)
                    .bindMap(params)
                    .mapTo(Long.class)
                    .one();
            List<Entry> items = h.createQuery(SELECT + where + " ORDER BY " + page.orderBy(SORT_COLUMNS, NEWEST_FIRST)
                    + " LIMIT :limit OFFSET :offset")
                    .bindMap(params)
                    .bind("limit", page.size)
                    .bind("offset", page.offset())
                    .map((rs, ctx) -> entry(rs))
                    .list();
            return Page.of(items, page, total);
        } catch (JdbiException e) {
            throw new IllegalStateException("Could not read the audit log", e);
        }
    }

    /** Every matching entry, newest first, streamed with a cursor: an export of years of entries stays in small memory. */
    public void forEach(Filter filter, Consumer<Entry> sink) {
        Map<String, Object> params = new LinkedHashMap<>();
        String where = where(filter, params);
        try (Handle h = jdbi.open()) {
            Connection c = h.getConnection();
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false); // the PostgreSQL driver only streams with a fetch size outside auto-commit
            try {
                h.createQuery(SELECT + where + " ORDER BY " + NEWEST_FIRST)
                        .setFetchSize(1000)
                        .bindMap(params)
                        .map((rs, ctx) -> entry(rs))
                        .forEach(sink);
            } finally {
                c.rollback();
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException | JdbiException e) {
            throw new IllegalStateException("Could not read the audit log", e);
        }
    }

    /** The WHERE clause of a filter, its named parameters put in {@code params}. */
    private static String where(Filter f, Map<String, Object> params) {
        StringBuilder w = new StringBuilder(" WHERE organization_id = :organizationId");
        params.put("organizationId", f.organizationId());
        if (f.from() != null) {
            w.append(" AND occurred_at >= :from");
            params.put("from", f.from());
        }
        if (f.to() != null) {
            w.append(" AND occurred_at < :to");
            params.put("to", f.to());
        }
        if (f.action() != null) {
            w.append(" AND action = :action");
            params.put("action", f.action());
        }
        if (f.service() != null) {
            w.append(" AND service = :service");
            params.put("service", f.service());
        }
        if (f.actorSubject() != null) {
            w.append(" AND actor_subject = :actorSubject");
            params.put("actorSubject", f.actorSubject());
        }
        return w.toString();
    }

    private Entry entry(ResultSet rs) throws SQLException {
        JsonNode details;
        try {
            details = json.readTree(rs.getString(12));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable details of audit entry " + rs.getObject(1), e);
        }
        return new Entry(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getTimestamp(3).toInstant(),
                rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                rs.getString(9), rs.getString(10), rs.getString(11), details);
    }
}
