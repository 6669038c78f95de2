package com.acme.incentives.e2e.contract;

import com.sun.net.httpserver.HttpServer;
import io.restassured.RestAssured;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The clients' hooks into the contract check, without the platform: a throwaway HTTP server on a free port of this
 * host (not a gateway port, so every exchange with it is skipped by rule and counted) answers the recording Java
 * client and rest-assured, and each caller still gets its answer whole after the check read it.
 */
class ContractRecordingTest {

    private static HttpServer server;
    private static String base;

    @BeforeAll
    static void echoServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = ("echo:" + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain");
            exchange.sendResponseHeaders(201, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @Test
    void theRecordingJavaClientHandsEveryBodyHandlerItsAnswer() throws Exception {
        int skippedBefore = ContractCheck.skippedCount();
        HttpClient client = RecordingHttpClient.builder().build();
        HttpRequest post = HttpRequest.newBuilder(URI.create(base + "/api/v1/organizations"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}"))
                .build();

        // The generated client reads an InputStream; others read a String; an async caller gets the same.
        HttpResponse<InputStream> stream = client.send(post, HttpResponse.BodyHandlers.ofInputStream());
        assertThat(stream.statusCode()).isEqualTo(201);
        assertThat(stream.headers().firstValue("Content-Type")).hasValue("text/plain");
        try (InputStream body = stream.body()) {
            assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("echo:{\"a\":1}");
        }
        assertThat(client.send(post, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("echo:{\"a\":1}");
        assertThat(client.sendAsync(post, HttpResponse.BodyHandlers.ofString()).get().body())
                .isEqualTo("echo:{\"a\":1}");

        assertThat(ContractCheck.skippedCount()).as("not the gateway: skipped by rule, counted")
                .isEqualTo(skippedBefore + 3);
    }

    @Test
    void restAssuredGoesThroughTheGlobalFilterAndTheTestStillReadsTheBody() {
        int skippedBefore = ContractCheck.skippedCount();
        // ContractExtension installed the filter before this class, as for every class.
        assertThat(RestAssured.filters()).anyMatch(filter -> filter instanceof ContractFilter);

        String body = RestAssured.given().baseUri(base).body("x").post("/api/v1/me").then().statusCode(201)
                .extract().asString();

        assertThat(body).isEqualTo("echo:x");
        assertThat(ContractCheck.skippedCount()).isEqualTo(skippedBefore + 1);
    }
}
