package com.acme.incentives.platform.testing;

import com.acme.incentives.platform.security.Capabilities;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The rule that keeps each operation's roles and GET /me's table in agreement fails when they disagree. */
class OpenApiRulesCapabilitiesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<String> check(String roles, String capabilities) throws Exception {
        String extension = capabilities == null ? "" : ", \"" + Capabilities.EXTENSION + "\": " + capabilities;
        JsonNode operation = JSON.readTree("{\"x-roles\": " + roles + extension + "}");
        return OpenApiRules.capabilityViolations("GET /x", operation);
    }

    @Test
    void rolesThatAreExactlyTheHoldersOfACapabilityAgree() throws Exception {
        assertThat(check("[\"PROGRAM_OPERATOR\", \"GLOBAL_ADMIN\", \"INCENTIVE_ADMIN\", \"INCENTIVE_USER\","
                + " \"API_INCENTIVES_READ\"]", Capabilities.REQUIRES_INCENTIVES_READ)).isEmpty();
        assertThat(check("[\"GLOBAL_ADMIN\", \"INCENTIVE_ADMIN\"]", Capabilities.REQUIRES_ENROLLMENTS_MANAGE))
                .isEmpty();
        assertThat(check("[\"PROGRAM_OPERATOR\", \"GLOBAL_ADMIN\", \"USER_ADMIN\", \"INCENTIVE_ADMIN\"]",
                Capabilities.REQUIRES_USERS_MANAGE)).isEmpty();
        // operators' and machines' operations name no capability
        assertThat(check("[\"PROGRAM_OPERATOR\"]", null)).isEmpty();
        assertThat(check("[\"PARTNER_FEED\"]", null)).isEmpty();
    }

    @Test
    void aRoleThatMePromisesButTheServiceRefusesIsNamed() throws Exception {
        // the bug this rule was written for: /me told a global admin it may read incentives, the service said 403
        assertThat(check("[\"PROGRAM_OPERATOR\", \"INCENTIVE_ADMIN\", \"INCENTIVE_USER\", \"API_INCENTIVES_READ\"]",
                Capabilities.REQUIRES_INCENTIVES_READ))
                .singleElement().asString().contains("refused although /me allows: [GLOBAL_ADMIN]");
        // an organization's API clients holding the capability are members like the others
        assertThat(check("[\"PROGRAM_OPERATOR\", \"GLOBAL_ADMIN\", \"INCENTIVE_ADMIN\", \"INCENTIVE_USER\"]",
                Capabilities.REQUIRES_INCENTIVES_READ))
                .singleElement().asString().contains("refused although /me allows: [API_INCENTIVES_READ]");
        assertThat(check("[\"GLOBAL_ADMIN\", \"INCENTIVE_ADMIN\", \"ACCOUNT_ADMIN\"]",
                Capabilities.REQUIRES_ENROLLMENTS_MANAGE))
                .singleElement().asString().contains("allowed although /me does not say so: [ACCOUNT_ADMIN]");
    }

    @Test
    void anOperationOpenToMembersMustNameItsCapabilities() throws Exception {
        assertThat(check("[\"INCENTIVE_ADMIN\"]", null)).singleElement().asString()
                .contains("names no " + Capabilities.EXTENSION);
        assertThat(check("[\"INCENTIVE_ADMIN\"]", "[\"incentives:dance\"]"))
                .anyMatch(problem -> problem.contains("incentives:dance is no role's"));
        assertThat(check("[\"INCENTIVE_ADMIN\"]", "\"incentives:read\"")).singleElement().asString()
                .contains("not a non-empty JSON array");
    }
}
