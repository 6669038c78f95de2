package com.acme.incentives.gateway.edge;

import com.acme.incentives.gateway.support.EchoServices;
import com.acme.incentives.platform.testing.TestTokens;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * An oversized request head is a 4xx problem document: a request URI over 8 KB is 414, header lines over
 * {@code gateway.limits.max-header-size} (or, of those relayed, over {@code max-relayed-header-size}) are 431. The
 * requests are written on a raw socket, so nothing between the test and the gateway trims or refuses them first.
 */
@QuarkusTest
@WithTestResource(EchoServices.class)
class RequestLimitsTest {

    private static final String PROBLEM = "application/problem+json";

    @Test
    void anOversizedRequestLineIsA414Problem() throws Exception {
        for (int length : new int[] { 9_000, 40_000 }) {
            String path = "/api/v1/organizations/" + "x".repeat(length);
            Answer answer = send("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertThat(answer.status()).as("request line of %d characters", length).isEqualTo(414);
            assertThat(answer.contentType()).isEqualTo(PROBLEM);
            JsonObject problem = new JsonObject(answer.body());
            assertThat(problem.getString("type")).isEqualTo("/problems/uri-too-long");
            assertThat(problem.getInteger("status")).isEqualTo(414);
            assertThat(problem.getString("detail")).contains("at most 8192");
            assertThat(problem.getString("correlationId")).isNotBlank();
        }
    }

    @Test
    void oversizedHeadersAreA431Problem() throws Exception {
        // One big header, many small ones, a huge cookie: each over the 32 KB of all the header lines.
        String[] heads = {
                "X-Big: " + "a".repeat(40_000) + "\r\n",
                ("X-Many: " + "b".repeat(1_000) + "\r\n").repeat(40),
                "Cookie: junk=" + "c".repeat(50_000) + "\r\n" };
        for (String head : heads) {
            Answer answer = send("GET /api/v1/me HTTP/1.1\r\nHost: localhost\r\n" + head
                    + "Connection: close\r\n\r\n");
            assertThat(answer.status()).isEqualTo(431);
            assertThat(answer.contentType()).isEqualTo(PROBLEM);
            JsonObject problem = new JsonObject(answer.body());
            assertThat(problem.getString("type")).isEqualTo("/problems/request-header-fields-too-large");
            assertThat(problem.getString("title")).isEqualTo("Request header fields too large");
            assertThat(problem.getInteger("status")).isEqualTo(431);
            assertThat(problem.getString("detail")).contains("at most 32768");
        }
    }

    @Test
    void headersAServiceWouldRefuseAreRefusedAtTheGateway() throws Exception {
        // 20 KB of headers that would be relayed: under the gateway's 32 KB, over what a service accepts (20 KB) once
        // the gateway has added its own.
        Answer relayed = send("GET /api/v1/me HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n");
        assertThat(relayed.status()).isEqualTo(431);
        assertThat(relayed.contentType()).isEqualTo(PROBLEM);
        assertThat(new JsonObject(relayed.body()).getString("detail")).contains("other than Cookie").contains("16384");

        // The same 20 KB as cookies (which the gateway keeps to itself, as it does the session's): accepted.
        given().auth().oauth2(TestTokens.operator())
                .header("Cookie", "junk=" + "c".repeat(20_000))
                .when().get("/api/v1/me")
                .then().statusCode(200).body("service", equalTo("identity"));
    }

    @Test
    void beyondTheCodecsOwnLimitsTheAnswerIsStillA4xxNeverA5xx() throws Exception {
        // Over quarkus.http.limits.* (64 KB) the HTTP codec answers before any filter runs (RequestLimits explains).
        Answer line = send("GET /" + "x".repeat(70_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
        assertThat(line.status()).isEqualTo(414);
        Answer headers = send("GET /api/v1/me HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(70_000)
                + "\r\n\r\n");
        assertThat(headers.status()).isEqualTo(431);
    }

    private record Answer(int status, String contentType, String body) {
    }

    /** Writes the request as given and reads the answer until the gateway closes the connection. */
    private static Answer send(String request) throws Exception {
        URI base = URI.create(RestAssured.baseURI);
        try (Socket socket = new Socket(base.getHost(), RestAssured.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (java.io.IOException refusedMidway) {
                // The gateway may answer and close before it has read everything; its answer is still there.
            }
            InputStream in = socket.getInputStream();
            String raw = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            int endOfHead = raw.indexOf("\r\n\r\n");
            assertThat(endOfHead).as("an HTTP answer: %s", raw).isPositive();
            String head = raw.substring(0, endOfHead);
            int status = Integer.parseInt(head.substring(9, 12));
            String contentType = head.lines().filter(l -> l.toLowerCase().startsWith("content-type:"))
                    .map(l -> l.substring("content-type:".length()).trim()).findFirst().orElse(null);
            return new Answer(status, contentType, raw.substring(endOfHead + 4));
        }
    }
}
