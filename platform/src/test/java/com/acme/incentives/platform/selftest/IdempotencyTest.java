package com.acme.incentives.platform.selftest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import com.acme.incentives.platform.idempotency.IdempotencyInterceptor;
import com.acme.incentives.platform.testing.TestSql;
import com.acme.incentives.platform.testing.TestTokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

/**
 * The Idempotency-Key of a POST (IdempotencyInterceptor): a retry with the same key and request replays the first
 * answer without doing the work again; the same key with another request is refused; keys are each client's own.
 */
@QuarkusTest
class IdempotencyTest {

    @Inject
    AgroalDataSource db;

    private static Response post(String token, String key, String item, int quantity) {
        var request = given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("item", item, "quantity", quantity));
        if (key != null) {
            request.header(IdempotencyInterceptor.HEADER, key);
        }
        return request.post("/selftest/orders");
    }

    private long orders(String item) {
        return TestSql.count(db, "SELECT count(*) FROM selftest_order WHERE item = ?", item);
    }

    @Test
    void aRetryWithTheSameKeyReplaysTheFirstAnswerAndWritesNothing() {
        String token = TestTokens.billingSystem();
        String key = UUID.randomUUID().toString();
        String item = "item-" + UUID.randomUUID();
        Response first = post(token, key, item, 3);
        first.then().statusCode(201).header(IdempotencyInterceptor.REPLAYED_HEADER, nullValue());
        Response retry = post(token, key, item, 3);
        retry.then().statusCode(201).header(IdempotencyInterceptor.REPLAYED_HEADER, "true")
                .header("Location", first.header("Location"))
                .body("id", equalTo(first.path("id")), "item", equalTo(item), "quantity", equalTo(3));
        assertThat(orders(item)).as("orders written").isEqualTo(1);
    }

    @Test
    void theSameKeyWithAnotherRequestIsRefusedAndWritesNothing() {
        String token = TestTokens.billingSystem();
        String key = UUID.randomUUID().toString();
        String item = "item-" + UUID.randomUUID();
        post(token, key, item, 3).then().statusCode(201);
        post(token, key, item, 4).then().statusCode(422).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.endsWith("/idempotency-key-reused"));
        assertThat(orders(item)).isEqualTo(1);
        assertThat(TestSql.count(db, "SELECT count(*) FROM selftest_order WHERE item = ? AND quantity = 4", item))
                .isZero();
    }

    @Test
    void keysAreEachClientsOwnAndWithoutAKeyEveryPostWrites() {
        String key = UUID.randomUUID().toString();
        String item = "item-" + UUID.randomUUID();
        post(TestTokens.billingSystem(), key, item, 1).then().statusCode(201);
        // Another client choosing the same key gets its own order, not the first client's answer.
        post(TestTokens.partnerFeed(), key, item, 1).then().statusCode(201)
                .header(IdempotencyInterceptor.REPLAYED_HEADER, nullValue());
        assertThat(orders(item)).isEqualTo(2);
        post(TestTokens.billingSystem(), null, item, 1).then().statusCode(201);
        post(TestTokens.billingSystem(), null, item, 1).then().statusCode(201);
        assertThat(orders(item)).isEqualTo(4);
    }

    @Test
    void aMalformedKeyIsRefusedBeforeAnyWork() {
        String item = "item-" + UUID.randomUUID();
        post(TestTokens.billingSystem(), "has spaces in it", item, 1).then().statusCode(400)
                .contentType("application/problem+json");
        assertThat(orders(item)).isZero();
    }
}
