package com.acme.incentives.identity.rest;

import com.acme.incentives.identity.service.OrganizationDtos;
import com.acme.incentives.platform.i18n.PlatformMessages;
import com.acme.incentives.identity.domain.Location;
import com.acme.incentives.identity.domain.Organization;
import com.acme.incentives.identity.service.OrganizationDtos.AddLocation;
import com.acme.incentives.identity.service.OrganizationDtos.Contact;
import com.acme.incentives.identity.service.OrganizationDtos.LocationView;
import com.acme.incentives.identity.service.OrganizationDtos.OrganizationSummary;
import com.acme.incentives.identity.service.OrganizationDtos.OrganizationView;
import com.acme.incentives.identity.service.OrganizationDtos.RegisterOrganization;
import com.acme.incentives.identity.service.OrganizationDtos.RegisteredOrganization;
import com.acme.incentives.identity.service.OrganizationService;
import com.acme.incentives.platform.idempotency.Idempotent;
import com.acme.incentives.platform.paging.Page;
import com.acme.incentives.platform.paging.PageRequest;
import com.acme.incentives.platform.security.Capabilities;
import com.acme.incentives.platform.paging.Sortable;
import com.acme.incentives.platform.security.Caller;
import com.acme.incentives.platform.security.Roles;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
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

import java.util.List;
import java.util.Map;
import java.util.UUID;

@Path("/api/v1/organizations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Organizations and locations")
public class OrganizationResource {

    @Inject
    OrganizationService organizations;

    @Inject
    Caller caller;

