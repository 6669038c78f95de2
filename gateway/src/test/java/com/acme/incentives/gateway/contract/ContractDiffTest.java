package com.acme.incentives.gateway.contract;

import com.acme.incentives.gateway.contract.ContractDiff.Report;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** Each kind of breaking change is flagged as breaking; additive ones are not. */
class ContractDiffTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * A small contract: POST /api/v1/things takes a NewThing (name required, colour optional enum, size string of at
     * most 10) with an optional query parameter {@code dryRun}, and answers 201 with a Thing (id, name required;
     * status enum; note optional).
     */
    private static ObjectNode base() {
        try {
            return (ObjectNode) JSON.readTree(("{'openapi':'3.1.0','paths':{'/api/v1/things':{'post':{"
                    + "'operationId':'createThing',"
                    + "'parameters':[{'name':'dryRun','in':'query','required':false,'schema':{'type':'boolean'}},"
                    + "{'$ref':'#/components/parameters/CorrelationId'}],"
                    + "'requestBody':{'required':true,'content':{'application/json':{'schema':"
                    + "{'$ref':'#/components/schemas/NewThing'}}}},"
                    + "'responses':{'201':{'description':'made','content':{'application/json':{'schema':"
                    + "{'$ref':'#/components/schemas/Thing'}}}},"
                    + "'400':{'description':'bad','content':{'application/problem+json':{'schema':"
                    + "{'$ref':'#/components/schemas/Problem'}}}}}}},"
                    + "'/api/v1/things/{id}':{'get':{'operationId':'getThing','parameters':[{'name':'id','in':'path',"
                    + "'required':true,'schema':{'type':'string','format':'uuid'}}],'responses':{'200':{"
                    + "'description':'ok','content':{'application/json':{'schema':"
                    + "{'$ref':'#/components/schemas/Thing'}}}}}}}},"
                    + "'components':{'parameters':{'CorrelationId':{'name':'X-Correlation-Id','in':'header',"
                    + "'schema':{'type':'string'}}},'schemas':{"
                    + "'NewThing':{'type':'object','required':['name'],'properties':{'name':{'type':'string'},"
                    + "'colour':{'$ref':'#/components/schemas/Colour'},'size':{'type':'string','maxLength':10}}},"
                    + "'Colour':{'type':'string','enum':['RED','GREEN']},"
                    + "'Thing':{'type':'object','required':['id','name'],'properties':{'id':{'type':'string',"
                    + "'format':'uuid'},'name':{'type':'string'},'status':{'type':'string','enum':['NEW','DONE']},"
                    + "'note':{'type':'string'}}},"
                    + "'Problem':{'type':'object'}}}}").replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Report change(Consumer<ObjectNode> edit) {
        ObjectNode after = base();
        edit.accept(after);
        return ContractDiff.compare(base(), after);
    }

    private static ObjectNode schema(ObjectNode document, String name) {
        return (ObjectNode) document.path("components").path("schemas").path(name);
    }

    private static ObjectNode post(ObjectNode document) {
        return (ObjectNode) document.path("paths").path("/api/v1/things").path("post");
    }

    @Test
    void theSameDocumentHasNoChanges() {
        assertThat(ContractDiff.compare(base(), base()).identical()).isTrue();
    }

    @Test
    void aRemovedOperationIsBreaking() {
        Report report = change(d -> ((ObjectNode) d.path("paths")).remove("/api/v1/things/{id}"));
        assertThat(report.breaking()).containsExactly("removed operation GET /api/v1/things/{id} (getThing)");
    }

    @Test
    void aRemovedResponseFieldIsBreaking() {
        Report report = change(d -> ((ObjectNode) schema(d, "Thing").path("properties")).remove("note"));
        assertThat(report.breaking()).containsExactly("schema Thing (response): response field note removed");
    }

    @Test
    void aResponseFieldThatMayNowBeAbsentIsBreaking() {
        Report report = change(d -> {
            ArrayNode required = schema(d, "Thing").putArray("required");
            required.add("id");
        });
        assertThat(report.breaking()).containsExactly("schema Thing (response): response field name may now be absent");
    }

    @Test
    void aRemovedEnumValueIsBreakingOnEitherSide() {
        Report response = change(d -> ((ObjectNode) schema(d, "Thing").path("properties").path("status"))
                .putArray("enum").add("NEW"));
        assertThat(response.breaking()).containsExactly("schema Thing (response).status: enum value DONE removed");
        Report request = change(d -> schema(d, "Colour").putArray("enum").add("RED"));
        assertThat(request.breaking()).containsExactly("schema Colour (request): enum value GREEN removed");
    }

    @Test
    void aNewRequiredRequestFieldOrParameterIsBreaking() {
        Report field = change(d -> {
            ObjectNode newThing = schema(d, "NewThing");
            ((ObjectNode) newThing.path("properties")).putObject("owner").put("type", "string");
            ((ArrayNode) newThing.path("required")).add("owner");
        });
        assertThat(field.breaking()).containsExactly("schema NewThing (request): new required request field owner");

        Report madeRequired = change(d -> ((ArrayNode) schema(d, "NewThing").path("required")).add("size"));
        assertThat(madeRequired.breaking())
                .containsExactly("schema NewThing (request): request field size became required");

        Report parameter = change(d -> ((ArrayNode) post(d).path("parameters")).addObject()
                .put("name", "tenant").put("in", "header").put("required", true)
                .putObject("schema").put("type", "string"));
        assertThat(parameter.breaking())
                .containsExactly("POST /api/v1/things: new required parameter header tenant");

        Report nowRequired = change(d -> ((ObjectNode) post(d).path("parameters").get(0)).put("required", true));
        assertThat(nowRequired.breaking())
                .containsExactly("POST /api/v1/things: parameter query dryRun became required");
    }

    @Test
    void aNarrowedTypeIsBreaking() {
        Report type = change(d -> ((ObjectNode) schema(d, "NewThing").path("properties").path("size"))
                .put("type", "integer"));
        assertThat(type.breaking()).containsExactly("schema NewThing (request).size: type [string] became [integer]");

        Report length = change(d -> ((ObjectNode) schema(d, "NewThing").path("properties").path("size"))
                .put("maxLength", 5));
        assertThat(length.breaking()).containsExactly("schema NewThing (request).size: maxLength 10 became 5");

        Report format = change(d -> ((ObjectNode) schema(d, "NewThing").path("properties").path("name"))
                .put("format", "email"));
        assertThat(format.breaking()).containsExactly("schema NewThing (request).name: format (none) became email");

        Report pattern = change(d -> ((ObjectNode) schema(d, "NewThing").path("properties").path("name"))
                .put("pattern", "^[a-z]+$"));
        assertThat(pattern.breaking())
                .containsExactly("schema NewThing (request).name: pattern (none) became ^[a-z]+$");
    }

    @Test
    void aResponseThatPromisesMorePreciselyIsNotBreakingButARequestThatAcceptsLessIs() {
        Report response = change(d -> ((ObjectNode) schema(d, "Thing").path("properties").path("note"))
                .put("format", "email").putArray("enum").add("a@b.example"));
        assertThat(response.breaking()).isEmpty();
        assertThat(response.additive()).contains("schema Thing (response).note: format (none) became email");
        Report request = change(d -> ((ObjectNode) schema(d, "NewThing").path("properties").path("name"))
                .putArray("enum").add("one"));
        assertThat(request.breaking()).containsExactly("schema NewThing (request).name: only [one] allowed now");
        Report widened = change(d -> ((ObjectNode) schema(d, "Thing").path("properties").path("note"))
                .putArray("type").add("string").add("null"));
        assertThat(widened.breaking()).containsExactly("schema Thing (response).note: type [string] became [null,"
                + " string]");
    }

    @Test
    void additiveChangesAreNotBreaking() {
        Report report = change(d -> {
            // a new operation, an optional parameter, optional request and new response fields, a new enum value,
            // a new answer, a wider limit
            ((ObjectNode) d.path("paths")).putObject("/api/v1/widgets").putObject("get")
                    .put("operationId", "listWidgets").putObject("responses");
            ((ArrayNode) post(d).path("parameters")).addObject().put("name", "lang").put("in", "query")
                    .putObject("schema").put("type", "string");
            ((ObjectNode) schema(d, "NewThing").path("properties")).putObject("label").put("type", "string");
            ((ObjectNode) schema(d, "Thing").path("properties")).putObject("createdAt").put("type", "string");
            ((ArrayNode) schema(d, "Colour").path("enum")).add("BLUE");
            ((ArrayNode) schema(d, "Thing").path("properties").path("status").path("enum")).add("CANCELLED");
            ((ObjectNode) post(d).path("responses")).putObject("409").put("description", "conflict");
            ((ObjectNode) schema(d, "NewThing").path("properties").path("size")).put("maxLength", 20);
            ((ObjectNode) post(d)).put("summary", "Make a thing");
        });
        assertThat(report.breaking()).isEmpty();
        assertThat(report.additive()).contains(
                "new operation GET /api/v1/widgets (listWidgets)",
                "POST /api/v1/things: new optional parameter query lang",
                "schema NewThing (request): new optional request field label",
                "schema Thing (response): new response field createdAt",
                "schema Colour (request): new enum value BLUE",
                "schema Thing (response).status: new enum value CANCELLED",
                "POST /api/v1/things: new answer 409");
    }

    @Test
    void documentationOnlyChangesAreOther() {
        Report report = change(d -> post(d).put("summary", "Make a thing"));
        assertThat(report.breaking()).isEmpty();
        assertThat(report.additive()).isEmpty();
        assertThat(report.other()).isNotEmpty();
    }

    /** Adds the webhook {@code thing.done} whose payload's data has the fields {@code fields} (all strings). */
    private static void webhook(ObjectNode document, String... fields) {
        ObjectNode data = JSON.createObjectNode().put("type", "object");
        for (String field : fields) {
            data.with("properties").putObject(field).put("type", "string");
        }
        ObjectNode payload = JSON.createObjectNode().put("type", "object");
        payload.with("properties").set("data", data);
        ObjectNode post = document.with("webhooks").with("thing.done").with("post");
        post.put("operationId", "thingDoneWebhook");
        post.with("requestBody").put("required", true).with("content").with("application/json")
                .set("schema", payload);
        post.with("responses").with("2XX").put("description", "received");
    }

    @Test
    void aWebhookIsJudgedAsItsReceiverReadsIt() {
        ObjectNode before = base();
        webhook(before, "id", "note");
        ObjectNode fewer = base();
        webhook(fewer, "id");
        assertThat(ContractDiff.compare(before, fewer).breaking())
                .containsExactly("webhook thing.done payload.data: response field note removed");
        ObjectNode more = base();
        webhook(more, "id", "note", "colour");
        Report added = ContractDiff.compare(before, more);
        assertThat(added.breaking()).isEmpty();
        assertThat(added.additive()).isNotEmpty();
        assertThat(ContractDiff.compare(before, base()).breaking()).containsExactly("removed webhook thing.done");
        assertThat(ContractDiff.compare(base(), before).additive()).contains("new webhook thing.done");
    }
}
