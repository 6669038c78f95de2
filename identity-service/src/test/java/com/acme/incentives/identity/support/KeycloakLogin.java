package com.acme.incentives.identity.support;

import com.acme.incentives.platform.testing.TestTokens;
import io.restassured.RestAssured;
import io.restassured.response.Response;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Signs in to the real Keycloak as a person would, through its login pages (no browser needed): the authorization
 * code flow of the {@code gateway} client, the login form, and the forced "update password" form that follows a
 * temporary password. Also the password grant of the test client {@code incentives-cli}, uncached, for checks that a
 * password does or does not work.
 */
public final class KeycloakLogin {

    private static final String AUTH_URL = TestTokens.REALM_URL + "/protocol/openid-connect/auth";
    private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*action=\"([^\"]+)\"", Pattern.DOTALL);

    private KeycloakLogin() {
    }

    /**
     * Signs in with the temporary password and sets {@code newPassword} on Keycloak's update-password page. Fails
     * unless Keycloak asked for the change and then completed the sign-in (redirect with an authorization code).
     */
    public static void changeTemporaryPassword(String username, String temporaryPassword, String newPassword) {
        HttpClient http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
        Map<String, String> cookies = new LinkedHashMap<>();
        String verifier = Base64.getUrlEncoder().withoutPadding().encodeToString(random(32));
        String authorize = AUTH_URL + "?client_id=gateway&response_type=code&scope=openid&state=s"
                + "&redirect_uri=" + enc("http://localhost:8080/callback")
                + "&code_challenge_method=S256&code_challenge=" + challenge(verifier);
        HttpResponse<String> loginPage = send(http, cookies, HttpRequest.newBuilder(URI.create(authorize)).GET());
        check(loginPage.statusCode() == 200, "login page", loginPage);
        HttpResponse<String> updatePage = followWithinKeycloak(http, cookies, send(http, cookies,
                post(action(loginPage), Map.of("username", username, "password", temporaryPassword,
                        "credentialId", ""))));
        check(updatePage.statusCode() == 200 && updatePage.body().contains("password-new"),
                "update-password page after signing in with the temporary password", updatePage);
        HttpResponse<String> done = send(http, cookies, post(action(updatePage), Map.of("password-new", newPassword,
                "password-confirm", newPassword)));
        String location = done.headers().firstValue("Location").orElse("");
        check(done.statusCode() == 302 && location.startsWith("http://localhost:8080/callback")
                && location.contains("code="), "redirect with a code after the password change", done);
    }

    /** Follows Keycloak's own redirects (e.g. to the required-action page), as a browser would. */
    private static HttpResponse<String> followWithinKeycloak(HttpClient http, Map<String, String> cookies,
            HttpResponse<String> response) {
        for (int hops = 0; hops < 5 && response.statusCode() == 302; hops++) {
            String location = response.headers().firstValue("Location").orElse("");
            if (!location.startsWith(TestTokens.KEYCLOAK_URL)) {
                break;
            }
            response = send(http, cookies, HttpRequest.newBuilder(URI.create(location)).GET());
        }
        return response;
    }

    /** A password grant, never cached: the raw answer (200 with tokens, or 400/401 with the error). */
    public static Response passwordGrant(String username, String password) {
        return RestAssured.given().baseUri(TestTokens.KEYCLOAK_URL).basePath("")
                .formParam("grant_type", "password").formParam("client_id", "incentives-cli")
                .formParam("username", username).formParam("password", password).formParam("scope", "openid")
                .post(TestTokens.TOKEN_URL);
    }

    public static Response refresh(String refreshToken) {
        return RestAssured.given().baseUri(TestTokens.KEYCLOAK_URL).basePath("")
                .formParam("grant_type", "refresh_token").formParam("client_id", "incentives-cli")
                .formParam("refresh_token", refreshToken)
                .post(TestTokens.TOKEN_URL);
    }

    /** The access token's claims, decoded (the signature is checked by the service under test, not here). */
    public static Map<String, Object> claims(String accessToken) {
        String payload = new String(Base64.getUrlDecoder().decode(accessToken.split("\\.")[1]),
                StandardCharsets.UTF_8);
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readValue(payload,
                    new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {
                    });
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static HttpRequest.Builder post(String url, Map<String, String> form) {
        String body = new LinkedHashMap<>(form).entrySet().stream()
                .map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&"));
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static String action(HttpResponse<String> page) {
        Matcher matcher = FORM_ACTION.matcher(page.body());
        if (!matcher.find()) {
            throw new AssertionError("No form on Keycloak's page: " + page.uri());
        }
        return matcher.group(1).replace("&amp;", "&");
    }

    /**
     * Keycloak marks its session cookies Secure, which java.net.http's cookie manager will not send over plain http
     * to localhost (a browser would): so a minimal cookie jar of our own.
     */
    private static HttpResponse<String> send(HttpClient http, Map<String, String> cookies,
            HttpRequest.Builder request) {
        if (!cookies.isEmpty()) {
            request.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            for (String header : response.headers().allValues("Set-Cookie")) {
                String pair = header.split(";", 2)[0];
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    cookies.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
                }
            }
            return response;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void check(boolean ok, String expected, HttpResponse<String> response) {
        if (!ok) {
            String body = response.body() == null ? "" : response.body();
            Matcher error = Pattern.compile("(?s)<span[^>]*(?:input-error|kc-feedback-text|alert)[^>]*>(.*?)</span>")
                    .matcher(body);
            throw new AssertionError("Expected " + expected + " but got HTTP " + response.statusCode() + " "
                    + response.headers().firstValue("Location").orElse("")
                    + (error.find() ? " (" + error.group(1).trim() + ")" : ""));
        }
    }

    private static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] random(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
