package com.acme.incentives.payout.rest;

import com.acme.incentives.payout.domain.BankProfile;
import com.acme.incentives.payout.domain.PartnerLocation;
import com.acme.incentives.payout.domain.PayoutAssignment;
import com.acme.incentives.payout.domain.TaxProfile;
import com.acme.incentives.payout.rest.ProfileDtos.AssignmentView;
import com.acme.incentives.payout.rest.ProfileDtos.BankProfileView;
import com.acme.incentives.payout.rest.ProfileDtos.CreateBankProfile;
import com.acme.incentives.payout.rest.ProfileDtos.CreateTaxProfile;
import com.acme.incentives.payout.rest.ProfileDtos.PutAssignment;
import com.acme.incentives.payout.rest.ProfileDtos.TaxProfileView;
import com.acme.incentives.payout.service.ProfileService;
import com.acme.incentives.platform.idempotency.Idempotent;
import com.acme.incentives.platform.paging.Page;
import com.acme.incentives.platform.paging.PageRequest;
import com.acme.incentives.platform.problem.ApiException;
import com.acme.incentives.platform.security.Caller;
import com.acme.incentives.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.UUID;

@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Tax and bank profiles")
public class ProfileResource {

    @Inject
    ProfileService profiles;

    @Inject
    Caller caller;

