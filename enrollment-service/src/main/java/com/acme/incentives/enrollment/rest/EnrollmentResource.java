package com.acme.incentives.enrollment.rest;

import com.acme.incentives.enrollment.service.EnrollmentDtos;
import com.acme.incentives.platform.i18n.PlatformMessages;
import com.acme.incentives.enrollment.domain.Enrollment;
import com.acme.incentives.enrollment.service.EnrollmentDtos.EnrollmentHistoryEntry;
import com.acme.incentives.enrollment.service.EnrollmentDtos.EnrollmentView;
import com.acme.incentives.enrollment.service.EnrollmentDtos.InvitationView;
import com.acme.incentives.enrollment.service.EnrollmentQueries;
import com.acme.incentives.enrollment.service.EnrollmentService;
import com.acme.incentives.platform.idempotency.Idempotent;
import com.acme.incentives.platform.paging.Page;
import com.acme.incentives.platform.paging.PageRequest;
import com.acme.incentives.platform.security.Capabilities;
import com.acme.incentives.platform.paging.Sortable;
import com.acme.incentives.platform.security.Caller;
import com.acme.incentives.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.BeanParam;
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

import java.util.Set;
import java.util.UUID;

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Invitations and enrolments")
public class EnrollmentResource {

    private static final String PARTNER_ID = "[0-9]{1,12}";
    private static final String PROGRAM_ID = "[a-z0-9][a-z0-9-]{1,62}";

    @Inject
    EnrollmentService enrollments;

    @Inject
    EnrollmentQueries queries;

    @Inject
    Caller caller;

