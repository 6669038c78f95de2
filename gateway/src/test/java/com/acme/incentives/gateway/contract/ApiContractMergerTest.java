package com.acme.incentives.gateway.contract;

import com.acme.incentives.gateway.contract.ApiContractMerger.ContractException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the services' documents become one, on small documents. */
class ApiContractMergerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A document with one GET operation at {@code path} answering {@code schema}. */
    private static JsonNode document(String path, String operationId, String schemaName, String schema) {
        return json("{'openapi':'3.1.0','info':{'title':'x','version':'1.0.0'},'tags':[{'name':'T'}],"
                + "'paths':{'" + path + "':{'get':{'operationId':'" + operationId + "','security':[{'bearer':[]}],"
                + "'responses':{'200':{'description':'ok','content':{'application/json':{'schema':"
                + "{'$ref':'#/components/schemas/" + schemaName + "'}}}},"
                + "'401':{'description':'no','content':{'application/problem+json':{'schema':"
                + "{'$ref':'#/components/schemas/Problem'}}}}}}}},"
                + "'components':{'schemas':{'" + schemaName + "':" + schema + ",'Problem':{'type':'object'}}}}");
    }

    private static Map<String, JsonNode> services(JsonNode a, JsonNode b) {
        Map<String, JsonNode> documents = new LinkedHashMap<>();
        documents.put("a", a);
        documents.put("b", b);
        return documents;
    }

    @Test
    void unitesPathsComponentsAndTagsAndNamesEachOperationsService() {
        JsonNode merged = ApiContractMerger.merge(services(
                document("/api/v1/one", "getOne", "One", "{'type':'string'}"),
                document("/api/v1/two", "getTwo", "Two", "{'type':'integer'}")));
        assertThat(merged.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(merged.path("info").path("title").asText()).isEqualTo(ApiContractMerger.TITLE);
        assertThat(merged.path("servers").get(0).path("url").asText()).isEqualTo("/");
        assertThat(merged.path("paths").path("/api/v1/one").path("get").path("x-service").asText()).isEqualTo("a");
        assertThat(merged.path("paths").path("/api/v1/two").path("get").path("x-service").asText()).isEqualTo("b");
        assertThat(merged.path("components").path("schemas").fieldNames()).toIterable()
                .containsExactly("One", "Problem", "Two");
        assertThat(merged.path("tags")).hasSize(1);
    }

    @Test
    void theSameSchemaTwiceIsOneSchema() {
        JsonNode merged = ApiContractMerger.merge(services(
                document("/api/v1/one", "getOne", "Shared", "{'type':'string','format':'uuid'}"),
                document("/api/v1/two", "getTwo", "Shared", "{'format':'uuid','type':'string'}")));
        assertThat(merged.path("components").path("schemas").path("Shared").path("format").asText())
                .isEqualTo("uuid");
    }

    @Test
    void refusesTwoShapesUnderOneName() {
        assertThatThrownBy(() -> ApiContractMerger.merge(services(
                document("/api/v1/one", "getOne", "LocationView", "{'type':'object','properties':{'a':{}}}"),
                document("/api/v1/two", "getTwo", "LocationView", "{'type':'object','properties':{'b':{}}}"))))
                .isInstanceOf(ContractException.class)
                .hasMessageContaining("components/schemas/LocationView has one shape in a and another in b");
    }

    @Test
    void refusesADuplicatePathAndMethodAndADuplicateOperationId() {
        assertThatThrownBy(() -> ApiContractMerger.merge(services(
                document("/api/v1/one", "getOne", "One", "{}"),
                document("/api/v1/one", "getOther", "Two", "{}"))))
                .isInstanceOf(ContractException.class)
                .hasMessageContaining("GET /api/v1/one is defined by both a and b");
        assertThatThrownBy(() -> ApiContractMerger.merge(services(
                document("/api/v1/one", "getThing", "One", "{}"),
                document("/api/v1/two", "getThing", "Two", "{}"))))
                .isInstanceOf(ContractException.class)
                .hasMessageContaining("operationId getThing is used by a GET /api/v1/one and by b GET /api/v1/two");
    }

    @Test
    void refusesAnIncompleteOperation() {
        JsonNode incomplete = json("{'openapi':'3.1.0','info':{'version':'1.0.0'},'paths':{'/api/v1/x':{'post':{"
                + "'responses':{'201':{'description':'made','content':{'application/json':{'schema':{}}}},"
                + "'409':{'description':'conflict'}}}}}}");
        assertThatThrownBy(() -> ApiContractMerger.merge(Map.of("a", incomplete)))
                .isInstanceOf(ContractException.class)
                .satisfies(e -> assertThat(((ContractException) e).problems()).containsExactlyInAnyOrder(
                        "a: POST /api/v1/x has no operationId (@Operation(operationId = \"...\"))",
                        "a: POST /api/v1/x declares no security (@RolesAllowed or @Authenticated)",
                        "a: POST /api/v1/x answers 201 application/json with an empty schema"
                                + " (@APIResponse(content = @Content(schema = @Schema(implementation = ...))))",
                        "a: POST /api/v1/x answers 409 without the Problem schema in application/problem+json"));
    }

    @Test
    void writesSortedKeysSoTheSameInputGivesTheSameBytes() {
        JsonNode a = ApiContractMerger.merge(services(document("/api/v1/one", "getOne", "One", "{'type':'string'}"),
                document("/api/v1/two", "getTwo", "Two", "{'type':'integer'}")));
        String text = ApiContractMerger.pretty(a);
        assertThat(text).startsWith("{\n  \"components\": {").endsWith("}\n");
        assertThat(ApiContractMerger.pretty(ApiContractMerger.canonical(a))).isEqualTo(text);
    }

    /** {@code document} with the webhook {@code name} added, its POST given as JSON. */
    private static JsonNode withWebhook(JsonNode document, String name, String post) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = document.deepCopy();
        copy.with("webhooks").putObject(name).set("post", json(post));
        return copy;
    }

    private static final String PAYLOAD_POST = "{'operationId':'thingDoneWebhook','requestBody':{'required':true,"
            + "'content':{'application/json':{'schema':{'$ref':'#/components/schemas/One'}}}},"
            + "'responses':{'2XX':{'description':'received'}}}";

    @Test
    void carriesTheWebhooksAndNamesTheirService() {
        JsonNode merged = ApiContractMerger.merge(services(
                withWebhook(document("/api/v1/one", "getOne", "One", "{'type':'string'}"), "thing.done", PAYLOAD_POST),
                document("/api/v1/two", "getTwo", "Two", "{'type':'integer'}")));
        assertThat(ApiContractMerger.webhooks(merged)).containsOnlyKeys("thing.done");
        assertThat(merged.path("webhooks").path("thing.done").path("post").path("x-service").asText())
                .isEqualTo("a");
        assertThat(merged.path("webhooks").path("thing.done").path("post").path("requestBody").toString())
                .contains("#/components/schemas/One");
    }

    @Test
    void refusesAWebhookTwiceOrWithoutItsPayload() {
        assertThatThrownBy(() -> ApiContractMerger.merge(services(
                withWebhook(document("/api/v1/one", "getOne", "One", "{}"), "thing.done", PAYLOAD_POST),
                withWebhook(document("/api/v1/two", "getTwo", "Two", "{}"), "thing.done",
                        PAYLOAD_POST.replace("thingDoneWebhook", "otherWebhook")))))
                .isInstanceOf(ContractException.class)
                .hasMessageContaining("webhook thing.done is defined by both a and b");
        assertThatThrownBy(() -> ApiContractMerger.merge(services(
                withWebhook(document("/api/v1/one", "getOne", "One", "{}"), "thing.done",
                        "{'requestBody':{'content':{}},'responses':{'500':{'description':'x'}}}"),
                withWebhook(document("/api/v1/two", "getTwo", "Two", "{}"), "thing.gone",
                        PAYLOAD_POST.replace("thingDoneWebhook", "getOne")))))
                .isInstanceOf(ContractException.class)
                .satisfies(e -> assertThat(((ContractException) e).problems()).containsExactlyInAnyOrder(
                        "a: webhook thing.done has no operationId",
                        "a: webhook thing.done has no required application/json body with a schema (its payload)",
                        "a: webhook thing.done declares no 2xx answer (how a receiver acknowledges it)",
                        "operationId getOne is used by a GET /api/v1/one and by b webhook thing.gone"));
    }
}
