package com.acme.incentives.gateway.contract;

import com.acme.incentives.gateway.contract.ContractDiff.Report;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The committed contract ({@code docs/openapi.json}) is the one this build makes. A difference fails the build and
 * lists its breaking changes apart from its additive ones; {@code -Dopenapi.accept} writes the new contract over the
 * committed copy when nothing in it is breaking, {@code -Dopenapi.accept-breaking} even then (README, "The API
 * contract"). The reviewer of the commit then sees the change to the contract as a diff of docs/openapi.json.
 */
class ContractCheckTest {

    private static final Path BUILT = Path.of("target/classes/api-contract");

    @Test
    void theCommittedContractIsTheBuiltOne() throws IOException {
        String source = Files.readString(BUILT.resolve("source.txt")).trim();
        Assumptions.assumeTrue(source.equals("services"), "the services' documents were not built: the committed"
                + " docs/openapi.json is served as it is, and not checked");
        Path committed = Path.of(System.getProperty("repo.root", "..")).resolve("docs/openapi.json");
        String built = Files.readString(BUILT.resolve("openapi.json"), StandardCharsets.UTF_8);
        boolean accept = flag("openapi.accept");
        boolean acceptBreaking = flag("openapi.accept-breaking");

        if (!Files.exists(committed)) {
            if (accept || acceptBreaking) {
                Files.writeString(committed, built, StandardCharsets.UTF_8);
                return;
            }
            fail(committed + " is missing; make it with ./mvnw -pl gateway verify -Dopenapi.accept");
        }
        String current = Files.readString(committed, StandardCharsets.UTF_8);
        if (current.equals(built)) {
            return;
        }
        JsonNode before = ApiContractMerger.JSON.readTree(current);
        JsonNode after = ApiContractMerger.JSON.readTree(built);
        Report report = ContractDiff.compare(before, after);
        System.out.println("[api-contract] docs/openapi.json differs from the built contract:\n" + report.describe());
        if (acceptBreaking || accept && report.breaking().isEmpty()) {
            Files.writeString(committed, built, StandardCharsets.UTF_8);
            System.out.println("[api-contract] wrote the built contract to " + committed);
            return;
        }
        String how = report.breaking().isEmpty()
                ? "If the change is intended, accept it: ./mvnw -pl gateway verify -Dopenapi.accept (rewrites"
                        + " docs/openapi.json; commit it with the change)."
                : "These break clients of the API. If that is intended (and announced), accept it: ./mvnw -pl gateway"
                        + " verify -Dopenapi.accept-breaking (rewrites docs/openapi.json; commit it with the change).";
        assertThat(report.breaking().isEmpty() && report.additive().isEmpty() && report.other().isEmpty())
                .as("docs/openapi.json is not the contract this build makes.%n%s%s", report.describe(), how)
                .isTrue();
        fail("docs/openapi.json differs from the built contract only in formatting; " + how);
    }

    private static boolean flag(String name) {
        String value = System.getProperty(name);
        return value != null && (value.isEmpty() || value.equalsIgnoreCase("true"));
    }
}
