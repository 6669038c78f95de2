package com.acme.incentives.enrollment.rest;

import com.acme.incentives.enrollment.service.MigrationDtos;
import com.acme.incentives.platform.i18n.PlatformMessages;
import com.acme.incentives.enrollment.EnrollmentMessages;
import com.acme.incentives.enrollment.domain.MigrationWave;
import com.acme.incentives.enrollment.domain.WaveOrganization;
import com.acme.incentives.enrollment.domain.WaveOrganizationHistory;
import com.acme.incentives.enrollment.service.MigrationDtos.CarriedEnrollmentView;
import com.acme.incentives.enrollment.service.MigrationDtos.CreateWave;
import com.acme.incentives.enrollment.service.MigrationDtos.HistoryView;
import com.acme.incentives.enrollment.service.MigrationDtos.ListedUserView;
import com.acme.incentives.enrollment.service.MigrationDtos.OrganizationMigrationView;
import com.acme.incentives.enrollment.service.MigrationDtos.WaveSummary;
import com.acme.incentives.enrollment.service.MigrationDtos.WaveView;
import com.acme.incentives.enrollment.service.MigrationQueries;
import com.acme.incentives.enrollment.service.MigrationService;
import com.acme.incentives.platform.idempotency.Idempotent;
import com.acme.incentives.platform.paging.Page;
import com.acme.incentives.platform.paging.PageRequest;
import com.acme.incentives.platform.paging.Sortable;
import com.acme.incentives.platform.problem.ApiException;
import com.acme.incentives.platform.security.Capabilities;
import com.acme.incentives.platform.security.Caller;
import com.acme.incentives.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Migration waves")
public class MigrationResource {

    @Inject
    MigrationService migrations;

    @Inject
    MigrationQueries queries;

    @Inject
    Caller caller;

