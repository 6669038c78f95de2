package com.acme.incentives.platform.selftest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.acme.incentives.platform.transactions.AfterCommit;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.transaction.TransactionManager;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

/**
 * AfterCommit: the action runs once, after the commit; never for a transaction that rolls back; an action that throws
 * fails neither the commit nor the actions after it.
 */
@QuarkusTest
class AfterCommitTest {

    @Inject
    AfterCommit afterCommit;

    @Inject
    TransactionManager transactions;

    @Test
    void anActionRunsOnceAfterItsTransactionCommitsAndNotBefore() {
        List<String> ran = new ArrayList<>();
        QuarkusTransaction.requiringNew().run(() -> {
            afterCommit.run(() -> ran.add("after commit"));
            assertThat(ran).as("nothing runs before the commit").isEmpty();
        });
        assertThat(ran).containsExactly("after commit");
    }

    @Test
    void anActionOfATransactionThatRollsBackNeverRuns() throws Exception {
        List<String> ran = new ArrayList<>();
        transactions.begin();
        afterCommit.run(() -> ran.add("rolled back"));
        transactions.rollback();
        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            afterCommit.run(() -> ran.add("thrown out"));
            throw new IllegalStateException("the business change failed");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(ran).isEmpty();
    }

    @Test
    void anActionThatThrowsNeitherFailsTheCommitNorStopsTheNextAction() {
        List<String> ran = new ArrayList<>();
        Runnable throwing = () -> {
            ran.add("threw");
            throw new IllegalStateException("a worker could not be woken");
        };
        // One thrower on each side: whichever order the transaction manager runs them in, "next" comes after one.
        QuarkusTransaction.requiringNew().run(() -> {
            afterCommit.run(throwing);
            afterCommit.run(() -> ran.add("next"));
            afterCommit.run(throwing);
        });
        assertThat(ran).containsExactlyInAnyOrder("threw", "next", "threw");
    }

    @Test
    void outsideATransactionItIsRefused() {
        assertThatThrownBy(() -> afterCommit.run(() -> {
        })).isInstanceOf(IllegalStateException.class);
    }
}