    @POST
    @Path("/organizations/{orgId}/tax-profiles")
    @RolesAllowed({ Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN })
    @Idempotent
    @Operation(operationId = "createTaxProfile",
            summary = "Add a tax profile to a location (supersedes its previous one; profiles are never deleted)")
    @APIResponse(responseCode = "201", description = "Added", headers = @Header(name = "Location", ref = "Location"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = TaxProfileView.class)))
    @APIResponse(responseCode = "404", description = "No such organization, or another one's")
    public Response createTaxProfile(@PathParam("orgId") UUID orgId, @Valid @NotNull CreateTaxProfile body,
            @Context UriInfo uri) {
        caller.requireOrganization(orgId, "Organization " + orgId);
        TaxProfile profile = profiles.createTaxProfile(orgId, body, caller.subject(), caller::coversLocation);
        return Response.created(uri.getAbsolutePathBuilder().path(profile.id.toString()).build())
                .entity(view(profile)).build();
    }

    @GET
    @Path("/organizations/{orgId}/tax-profiles")
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER })
    @Operation(operationId = "listTaxProfiles",
            summary = "List the tax profiles of an organization's locations (newest first per location)")
    @APIResponse(responseCode = "200", description = "One page of tax profiles")
    @APIResponse(responseCode = "404", description = "No such organization, or another one's")
    public Page<TaxProfileView> taxProfiles(@PathParam("orgId") UUID orgId,
            @Parameter(description = "Only this location's") @QueryParam("partnerId") String partnerId,
            @Valid @BeanParam PageRequest page) {
        caller.requireOrganization(orgId, "Organization " + orgId);
        Set<String> limited = caller.isOperator() ? Set.of() : caller.locations();
        return Page.of(profiles.taxProfiles(orgId, partnerId, limited), page, ProfileResource::view);
    }

    @POST
    @Path("/organizations/{orgId}/payment-profiles")
    @RolesAllowed({ Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN })
    @Idempotent
    @Operation(operationId = "createBankProfile",
            summary = "Add a bank (payment) profile; it is validated and becomes APPROVED or ACTION_REQUIRED")
    @APIResponse(responseCode = "201", description = "Added (account number masked)",
            headers = @Header(name = "Location", ref = "Location"), content = @Content(
                    mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BankProfileView.class)))
    @APIResponse(responseCode = "404", description = "No such organization, or another one's")
    @APIResponse(responseCode = "409", description = "The organization has a bank profile of this name:"
            + " `/problems/conflict`")
    public Response createBankProfile(@PathParam("orgId") UUID orgId, @Valid @NotNull CreateBankProfile body,
            @Context UriInfo uri) {
        caller.requireOrganization(orgId, "Organization " + orgId);
        BankProfile profile = profiles.createBankProfile(orgId, body, caller.subject());
        return Response.created(uri.getAbsolutePathBuilder().path(profile.id.toString()).build())
                .entity(view(profile)).build();
    }

    @GET
    @Path("/organizations/{orgId}/payment-profiles")
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER })
    @Operation(operationId = "listBankProfiles", summary = "List an organization's bank profiles (account numbers masked)")
    @APIResponse(responseCode = "200", description = "One page of bank profiles")
    @APIResponse(responseCode = "404", description = "No such organization, or another one's")
    public Page<BankProfileView> bankProfiles(@PathParam("orgId") UUID orgId, @Valid @BeanParam PageRequest page) {
        caller.requireOrganization(orgId, "Organization " + orgId);
        return Page.of(profiles.bankProfiles(orgId), page, ProfileResource::view);
    }

    @PUT
    @Path("/locations/{partnerId}/programs/{programId}/payout-assignment")
    @RolesAllowed({ Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN })
    @Operation(operationId = "putPayoutAssignment",
            summary = "Set where and how a location is paid for a programme, and \"hold my payment\"")
    @APIResponse(responseCode = "200", description = "The assignment as stored")
    @APIResponse(responseCode = "404", description = "Unknown location, another organization's, or outside your"
            + " role's locations")
    public AssignmentView putAssignment(@PathParam("partnerId") String partnerId,
            @PathParam("programId") String programId, @Valid @NotNull PutAssignment body) {
        PartnerLocation location = ownLocation(partnerId);
        return view(profiles.putAssignment(location, programId, body, caller.subject()));
    }

    @GET
    @Path("/locations/{partnerId}/programs/{programId}/payout-assignment")
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER })
    @Operation(operationId = "getPayoutAssignment", summary = "Read a location's payout assignment for a programme")
    @APIResponse(responseCode = "200", description = "The assignment")
    @APIResponse(responseCode = "404", description = "Unknown location, another organization's, outside your role's"
            + " locations, or no assignment for this programme yet")
    public AssignmentView getAssignment(@PathParam("partnerId") String partnerId,
            @PathParam("programId") String programId) {
        ownLocation(partnerId);
        PayoutAssignment assignment = profiles.assignment(partnerId, programId);
        if (assignment == null) {
            throw ApiException.notFound("Payout assignment of " + partnerId + " for " + programId);
        }
        return view(assignment);
    }

    /** 404 for a location of another organization or outside the caller's location limits. */
    private PartnerLocation ownLocation(String partnerId) {
        PartnerLocation location = PartnerLocation.findById(partnerId);
        if (location == null || !caller.coversLocation(partnerId)) {
            throw ApiException.notFound("Location " + partnerId);
        }
        caller.requireOrganization(location.organizationId, "Location " + partnerId);
        return location;
    }

    static TaxProfileView view(TaxProfile t) {
        return new TaxProfileView(t.id, t.organizationId, t.partnerId, t.country, t.taxForm, t.taxId, t.expiresOn,
                t.expiredOn(LocalDate.now(ZoneOffset.UTC)) ? "EXPIRED" : "VALID", t.createdAt);
    }

    static BankProfileView view(BankProfile b) {
        return new BankProfileView(b.id, b.organizationId, b.name, b.bankCountry, b.currency, b.method,
                b.accountKind, b.maskedAccount(), b.bic, b.routingNumber, b.beneficiary, b.status, b.statusReason,
                b.createdAt, b.validatedAt);
    }

    static AssignmentView view(PayoutAssignment a) {
        return new AssignmentView(a.partnerId, a.programId, a.organizationId, a.taxProfileId, a.bankProfileId,
                a.currency, a.holdRequested, a.updatedAt);
    }
}
