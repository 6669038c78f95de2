package com.acme.incentives.enrollment.rest;

import com.acme.incentives.enrollment.domain.WebhookAttempt;
import com.acme.incentives.enrollment.domain.WebhookEndpoint;
import com.acme.incentives.enrollment.domain.WebhookMessage;
import com.acme.incentives.enrollment.webhooks.WebhookDtos;
import com.acme.incentives.enrollment.webhooks.WebhookDtos.AttemptView;
import com.acme.incentives.enrollment.webhooks.WebhookDtos.CreateEndpoint;
import com.acme.incentives.enrollment.webhooks.WebhookDtos.CreatedEndpoint;
import com.acme.incentives.enrollment.webhooks.WebhookDtos.DeliveryView;
import com.acme.incentives.enrollment.webhooks.WebhookDtos.EndpointView;
import com.acme.incentives.enrollment.webhooks.WebhookDtos.SecretRotation;
import com.acme.incentives.enrollment.webhooks.WebhookDtos.UpdateEndpoint;
import com.acme.incentives.enrollment.webhooks.Webhooks;
import com.acme.incentives.platform.concurrency.VersionChecked;
import com.acme.incentives.platform.concurrency.Versions;
import com.acme.incentives.platform.i18n.PlatformMessages;
import com.acme.incentives.platform.idempotency.Idempotent;
import com.acme.incentives.platform.paging.Page;
import com.acme.incentives.platform.paging.PageRequest;
import com.acme.incentives.platform.security.Capabilities;
import com.acme.incentives.platform.security.Caller;
import com.acme.incentives.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
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
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.extensions.Extension;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

/**
 * An organization's webhook endpoints: partner systems (an ERP) told of its payments, enrolments, eligibility and
 * invitations by signed POSTs instead of polling (README "Webhooks"). Its global admins and operators manage them.
 */
@Path("/api/v1/organizations/{orgId}/webhook-endpoints")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Webhooks")
public class WebhookResource {

    @Inject
    Webhooks webhooks;