    @POST
    @Path("/migration-waves")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.PROGRAM_OPERATOR)
    @Idempotent
    @Operation(operationId = "createMigrationWave", summary = "Schedule a migration wave: organizations, the"
            + " incentive users each must set up, and the enrolments carried over (a start time up to now starts it"
            + " at once)")
    @APIResponse(responseCode = "201", description = "Scheduled", headers = @Header(name = "Location", ref = "Location"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WaveView.class)))
    public Response create(@Valid @NotNull CreateWave body, @Context UriInfo uri) {
        MigrationWave wave = migrations.create(body, caller.subject());
        return Response.created(uri.getBaseUriBuilder().path("api/v1/migration-waves").path(wave.id.toString())
                .build()).entity(view(wave)).build();
    }

    @GET
    @Path("/migration-waves")
    @RolesAllowed(Roles.PROGRAM_OPERATOR)
    @Operation(operationId = "listMigrationWaves",
            summary = "List migration waves, newest first, with how many organizations are in each state")
    @APIResponse(responseCode = "200", description = "One page of waves")
    @Sortable({ "createdAt", "startsAt", "name" })
    public Page<WaveSummary> waves(@Valid @BeanParam PageRequest page) {
        return Page.of(queries.waves(page), page, wave -> {
            var counts = queries.statusCounts(wave.id);
            int organizations = (int) counts.values().stream().mapToLong(Long::longValue).sum();
            return new WaveSummary(wave.id, wave.name, wave.startsAt, wave.createdBy, wave.createdAt, organizations,
                    counts);
        });
    }

    @GET
    @Path("/migration-waves/{waveId}")
    @RolesAllowed(Roles.PROGRAM_OPERATOR)
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(operationId = "getMigrationWave",
            summary = "A migration wave with every organization's migration (users set up, what is missing)")
    @APIResponse(responseCode = "200", description = "The wave")
    @APIResponse(responseCode = "404", description = "No such wave")
    public WaveView wave(@PathParam("waveId") UUID waveId) {
        MigrationWave wave = queries.wave(waveId);
        if (wave == null) {
            throw ApiException.notFound(EnrollmentMessages.MIGRATION_WAVE_NOT_FOUND, waveId);
        }
        return view(wave);
    }

    @GET
    @Path("/organizations/{orgId}/migration")
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.USER_ADMIN, Roles.INCENTIVE_ADMIN,
            Roles.INCENTIVE_USER, Roles.API_INCENTIVES_READ })
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(operationId = "getOrganizationMigration", summary = "The organization's migration: its state, the"
            + " users to set up (and whether they are), the enrolments carried over, what is missing before it can be"
            + " completed, and its history",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_MIGRATION_READ))
    @APIResponse(responseCode = "200", description = "The migration")
    @APIResponse(responseCode = "404", description = "No such organization, another one's, or it is in no wave")
    public OrganizationMigrationView migration(@PathParam("orgId") UUID orgId) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        WaveOrganization row = queries.ofOrganization(orgId);
        if (row == null) {
            throw ApiException.notFound(EnrollmentMessages.MIGRATION_NOT_FOUND, orgId);
        }
        return view(row, queries.wave(row.waveId));
    }

    @POST
    @Path("/organizations/{orgId}/migration/complete")
    @RolesAllowed(Roles.INCENTIVE_ADMIN)
    @Operation(operationId = "completeOrganizationMigration", summary = "Complete the organization's migration"
            + " (incentive admin who signed in with their own password; every listed user set up): the carried-over"
            + " enrolments become ENROLLED",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_MIGRATION_COMPLETE))
    @APIResponse(responseCode = "200", description = "The migration, COMPLETED")
    @APIResponse(responseCode = "403", description = "You have not signed in with your own password yet, or your"
            + " role's locations do not cover every carried enrolment: `/problems/forbidden`")
    @APIResponse(responseCode = "404", description = "No such organization, another one's, or it is in no wave")
    @APIResponse(responseCode = "409", description = "Already completed, or not every listed user is set up yet:"
            + " `/problems/conflict` with members `migrationStatus` and `missing` (a list of `{kind, …, detail}`, `kind`"
            + " WAVE_START, USER or ADMIN_SIGN_IN)")
    public OrganizationMigrationView complete(@PathParam("orgId") UUID orgId) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        WaveOrganization row = migrations.complete(orgId, caller.subject(), caller.locations());
        return view(row, queries.wave(row.waveId));
    }

    private WaveView view(MigrationWave wave) {
        List<OrganizationMigrationView> organizations = queries.organizations(wave.id).stream()
                .map(row -> view(row, wave)).toList();
        return new WaveView(wave.id, wave.name, wave.startsAt, wave.createdBy, wave.createdAt, organizations);
    }

    private OrganizationMigrationView view(WaveOrganization row, MigrationWave wave) {
        List<ListedUserView> users = migrations.userStates(row).stream()
                .map(state -> new ListedUserView(state.listed().email, state.listed().firstName,
                        state.listed().lastName, state.listed().role, state.setUp(),
                        state.user() == null ? null : state.user().userId,
                        state.user() != null && state.user().activatedAt != null, state.problem()))
                .toList();
        List<CarriedEnrollmentView> enrollments = row.enrollments.stream()
                .map(e -> new CarriedEnrollmentView(e.partnerId, e.programId, e.earningsStartDate, e.enrollmentId))
                .toList();
        List<HistoryView> history = WaveOrganizationHistory.of(row.id).stream()
                .map(h -> new HistoryView(h.fromStatus == null ? null : h.fromStatus.name(), h.toStatus.name(),
                        h.reason, h.changedBy, h.changedAt))
                .toList();
        List<String> notified = row.notifiedEmails == null || row.notifiedEmails.isEmpty() ? List.of()
                : Arrays.asList(row.notifiedEmails.split(","));
        return new OrganizationMigrationView(row.organizationId, row.waveId, wave.name, row.startsAt,
                row.status.name(), row.notifiedAt, notified, row.completedAt, row.completedBy, users, enrollments,
                migrations.missing(row), history);
    }
}
