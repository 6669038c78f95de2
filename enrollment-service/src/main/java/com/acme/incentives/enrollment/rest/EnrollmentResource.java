package com.acme.incentives.enrollment.rest;

import com.acme.incentives.platform.i18n.PlatformMessages;
import com.acme.incentives.enrollment.domain.Enrollment;
import com.acme.incentives.enrollment.rest.EnrollmentDtos.EnrollmentHistoryEntry;
import com.acme.incentives.enrollment.rest.EnrollmentDtos.EnrollmentView;
import com.acme.incentives.enrollment.rest.EnrollmentDtos.InvitationView;
import com.acme.incentives.enrollment.service.EnrollmentQueries;
import com.acme.incentives.enrollment.service.EnrollmentService;
import com.acme.incentives.platform.paging.Page;
import com.acme.incentives.platform.paging.PageRequest;
import com.acme.incentives.platform.security.Capabilities;
import com.acme.incentives.platform.paging.Sortable;
import com.acme.incentives.platform.security.Caller;
import com.acme.incentives.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Set;
import java.util.UUID;

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Invitations and enrolments")
public class EnrollmentResource {

    @Inject
    EnrollmentService enrollments;

    @Inject
    EnrollmentQueries queries;

    @Inject
    Caller caller;

    @GET
    @Path("/organizations/{orgId}/invitations")
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER })
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
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER })
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
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER })
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
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER })
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
