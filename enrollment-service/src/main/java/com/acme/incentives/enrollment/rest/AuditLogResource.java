package com.acme.incentives.enrollment.rest;

import com.acme.incentives.enrollment.EnrollmentMessages;
import com.acme.incentives.enrollment.service.AuditLog;
import com.acme.incentives.enrollment.service.AuditLog.Entry;
import com.acme.incentives.platform.audit.AuditRecorded.ActorKind;
import com.acme.incentives.platform.i18n.PlatformMessages;
import com.acme.incentives.platform.paging.PageRequest;
import com.acme.incentives.platform.paging.Sortable;
import com.acme.incentives.platform.problem.ApiException;
import com.acme.incentives.platform.problem.FieldViolation;
import com.acme.incentives.platform.security.Capabilities;
import com.acme.incentives.platform.security.Caller;
import com.acme.incentives.platform.security.Roles;
import com.acme.incentives.platform.web.Csv;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The organization's audit log: every service's changes to its data, newest first, as JSON pages or (Accept: text/csv)
 * every matching entry as CSV. Its global admins read it, and operators (any organization); nobody else.
 */
@Path("/api/v1")
@Tag(name = "Audit log")
public class AuditLogResource {

    /** Stable export columns: never reorder or rename, only append. */
    static final List<String> CSV_COLUMNS = List.of("occurred_at", "service", "action", "target_type", "target_id",
            "actor_kind", "actor_subject", "actor_name", "correlation_id", "details", "entry_id");

    @Inject
    AuditLog log;

    @Inject
    Caller caller;