    @Inject
    Caller caller;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN })
    @Idempotent
    @Operation(operationId = "createWebhookEndpoint", summary = "Register a webhook endpoint (https, public"
            + " addresses only) for event types; the answer carries its signing secret, shown this once",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_WEBHOOKS_MANAGE))
    @APIResponse(responseCode = "201", description = "Registered, with its secret",
            headers = { @Header(name = "Location", ref = "Location"), @Header(name = "ETag", ref = "ETag") },
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = CreatedEndpoint.class)))
    @APIResponse(responseCode = "404", description = "No such organization, or another one's")
    public Response create(@PathParam("orgId") UUID orgId, @Valid @NotNull CreateEndpoint body,
            @Context UriInfo uri) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        Webhooks.WithSecret made = webhooks.create(orgId, body.url(), body.eventTypes(), body.description(),
                caller.subject());
        return Versions.tagged(Response.created(uri.getAbsolutePathBuilder().path(made.endpoint().id.toString())
                .build()).entity(CreatedEndpoint.of(view(made.endpoint()), made.secret())), made.endpoint().version)
                .build();
    }

    @GET
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN })
    @Operation(operationId = "listWebhookEndpoints", summary = "List the organization's webhook endpoints, newest"
            + " first (never their secrets)",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_WEBHOOKS_MANAGE))
    @APIResponse(responseCode = "200", description = "One page of endpoints")
    @APIResponse(responseCode = "404", description = "No such organization, or another one's")
    public Page<EndpointView> list(@PathParam("orgId") UUID orgId, @Valid @BeanParam PageRequest page) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        Page<WebhookEndpoint> endpoints = webhooks.list(orgId, page);
        return new Page<>(endpoints.items().stream().map(WebhookResource::view).toList(), endpoints.page(),
                endpoints.size(), endpoints.totalItems(), endpoints.totalPages());
    }

    @GET
    @Path("/{endpointId}")
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN })
    @Operation(operationId = "getWebhookEndpoint", summary = "Read a webhook endpoint (never its secret), with its"
            + " ETag", extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_WEBHOOKS_MANAGE))
    @APIResponse(responseCode = "200", description = "The endpoint", headers = @Header(name = "ETag", ref = "ETag"),
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = EndpointView.class)))
    @APIResponse(responseCode = "404", description = "No such endpoint in this organization, or another one's")
    public Response get(@PathParam("orgId") UUID orgId, @PathParam("endpointId") UUID endpointId) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        WebhookEndpoint endpoint = webhooks.get(orgId, endpointId);
        return Versions.tagged(Response.ok(view(endpoint)), endpoint.version).build();
    }

    @PATCH
    @Path("/{endpointId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN })
    @VersionChecked
    @Operation(operationId = "updateWebhookEndpoint", summary = "Change a webhook endpoint's url, event types,"
            + " description or enabled (the members given; `If-Match` required); enabling it again forgets its"
            + " failure streak", extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_WEBHOOKS_MANAGE))
    @APIResponse(responseCode = "200", description = "The endpoint as changed",
            headers = @Header(name = "ETag", ref = "ETag"), content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = EndpointView.class)))
    @APIResponse(responseCode = "404", description = "No such endpoint in this organization, or another one's")
    public Response update(@PathParam("orgId") UUID orgId, @PathParam("endpointId") UUID endpointId,
            @Valid @NotNull UpdateEndpoint body, @Context HttpHeaders headers) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        WebhookEndpoint endpoint = webhooks.update(orgId, endpointId, body.url(), body.eventTypes(),
                body.description(), body.enabled(), headers.getHeaderString(Versions.IF_MATCH));
        return Versions.tagged(Response.ok(view(endpoint)), endpoint.version).build();
    }

    @DELETE
    @Path("/{endpointId}")
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN })
    @Operation(operationId = "deleteWebhookEndpoint", summary = "Delete a webhook endpoint and its delivery log;"
            + " nothing more is sent to it", extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_WEBHOOKS_MANAGE))
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such endpoint in this organization, or another one's")
    public Response delete(@PathParam("orgId") UUID orgId, @PathParam("endpointId") UUID endpointId) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        webhooks.delete(orgId, endpointId);
        return Response.noContent().build();
    }

    @POST
    @Path("/{endpointId}/secret-rotations")
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN })
    @Idempotent
    @Operation(operationId = "rotateWebhookSecret", summary = "Make a new signing secret, shown this once; the"
            + " previous one keeps signing too (a second v1 signature) for 24 hours",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_WEBHOOKS_MANAGE))
    @APIResponse(responseCode = "200", description = "The new secret", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SecretRotation.class)))
    @APIResponse(responseCode = "404", description = "No such endpoint in this organization, or another one's")
    public Response rotate(@PathParam("orgId") UUID orgId, @PathParam("endpointId") UUID endpointId) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        Webhooks.WithSecret rotated = webhooks.rotate(orgId, endpointId);
        return Response.ok(new SecretRotation(endpointId, rotated.secret(),
                rotated.endpoint().previousSecretUntil)).build();
    }

    @GET
    @Path("/{endpointId}/deliveries")
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN })
    @Operation(operationId = "listWebhookDeliveries", summary = "The endpoint's delivery log, newest first: each"
            + " message with its attempts (status code or error, latency) and next attempt",
            extensions = @Extension(name = Capabilities.EXTENSION, parseValue = true,
                    value = Capabilities.REQUIRES_WEBHOOKS_MANAGE))
    @APIResponse(responseCode = "200", description = "One page of messages")
    @APIResponse(responseCode = "404", description = "No such endpoint in this organization, or another one's")
    public Page<DeliveryView> deliveries(@PathParam("orgId") UUID orgId, @PathParam("endpointId") UUID endpointId,
            @Parameter(description = "Only messages in this state", schema = @Schema(type = SchemaType.STRING,
                    enumeration = { "PENDING", "DELIVERED", "FAILED" })) @QueryParam("status")
            @Pattern(regexp = "PENDING|DELIVERED|FAILED") String status,
            @Valid @BeanParam PageRequest page) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        Page<Webhooks.Delivery> deliveries = webhooks.deliveries(orgId, endpointId,
                status == null ? null : WebhookMessage.Status.valueOf(status), page);
        return new Page<>(deliveries.items().stream().map(WebhookResource::view).toList(), deliveries.page(),
                deliveries.size(), deliveries.totalItems(), deliveries.totalPages());
    }

    @POST
    @Path("/{endpointId}/deliveries/{messageId}/redelivery")
    @RolesAllowed({ Roles.PROGRAM_OPERATOR, Roles.GLOBAL_ADMIN })
    @Operation(operationId = "redeliverWebhookMessage", summary = "Send a message again (same webhook-id and body),"
            + " as new: PENDING, its attempt count reset", extensions = @Extension(name = Capabilities.EXTENSION,
                    parseValue = true, value = Capabilities.REQUIRES_WEBHOOKS_MANAGE))
    @APIResponse(responseCode = "202", description = "Queued again", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DeliveryView.class)))
    @APIResponse(responseCode = "404", description = "No such endpoint or message in this organization, or another"
            + " one's")
    public Response redeliver(@PathParam("orgId") UUID orgId, @PathParam("endpointId") UUID endpointId,
            @PathParam("messageId") String messageId) {
        caller.requireOrganization(orgId, PlatformMessages.ORGANIZATION_NOT_FOUND, orgId);
        return Response.accepted(view(webhooks.redeliver(orgId, endpointId, messageId))).build();
    }

    static EndpointView view(WebhookEndpoint e) {
        return new EndpointView(e.id, e.organizationId, e.url, e.description, e.eventTypes(), e.enabled,
                e.disabledReason, e.disabledAt, e.previousSecretUntil, e.version, e.createdAt, e.createdBy,
                e.updatedAt);
    }

    static DeliveryView view(Webhooks.Delivery d) {
        WebhookMessage m = d.message();
        return new DeliveryView(m.id, m.eventType, m.eventId, m.resourceKey, m.status.name(), m.attemptCount,
                m.nextAttemptAt, m.createdAt, m.deliveredAt, d.attempts().stream().map(WebhookResource::view)
                        .toList());
    }

    static AttemptView view(WebhookAttempt a) {
        return new AttemptView(a.attemptedAt, a.statusCode, a.error, a.latencyMs);
    }
}