    @POST
    @RolesAllowed(Roles.PROGRAM_OPERATOR)
    @Idempotent
    @Operation(operationId = "registerOrganization", summary = "Register a partner organization (operators); its"
            + " primary contact becomes its first GLOBAL_ADMIN, whose temporary password is answered once")
    @APIResponse(responseCode = "201", description = "Registered, with the primary contact's account and temporary"
            + " password (not in an Idempotency-Key replay)", headers = @Header(name = "Location", ref = "Location"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = RegisteredOrganization.class)))
    @APIResponse(responseCode = "409", description = "The primary contact's email is already a user of the platform"
            + " (or one is being created with it): `/problems/conflict` with member `email`")
    public Response register(@Valid @NotNull RegisterOrganization body, @jakarta.ws.rs.core.Context UriInfo uri) {
        OrganizationService.Registration registration = organizations.register(body, caller.subject());
        Organization o = registration.organization();
        return Response.created(uri.getAbsolutePathBuilder().path(o.id.toString()).build())
                .entity(new RegisteredOrganization(o.id, o.name, new Contact(o.contactEmail, o.contactFirstName,
                        o.contactLastName), o.createdAt, UserResource.view(registration.primaryContact()),
                        registration.temporaryPassword()))
                .build();
    }

    @GET
    @RolesAllowed(Roles.PROGRAM_OPERATOR)
    @Operation(operationId = "listOrganizations", summary = "List and search organizations (operators): by name, by"
            + " the partner ID of one of their locations, by a country they have a location in")
    @APIResponse(responseCode = "200", description = "One page of organizations, each with its number of locations"
            + " and their countries")
    @Sortable({ "name", "createdAt" })
    public Page<OrganizationSummary> list(
            @Parameter(description = "Only organizations whose name contains this (case-insensitive)")
            @QueryParam("name") @Size(max = 200) String name,
            @Parameter(description = "Only the organization with the location of this partner ID")
            @QueryParam("partnerId") @Pattern(regexp = OrganizationDtos.PARTNER_ID,
                    message = OrganizationDtos.PARTNER_ID_MESSAGE) String partnerId,
            @Parameter(description = "Only organizations with a location in this country (ISO 3166-1 alpha-2)")
            @QueryParam("country")
            @Pattern(regexp = OrganizationDtos.COUNTRY, message = "{incentives.country}") String country,
            @Valid @BeanParam PageRequest page) {
        PanacheQuery<Organization> query = organizations.search(name, partnerId, country, page);
        List<Organization> found = query.page(page.page, page.size).list();
        Map<UUID, OrganizationService.LocationsOf> locations = organizations.locationsOf(
                found.stream().map(o -> o.id).toList());
        return Page.of(found.stream().map(o -> summary(o, locations.get(o.id))).toList(), page, query.count());
    }

    @GET
    @Path("/{orgId}")
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.ACCOUNT_ADMIN, Roles.USER_ADMIN,
            Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER, Roles.API_ORGANIZATION_READ })
    @Operation(operationId = "getOrganization", summary = "Read an organization (its members and operators)",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_ORGANIZATION_READ))
    @APIResponse(responseCode = "200", description = "The organization")
    @APIResponse(responseCode = "404", description = "No such organization, or another one's")
    public OrganizationView get(@PathParam("orgId") UUID orgId) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        return view(organizations.find(orgId));
    }

    @POST
    @Path("/{orgId}/locations")
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.ACCOUNT_ADMIN })
    @Idempotent
    @Operation(operationId = "addLocation",
            summary = "Add a location (global or account admins of the organization, operators)",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_LOCATIONS_ADD))
    @APIResponse(responseCode = "201", description = "Added; eligibility-service learns of it from the LocationAdded"
            + " event", headers = @Header(name = "Location", ref = "Location"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = LocationView.class)))
    @APIResponse(responseCode = "404", description = "No such organization, or another one's")
    @APIResponse(responseCode = "409", description = "The partner ID is already registered: `/problems/conflict`")
    public Response addLocation(@PathParam("orgId") UUID orgId, @Valid @NotNull AddLocation body,
            @jakarta.ws.rs.core.Context UriInfo uri) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        Location location = organizations.addLocation(orgId, body, caller.subject());
        return Response.created(uri.getAbsolutePathBuilder().path(location.partnerId).build())
                .entity(view(location)).build();
    }

    @GET
    @Path("/{orgId}/locations")
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.ACCOUNT_ADMIN, Roles.USER_ADMIN,
            Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER, Roles.API_ORGANIZATION_READ })
    @Operation(operationId = "listLocations", summary = "List an organization's locations",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_ORGANIZATION_READ))
    @APIResponse(responseCode = "200", description = "One page of the organization's locations")
    @APIResponse(responseCode = "404", description = "No such organization, or another one's")
    @Sortable({ "partnerId", "name", "country", "partnerType", "createdAt" })
    public Page<LocationView> locations(@PathParam("orgId") UUID orgId, @Valid @BeanParam PageRequest page) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        return Page.of(organizations.locations(orgId, page), page, OrganizationResource::view);
    }

    @GET
    @Path("/{orgId}/locations/{partnerId}")
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN, Roles.ACCOUNT_ADMIN, Roles.USER_ADMIN,
            Roles.INCENTIVE_ADMIN, Roles.INCENTIVE_USER, Roles.API_ORGANIZATION_READ })
    @Operation(operationId = "getLocation", summary = "Read one location of an organization (where addLocation's"
            + " Location header points)",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_ORGANIZATION_READ))
    @APIResponse(responseCode = "200", description = "The location")
    @APIResponse(responseCode = "404", description = "No such organization or location, or another organization's")
    public LocationView location(@PathParam("orgId") UUID orgId,
            @PathParam("partnerId") @Pattern(regexp = OrganizationDtos.PARTNER_ID,
                    message = OrganizationDtos.PARTNER_ID_MESSAGE) String partnerId) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        return view(organizations.location(orgId, partnerId));
    }

    static OrganizationView view(Organization o) {
        return new OrganizationView(o.id, o.name, new Contact(o.contactEmail, o.contactFirstName, o.contactLastName),
                o.createdAt);
    }

    static OrganizationSummary summary(Organization o, OrganizationService.LocationsOf locations) {
        return new OrganizationSummary(o.id, o.name, new Contact(o.contactEmail, o.contactFirstName,
                o.contactLastName), o.createdAt, locations.count(), locations.countries());
    }

    static LocationView view(Location l) {
        return new LocationView(l.partnerId, l.organizationId, l.name, l.country, l.partnerType, l.createdAt);
    }
}
