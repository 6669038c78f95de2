package com.acme.incentives.payout.metrics;

import com.acme.incentives.payout.domain.PaymentStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The payment figures an operator watches (docs/observability.md "Business"): payments per state, their amounts per
 * state and currency, the amount held per currency, and bank files per state. They are read from the database, not
 * counted in memory, so every replica reports the same, right value across restarts. Two {@code GROUP BY} queries
 * (payment, bank_file), run by a scheduled job ({@code payout.metrics.refresh-every}), fill a snapshot that the
 * gauges read: a scrape never touches the database.
 *
 * <p>Every state is always reported (0 when no payment is in it), and amounts for every state of every currency the
 * payments use, so a series falls to 0 instead of vanishing when its last payment moves on. {@code NEW} is not
 * reported: it exists only inside the run transaction that builds a payment.
 */
@Startup
@ApplicationScoped
public class PaymentMetrics {

    private static final Logger LOG = Logger.getLogger(PaymentMetrics.class);
    static final Set<PaymentStatus> REPORTED = EnumSet.complementOf(EnumSet.of(PaymentStatus.NEW));
    /** bank_file states: a file READY for long means the bank's channel is not taking it (see its last_error). */
    static final List<String> BANK_FILE_STATES = List.of("READY", "SUBMITTED", "ACKNOWLEDGED");

    @Inject
    Jdbi jdbi;

    @Inject
    MeterRegistry registry;

    private final AtomicReference<Snapshot> snapshot = new AtomicReference<>(Snapshot.EMPTY);
    private MultiGauge amounts;
    private MultiGauge held;
    private Set<String> registeredCurrencies = Set.of();

    /** One row of the payments' figures: a state and currency, how many payments and their sum. */
    private record Figure(PaymentStatus state, String currency, long count, BigDecimal sum) {
    }

    /** Per state: number of payments, and their amounts per currency; bank files per state. */
    record Snapshot(Map<PaymentStatus, Long> counts, Map<PaymentStatus, Map<String, BigDecimal>> amounts,
            Set<String> currencies, Map<String, Long> bankFiles) {
        static final Snapshot EMPTY = new Snapshot(Map.of(), Map.of(), Set.of(), Map.of());

        double count(PaymentStatus state) {
            return counts.getOrDefault(state, 0L);
        }

        double amount(PaymentStatus state, String currency) {
            return amounts.getOrDefault(state, Map.of()).getOrDefault(currency, BigDecimal.ZERO).doubleValue();
        }
    }

    @PostConstruct
    void register() {
        for (PaymentStatus state : REPORTED) {
            Gauge.builder("payout.payments", this, m -> m.snapshot.get().count(state)).tag("state", state.name())
                    .description("Payments in this state (from the database, refreshed periodically)")
                    .register(registry);
        }
        for (String state : BANK_FILE_STATES) {
            Gauge.builder("payout.bank.files", this, m -> m.snapshot.get().bankFiles().getOrDefault(state, 0L))
                    .tag("state", state)
                    .description("Bank files in this state (from the database, refreshed periodically)")
                    .register(registry);
        }
        // The currencies are known only from the data: multi-gauges, whose rows are re-registered on each refresh.
        amounts = MultiGauge.builder("payout.payments.amount")
                .description("Sum of the amounts of the payments in this state, in their currency").register(registry);
        held = MultiGauge.builder("payout.amount.held")
                .description("Sum of the amounts of the payments ON_HOLD, in their currency").register(registry);
    }

    @Scheduled(every = "${payout.metrics.refresh-every}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduledRefresh() {
        try {
            refresh();
        } catch (RuntimeException e) {
            // The gauges keep the last values read; the next refresh tries again.
            LOG.warnf("Could not refresh the payment metrics: %s", e.getMessage());
        }
    }

    /** Reads the figures from the database now (the schedule calls it; tests call it to avoid waiting). */
    public synchronized void refresh() {
        Map<PaymentStatus, Long> counts = new EnumMap<>(PaymentStatus.class);
        Map<PaymentStatus, Map<String, BigDecimal>> sums = new EnumMap<>(PaymentStatus.class);
        Set<String> currencies = new TreeSet<>();
        Map<String, Long> bankFiles = new TreeMap<>();
        try (Handle h = jdbi.open()) {
            h.createQuery("SELECT status, currency, count(*), sum(amount) FROM payment GROUP BY status, currency")
                    .map((rs, ctx) -> new Figure(PaymentStatus.valueOf(rs.getString(1)), rs.getString(2),
                            rs.getLong(3), rs.getBigDecimal(4)))
                    .forEach(figure -> {
                        if (!REPORTED.contains(figure.state())) {
                            return;
                        }
                        currencies.add(figure.currency());
                        counts.merge(figure.state(), figure.count(), Long::sum);
                        sums.computeIfAbsent(figure.state(), k -> new TreeMap<>()).put(figure.currency(),
                                figure.sum());
                    });
            h.createQuery("SELECT state, count(*) FROM bank_file GROUP BY state")
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
                    .forEach(file -> bankFiles.put(file.getKey(), file.getValue()));
        } catch (JdbiException e) {
            throw new IllegalStateException("Could not read the payment figures", e);
        }
        snapshot.set(new Snapshot(counts, sums, currencies, bankFiles));
        if (!registeredCurrencies.equals(currencies)) {
            registerRows(currencies);
            registeredCurrencies = currencies;
        }
    }

    /** Rows read the current snapshot, so they change only when a currency appears (payments are never deleted). */
    private void registerRows(Set<String> currencies) {
        List<MultiGauge.Row<?>> amountRows = new ArrayList<>();
        List<MultiGauge.Row<?>> heldRows = new ArrayList<>();
        for (String currency : currencies) {
            for (PaymentStatus state : REPORTED) {
                amountRows.add(MultiGauge.Row.of(Tags.of("state", state.name(), "currency", currency), this,
                        m -> m.snapshot.get().amount(state, currency)));
            }
            heldRows.add(MultiGauge.Row.of(Tags.of("currency", currency), this,
                    m -> m.snapshot.get().amount(PaymentStatus.ON_HOLD, currency)));
        }
        amounts.register(amountRows, true);
        held.register(heldRows, true);
    }
}
