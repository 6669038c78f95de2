package com.acme.incentives.payout.service;

import com.acme.incentives.payout.PayoutMessages;
import com.acme.incentives.payout.domain.Codes;
import com.acme.incentives.payout.domain.EarningType;
import com.acme.incentives.payout.domain.HoldReason;
import com.acme.incentives.platform.openapi.DecimalString;
import com.acme.incentives.platform.paging.Page;
import com.acme.incentives.platform.paging.PageRequest;
import com.acme.incentives.platform.problem.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/** Read side of payments: lists, one payment with its history, statements and the organization summary. */
@ApplicationScoped
public class PaymentQueries {

    @Inject
    Jdbi jdbi;

    @Inject
    PayoutRunSettings runSettings;

    @Schema(requiredProperties = { "id", "partnerId", "programId", "earningType", "period", "amount", "currency",
            "status", "holdReasons", "nextActions", "earningCount", "createdAt", "updatedAt" })
    public record PaymentView(UUID id, String partnerId, String programId,
            @Schema(implementation = EarningType.class) String earningType, String period,
            @Schema(implementation = DecimalString.class) String amount, String currency,
            @Schema(implementation = DecimalString.class) String payoutAmount, String payoutCurrency,
            @Schema(type = SchemaType.STRING, enumeration = { "UPCOMING", "IN_PROGRESS", "SENT", "PAID", "ON_HOLD",
                    "FAILED", "REJECTED", "RETURNED", "FORFEITED" }) String status,
            @Schema(type = SchemaType.ARRAY, implementation = HoldReason.class) List<String> holdReasons,
            List<String> nextActions, Instant heldSince, int earningCount,
            String bankReference, UUID payoutRunId, UUID releasedByRun, Instant createdAt, Instant updatedAt,
            @Schema(description = "While ON_HOLD: when a run forfeits it if it is still on hold (heldSince +"
                    + " payout.run.forfeit-after-days); null otherwise") Instant forfeitsAt,
            @Schema(description = "The operator's hold, while there is one; null otherwise")
            OperatorHold operatorHold) {
    }

    /**
     * An operator's hold of a payment (reason OPERATOR_HOLD): who held it, when and why, and, above the four-eyes
     * threshold, the release one operator asked for and another must approve.
     */
    @Schema(requiredProperties = { "heldBy", "heldAt", "reason" })
    public record OperatorHold(@Schema(description = "The operator's user id") String heldBy, Instant heldAt,
            String reason,
            @Schema(description = "The operator who asked for the release, waiting for another's approval")
            String releaseRequestedBy, Instant releaseRequestedAt, String releaseRequestReason) {
    }

    /** Named apart from eligibility-service's history entry (another shape) in the one contract. */
    @Schema(name = "PaymentHistoryEntry", requiredProperties = { "toStatus", "amount", "holdReasons", "changedAt" })
    public record HistoryEntry(
            @Schema(description = "null for the payment's first state") String fromStatus,
            @Schema(type = SchemaType.STRING, enumeration = { "UPCOMING", "IN_PROGRESS", "SENT", "PAID", "ON_HOLD",
                    "FAILED", "REJECTED", "RETURNED", "FORFEITED" }) String toStatus,
            @Schema(implementation = DecimalString.class) String amount,
            @Schema(type = SchemaType.ARRAY, implementation = HoldReason.class) List<String> holdReasons,
            UUID payoutRunId, String note, Instant changedAt,
            @Schema(description = "The operator who made the change by hand; null for a run's or the bank's")
            String changedBy,
            @Schema(description = "What the operator did; null for a run's or the bank's change",
                    enumeration = { "HOLD", "RELEASE_REQUESTED", "RELEASE_APPROVED", "RELEASED", "RELEASE_REFUSED" })
            String action,
            @Schema(description = "Why, in the operator's words") String reason) {
    }

    @Schema(requiredProperties = { "payment", "history" })
    public record PaymentDetail(PaymentView payment, List<HistoryEntry> history) {
    }