    @GET
    @Path("/organizations/{orgId}/invitations")
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER,
            Roles.API_INCENTIVES_READ })
    @Operation(operationId = "listInvitations", summary = "List an organization's invitations, newest first",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_INCENTIVES_READ))
    @APIResponse(responseCode = "200", description = "One page of invitations (location-limited roles: their"
            + " locations')")
    @APIResponse(responseCode = "404", description = "No such organization, or another one's")
    @Sortable({ "issuedAt", "expiresAt", "acceptedAt", "status", "partnerId", "programId" })
    public Page<InvitationView> invitations(@PathParam("orgId") UUID orgId, @Valid @BeanParam PageRequest page) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        return Page.of(queries.invitations(orgId, limitedTo(), page), page, InvitationView::of);
    }

    @GET
    @Path("/organizations/{orgId}/enrollments")
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER,
            Roles.API_INCENTIVES_READ })
    @Operation(operationId = "listEnrollments", summary = "List an organization's enrolments, newest first",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_INCENTIVES_READ))
    @APIResponse(responseCode = "200", description = "One page of enrolments (location-limited roles: their"
            + " locations')")
    @APIResponse(responseCode = "404", description = "No such organization, or another one's")
    @Sortable({ "createdAt", "updatedAt", "earningsStartDate", "status", "partnerId", "programId" })
    public Page<EnrollmentView> enrollments(@PathParam("orgId") UUID orgId, @Valid @BeanParam PageRequest page) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        return Page.of(queries.enrollments(orgId, limitedTo(), page), page, this::view);
    }

    @POST
    @Path("/invitations/{invitationId}/accept")
    @RolesAllowed({ Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN })
    @Operation(operationId = "acceptInvitation",
            summary = "Accept an invitation; the enrolment then waits for complete tax and bank profiles",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_ENROLLMENTS_MANAGE))
    @APIResponse(responseCode = "200", description = "The enrolment it started")
    @APIResponse(responseCode = "404", description = "No such invitation, another organization's, or for a location"
            + " outside your role's")
    @APIResponse(responseCode = "422", description = "Already accepted, expired or withdrawn, or the location is no"
            + " longer eligible: `/problems/unprocessable`")
    public EnrollmentView accept(@PathParam("invitationId") UUID invitationId) {
        // another tenant's (or an uncovered location's) invitation is a 404, as if it did not exist
        return view(enrollments.accept(invitationId, caller.subject(),
                invitation -> mine(invitation.organizationId, invitation.partnerId)));
    }

    @POST
    @Path("/locations/{partnerId}/programs/{programId}/invitations")
    @RolesAllowed(Roles.PROGRAM_OPERATOR)
    @Idempotent
    @Operation(operationId = "inviteAgain", summary = "Invite again an eligible location whose invitation expired or"
            + " that withdrew (or that was never invited): a new invitation, mailed to its incentive admins")
    @APIResponse(responseCode = "201", description = "The new invitation (its enrolment INVITED)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = InvitationView.class)))
    @APIResponse(responseCode = "404", description = "Eligibility never evaluated the location for the programme:"
            + " `/problems/not-found`")
    @APIResponse(responseCode = "409", description = "The location has an open enrolment in the programme (its"
            + " `enrollmentId` is in the problem): `/problems/conflict`")
    @APIResponse(responseCode = "422", description = "The location is not eligible for the programme now:"
            + " `/problems/unprocessable`")
    public Response inviteAgain(@PathParam("partnerId") @Pattern(regexp = PARTNER_ID,
            message = "{incentives.partner-id}") String partnerId,
            @PathParam("programId") @Pattern(regexp = PROGRAM_ID, message = "{incentives.program-id}")
            String programId) {
        return Response.status(Response.Status.CREATED)
                .entity(InvitationView.of(enrollments.inviteAgain(partnerId, programId, caller.subject()))).build();
    }

    @POST
    @Path("/locations/{partnerId}/programs/{programId}/enrollments")
    @RolesAllowed({ Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN })
    @Idempotent
    @Operation(operationId = "signUp", summary = "Sign an eligible location up again without waiting for an"
            + " invitation (its invitation expired, or it withdrew): the enrolment starts as if invited and accepted",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_ENROLLMENTS_MANAGE))
    @APIResponse(responseCode = "201", description = "The enrolment it started (ACTION_REQUIRED, VALIDATING or"
            + " ENROLLED, as the payout profiles are)", headers = @Header(name = "Location", ref = "Location"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = EnrollmentView.class)))
    @APIResponse(responseCode = "404", description = "Another organization's location, one outside your role's, or"
            + " one eligibility never evaluated for the programme: `/problems/not-found`")
    @APIResponse(responseCode = "409", description = "The location has an open enrolment in the programme (its"
            + " `enrollmentId` is in the problem): `/problems/conflict`")
    @APIResponse(responseCode = "422", description = "The location is not eligible for the programme now:"
            + " `/problems/unprocessable`")
    public Response signUp(@PathParam("partnerId") @Pattern(regexp = PARTNER_ID,
            message = "{incentives.partner-id}") String partnerId,
            @PathParam("programId") @Pattern(regexp = PROGRAM_ID, message = "{incentives.program-id}")
            String programId, @Context UriInfo uri) {
        Enrollment enrollment = enrollments.signUp(partnerId, programId, caller.subject(),
                state -> mine(state.organizationId, partnerId));
        return Response.created(uri.getBaseUriBuilder().path("api/v1/enrollments").path(enrollment.id.toString())
                .build()).entity(view(enrollment)).build();
    }

    @POST
    @Path("/enrollments/{enrollmentId}/withdraw")
    @RolesAllowed({ Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN })
    @Operation(operationId = "withdrawEnrollment", summary = "Withdraw a location from a programme",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_ENROLLMENTS_MANAGE))
    @APIResponse(responseCode = "200", description = "The enrolment, WITHDRAWN")
    @APIResponse(responseCode = "404", description = "No such enrolment, another organization's, or for a location"
            + " outside your role's")
    @APIResponse(responseCode = "422", description = "The enrolment is already closed: `/problems/unprocessable`")
    public EnrollmentView withdraw(@PathParam("enrollmentId") UUID enrollmentId) {
        return view(enrollments.withdraw(enrollmentId, caller.subject(),
                enrollment -> mine(enrollment.organizationId, enrollment.partnerId)));
    }

    @GET
    @Path("/enrollments/{enrollmentId}")
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER,
            Roles.API_INCENTIVES_READ })
    @Operation(operationId = "getEnrollment", summary = "Read an enrolment: its status and, in ACTION_REQUIRED, what"
            + " the partner must do and the operation that does it",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_INCENTIVES_READ))
    @APIResponse(responseCode = "200", description = "The enrolment")
    @APIResponse(responseCode = "404", description = "No such enrolment, another organization's, or for a location"
            + " outside your role's")
    public EnrollmentView enrollment(@PathParam("enrollmentId") UUID enrollmentId) {
        return view(queries.enrollment(enrollmentId, this::readable));
    }

    @GET
    @Path("/enrollments/{enrollmentId}/history")
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER,
            Roles.API_INCENTIVES_READ })
    @Operation(operationId = "listEnrollmentHistory",
            summary = "Every status change of an enrolment (from, to, when, why, by whom), newest first",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_INCENTIVES_READ))
    @APIResponse(responseCode = "200", description = "One page of the enrolment's history")
    @APIResponse(responseCode = "404", description = "No such enrolment, another organization's, or for a location"
            + " outside your role's")
    public Page<EnrollmentHistoryEntry> history(@PathParam("enrollmentId") UUID enrollmentId,
            @Valid @BeanParam PageRequest page) {
        Enrollment enrollment = queries.enrollment(enrollmentId, this::readable);
        return Page.of(queries.history(enrollment.id), page, EnrollmentHistoryEntry::of);
    }

    private EnrollmentView view(Enrollment enrollment) {
        return EnrollmentView.of(enrollment, queries.requiredActions(enrollment));
    }

    /** Reads: operators see every organization's; partners their organization's, within their role's locations. */
    private boolean readable(Enrollment enrollment) {
        return caller.isOperator() || mine(enrollment.organizationId, enrollment.partnerId);
    }

    private boolean mine(UUID organizationId, String partnerId) {
        return caller.organizationId().filter(organizationId::equals).isPresent() && caller.coversLocation(partnerId);
    }

    private Set<String> limitedTo() {
        return caller.isOperator() ? Set.of() : caller.locations();
    }
}
