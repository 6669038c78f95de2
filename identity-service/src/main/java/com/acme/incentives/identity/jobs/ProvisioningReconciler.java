package com.acme.incentives.identity.jobs;

import com.acme.incentives.identity.domain.ApiClient;
import com.acme.incentives.identity.domain.UserProvisioning;
import com.acme.incentives.identity.keycloak.KeycloakAdmin;
import com.acme.incentives.identity.service.ApiClientService;
import com.acme.incentives.identity.service.UserProvisioner;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Repairs user and API client creations that failed half way and could not be compensated at once (Keycloak
 * unreachable in the middle): a provisioning row older than any live creation can take means the creation is dead;
 * the Keycloak user it may have left behind is deleted (only one carrying that organization's org_id and absent from
 * our directory), or the Keycloak client of that clientId (ours alone: {@code api-<id>}), then the row. Safe to run
 * on every replica at once: deleting twice is harmless.
 */
@ApplicationScoped
public class ProvisioningReconciler {

    private static final Logger LOG = Logger.getLogger(ProvisioningReconciler.class);

    @Inject
    KeycloakAdmin keycloak;

    @Inject
    ApiClientService apiClients;

    @Inject
    Clock clock;

    /** A live creation makes a handful of calls with a 5 s timeout each; anything older than this is dead. */
    @ConfigProperty(name = "identity.provisioning.stale-after", defaultValue = "PT2M")
    Duration staleAfter;

    @Scheduled(every = "${identity.provisioning.reconcile-every:60s}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        try {
            reconcile(staleAfter);
        } catch (RuntimeException e) {
            LOG.warnf("Provisioning reconciliation did not complete (%s); next run retries", e.toString());
        }
    }

    /** Returns the number of dead creations repaired. */
    public int reconcile(Duration olderThan) {
        Instant cutoff = clock.instant().minus(olderThan);
        List<UserProvisioning> dead = QuarkusTransaction.requiringNew().call(() -> UserProvisioning
                .<UserProvisioning>list("startedAt < ?1 order by startedAt", cutoff));
        int repaired = 0;
        for (UserProvisioning row : dead) {
            int orphans = UserProvisioner.deleteOrphans(keycloak, row.email, row.organizationId);
            QuarkusTransaction.requiringNew().run(() -> UserProvisioning.delete("email = ?1 and startedAt = ?2",
                    row.email, row.startedAt));
            LOG.infof("Repaired a failed user creation of organization %s (%d orphan Keycloak user(s) removed)",
                    row.organizationId, orphans);
            repaired++;
        }
        List<ApiClient> deadClients = QuarkusTransaction.requiringNew().call(() -> ApiClient
                .<ApiClient>list("status = ?1 and createdAt < ?2 order by createdAt", ApiClient.Status.PROVISIONING,
                        cutoff));
        for (ApiClient client : deadClients) {
            apiClients.repair(client);
            LOG.infof("Repaired a failed API client creation of organization %s (%s)", client.organizationId,
                    client.clientId);
            repaired++;
        }
        return repaired;
    }
}