    /**
     * What a list of payments holds; null: any. {@code payoutRunId}: the payments that run issued (held or not) and
     * the held ones it released. {@code holdReason}: held (among others) for it; {@code minAmount}, {@code maxAmount}:
     * in the payment's currency; {@code heldBefore}: held since before it.
     */
    public record Filter(UUID organizationId, Set<String> limitedTo, String partnerId, YearMonth period,
            String programId, String status, UUID paymentId, UUID payoutRunId, String holdReason, String currency,
            BigDecimal minAmount, BigDecimal maxAmount, Instant heldBefore) {

        public Filter(UUID organizationId, Set<String> limitedTo, String partnerId, YearMonth period, String programId,
                String status, UUID paymentId, UUID payoutRunId) {
            this(organizationId, limitedTo, partnerId, period, programId, status, paymentId, payoutRunId, null, null,
                    null, null, null);
        }
    }

    private static final String COLUMNS = """
            p.id, p.partner_id, p.program_id, p.earning_type, p.period, p.amount, p.currency, p.payout_amount,
            p.payout_currency, p.status, p.hold_reasons, p.held_since, p.earning_count, p.bank_reference,
            p.payout_run_id, p.released_by_run, p.created_at, p.updated_at, p.operator_hold_by, p.operator_hold_at,
            p.operator_hold_reason, p.release_requested_by, p.release_requested_at, p.release_request_reason""";

    /** The columns of the fields the payments list can be sorted by (PaymentResource's @Sortable). */
    private static final Map<String, String> SORT_COLUMNS = Map.of("createdAt", "p.created_at", "updatedAt",
            "p.updated_at", "period", "p.period", "amount", "p.amount", "status", "p.status", "partnerId",
            "p.partner_id", "programId", "p.program_id");

    /**
     * The held-payments queue's sort fields (PaymentResource's @Sortable); the forfeit date follows the hold's start,
     * so both sort by it.
     */
    private static final Map<String, String> HELD_SORT_COLUMNS = Map.of("forfeitsAt", "p.held_since", "heldSince",
            "p.held_since", "amount", "p.amount", "currency", "p.currency", "partnerId", "p.partner_id", "period",
            "p.period", "createdAt", "p.created_at");

    public Page<PaymentView> page(Filter f, PageRequest page) {
        return page(f, page, SORT_COLUMNS, "p.created_at, p.id");
    }

    /** Held payments (the filter's status ON_HOLD), the soonest forfeit first unless sorted otherwise. */
    public Page<PaymentView> heldPage(Filter f, PageRequest page) {
        return page(f, page, HELD_SORT_COLUMNS, "p.held_since, p.id");
    }

    private Page<PaymentView> page(Filter f, PageRequest page, Map<String, String> sortColumns, String listOrder) {
        Map<String, Object> params = new LinkedHashMap<>();
        String where = where(f, params);
        try (Handle h = jdbi.open()) {
            long total = h.createQuery("SELECT count(*) FROM payment p" + where)
                    .bindMap(params)
                    .map((rs, ctx) -> rs.getLong(1))
                    .one();
            List<PaymentView> items = h.createQuery("SELECT " + COLUMNS + " FROM payment p" + where
                    + " ORDER BY " + page.orderBy(sortColumns, listOrder) + " LIMIT :limit OFFSET :offset")
                    .bindMap(params)
                    .bind("limit", page.size)
                    .bind("offset", (long) page.page * page.size)
                    .map((rs, ctx) -> view(rs))
                    .list();
            return Page.of(items, page, total);
        } catch (JdbiException e) {
            throw new IllegalStateException(e);
        }
    }

    public PaymentDetail detail(UUID organizationId, Set<String> limitedTo, UUID paymentId) {
        List<PaymentView> found = list(new Filter(organizationId, limitedTo, null, null, null, null, paymentId,
                null));
        if (found.isEmpty()) {
            throw ApiException.notFound(PayoutMessages.PAYMENT_NOT_FOUND, paymentId);
        }
        List<HistoryEntry> history;
        String currency = found.get(0).currency();
        try (Handle h = jdbi.open()) {
            history = h.createQuery("""
                    SELECT from_status, to_status, amount, hold_reasons, payout_run_id, note, changed_at,
                           changed_by, action, reason
                    FROM payment_history WHERE payment_id = :paymentId ORDER BY id""")
                    .bind("paymentId", paymentId)
                    .map((rs, ctx) -> new HistoryEntry(rs.getString(1), rs.getString(2),
                            Codes.money(rs.getBigDecimal(3), currency).toPlainString(),
                            Arrays.asList((String[]) rs.getArray(4).getArray()), rs.getObject(5, UUID.class),
                            rs.getString(6), rs.getTimestamp(7).toInstant(), rs.getString(8), rs.getString(9),
                            rs.getString(10)))
                    .list();
        } catch (JdbiException e) {
            throw new IllegalStateException(e);
        }
        return new PaymentDetail(found.get(0), history);
    }

