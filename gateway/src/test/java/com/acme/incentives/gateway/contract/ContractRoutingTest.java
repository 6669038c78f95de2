package com.acme.incentives.gateway.contract;

import com.acme.incentives.gateway.proxy.ServiceRoute;
import com.acme.incentives.gateway.proxy.ServiceRouteTable;
import com.acme.incentives.gateway.support.EchoServices;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every operation of the contract reaches the service that documents it through the gateway's route table
 * (application.properties): a new endpoint the table would not route, or would route to another service, fails here
 * rather than as a 404 in production.
 */
@QuarkusTest
@WithTestResource(EchoServices.class)
class ContractRoutingTest {

    @Inject
    ServiceRouteTable table;

    @Test
    void everyOperationIsRoutedToItsService() throws IOException {
        JsonNode contract;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("api-contract/openapi.json")) {
            assertThat(in).as("the built contract").isNotNull();
            contract = ApiContractMerger.JSON.readTree(in);
        }
        List<String> misrouted = new ArrayList<>();
        for (Map.Entry<String, JsonNode> operation : ApiContractMerger.operations(contract).entrySet()) {
            String path = operation.getKey().substring(operation.getKey().indexOf(' ') + 1);
            String concrete = path.replaceAll("\\{[^}]+}", "x1");
            String owner = operation.getValue().path("x-service").asText();
            String routed = table.match(concrete).map(ServiceRoute::service).orElse("(none)");
            if (!routed.equals(owner)) {
                misrouted.add(operation.getKey() + " is " + owner + "'s but routes to " + routed);
            }
        }
        assertThat(misrouted).isEmpty();
        assertThat(ApiContractMerger.operations(contract)).hasSizeGreaterThan(40);
    }
}
