package com.acme.incentives.identity.jobs;

import com.acme.incentives.identity.service.ActivationService;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/** Asks Keycloak, every {@code identity.activation.poll-every}, which pending users have set their own password. */
@ApplicationScoped
public class ActivationPollJob {

    private static final Logger LOG = Logger.getLogger(ActivationPollJob.class);

    @Inject
    ActivationService activation;

    @Scheduled(every = "${identity.activation.poll-every:30s}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        try {
            activation.pollPendingUsers();
        } catch (RuntimeException e) {
            LOG.warnf("Checking pending users in Keycloak failed (%s); next run retries", e.toString());
        }
    }
}