    public List<PaymentView> list(Filter f) {
        Map<String, Object> params = new LinkedHashMap<>();
        String where = where(f, params);
        try (Handle h = jdbi.open()) {
            return h.createQuery("SELECT " + COLUMNS + " FROM payment p" + where
                    + " ORDER BY p.partner_id, p.program_id, p.earning_type, p.currency, p.created_at")
                    .bindMap(params)
                    .map((rs, ctx) -> view(rs))
                    .list();
        } catch (JdbiException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Per currency, for the caller's locations: paid to date, unpaid earnings, upcoming payment and on hold. */
    @Schema(requiredProperties = { "paidToDate", "unpaidEarnings", "upcomingPayment", "onHold" },
            description = "Each: currency code to a decimal string")
    public record Totals(@Schema(additionalProperties = DecimalString.class) Map<String, String> paidToDate,
            @Schema(additionalProperties = DecimalString.class) Map<String, String> unpaidEarnings,
            @Schema(additionalProperties = DecimalString.class) Map<String, String> upcomingPayment,
            @Schema(additionalProperties = DecimalString.class) Map<String, String> onHold) {
    }

    /**
     * Totals as of the end of {@code upTo} (null: now). "Paid to date" are payments the bank accepted (SENT) or
     * settled (PAID); "unpaid earnings" are earnings not in a payment on its way (claimed by none, or by a held
     * payment; a REJECTED or RETURNED payment gave its earnings back); "upcoming" are payments issued and not yet
     * sent.
     */
    public Totals totals(UUID organizationId, Set<String> limitedTo, String partnerId, YearMonth upTo) {
        String scope = " AND organization_id = :organizationId"
                + " AND (:limitedTo::text[] IS NULL OR partner_id = ANY(:limitedTo))"
                + " AND (:partnerId::text IS NULL OR partner_id = :partnerId)";
        Map<String, Map<String, BigDecimal>> sums = new LinkedHashMap<>();
        String sql = """
                SELECT 'paid', currency, sum(amount) FROM payment WHERE status IN ('SENT', 'PAID')
                AND period <= :period"""
                + scope + """
                 GROUP BY currency
                UNION ALL
                SELECT 'upcoming', currency, sum(amount) FROM payment
                WHERE status IN ('UPCOMING', 'IN_PROGRESS')""" + scope + """
                 GROUP BY currency
                UNION ALL
                SELECT 'held', currency, sum(amount) FROM payment WHERE status = 'ON_HOLD'""" + scope + """
                 GROUP BY currency
                UNION ALL
                SELECT 'unpaid', e.currency, sum(e.amount) FROM earning e JOIN earning_lot el ON el.id = e.lot_id
                LEFT JOIN payment p ON p.id = el.payment_id
                WHERE (el.payment_id IS NULL OR p.status = 'ON_HOLD') AND e.transaction_date <= :periodEnd
                  AND e.organization_id = :organizationId
                  AND (:limitedTo::text[] IS NULL OR e.partner_id = ANY(:limitedTo))
                  AND (:partnerId::text IS NULL OR e.partner_id = :partnerId)
                GROUP BY e.currency""";
        String period = (upTo == null ? YearMonth.of(9999, 12) : upTo).toString();
        try (Handle h = jdbi.open()) {
            h.createQuery(sql)
                    .bind("period", period)
                    .bind("periodEnd", (upTo == null ? YearMonth.of(9999, 12) : upTo).atEndOfMonth())
                    .bind("organizationId", organizationId)
                    .bindByType("limitedTo", limitedTo.isEmpty() ? null : limitedTo.toArray(String[]::new),
                            String[].class)
                    .bind("partnerId", partnerId)
                    .map((rs, ctx) -> new Sum(rs.getString(1), rs.getString(2), rs.getBigDecimal(3)))
                    .forEach(sum -> sums.computeIfAbsent(sum.kind(), k -> new TreeMap<>())
                            .put(sum.currency(), sum.amount()));
        } catch (JdbiException e) {
            throw new IllegalStateException(e);
        }
        return new Totals(text(sums.get("paid")), text(sums.get("unpaid")), text(sums.get("upcoming")),
                text(sums.get("held")));
    }

    /** One row of {@link #totals}' query: which total, its currency and sum. */
    private record Sum(String kind, String currency, BigDecimal amount) {
    }

    private static Map<String, String> text(Map<String, BigDecimal> sums) {
        Map<String, String> result = new TreeMap<>();
        if (sums != null) {
            sums.forEach((currency, sum) -> result.put(currency, Codes.money(sum, currency).toPlainString()));
        }
        return result;
    }

    /** The filter's WHERE clause, its named parameters put in {@code params}. */
    private static String where(Filter f, Map<String, Object> params) {
        StringBuilder w = new StringBuilder(" WHERE p.status <> 'NEW'");
        if (f.organizationId() != null) {
            w.append(" AND p.organization_id = :organizationId");
            params.put("organizationId", f.organizationId());
        }
        if (!f.limitedTo().isEmpty()) {
            w.append(" AND p.partner_id = ANY(:limitedTo)");
            params.put("limitedTo", f.limitedTo().toArray(String[]::new));
        }
        if (f.partnerId() != null) {
            w.append(" AND p.partner_id = :partnerId");
            params.put("partnerId", f.partnerId());
        }
        if (f.period() != null) {
            w.append(" AND p.period = :period");
            params.put("period", f.period());
        }
        if (f.programId() != null) {
            w.append(" AND p.program_id = :programId");
            params.put("programId", f.programId());
        }
        if (f.status() != null) {
            w.append(" AND p.status = :status");
            params.put("status", f.status());
        }
        if (f.paymentId() != null) {
            w.append(" AND p.id = :paymentId");
            params.put("paymentId", f.paymentId());
        }
        if (f.payoutRunId() != null) {
            w.append(" AND (p.payout_run_id = :payoutRunId OR p.released_by_run = :payoutRunId)");
            params.put("payoutRunId", f.payoutRunId());
        }
        if (f.holdReason() != null) {
            w.append(" AND :holdReason = ANY(p.hold_reasons)");
            params.put("holdReason", f.holdReason());
        }
        if (f.currency() != null) {
            w.append(" AND p.currency = :currency");
            params.put("currency", f.currency());
        }
        if (f.minAmount() != null) {
            w.append(" AND p.amount >= :minAmount");
            params.put("minAmount", f.minAmount());
        }
        if (f.maxAmount() != null) {
            w.append(" AND p.amount <= :maxAmount");
            params.put("maxAmount", f.maxAmount());
        }
        if (f.heldBefore() != null) {
            w.append(" AND p.held_since < :heldBefore");
            params.put("heldBefore", f.heldBefore());
        }
        return w.toString();
    }

    PaymentView view(ResultSet rs) throws SQLException {
        String currency = rs.getString(7);
        String payoutCurrency = rs.getString(9);
        BigDecimal payout = rs.getBigDecimal(8);
        List<String> reasons = Arrays.asList((String[]) rs.getArray(11).getArray());
        Timestamp held = rs.getTimestamp(12);
        boolean onHold = "ON_HOLD".equals(rs.getString(10));
        String heldBy = rs.getString(19);
        Timestamp releaseRequested = rs.getTimestamp(23);
        OperatorHold operatorHold = heldBy == null ? null : new OperatorHold(heldBy, rs.getTimestamp(20).toInstant(),
                rs.getString(21), rs.getString(22), releaseRequested == null ? null : releaseRequested.toInstant(),
                rs.getString(24));
        return new PaymentView(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), Codes.money(rs.getBigDecimal(6), currency).toPlainString(), currency,
                payout == null ? null : Codes.money(payout, payoutCurrency).toPlainString(), payoutCurrency,
                rs.getString(10), reasons,
                // What to do applies while a payment is held; a forfeited one keeps its last reasons but has none.
                onHold
                        ? reasons.stream().map(r -> HoldReason.valueOf(r).nextAction()).toList() : List.of(),
                held == null ? null : held.toInstant(), rs.getInt(13), rs.getString(14),
                rs.getObject(15, UUID.class), rs.getObject(16, UUID.class), rs.getTimestamp(17).toInstant(),
                rs.getTimestamp(18).toInstant(),
                onHold && held != null ? held.toInstant().plus(Duration.ofDays(runSettings.forfeitAfterDays())) : null,
                operatorHold);
    }
}
