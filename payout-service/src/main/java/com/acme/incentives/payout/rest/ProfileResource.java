package com.acme.incentives.payout.rest;

import com.acme.incentives.payout.service.ProfileDtos;
import com.acme.incentives.platform.i18n.Languages;
import com.acme.incentives.platform.i18n.PlatformMessages;
import com.acme.incentives.payout.PayoutMessages;
import com.acme.incentives.payout.domain.BankProfile;
import com.acme.incentives.payout.domain.BankProfileReason;
import com.acme.incentives.payout.domain.BankProfileVersion;
import com.acme.incentives.payout.domain.PartnerLocation;
import com.acme.incentives.payout.domain.PayoutAssignment;
import com.acme.incentives.payout.domain.TaxProfile;
import com.acme.incentives.payout.domain.TaxProfileVersion;
import com.acme.incentives.payout.service.ProfileDtos.AssignmentView;
import com.acme.incentives.payout.service.ProfileDtos.BankProfileVersionView;
import com.acme.incentives.payout.service.ProfileDtos.BankProfileView;
import com.acme.incentives.payout.service.ProfileDtos.CorrectTaxProfile;
import com.acme.incentives.payout.service.ProfileDtos.CreateBankProfile;
import com.acme.incentives.payout.service.ProfileDtos.CreateTaxProfile;
import com.acme.incentives.payout.service.ProfileDtos.PutAssignment;
import com.acme.incentives.payout.service.ProfileDtos.TaxProfileVersionView;
import com.acme.incentives.payout.service.ProfileDtos.TaxProfileView;
import com.acme.incentives.payout.service.ProfileService;
import com.acme.incentives.platform.concurrency.VersionChecked;
import com.acme.incentives.platform.concurrency.Versions;
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
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Clock;
import java.time.LocalDate;
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

    @Inject
    Clock clock;

    @POST
    @Path("/organizations/{orgId}/tax-profiles")
    @RolesAllowed({ Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN })
    @Idempotent
    @Operation(operationId = "createTaxProfile",
            summary = "Add a tax profile to a location (supersedes its previous one; profiles are never deleted)",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_INCENTIVES_MANAGE))
    @APIResponse(responseCode = "201", description = "Added", headers = { @Header(name = "Location", ref = "Location"),
            @Header(name = "ETag", ref = "ETag") },
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = TaxProfileView.class)))
    @APIResponse(responseCode = "404", description = "No such organization, or another one's")
    public Response createTaxProfile(@PathParam("orgId") UUID orgId, @Valid @NotNull CreateTaxProfile body,
            @Context UriInfo uri) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        TaxProfile profile = profiles.createTaxProfile(orgId, body, caller.subject(), caller::coversLocation);
        return Versions.tagged(Response.created(uri.getAbsolutePathBuilder().path(profile.id.toString()).build())
                .entity(view(profile)), profile.version).build();
    }

    @GET
    @Path("/organizations/{orgId}/tax-profiles")
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER,
            Roles.API_INCENTIVES_READ })
    @Operation(operationId = "listTaxProfiles",
            summary = "List the tax profiles of an organization's locations (newest first per location)",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_INCENTIVES_READ))
    @APIResponse(responseCode = "200", description = "One page of tax profiles")
    @APIResponse(responseCode = "404", description = "No such organization, or another one's")
    @Sortable({ "partnerId", "country", "taxForm", "expiresOn", "createdAt" })
    public Page<TaxProfileView> taxProfiles(@PathParam("orgId") UUID orgId,
            @Parameter(description = "Only this location's") @QueryParam("partnerId") String partnerId,
            @Valid @BeanParam PageRequest page) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        Set<String> limited = caller.isOperator() ? Set.of() : caller.locations();
        return Page.of(profiles.taxProfiles(orgId, partnerId, limited, page), page, this::view);
    }

    @GET
    @Path("/organizations/{orgId}/tax-profiles/{profileId}")
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER,
            Roles.API_INCENTIVES_READ })
    @Operation(operationId = "getTaxProfile", summary = "Read a tax profile (its current version), with its ETag",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_INCENTIVES_READ))
    @APIResponse(responseCode = "200", description = "The tax profile", headers = @Header(name = "ETag", ref = "ETag"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = TaxProfileView.class)))
    @APIResponse(responseCode = "404", description = "No such tax profile in this organization, another"
            + " organization's, or of a location outside your role's locations")
    public Response getTaxProfile(@PathParam("orgId") UUID orgId, @PathParam("profileId") UUID profileId) {
        TaxProfile profile = ownTaxProfile(orgId, profileId);
        return Versions.tagged(Response.ok(view(profile)), profile.version).build();
    }

    @PUT
    @Path("/organizations/{orgId}/tax-profiles/{profileId}")
    @RolesAllowed({ Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN })
    @VersionChecked
    @Operation(operationId = "correctTaxProfile", summary = "Correct a tax profile: makes its next version, checked"
            + " as a new profile is; the previous versions stay readable (`If-Match` required)",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_INCENTIVES_MANAGE))
    @APIResponse(responseCode = "200", description = "The corrected profile (its new version)",
            headers = @Header(name = "ETag", ref = "ETag"), content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = TaxProfileView.class)))
    @APIResponse(responseCode = "404", description = "No such tax profile in this organization, another"
            + " organization's, or of a location outside your role's locations")
    public Response correctTaxProfile(@PathParam("orgId") UUID orgId, @PathParam("profileId") UUID profileId,
            @Valid @NotNull CorrectTaxProfile body, @Context HttpHeaders headers) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        TaxProfile profile = profiles.correctTaxProfile(orgId, profileId, body,
                headers.getHeaderString(Versions.IF_MATCH), caller.subject(), caller::coversLocation);
        return Versions.tagged(Response.ok(view(profile)), profile.version).build();
    }

    @GET
    @Path("/organizations/{orgId}/tax-profiles/{profileId}/versions")
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER,
            Roles.API_INCENTIVES_READ })
    @Operation(operationId = "listTaxProfileVersions", summary = "List every version of a tax profile, newest first",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_INCENTIVES_READ))
    @APIResponse(responseCode = "200", description = "One page of versions")
    @APIResponse(responseCode = "404", description = "No such tax profile in this organization, another"
            + " organization's, or of a location outside your role's locations")
    public Page<TaxProfileVersionView> taxProfileVersions(@PathParam("orgId") UUID orgId,
            @PathParam("profileId") UUID profileId, @Valid @BeanParam PageRequest page) {
        ownTaxProfile(orgId, profileId);
        return Page.of(profiles.taxProfileVersions(profileId), page, ProfileResource::view);
    }

    @POST
    @Path("/organizations/{orgId}/payment-profiles")
    @RolesAllowed({ Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN })
    @Idempotent
    @Operation(operationId = "createBankProfile",
            summary = "Add a bank (payment) profile; it is validated and becomes APPROVED or ACTION_REQUIRED",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_INCENTIVES_MANAGE))
    @APIResponse(responseCode = "201", description = "Added (account number masked)",
            headers = { @Header(name = "Location", ref = "Location"), @Header(name = "ETag", ref = "ETag") },
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = BankProfileView.class)))
    @APIResponse(responseCode = "404", description = "No such organization, or another one's")
    @APIResponse(responseCode = "409", description = "The organization has a bank profile of this name:"
            + " `/problems/conflict`")
    public Response createBankProfile(@PathParam("orgId") UUID orgId, @Valid @NotNull CreateBankProfile body,
            @Context UriInfo uri) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        BankProfile profile = profiles.createBankProfile(orgId, body, caller.subject());
        return Versions.tagged(Response.created(uri.getAbsolutePathBuilder().path(profile.id.toString()).build())
                .entity(view(profile)), profile.version).build();
    }

    @GET
    @Path("/organizations/{orgId}/payment-profiles")
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER,
            Roles.API_INCENTIVES_READ })
    @Operation(operationId = "listBankProfiles", summary = "List an organization's bank profiles (account numbers masked)",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_INCENTIVES_READ))
    @APIResponse(responseCode = "200", description = "One page of bank profiles")
    @APIResponse(responseCode = "404", description = "No such organization, or another one's")
    @Sortable({ "createdAt", "name", "bankCountry", "currency", "status", "validatedAt" })
    public Page<BankProfileView> bankProfiles(@PathParam("orgId") UUID orgId, @Valid @BeanParam PageRequest page) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        return Page.of(profiles.bankProfiles(orgId, page), page, ProfileResource::view);
    }

    @GET
    @Path("/organizations/{orgId}/payment-profiles/{profileId}")
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER,
            Roles.API_INCENTIVES_READ })
    @Operation(operationId = "getBankProfile",
            summary = "Read a bank profile (its current version, account masked), with its ETag",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_INCENTIVES_READ))
    @APIResponse(responseCode = "200", description = "The bank profile",
            headers = @Header(name = "ETag", ref = "ETag"), content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = BankProfileView.class)))
    @APIResponse(responseCode = "404", description = "No such bank profile in this organization, or another"
            + " organization's")
    public Response getBankProfile(@PathParam("orgId") UUID orgId, @PathParam("profileId") UUID profileId) {
        BankProfile profile = ownBankProfile(orgId, profileId);
        return Versions.tagged(Response.ok(view(profile)), profile.version).build();
    }

    @PUT
    @Path("/organizations/{orgId}/payment-profiles/{profileId}")
    @RolesAllowed({ Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN })
    @VersionChecked
    @Operation(operationId = "correctBankProfile", summary = "Correct a bank profile: makes its next version, checked"
            + " as a new profile is and PENDING_VALIDATION again until the bank validation approves it or asks for"
            + " action; the previous versions stay readable (`If-Match` required)",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_INCENTIVES_MANAGE))
    @APIResponse(responseCode = "200", description = "The corrected profile (its new version, account masked)",
            headers = @Header(name = "ETag", ref = "ETag"), content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = BankProfileView.class)))
    @APIResponse(responseCode = "404", description = "No such bank profile in this organization, or another"
            + " organization's")
    @APIResponse(responseCode = "409", description = "Another bank profile of the organization has this name, or a"
            + " payout run is sending a payment to this profile right now (retry once it is in the bank file):"
            + " `/problems/conflict`")
    public Response correctBankProfile(@PathParam("orgId") UUID orgId, @PathParam("profileId") UUID profileId,
            @Valid @NotNull CreateBankProfile body, @Context HttpHeaders headers) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        BankProfile profile = profiles.correctBankProfile(orgId, profileId, body,
                headers.getHeaderString(Versions.IF_MATCH), caller.subject());
        return Versions.tagged(Response.ok(view(profile)), profile.version).build();
    }

    @GET
    @Path("/organizations/{orgId}/payment-profiles/{profileId}/versions")
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER,
            Roles.API_INCENTIVES_READ })
    @Operation(operationId = "listBankProfileVersions",
            summary = "List every version of a bank profile, newest first, each with its validation outcome",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_INCENTIVES_READ))
    @APIResponse(responseCode = "200", description = "One page of versions (accounts masked)")
    @APIResponse(responseCode = "404", description = "No such bank profile in this organization, or another"
            + " organization's")
    public Page<BankProfileVersionView> bankProfileVersions(@PathParam("orgId") UUID orgId,
            @PathParam("profileId") UUID profileId, @Valid @BeanParam PageRequest page) {
        BankProfile current = ownBankProfile(orgId, profileId);
        return Page.of(profiles.bankProfileVersions(profileId), page, v -> view(v, current));
    }

    @PUT
    @Path("/locations/{partnerId}/programs/{programId}/payout-assignment")
    @RolesAllowed({ Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN })
    @Operation(operationId = "putPayoutAssignment",
            summary = "Set where and how a location is paid for a programme, and \"hold my payment\"",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_INCENTIVES_MANAGE))
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
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER,
            Roles.API_INCENTIVES_READ })
    @Operation(operationId = "getPayoutAssignment", summary = "Read a location's payout assignment for a programme",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_INCENTIVES_READ))
    @APIResponse(responseCode = "200", description = "The assignment")
    @APIResponse(responseCode = "404", description = "Unknown location, another organization's, outside your role's"
            + " locations, or no assignment for this programme yet")
    public AssignmentView getAssignment(@PathParam("partnerId") String partnerId,
            @PathParam("programId") String programId) {
        ownLocation(partnerId);
        PayoutAssignment assignment = profiles.assignment(partnerId, programId);
        if (assignment == null) {
            throw ApiException.notFound(PayoutMessages.PAYOUT_ASSIGNMENT_NOT_FOUND, partnerId, programId);
        }
        return view(assignment);
    }

    /** 404 for another organization's tax profile, one of a location outside the caller's limits, or none. */
    private TaxProfile ownTaxProfile(UUID orgId, UUID profileId) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        TaxProfile profile = profiles.taxProfile(orgId, profileId, caller::coversLocation);
        if (profile == null) {
            throw ApiException.notFound(PayoutMessages.TAX_PROFILE_NOT_FOUND, profileId);
        }
        return profile;
    }

    /** 404 for another organization's bank profile or none. */
    private BankProfile ownBankProfile(UUID orgId, UUID profileId) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        BankProfile profile = profiles.bankProfile(orgId, profileId);
        if (profile == null) {
            throw ApiException.notFound(PayoutMessages.BANK_PROFILE_NOT_FOUND, profileId);
        }
        return profile;
    }

    /** 404 for a location of another organization or outside the caller's location limits. */
    private PartnerLocation ownLocation(String partnerId) {
        PartnerLocation location = PartnerLocation.findById(partnerId);
        if (location == null || !caller.coversLocation(partnerId)) {
            throw ApiException.notFound(PlatformMessages.LOCATION_NOT_FOUND, partnerId);
        }
        caller.requireOrganization(location.organizationId, PlatformMessages.LOCATION_NOT_FOUND, partnerId);
        return location;
    }

    private TaxProfileView view(TaxProfile t) {
        return new TaxProfileView(t.id, t.organizationId, t.partnerId, t.country, t.taxForm, t.taxId, t.expiresOn,
                t.expiredOn(LocalDate.now(clock)) ? "EXPIRED" : "VALID", t.version, t.createdAt,
                t.updatedAt);
    }

    static TaxProfileVersionView view(TaxProfileVersion v) {
        return new TaxProfileVersionView(v.version, v.country, v.taxForm, v.taxId, v.expiresOn, v.createdAt,
                v.supersededAt);
    }

    /** A version's validation outcome: the profile's own while the version is current. */
    static BankProfileVersionView view(BankProfileVersion v, BankProfile current) {
        boolean isCurrent = v.version == current.version;
        return new BankProfileVersionView(v.version, v.name, v.bankCountry, v.currency, v.method, v.accountKind,
                v.maskedAccount(), v.bic, v.routingNumber, v.bankCode, v.branchCode, v.accountType,
                v.accountHolderKana, v.beneficiary, isCurrent ? current.status : v.status,
                isCurrent ? current.statusReason(Languages.current())
                        : BankProfileReason.render(v.statusReasonCode, v.statusReasonArgs, v.statusReason,
                                Languages.current()),
                isCurrent ? current.statusReasonCode : v.statusReasonCode,
                isCurrent ? current.validatedAt : v.validatedAt, v.createdAt, v.supersededAt,
                isCurrent ? review(current)
                        : ProfileDtos.BankProfileReview.of(v.reviewReason, v.reviewedBy, v.reviewedAt, v.reviewNote));
    }

    static BankProfileView view(BankProfile b) {
        return new BankProfileView(b.id, b.organizationId, b.name, b.bankCountry, b.currency, b.method,
                b.accountKind, b.maskedAccount(), b.bic, b.routingNumber, b.bankCode, b.branchCode, b.accountType,
                b.accountHolderKana, b.beneficiary, b.status, b.statusReason(Languages.current()), b.statusReasonCode,
                b.createdAt, b.validatedAt, b.version, b.updatedAt, review(b));
    }

    private static ProfileDtos.BankProfileReview review(BankProfile b) {
        return ProfileDtos.BankProfileReview.of(b.reviewReason, b.reviewedBy, b.reviewedAt, b.reviewNote);
    }

    static AssignmentView view(PayoutAssignment a) {
        return new AssignmentView(a.partnerId, a.programId, a.organizationId, a.taxProfileId, a.bankProfileId,
                a.currency, a.holdRequested, a.updatedAt);
    }
}
