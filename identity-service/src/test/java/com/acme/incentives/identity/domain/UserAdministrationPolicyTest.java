package com.acme.incentives.identity.domain;

import com.acme.incentives.identity.IdentityMessages;
import com.acme.incentives.identity.domain.UserAdministrationPolicy.Operation;
import com.acme.incentives.platform.problem.ApiException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The rules table in isolation (the endpoints' matrix against the real stack is UserRolesMatrixTest). */
class UserAdministrationPolicyTest {

    private static final RoleSet INCENTIVE_USER = RoleSet.of(List.of("INCENTIVE_USER"));
    private static final RoleSet INCENTIVE_ADMIN = RoleSet.of(List.of("INCENTIVE_ADMIN"));
    private static final RoleSet USER_ADMIN = RoleSet.of(List.of("USER_ADMIN"));
    private static final RoleSet GLOBAL_ADMIN = RoleSet.of(List.of("GLOBAL_ADMIN"));
    private static final RoleSet GLOBAL_ADMIN_WITH_INCENTIVE = RoleSet.of(List.of("GLOBAL_ADMIN", "INCENTIVE_USER"));

    private static boolean allowed(String callerRole, Operation operation, RoleSet current, RoleSet wanted) {
        return UserAdministrationPolicy.refusal(Set.of(callerRole), operation, current, wanted).isEmpty();
    }

    @Test
    void userAdminsNeverTouchGlobalAdmins() {
        assertThat(allowed("USER_ADMIN", Operation.CREATE, null, USER_ADMIN)).isTrue();
        assertThat(allowed("USER_ADMIN", Operation.CREATE, null, GLOBAL_ADMIN)).isFalse();
        assertThat(allowed("USER_ADMIN", Operation.RESET_PASSWORD, GLOBAL_ADMIN, null)).isFalse();
        assertThat(allowed("USER_ADMIN", Operation.DEACTIVATE, GLOBAL_ADMIN, null)).isFalse();
        assertThat(allowed("USER_ADMIN", Operation.CHANGE_ROLES, USER_ADMIN, GLOBAL_ADMIN)).isFalse();
        assertThat(allowed("GLOBAL_ADMIN", Operation.RESET_PASSWORD, GLOBAL_ADMIN, null)).isTrue();
        assertThat(allowed("PROGRAM_OPERATOR", Operation.CREATE, null, GLOBAL_ADMIN)).isTrue();
        assertThat(UserAdministrationPolicy.refusal(Set.of("USER_ADMIN"), Operation.RESET_PASSWORD, GLOBAL_ADMIN,
                null)).contains(IdentityMessages.ONLY_GLOBAL_ADMIN_RESETS_GLOBAL_ADMIN);
    }

    @Test
    void incentiveAdminsManageIncentiveOnlyUsers() {
        assertThat(allowed("INCENTIVE_ADMIN", Operation.CREATE, null, INCENTIVE_USER)).isTrue();
        assertThat(allowed("INCENTIVE_ADMIN", Operation.CHANGE_ROLES, INCENTIVE_USER, INCENTIVE_ADMIN)).isTrue();
        assertThat(allowed("INCENTIVE_ADMIN", Operation.CHANGE_ROLES, INCENTIVE_USER, USER_ADMIN)).isFalse();
        assertThat(allowed("INCENTIVE_ADMIN", Operation.DEACTIVATE, USER_ADMIN, null)).isFalse();
        assertThat(allowed("INCENTIVE_ADMIN", Operation.RESET_PASSWORD, INCENTIVE_ADMIN, null)).isTrue();
    }

    @Test
    void accountAdminsOnlyChangeTheIncentivePart() {
        assertThat(allowed("ACCOUNT_ADMIN", Operation.CHANGE_ROLES, GLOBAL_ADMIN, GLOBAL_ADMIN_WITH_INCENTIVE))
                .isTrue();
        assertThat(allowed("ACCOUNT_ADMIN", Operation.CHANGE_ROLES, INCENTIVE_USER, USER_ADMIN)).isFalse();
        assertThat(allowed("ACCOUNT_ADMIN", Operation.CREATE, null, INCENTIVE_USER)).isFalse();
        assertThat(allowed("ACCOUNT_ADMIN", Operation.DEACTIVATE, INCENTIVE_USER, null)).isFalse();
        assertThat(allowed("ACCOUNT_ADMIN", Operation.READ, null, null)).isTrue();
    }

    @Test
    void incentiveUsersManageNobody() {
        for (Operation operation : Operation.values()) {
            assertThat(allowed("INCENTIVE_USER", operation, INCENTIVE_USER, INCENTIVE_USER)).as(operation.name())
                    .isFalse();
        }
    }

    @Test
    void roleSetsHoldAtMostOneRolePerCategory() {
        assertThat(RoleSet.parse(List.of("USER_ADMIN", "INCENTIVE_USER")).names())
                .containsExactly("INCENTIVE_USER", "USER_ADMIN");
        assertThatThrownBy(() -> RoleSet.parse(List.of("ACCOUNT_ADMIN", "USER_ADMIN")))
                .isInstanceOf(ApiException.class).hasMessageContaining("at most one admin role");
        assertThatThrownBy(() -> RoleSet.parse(List.of("INCENTIVE_USER", "INCENTIVE_USER")))
                .isInstanceOf(ApiException.class).hasMessageContaining("listed twice");
        assertThatThrownBy(() -> RoleSet.parse(List.of("PARTNER_FEED")))
                .isInstanceOf(ApiException.class).hasMessageContaining("roles[0]");
    }
}
