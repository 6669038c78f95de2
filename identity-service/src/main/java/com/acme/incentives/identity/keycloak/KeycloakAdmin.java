package com.acme.incentives.identity.keycloak;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The few calls of Keycloak's admin REST API that identity-service needs, made as its service account
 * ({@code identity-service}, realm-management manage-users/view-users, and manage-clients/view-events for the
 * organizations' API clients). Plain HTTP rather than the Keycloak admin
 * client library: the calls are few, and we want exact control of timeouts and of what is logged (request bodies carry
 * temporary passwords, so neither they nor this class's requests are ever logged).
 *
 * <p>Every failure is one of two exceptions: {@link KeycloakConflictException} (409: email or username taken) or
 * {@link KeycloakUnavailableException} (anything else), so callers can compensate.
 */
@ApplicationScoped
public class KeycloakAdmin {

    /** A Keycloak user as far as we care. */
    public record KeycloakUser(UUID id, String email, boolean enabled, Map<String, List<String>> attributes,
            List<String> requiredActions) {
    }

    private static final long TOKEN_MARGIN_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final KeycloakAdminConfig config;
    private final ObjectMapper json;
    private final HttpClient http;
    private final Map<String, JsonNode> roleRepresentations = new ConcurrentHashMap<>();
    private volatile String token;
    /**
     * When the token stops being usable, on {@link System#nanoTime()}: it lives {@code expires_in} seconds from its
     * issue, an elapsed time, so a moved application clock must not make it look fresh or stale.
     */
    private volatile long tokenExpiresAtNanos;

    @Inject
    public KeycloakAdmin(KeycloakAdminConfig config, ObjectMapper json) {
        this.config = config;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(config.timeout()).build();
    }

    /** Creates an enabled user whose password is temporary: Keycloak makes them change it at first sign-in. */
    public UUID createUser(String email, String firstName, String lastName, Map<String, List<String>> attributes,
            String temporaryPassword) {
        ObjectNode user = json.createObjectNode();
        user.put("username", email);
        user.put("email", email);
        user.put("firstName", firstName);
        user.put("lastName", lastName);
        user.put("enabled", true);
        user.put("emailVerified", true);
        user.set("attributes", json.valueToTree(attributes));
        user.set("requiredActions", json.valueToTree(List.of("UPDATE_PASSWORD")));
        user.set("credentials", json.valueToTree(List.of(
                Map.of("type", "password", "value", temporaryPassword, "temporary", true))));
        HttpResponse<String> response = send("POST", "/users", user);
        if (response.statusCode() == 409) {
            throw new KeycloakConflictException("Keycloak already has a user with this username or email");
        }
        expect(response, 201, "create a user");
        String location = response.headers().firstValue("Location")
                .orElseThrow(() -> new KeycloakUnavailableException("Keycloak created a user without a Location"));
        return UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
    }

    public void addRealmRoles(UUID userId, Collection<String> roles) {
        if (!roles.isEmpty()) {
            expect(send("POST", "/users/" + userId + "/role-mappings/realm", representations(roles)), 204,
                    "add realm roles");
        }
    }

    public void removeRealmRoles(UUID userId, Collection<String> roles) {
        if (!roles.isEmpty()) {
            expect(send("DELETE", "/users/" + userId + "/role-mappings/realm", representations(roles)), 204,
                    "remove realm roles");
        }
    }

    /** Replaces the given attributes (others are kept) and, when not null, the enabled flag. */
    public void updateUser(UUID userId, Map<String, List<String>> attributes, Boolean enabled) {
        HttpResponse<String> current = send("GET", "/users/" + userId, null);
        expect(current, 200, "read a user");
        ObjectNode user = (ObjectNode) read(current.body());
        ObjectNode merged = user.has("attributes") && user.get("attributes").isObject()
                ? (ObjectNode) user.get("attributes") : json.createObjectNode();
        attributes.forEach((name, values) -> {
            if (values.isEmpty()) {
                merged.remove(name);
            } else {
                merged.set(name, json.valueToTree(values));
            }
        });
        user.set("attributes", merged);
        if (enabled != null) {
            user.put("enabled", enabled);
        }
        expect(send("PUT", "/users/" + userId, user), 204, "update a user");
    }

    public void resetPassword(UUID userId, String temporaryPassword) {
        ObjectNode credential = json.createObjectNode();
        credential.put("type", "password");
        credential.put("value", temporaryPassword);
        credential.put("temporary", true);
        expect(send("PUT", "/users/" + userId + "/reset-password", credential), 204, "reset a password");
    }

    /** Ends every session of the user (their refresh tokens stop working). */
    public void logout(UUID userId) {
        expect(send("POST", "/users/" + userId + "/logout", null), 204, "log a user out");
    }

    /** Deletes a user; a user that is already gone counts as deleted. */
    public void deleteUser(UUID userId) {
        HttpResponse<String> response = send("DELETE", "/users/" + userId, null);
        if (response.statusCode() != 404) {
            expect(response, 204, "delete a user");
        }
    }

    /** A new client's secret and the rotation state Keycloak keeps (client-secret-rotation policy). */
    public record ClientSecret(String value, Instant previousExpiresAt) {
    }

    /**
     * Creates a confidential client with a service account only (no browser or password sign-in): the client
     * credentials of a partner system. Its token carries our audience and the service account's org_id (client scopes
     * {@code incentives-api-audience}, {@code incentives-claims}); the realm's client policy for
     * {@value #API_CLIENT_ATTRIBUTE} clients keeps a rotated secret valid for a grace period. Returns Keycloak's id.
     */
    public UUID createApiClient(String clientId, String name) {
        ObjectNode client = json.createObjectNode();
        client.put("clientId", clientId);
        client.put("name", name);
        client.put("enabled", true);
        client.put("protocol", "openid-connect");
        client.put("publicClient", false);
        client.put("clientAuthenticatorType", "client-secret");
        client.put("standardFlowEnabled", false);
        client.put("implicitFlowEnabled", false);
        client.put("directAccessGrantsEnabled", false);
        client.put("serviceAccountsEnabled", true);
        client.put("fullScopeAllowed", true);
        client.set("defaultClientScopes", json.valueToTree(List.of("basic", "profile", "roles",
                "incentives-api-audience", "incentives-claims")));
        client.set("optionalClientScopes", json.createArrayNode());
        client.set("attributes", json.valueToTree(Map.of(API_CLIENT_ATTRIBUTE, "true")));
        HttpResponse<String> response = send("POST", "/clients", client);
        if (response.statusCode() == 409) {
            throw new KeycloakConflictException("Keycloak already has a client " + clientId);
        }
        expect(response, 201, "create a client");
        String location = response.headers().firstValue("Location")
                .orElseThrow(() -> new KeycloakUnavailableException("Keycloak created a client without a Location"));
        return UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
    }

    /** The client attribute marking our API clients (the realm's secret-rotation client policy matches it). */
    public static final String API_CLIENT_ATTRIBUTE = "incentives.api-client";

    /** Keycloak's id of a client, found by its clientId. */
    public Optional<UUID> findClient(String clientId) {
        HttpResponse<String> response = send("GET", "/clients?clientId=" + URLEncoder.encode(clientId,
                StandardCharsets.UTF_8), null);
        expect(response, 200, "search clients");
        JsonNode found = read(response.body());
        return found.isArray() && !found.isEmpty()
                ? Optional.of(UUID.fromString(found.get(0).path("id").asText()))
                : Optional.empty();
    }

    /** The user behind a client's service account (it holds the client's roles and org_id attribute). */
    public UUID serviceAccountUser(UUID client) {
        HttpResponse<String> response = send("GET", "/clients/" + client + "/service-account-user", null);
        expect(response, 200, "read a client's service account");
        return UUID.fromString(read(response.body()).path("id").asText());
    }

    public ClientSecret clientSecret(UUID client) {
        HttpResponse<String> response = send("GET", "/clients/" + client + "/client-secret", null);
        expect(response, 200, "read a client secret");
        return new ClientSecret(read(response.body()).path("value").asText(), null);
    }

    /**
     * A new secret; the realm's rotation policy keeps the previous one valid until the returned instant (Keycloak's
     * {@code client.secret.rotated.expiration.time}).
     */
    public ClientSecret rotateSecret(UUID client) {
        HttpResponse<String> response = send("POST", "/clients/" + client + "/client-secret", null);
        expect(response, 200, "rotate a client secret");
        String value = read(response.body()).path("value").asText();
        HttpResponse<String> current = send("GET", "/clients/" + client, null);
        expect(current, 200, "read a client");
        String expires = read(current.body()).path("attributes").path("client.secret.rotated.expiration.time")
                .asText("");
        return new ClientSecret(value, expires.isEmpty() ? null : Instant.ofEpochSecond(Long.parseLong(expires)));
    }

    /** Deletes a client (its secrets stop working at once); a client already gone counts as deleted. */
    public void deleteClient(UUID client) {
        HttpResponse<String> response = send("DELETE", "/clients/" + client, null);
        if (response.statusCode() != 404) {
            expect(response, 204, "delete a client");
        }
    }

    /** When the client last got a token (its newest CLIENT_LOGIN event; the realm keeps events for 7 days). */
    public Optional<Instant> lastClientLogin(String clientId) {
        HttpResponse<String> response = send("GET", "/events?type=CLIENT_LOGIN&max=1&client="
                + URLEncoder.encode(clientId, StandardCharsets.UTF_8), null);
        expect(response, 200, "read a client's sign-in events");
        JsonNode events = read(response.body());
        return events.isArray() && !events.isEmpty()
                ? Optional.of(Instant.ofEpochMilli(events.get(0).path("time").asLong()))
                : Optional.empty();
    }

    public List<KeycloakUser> findByEmail(String email) {
        HttpResponse<String> response = send("GET", "/users?exact=true&briefRepresentation=false&email="
                + URLEncoder.encode(email, StandardCharsets.UTF_8), null);
        expect(response, 200, "search users");
        List<KeycloakUser> users = new ArrayList<>();
        for (JsonNode node : read(response.body())) {
            users.add(user(node));
        }
        return users;
    }

    public KeycloakUser user(UUID userId) {
        HttpResponse<String> response = send("GET", "/users/" + userId, null);
        expect(response, 200, "read a user");
        return user(read(response.body()));
    }

    private KeycloakUser user(JsonNode node) {
        Map<String, List<String>> attributes = node.has("attributes")
                ? json.convertValue(node.get("attributes"), new TypeReference<Map<String, List<String>>>() {
                })
                : Map.of();
        List<String> requiredActions = node.has("requiredActions")
                ? json.convertValue(node.get("requiredActions"), new TypeReference<List<String>>() {
                })
                : List.of();
        return new KeycloakUser(UUID.fromString(node.path("id").asText()), node.path("email").asText(null),
                node.path("enabled").asBoolean(), attributes, requiredActions);
    }

    private JsonNode representations(Collection<String> roles) {
        List<JsonNode> list = new ArrayList<>();
        for (String role : roles) {
            list.add(roleRepresentations.computeIfAbsent(role, name -> {
                HttpResponse<String> response = send("GET", "/roles/" + URLEncoder.encode(name,
                        StandardCharsets.UTF_8), null);
                expect(response, 200, "read realm role " + name);
                return read(response.body());
            }));
        }
        return json.valueToTree(list);
    }

    private HttpResponse<String> send(String method, String path, JsonNode body) {
        HttpResponse<String> response = sendOnce(method, path, body, accessToken(false));
        if (response.statusCode() == 401) {
            // The cached token may have been revoked or expired early: fetch a fresh one once.
            response = sendOnce(method, path, body, accessToken(true));
        }
        return response;
    }

    private HttpResponse<String> sendOnce(String method, String path, JsonNode body, String bearer) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(config.url() + "/admin/realms/"
                    + config.realm() + path))
                    .timeout(config.timeout())
                    .header("Authorization", "Bearer " + bearer)
                    .header("Accept", "application/json");
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            boolean neverSent = e instanceof java.net.ConnectException
                    || e instanceof java.net.http.HttpConnectTimeoutException;
            throw new KeycloakUnavailableException("Keycloak admin API unreachable (" + method + " " + pathOnly(path)
                    + "): " + e.getClass().getSimpleName(), e, neverSent);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeycloakUnavailableException("Interrupted while calling Keycloak", e, false);
        }
    }

    private synchronized String accessToken(boolean refresh) {
        // Renewed 30 s early; compared as a difference, as nanoTime values must be.
        if (!refresh && token != null && System.nanoTime() - (tokenExpiresAtNanos - TOKEN_MARGIN_NANOS) < 0) {
            return token;
        }
        String form = "grant_type=client_credentials&client_id=" + URLEncoder.encode(config.clientId(),
                StandardCharsets.UTF_8) + "&client_secret=" + URLEncoder.encode(config.clientSecret(),
                        StandardCharsets.UTF_8);
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(config.url() + "/realms/"
                    + config.realm() + "/protocol/openid-connect/token"))
                    .timeout(config.timeout())
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new KeycloakUnavailableException("Keycloak refused the service account's token request: HTTP "
                        + response.statusCode(), null, true);
            }
            JsonNode answer = read(response.body());
            token = answer.path("access_token").asText();
            tokenExpiresAtNanos = System.nanoTime()
                    + TimeUnit.SECONDS.toNanos(answer.path("expires_in").asLong(60));
            return token;
        } catch (IOException e) {
            // Without a token no admin call was made: whatever the caller wanted was surely not applied.
            throw new KeycloakUnavailableException("Keycloak token endpoint unreachable: "
                    + e.getClass().getSimpleName(), e, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeycloakUnavailableException("Interrupted while calling Keycloak", e, true);
        }
    }

    private void expect(HttpResponse<String> response, int status, String what) {
        if (response.statusCode() != status) {
            // Keycloak's error bodies never echo a credential, but keep them short in our messages anyway.
            String body = response.body() == null ? "" : response.body();
            throw new KeycloakUnavailableException("Keycloak could not " + what + ": HTTP " + response.statusCode()
                    + " " + body.substring(0, Math.min(body.length(), 200)));
        }
    }

    private JsonNode read(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new KeycloakUnavailableException("Keycloak answered something that is not JSON", e, false);
        }
    }

    private static String pathOnly(String path) {
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }
}
