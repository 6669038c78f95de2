package com.acme.incentives.identity.rest;

import com.acme.incentives.identity.service.ApiClientDtos;
import com.acme.incentives.identity.domain.ApiClient;
import com.acme.incentives.identity.service.ApiClientDtos.ApiClientView;
import com.acme.incentives.identity.service.ApiClientDtos.CreatedApiClient;
import com.acme.incentives.identity.service.ApiClientDtos.NewApiClient;
import com.acme.incentives.identity.service.ApiClientDtos.RotatedSecret;
import com.acme.incentives.identity.service.ApiClientService;
import com.acme.incentives.platform.i18n.PlatformMessages;
import com.acme.incentives.platform.idempotency.Idempotent;
import com.acme.incentives.platform.paging.Page;
import com.acme.incentives.platform.paging.PageRequest;
import com.acme.incentives.platform.security.Caller;
import com.acme.incentives.platform.security.Capabilities;
import com.acme.incentives.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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

import java.util.UUID;

/**
 * An organization's API clients: credentials of a partner system's own (client credentials grant), so that an ERP
 * never signs in with a person's password. Its token is treated by every service exactly like a person of the
 * organization holding the chosen scopes' capabilities (the roles {@code API_*}). Managed by the organization's global
 * admins and by operators; an API client cannot manage API clients.
 */
@Path("/api/v1/organizations/{orgId}/api-clients")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "API clients")
@RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN })
public class ApiClientResource {

    @Inject
    ApiClientService clients;

    @Inject
    Caller caller;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Idempotent
    @Operation(operationId = "createApiClient", summary = "Create an API client for a partner system; answers its"
            + " client secret once",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_API_CLIENTS_MANAGE))
    @APIResponse(responseCode = "201", description = "Created, with its client secret (not in an Idempotency-Key"
            + " replay)", headers = @Header(name = "Location", ref = "Location"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = CreatedApiClient.class)))
    @APIResponse(responseCode = "404", description = "No such organization, or another one's")
    public Response create(@PathParam("orgId") UUID orgId, @Valid @NotNull NewApiClient body, @Context UriInfo uri) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        ApiClientService.Created created = clients.create(orgId, body.name(), body.scopes(), caller.subject());
        return Response.created(uri.getAbsolutePathBuilder().path(created.client().id.toString()).build())
                .entity(new CreatedApiClient(ApiClientDtos.view(created.client(), null), created.secret())).build();
    }

    @GET
    @Operation(operationId = "listApiClients", summary = "The organization's API clients, newest first, revoked"
            + " ones included, with when each last got a token",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_API_CLIENTS_MANAGE))
    @APIResponse(responseCode = "200", description = "One page of the organization's API clients")
    @APIResponse(responseCode = "404", description = "No such organization, or another one's")
    public Page<ApiClientView> list(@PathParam("orgId") UUID orgId, @Valid @BeanParam PageRequest page) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        return Page.of(clients.list(orgId, page), page, this::view);
    }

    @GET
    @Path("/{apiClientId}")
    @Operation(operationId = "getApiClient", summary = "One API client of the organization",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_API_CLIENTS_MANAGE))
    @APIResponse(responseCode = "200", description = "The API client")
    @APIResponse(responseCode = "404", description = "No such organization or API client, or another"
            + " organization's")
    public ApiClientView get(@PathParam("orgId") UUID orgId, @PathParam("apiClientId") UUID apiClientId) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        return view(clients.find(orgId, apiClientId));
    }

    @POST
    @Path("/{apiClientId}/secret-rotations")
    @Operation(operationId = "rotateApiClientSecret", summary = "Give the API client a new secret (answered once);"
            + " the previous one keeps working for 24 hours, so the partner system can switch without downtime",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_API_CLIENTS_MANAGE))
    @APIResponse(responseCode = "200", description = "The new secret, shown this once, and until when the previous"
            + " one works (`client.previousSecretValidUntil`)")
    @APIResponse(responseCode = "404", description = "No such organization or API client, or another"
            + " organization's")
    @APIResponse(responseCode = "409", description = "The API client is revoked: `/problems/conflict` with member"
            + " `clientStatus`")
    public RotatedSecret rotate(@PathParam("orgId") UUID orgId, @PathParam("apiClientId") UUID apiClientId) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        ApiClientService.Rotated rotated = clients.rotate(orgId, apiClientId, caller.subject());
        return new RotatedSecret(ApiClientDtos.view(rotated.client(), null), rotated.secret());
    }

    @DELETE
    @Path("/{apiClientId}")
    @Operation(operationId = "revokeApiClient", summary = "Revoke an API client: it gets no token any more (tokens"
            + " already issued expire within 5 minutes); kept in the list as REVOKED",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_API_CLIENTS_MANAGE))
    @APIResponse(responseCode = "204", description = "Revoked (also when it already was)")
    @APIResponse(responseCode = "404", description = "No such organization or API client, or another"
            + " organization's")
    public Response revoke(@PathParam("orgId") UUID orgId, @PathParam("apiClientId") UUID apiClientId) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        clients.revoke(orgId, apiClientId, caller.subject());
        return Response.noContent().build();
    }

    private ApiClientView view(ApiClient client) {
        return ApiClientDtos.view(client, clients.lastUsed(client).orElse(null));
    }
}
