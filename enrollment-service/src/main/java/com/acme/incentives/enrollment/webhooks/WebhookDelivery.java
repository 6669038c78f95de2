package com.acme.incentives.enrollment.webhooks;

import com.acme.incentives.enrollment.EnrollmentMessages;
import com.acme.incentives.enrollment.domain.MailLanguage;
import com.acme.incentives.enrollment.domain.PartnerOrganization;
import com.acme.incentives.enrollment.domain.WebhookAttempt;
import com.acme.incentives.enrollment.domain.WebhookEndpoint;
import com.acme.incentives.enrollment.domain.WebhookMessage;
import com.acme.incentives.enrollment.mail.MailService;
import com.acme.incentives.enrollment.mail.MailTemplates;
import com.acme.incentives.enrollment.mail.PortalLinks;
import com.acme.incentives.enrollment.mail.Recipients;
import com.acme.incentives.enrollment.mail.WebhookDisabledMail;
import com.acme.incentives.platform.audit.AuditTrail;
import com.acme.incentives.platform.concurrency.DaemonThreads;
import com.acme.incentives.platform.i18n.Messages;
import com.acme.incentives.platform.security.Roles;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import org.jboss.logging.Logger;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The webhook worker (README "Webhooks"). When a transaction that queued messages commits ({@link #wakeUp()}), and
 * every {@code enrollment.webhooks.every} for retries coming due, it claims due messages with a lease
 * ({@code FOR UPDATE SKIP LOCKED}, {@code locked_until}) and commits, so the other replica never takes them; sends each
 * outside any transaction on a bounded pool (a slow endpoint holds one thread, not the others' deliveries); then
 * records the attempt in a transaction of its own. A replica that dies mid-send leaves a lease that runs out: the
 * message goes again with the same webhook-id, which receivers dedupe on (at least once).
 *
 * <p>A message is due only while no older message of the same endpoint and resource is PENDING: head of line per
 * resource (a payment's events arrive in order), not per endpoint.
 */
@ApplicationScoped
public class WebhookDelivery {

    private static final Logger LOG = Logger.getLogger(WebhookDelivery.class);
    static final String USER_AGENT = "AcmeIncentives-Webhooks/1.0 (enrollment-service)";
    static final int MAX_RESPONSE_BYTES = 64 * 1024;
    static final int LOGGED_RESPONSE_BYTES = 1024;

    /** A claimed message with what sending it needs. */
    record Claimed(String messageId, UUID endpointId, String url, String payload, Instant eventAt) {
    }

    /** How an attempt went: a status code, or none and the error. */
    record Outcome(Integer statusCode, String error, String body, long latencyMs) {
        boolean delivered() {
            return statusCode != null && statusCode >= 200 && statusCode < 300;
        }
    }

    @Inject
    EntityManager em;

    @Inject
    WebhookTargets targets;

    @Inject
    MailService mail;

    @Inject
    AuditTrail audit;

    @Inject
    MeterRegistry registry;

    @Inject
    Clock clock;

    @Inject
    WebhookSettings settings;

    @Inject
    PortalLinks portal;

    private final Map<UUID, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private ExecutorService pool;
    private Semaphore slots;
    /** Released by every sender when done: the poll's next round waits on it. */
    private final Semaphore finished = new Semaphore(0);
    /** Set by each tick and wake-up: the poll under way claims again when it finds it set, so none is lost. */
    private final AtomicBoolean again = new AtomicBoolean();
    /** One poll at a time, whether a tick or a wake-up started it. */
    private final AtomicBoolean polling = new AtomicBoolean();
    /** Whether a wake-up's poll is waiting for the waker thread already (one is enough). */
    private final AtomicBoolean wakeUpQueued = new AtomicBoolean();
    /** Runs the poll a commit asks for, off the committing thread (a Kafka consumer's). */
    private ExecutorService waker;
    private HttpClient http;
    private Timer lag;

    @PostConstruct
    void start() {
        pool = Executors.newFixedThreadPool(settings.concurrency(), DaemonThreads.named("webhook-delivery"));
        slots = new Semaphore(settings.concurrency());
        waker = Executors.newSingleThreadExecutor(DaemonThreads.named("webhook-wake-up"));
        // never follow a redirect: it could lead anywhere, past the target check
        http = HttpClient.newBuilder().connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).build();
        lag = Timer.builder("enrollment.webhooks.delivery.lag")
                .description("From the event's commit (its occurredAt) to its webhook delivered")
                .register(registry);
        for (String outcome : List.of("delivered", "retry", "failed")) {
            deliveries(outcome);
        }
    }

    @PreDestroy
    void stop() {
        waker.shutdownNow();
        pool.shutdownNow();
    }

    /**
     * Called after a transaction that queued messages committed (WebhookQueue): they are claimed now rather than at
     * the next tick (the scheduler ticks once a second at best: half a second of delay on average, measured).
     */
    public void wakeUp() {
        if (wakeUpQueued.compareAndSet(false, true)) {
            try {
                waker.execute(() -> {
                    wakeUpQueued.set(false);
                    poll();
                });
            } catch (RejectedExecutionException e) {
                // shutting down: nothing is claimed any more; the messages wait in the table for the next start
            }
        }
    }

    /**
     * Claims again as soon as a sender is done, for as long as each round finds due messages, so that a backlog drains
     * at the senders' pace rather than one batch per tick (BENCHMARKS.md finding 6: one batch of 8 per 2 s tick capped
     * deliveries at 4 per second and replica). The tick only starts the rounds.
     */
    @Scheduled(every = "${enrollment.webhooks.every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void poll() {
        again.set(true);
        finished.release(); // a poll under way that waits for a sender goes on at once, and claims again
        // A poll asked for while another runs is left to that one (it sees "again"); one asked for just as that one
        // ends finds "polling" clear and runs itself.
        while (again.get() && polling.compareAndSet(false, true)) {
            try {
                while (again.getAndSet(false)) {
                    rounds();
                }
            } finally {
                polling.set(false);
            }
        }
    }

    private void rounds() {
        try {
            while (!pool.isShutdown()) {
                finished.drainPermits();
                // Every sender busy: wait for one rather than end, or a message just queued would wait for the tick.
                if (slots.availablePermits() > 0 && dispatch() == 0) {
                    return;
                }
                finished.tryAcquire(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warnf("Could not claim webhook messages: %s", e.toString());
        }
    }

    /** Claims as many due messages as there are free senders and hands them over; returns how many. */
    public int dispatch() {
        int free = slots.availablePermits();
        if (free == 0) {
            return 0;
        }
        List<Claimed> claimed = QuarkusTransaction.requiringNew().call(() -> claim(free));
        for (Claimed message : claimed) {
            slots.acquireUninterruptibly();
            AtomicInteger ofEndpoint = inFlight.computeIfAbsent(message.endpointId(), id -> new AtomicInteger());
            ofEndpoint.incrementAndGet();
            try {
                pool.execute(() -> {
                    try {
                        deliver(message);
                    } catch (RuntimeException e) {
                        // not recorded: the lease runs out and the message is sent again
                        LOG.errorf(e, "Webhook message %s: the attempt could not be recorded", message.messageId());
                    } finally {
                        ofEndpoint.decrementAndGet();
                        slots.release();
                        finished.release();
                    }
                });
            } catch (RuntimeException e) {
                ofEndpoint.decrementAndGet();
                slots.release();
                throw e;
            }
        }
        return claimed.size();
    }

    @SuppressWarnings("unchecked")
    private List<Claimed> claim(int limit) {
        Instant now = clock.instant();
        List<String> ids = em.createNativeQuery("SELECT m.id FROM webhook_message m"
                + " JOIN webhook_endpoint e ON e.id = m.endpoint_id"
                + " WHERE m.status = 'PENDING' AND e.enabled AND m.next_attempt_at <= ?1"
                + " AND (m.locked_until IS NULL OR m.locked_until <= ?1)"
                // head of line per resource: an older PENDING message of the same endpoint and resource goes first
                + " AND NOT EXISTS (SELECT 1 FROM webhook_message o WHERE o.endpoint_id = m.endpoint_id"
                + " AND o.resource_key = m.resource_key AND o.status = 'PENDING' AND o.seq < m.seq)"
                + " ORDER BY m.next_attempt_at, m.seq LIMIT ?2 FOR UPDATE OF m SKIP LOCKED")
                // more candidates than senders, so that the per-endpoint cap can pass over a busy endpoint's
                .setParameter(1, now).setParameter(2, limit * 4).getResultList();
        List<Claimed> claimed = new ArrayList<>();
        Map<UUID, Integer> taken = new HashMap<>();
        for (String id : ids) {
            if (claimed.size() == limit) {
                break;
            }
            WebhookMessage message = WebhookMessage.findById(id);
            int busy = inFlight.getOrDefault(message.endpointId, new AtomicInteger()).get()
                    + taken.getOrDefault(message.endpointId, 0);
            if (busy >= settings.perEndpoint()) {
                continue; // left unleased: due again at the next poll
            }
            taken.merge(message.endpointId, 1, Integer::sum);
            WebhookEndpoint endpoint = WebhookEndpoint.findById(message.endpointId);
            message.lockedUntil = now.plus(settings.lease());
            claimed.add(new Claimed(message.id, endpoint.id, endpoint.url, message.payload, message.eventAt));
        }
        return claimed;
    }

    /** One attempt: the target checked again (DNS may have changed), sent, recorded. */
    void deliver(Claimed message) {
        Outcome outcome;
        try {
            targets.check(message.url());
            outcome = send(message);
        } catch (WebhookTargets.Refused refused) {
            outcome = new Outcome(null, "refused: " + Messages.text(MailLanguage.EN.locale(), refused.reason), null,
                    0);
        }
        Outcome result = outcome;
        // counted once the attempt is recorded: a transaction that rolls back (the lease then runs out) counts nothing
        QuarkusTransaction.requiringNew().call(() -> record(message, result)).run();
    }

    private Outcome send(Claimed message) {
        // the secrets are read now: a rotation since the claim signs this attempt with both
        List<String> secrets = QuarkusTransaction.requiringNew().call(() -> {
            WebhookEndpoint endpoint = WebhookEndpoint.findById(message.endpointId());
            return endpoint == null ? List.<String>of() : endpoint.signingSecrets(clock.instant());
        });
        if (secrets.isEmpty()) {
            return new Outcome(null, "endpoint deleted", null, 0);
        }
        long timestamp = clock.instant().getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(URI.create(message.url())).timeout(settings.requestTimeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", USER_AGENT)
                .header("webhook-id", message.messageId())
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookSigner.signature(secrets, message.messageId(), timestamp,
                        message.payload()))
                .POST(HttpRequest.BodyPublishers.ofString(message.payload(), StandardCharsets.UTF_8)).build();
        long started = System.nanoTime();
        CompletableFuture<HttpResponse<byte[]>> call = http.sendAsync(request, info -> new Capped());
        try {
            // the whole exchange, body included, within the request timeout
            HttpResponse<byte[]> response = call.get(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
            long latency = millisSince(started);
            String body = logged(response.body());
            int status = response.statusCode();
            return new Outcome(status, status >= 200 && status < 300 ? null
                    : "HTTP " + status + (body == null || body.isBlank() ? "" : ": " + body), body, latency);
        } catch (TimeoutException e) {
            call.cancel(true);
            return new Outcome(null, "timeout after " + settings.requestTimeout().toMillis() + " ms", null,
                    millisSince(started));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return new Outcome(null, cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + cause.getMessage()), null, millisSince(started));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            call.cancel(true);
            return new Outcome(null, "interrupted", null, millisSince(started));
        }
    }

    /** Records the attempt; returns what to count once committed. */
    private Runnable record(Claimed claimed, Outcome outcome) {
        // the endpoint's row first, then the message's: the order a deletion (endpoint, then its messages) locks in
        WebhookEndpoint endpoint = WebhookEndpoint.findById(claimed.endpointId(), LockModeType.PESSIMISTIC_WRITE);
        WebhookMessage message = endpoint == null ? null
                : WebhookMessage.findById(claimed.messageId(), LockModeType.PESSIMISTIC_WRITE);
        if (message == null) {
            return () -> { }; // its endpoint was deleted meanwhile
        }
        Instant now = clock.instant();
        WebhookAttempt attempt = new WebhookAttempt();
        attempt.messageId = message.id;
        attempt.attemptedAt = now;
        attempt.statusCode = outcome.statusCode();
        attempt.error = truncate(outcome.error(), 2 * LOGGED_RESPONSE_BYTES);
        attempt.responseBody = outcome.body();
        attempt.latencyMs = outcome.latencyMs();
        attempt.persist();
        if (message.status != WebhookMessage.Status.PENDING) {
            // settled meanwhile (another replica's attempt after our lease ran out): logged, nothing else changes
            return () -> { };
        }
        message.lockedUntil = null;
        message.attemptCount++;
        if (outcome.delivered()) {
            message.status = WebhookMessage.Status.DELIVERED;
            message.deliveredAt = now;
            message.nextAttemptAt = null;
            endpoint.failingSince = null;
            Duration sinceEvent = Duration.between(message.eventAt, now);
            return () -> {
                count("delivered");
                lag.record(sinceEvent);
            };
        }
        String counted;
        if (message.attemptCount > settings.retrySchedule().size()) {
            message.status = WebhookMessage.Status.FAILED;
            message.nextAttemptAt = null;
            counted = "failed";
        } else {
            message.nextAttemptAt = now.plus(settings.retrySchedule().get(message.attemptCount - 1));
            counted = "retry";
        }
        failed(endpoint, now, outcome.error());
        return () -> count(counted);
    }

    /**
     * A failed attempt of the endpoint: starts its failure streak, or, when every delivery has failed for
     * {@code enrollment.webhooks.disable-after}, disables it and emails the organization's global admins once (the
     * endpoint's row is locked: only the transaction that disables it mails).
     */
    public void failed(WebhookEndpoint endpoint, Instant now, String lastError) {
        if (endpoint.failingSince == null) {
            endpoint.failingSince = now;
            return;
        }
        if (!endpoint.enabled || endpoint.failingSince.plus(settings.disableAfter()).isAfter(now)) {
            return;
        }
        long days = Duration.between(endpoint.failingSince, now).toDays();
        endpoint.enabled = false;
        endpoint.disabledAt = now;
        endpoint.disabledReason = Messages.text(MailLanguage.EN.locale(), EnrollmentMessages.WEBHOOK_DISABLED_FAILING,
                days, endpoint.failingSince.toString());
        audit.record(endpoint.organizationId, "WEBHOOK_ENDPOINT_DISABLED", "WEBHOOK_ENDPOINT", endpoint.id.toString(),
                AuditTrail.details("url", endpoint.url, "failingSince", endpoint.failingSince.toString()));
        PartnerOrganization organization = PartnerOrganization.findById(endpoint.organizationId);
        Instant since = endpoint.failingSince;
        mail.queue(Recipients.withRoles(endpoint.organizationId, List.of(Roles.GLOBAL_ADMIN)), "webhook-disabled",
                language -> new WebhookDisabledMail(organization == null ? null : organization.name, endpoint.url,
                        days, MailTemplates.date(since, language), lastError, portal.to("/")), null);
        LOG.warnf("Webhook endpoint %s of organization %s disabled: every delivery failed since %s", endpoint.id,
                endpoint.organizationId, since);
    }

    private void count(String outcome) {
        deliveries(outcome).increment();
    }

    private Counter deliveries(String outcome) {
        return Counter.builder("enrollment.webhooks.deliveries").tag("outcome", outcome)
                .description("Webhook delivery attempts by outcome: delivered, retry (failed, tried again later),"
                        + " failed (the last attempt failed)").register(registry);
    }

    private static long millisSince(long startedNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
    }

    /** The first KiB of an answer for the log (its text; bytes that are not UTF-8 replaced). */
    private static String logged(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        int length = Math.min(body.length, LOGGED_RESPONSE_BYTES);
        return new String(body, 0, length, StandardCharsets.UTF_8);
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    /**
     * Reads at most {@value #MAX_RESPONSE_BYTES} bytes of an answer, then stops reading: an endpoint cannot make us
     * hold a large body in memory.
     */
    static final class Capped implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer item : items) {
                int take = Math.min(item.remaining(), MAX_RESPONSE_BYTES - bytes.size());
                byte[] chunk = new byte[take];
                item.get(chunk);
                bytes.write(chunk, 0, take);
            }
            if (bytes.size() >= MAX_RESPONSE_BYTES) {
                subscription.cancel();
                result.complete(bytes.toByteArray());
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }
    }
}