    @GET
    @Path("/organizations/{orgId}/audit-log")
    @Produces({ MediaType.APPLICATION_JSON, "text/csv" })
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN })
    @Operation(operationId = "listAuditLog", summary = "An organization's audit log: who changed what in any service"
            + " (users and roles, password resets, profiles, holds and releases, enrolments, migration steps), when,"
            + " in which request; newest first (JSON, paged) or every matching entry (Accept: text/csv); filtered by"
            + " from, to, action, service, actorSubject",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_AUDIT_LOG_READ))
    @APIResponse(responseCode = "200", description = "One page of entries, or (Accept: text/csv) every matching one as"
            + " CSV with the stable columns of enrollment-service/README.md", content = {
                    @Content(mediaType = MediaType.APPLICATION_JSON,
                            schema = @Schema(implementation = AuditEntryPage.class)),
                    @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING,
                            examples = "occurred_at,service,action,target_type,target_id,..."))})
    @APIResponse(responseCode = "404", description = "No such organization, or another one's")
    @Sortable({ "occurredAt", "action", "service" })
    public Response list(@PathParam("orgId") UUID orgId, @Valid @BeanParam AuditLogQuery query,
            @Valid @BeanParam PageRequest page,
            @Parameter(description = Csv.BOM_DESCRIPTION, schema = @Schema(type = SchemaType.STRING,
                    enumeration = { "true", "false" })) @QueryParam(Csv.BOM_PARAMETER)
            @Pattern(regexp = Csv.BOM_VALUES) String bom,
            @Context HttpHeaders headers) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        AuditLog.Filter filter = filter(orgId, query);
        if (Csv.wanted(headers)) {
            return Csv.download("audit-log-" + orgId + ".csv", bom, CSV_COLUMNS, writer -> log.forEach(filter,
                    e -> Csv.line(writer, Arrays.asList(e.occurredAt(), e.service(), e.action(), e.targetType(),
                            e.targetId(), e.actorKind(), e.actorSubject(), e.actorName(), e.correlationId(),
                            e.details().toString(), e.id()))));
        }
        return Response.ok(AuditEntryPage.of(log.page(filter, page)), MediaType.APPLICATION_JSON_TYPE).build();
    }

    private static AuditLog.Filter filter(UUID orgId, AuditLogQuery q) {
        List<FieldViolation> errors = new ArrayList<>();
        Instant from = null;
        if (q.from != null) {
            from = instantOrDate(q.from, false);
            if (from == null) {
                errors.add(FieldViolation.of("from", EnrollmentMessages.TIMESTAMP_OR_DATE));
            }
        }
        Instant to = null;
        if (q.to != null) {
            to = instantOrDate(q.to, true);
            if (to == null) {
                errors.add(FieldViolation.of("to", EnrollmentMessages.TIMESTAMP_OR_DATE));
            }
        }
        if (from != null && to != null && to.isBefore(from)) {
            errors.add(FieldViolation.of("to", EnrollmentMessages.TO_BEFORE_FROM));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return new AuditLog.Filter(orgId, from, to, q.action, q.service, q.actorSubject);
    }

    /**
     * An instant (ISO 8601 with an offset), or a date, UTC: {@code from} its start, {@code to} its end (the start of the
     * next day, exclusive), so {@code from=2026-12-01&to=2026-12-01} is that whole day; null when it is neither.
     */
    private static Instant instantOrDate(String value, boolean end) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            try {
                LocalDate day = LocalDate.parse(value);
                return (end ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notADate) {
                return null;
            }
        }
    }

    /** One entry: who ({@code actor*}) did what ({@code action}) to which thing ({@code target*}), when, where. */
    @Schema(requiredProperties = { "id", "organizationId", "occurredAt", "service", "action", "actorKind",
            "details" })
    public record AuditEntryView(UUID id, UUID organizationId, Instant occurredAt,
            @Schema(description = "The service that made the change", examples = "identity-service") String service,
            @Schema(description = "What was done (UPPER_SNAKE; the list in enrollment-service/README.md)",
                    examples = "USER_ROLES_CHANGED") String action,
            @Schema(examples = "USER") String targetType,
            String targetId,
            @Schema(description = "The token subject of who did it (a user id); absent for the service's own steps")
            String actorSubject,
            @Schema(description = "Their email or username (a machine client: its client id; the service's own"
                    + " steps: the service)") String actorName,
            @Schema(implementation = ActorKind.class) String actorKind,
            @Schema(description = "The request that made the change (X-Correlation-Id)") String correlationId,
            @Schema(description = "What changed, as the service recorded it; never a credential, an account number"
                    + " or a tax id (masked: last four)") Map<String, Object> details) {
        /** A map, not the stored JsonNode: the contract then says "an object" instead of describing Jackson's node. */
        private static final ObjectMapper DETAILS = new ObjectMapper();

        static AuditEntryView of(Entry e) {
            Map<String, Object> details = e.details() == null || !e.details().isObject() ? Map.of()
                    : DETAILS.convertValue(e.details(), new TypeReference<Map<String, Object>>() { });
            return new AuditEntryView(e.id(), e.organizationId(), e.occurredAt(), e.service(), e.action(),
                    e.targetType(), e.targetId(), e.actorSubject(), e.actorName(), e.actorKind(), e.correlationId(),
                    details);
        }
    }

    /** The JSON page of {@link #list}, named for the contract (the method returns a Response). */
    @Schema(name = "PageAuditEntryView")
    public record AuditEntryPage(List<AuditEntryView> items, int page, int size, long totalItems, long totalPages) {
        static AuditEntryPage of(com.acme.incentives.platform.paging.Page<Entry> page) {
            return new AuditEntryPage(page.items().stream().map(AuditEntryView::of).toList(), page.page(), page.size(),
                    page.totalItems(), page.totalPages());
        }
    }

    public static class AuditLogQuery {
        @Parameter(description = "Only entries at or after this time, or from the start of this date (UTC)",
                schema = @Schema(type = SchemaType.STRING, examples = "2026-12-01"))
        @QueryParam("from")
        public String from;
        @Parameter(description = "Only entries before this time, or up to the end of this date (UTC)",
                schema = @Schema(type = SchemaType.STRING, examples = "2026-12-31T23:59:59Z"))
        @QueryParam("to")
        public String to;
        @Parameter(description = "Only this action", schema = @Schema(type = SchemaType.STRING,
                pattern = "^[A-Z][A-Z0-9_]{0,99}$", examples = "PAYMENT_RELEASE_REFUSED"))
        @QueryParam("action")
        @Pattern(regexp = "[A-Z][A-Z0-9_]{0,99}")
        public String action;
        @Parameter(description = "Only this service's entries", schema = @Schema(type = SchemaType.STRING,
                pattern = "^[a-z][a-z0-9-]{0,62}$", examples = "payout-service"))
        @QueryParam("service")
        @Pattern(regexp = "[a-z][a-z0-9-]{0,62}")
        public String service;
        @Parameter(description = "Only what this subject (a user id, from GET .../users or the entries) did")
        @QueryParam("actorSubject")
        @Size(max = 255)
        public String actorSubject;
    }
}
