package com.acme.incentives.payout.service;

import com.acme.incentives.platform.i18n.PlatformMessages;
import com.acme.incentives.payout.PayoutMessages;
import com.acme.incentives.payout.domain.Codes;
import com.acme.incentives.payout.domain.EarningType;
import com.acme.incentives.payout.service.EarningDtos.BatchResult;
import com.acme.incentives.payout.service.EarningDtos.EarningLine;
import com.acme.incentives.payout.service.EarningDtos.EarningView;
import com.acme.incentives.platform.problem.ApiException;
import com.acme.incentives.platform.problem.FieldViolation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.Query;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Earnings: batch ingest from the billing system (all lines valid or nothing written; idempotent by earning ID) and
 * the organization's filtered reads. SQL with array parameters (Jdbi): a 10,000-line batch is one INSERT.
 */
@ApplicationScoped
public class EarningService {

    private static final Pattern EARNING_ID = Pattern.compile("[A-Za-z0-9._:/-]{1,100}");
    private static final Pattern PROGRAM_ID = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");
    private static final Pattern REASON_CODE = Pattern.compile("[A-Z][A-Z0-9_]{1,39}");
    // Compiled once: ingest checks every line of a 10,000-line batch (String.matches compiles its pattern each call).
    private static final Pattern PARTNER_ID = Pattern.compile("[0-9]{1,12}");
    private static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000000"); // fits numeric(19,4) with room
    private static final int MAX_REPORTED = 100;

    @Inject
    Jdbi jdbi;

    @Inject
    Clock clock;

    public record Filter(UUID organizationId, Set<String> limitedTo, String partnerId, YearMonth period, String programId,
            String type, String status, UUID paymentId) {
    }

    @Transactional
    public BatchResult ingest(List<EarningLine> lines) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<FieldViolation> errors = new ArrayList<>();
        Map<String, String> hashes = new HashMap<>();
        Map<String, Integer> firstIndex = new HashMap<>();
        for (int i = 0; i < lines.size() && errors.size() < MAX_REPORTED; i++) {
            EarningLine line = lines.get(i);
            if (line == null) {
                errors.add(FieldViolation.of("lines[" + i + "]", PayoutMessages.LINE_NULL));
                continue;
            }
            validate(line, "lines[" + i + "].", errors);
            if (line.earningId() != null) {
                String hash = hash(line);
                String earlier = hashes.putIfAbsent(line.earningId(), hash);
                if (earlier != null && !earlier.equals(hash)) {
                    errors.add(FieldViolation.of("lines[" + i + "].earningId", PayoutMessages.EARNING_REPEATED,
                            firstIndex.get(line.earningId())));
                }
                firstIndex.putIfAbsent(line.earningId(), i);
            }
        }
        try (Handle h = jdbi.open()) {
            if (errors.isEmpty()) {
                checkLocations(h, lines, errors);
            }
            if (!errors.isEmpty()) {
                throw ApiException.invalid(errors);
            }
            // Lines repeated inside the batch with identical content count once.
            List<EarningLine> unique = new ArrayList<>(hashes.size());
            Set<String> seen = new HashSet<>();
            for (EarningLine line : lines) {
                if (seen.add(line.earningId())) {
                    unique.add(line);
                }
            }
            Set<String> created = insert(h, unique, hashes, now);
            List<String> existing = unique.stream().map(EarningLine::earningId).filter(id -> !created.contains(id))
                    .toList();
            if (!existing.isEmpty()) {
                requireSameContent(h, existing, hashes);
            }
            return new BatchResult(lines.size(), created.size(), unique.size() - created.size(), now);
        } catch (JdbiException e) {
            throw new IllegalStateException("Could not store earnings", e);
        }
    }

    private static void validate(EarningLine line, String at, List<FieldViolation> errors) {
        if (line.earningId() == null || !EARNING_ID.matcher(line.earningId()).matches()) {
            errors.add(FieldViolation.of(at + "earningId", PayoutMessages.EARNING_ID_FORMAT));
        }
        if (line.partnerId() == null || !PARTNER_ID.matcher(line.partnerId()).matches()) {
            errors.add(FieldViolation.of(at + "partnerId", PlatformMessages.PARTNER_ID_FORMAT));
        }
        if (line.programId() == null || !PROGRAM_ID.matcher(line.programId()).matches()) {
            errors.add(FieldViolation.of(at + "programId", PlatformMessages.PROGRAM_ID_FORMAT));
        }
        EarningType type = null;
        try {
            type = line.type() == null ? null : EarningType.valueOf(line.type());
        } catch (IllegalArgumentException e) {
            // reported below
        }
        if (type == null) {
            errors.add(FieldViolation.of(at + "type", PayoutMessages.EARNING_TYPE));
        }
        if (line.transactionId() == null || line.transactionId().isBlank() || line.transactionId().length() > 100) {
            errors.add(FieldViolation.of(at + "transactionId", PayoutMessages.TRANSACTION_ID_FORMAT));
        }
        if (line.transactionDate() == null) {
            errors.add(FieldViolation.of(at + "transactionDate", PlatformMessages.DATE_FORMAT));
        }
        money(line.transactionAmount(), line.transactionCurrency(), at + "transactionAmount",
                at + "transactionCurrency", errors);
        if (line.rate() == null || line.rate().signum() < 0 || line.rate().stripTrailingZeros().scale() > 8
                || line.rate().compareTo(MAX_AMOUNT) >= 0) {
            errors.add(FieldViolation.of(at + "rate", PayoutMessages.RATE_FORMAT));
        }
        boolean amountOk = money(line.earningAmount(), line.earningCurrency(), at + "earningAmount",
                at + "earningCurrency", errors);
        if (amountOk && line.earningAmount().signum() < 0 && type != EarningType.ADJUSTMENT) {
            errors.add(FieldViolation.of(at + "earningAmount", PayoutMessages.EARNING_NEGATIVE));
        }
        if (type == EarningType.ADJUSTMENT) {
            if (line.reasonCode() == null || !REASON_CODE.matcher(line.reasonCode()).matches()) {
                errors.add(FieldViolation.of(at + "reasonCode", PayoutMessages.REASON_CODE_REQUIRED));
            }
        } else if (line.reasonCode() != null && !REASON_CODE.matcher(line.reasonCode()).matches()) {
            errors.add(FieldViolation.of(at + "reasonCode", PayoutMessages.REASON_CODE_FORMAT));
        }
        checkLength(line.lever(), at + "lever", errors);
        checkLength(line.customer(), at + "customer", errors);
        checkLength(line.product(), at + "product", errors);
    }

    private static boolean money(BigDecimal amount, String currency, String amountField, String currencyField,
            List<FieldViolation> errors) {
        if (!Codes.isCurrency(currency)) {
            errors.add(FieldViolation.of(currencyField, PlatformMessages.CURRENCY_CODE));
            return false;
        }
        if (amount == null) {
            errors.add(FieldViolation.of(amountField, PlatformMessages.REQUIRED));
            return false;
        }
        if (!Codes.fitsScale(amount, currency)) {
            errors.add(FieldViolation.of(amountField, PayoutMessages.AMOUNT_SCALE, currency, Codes.scale(currency)));
            return false;
        }
        if (amount.abs().compareTo(MAX_AMOUNT) >= 0) {
            errors.add(FieldViolation.of(amountField, PayoutMessages.AMOUNT_TOO_LARGE));
            return false;
        }
        return true;
    }

    private static void checkLength(String value, String field, List<FieldViolation> errors) {
        if (value != null && value.length() > 200) {
            errors.add(FieldViolation.of(field, PayoutMessages.TEXT_TOO_LONG));
        }
    }

    private static void checkLocations(Handle h, List<EarningLine> lines, List<FieldViolation> errors) {
        Set<String> wanted = new HashSet<>();
        lines.forEach(l -> wanted.add(l.partnerId()));
        Set<String> known = new HashSet<>(h.createQuery(
                "SELECT partner_id FROM partner_location WHERE partner_id = ANY(:partnerIds)")
                .bindArray("partnerIds", String.class, wanted)
                .map((rs, ctx) -> rs.getString(1))
                .list());
        for (int i = 0; i < lines.size() && errors.size() < MAX_REPORTED; i++) {
            if (!known.contains(lines.get(i).partnerId())) {
                errors.add(FieldViolation.of("lines[" + i + "].partnerId", PlatformMessages.UNKNOWN_LOCATION));
            }
        }
    }

    /** The named array parameters of {@link #insert}, in the order of its columns. */
    private static final String[] INSERT_COLUMNS = { "ids", "partners", "programs", "types", "levers", "txids",
        "txdates", "txamounts", "txcurs", "rates", "amounts", "curs", "customers", "products", "reasons", "hashes" };

    private static Set<String> insert(Handle h, List<EarningLine> lines, Map<String, String> hashes, Instant now) {
        int n = lines.size();
        String[][] cols = new String[16][n];
        for (int i = 0; i < n; i++) {
            EarningLine l = lines.get(i);
            cols[0][i] = l.earningId();
            cols[1][i] = l.partnerId();
            cols[2][i] = l.programId();
            cols[3][i] = l.type();
            cols[4][i] = l.lever();
            cols[5][i] = l.transactionId();
            cols[6][i] = l.transactionDate().toString();
            cols[7][i] = l.transactionAmount().toPlainString();
            cols[8][i] = l.transactionCurrency();
            cols[9][i] = l.rate().toPlainString();
            cols[10][i] = l.earningAmount().toPlainString();
            cols[11][i] = l.earningCurrency();
            cols[12][i] = l.customer();
            cols[13][i] = l.product();
            cols[14][i] = l.reasonCode();
            cols[15][i] = hashes.get(l.earningId());
        }
        // 1. The batch's open lots (V14: one per group and month, accepting earnings until a run claims it),
        // share-locked (FOR KEY SHARE: the weakest lock, and the one the earnings' foreign key takes anyway) in the
        // order of their key until this transaction ends, and made where missing. A run locks a chunk's unclaimed lots
        // for update in the same order before claiming them (PayoutRunWorker.lockUnclaimedLots), so a lot is never
        // claimed with this batch half added. Concurrent batches share the locks. Usually every lot exists and one
        // statement does it; a lot missing is made, and locked in a second round. Only that second round can lock out
        // of order (after the first round's locks): if a run has locked, meanwhile, a lot another batch just made,
        // PostgreSQL may find a deadlock and abort one side, this batch (500, nothing stored; the feed sends it again)
        // or the run's chunk (rolled back whole; the run resumes).
        String groups = """
                SELECT DISTINCT l.organization_id, u.partner, u.program, u.type, u.cur,
                       date_trunc('month', u.txdate::timestamp)::date AS month
                FROM unnest(:partners::text[], :programs::text[], :types::text[], :curs::text[], :txdates::text[])
                     AS u(partner, program, type, cur, txdate)
                JOIN partner_location l ON l.partner_id = u.partner""";
        String[] lotKeys = new String[n];
        for (int i = 0; i < n; i++) {
            EarningLine l = lines.get(i);
            lotKeys[i] = lotKey(l.partnerId(), l.programId(), l.type(), l.earningCurrency(),
                    l.transactionDate().withDayOfMonth(1).toString());
        }
        long wanted = Arrays.stream(lotKeys).distinct().count();
        Map<String, String> lotOf = new HashMap<>();
        List<UUID> made = new ArrayList<>();
        for (int round = 1;; round++) {
            bindGroups(h.createQuery("""
                    WITH g AS (%s)
                    SELECT t.id, t.partner_id, t.program_id, t.earning_type, t.currency, t.month
                    FROM earning_lot t JOIN g ON t.organization_id = g.organization_id AND t.partner_id = g.partner
                        AND t.program_id = g.program AND t.earning_type = g.type AND t.currency = g.cur
                        AND t.month = g.month
                    WHERE t.payment_id IS NULL AND t.accepting
                    ORDER BY t.organization_id, t.partner_id, t.program_id, t.earning_type, t.currency, t.month
                    FOR KEY SHARE OF t""".formatted(groups)), cols)
                    .map((rs, ctx) -> Map.entry(lotKey(rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getObject(6, java.time.LocalDate.class).toString()), rs.getString(1)))
                    .forEach(lot -> lotOf.put(lot.getKey(), lot.getValue()));
            if (lotOf.size() == wanted) {
                break;
            }
            if (round == 5) {
                throw new IllegalStateException("Earning lots kept being claimed while a batch was stored");
            }
            made.addAll(bindGroups(h.createQuery("""
                    INSERT INTO earning_lot (id, organization_id, partner_id, program_id, earning_type, currency, month)
                    SELECT gen_random_uuid(), g.* FROM (%s) g
                    ORDER BY g.organization_id, g.partner, g.program, g.type, g.cur, g.month
                    ON CONFLICT (organization_id, partner_id, program_id, earning_type, currency, month)
                        WHERE payment_id IS NULL AND accepting
                    DO NOTHING
                    RETURNING id""".formatted(groups)), cols)
                    .mapTo(UUID.class)
                    .list());
        }
        String[] lots = new String[n];
        for (int i = 0; i < n; i++) {
            lots[i] = lotOf.get(lotKeys[i]);
        }
        // 2. The lines, each in its group's open lot (locked above).
        Query insert = h.createQuery("""
                INSERT INTO earning (earning_id, organization_id, partner_id, program_id, earning_type, lever,
                    transaction_id, transaction_date, transaction_amount, transaction_currency, rate, amount,
                    currency, customer, product, reason_code, content_hash, received_at, lot_id)
                SELECT u.id, l.organization_id, u.partner, u.program, u.type, u.lever, u.txid, u.txdate::date,
                    u.txamount::numeric, u.txcur, u.rate::numeric, u.amount::numeric, u.cur, u.customer,
                    u.product, u.reason, u.hash, :receivedAt, u.lot::uuid
                FROM unnest(:ids::text[], :partners::text[], :programs::text[], :types::text[], :levers::text[],
                            :txids::text[], :txdates::text[], :txamounts::text[], :txcurs::text[], :rates::text[],
                            :amounts::text[], :curs::text[], :customers::text[], :products::text[],
                            :reasons::text[], :hashes::text[], :lots::text[])
                     AS u(id, partner, program, type, lever, txid, txdate, txamount, txcur, rate, amount, cur,
                          customer, product, reason, hash, lot)
                JOIN partner_location l ON l.partner_id = u.partner
                ON CONFLICT (earning_id) DO NOTHING
                RETURNING earning_id""")
                .bindArray("lots", String.class, (Object[]) lots)
                .bind("receivedAt", now);
        for (int col = 0; col < INSERT_COLUMNS.length; col++) {
            insert.bindArray(INSERT_COLUMNS[col], String.class, (Object[]) cols[col]);
        }
        Set<String> created = new HashSet<>(insert.map((rs, ctx) -> rs.getString(1)).list());
        if (created.size() < n && !made.isEmpty()) {
            // 3. A lot made above for lines that were all resent ones holds nothing: it must not make a payment.
            h.createUpdate("""
                    DELETE FROM earning_lot t WHERE t.id = ANY(:made)
                      AND NOT EXISTS (SELECT 1 FROM earning e WHERE e.lot_id = t.id)""")
                    .bindArray("made", UUID.class, made)
                    .execute();
        }
        return created;
    }

    /** A resent earning ID is a no-op only when its content is the same; otherwise the whole batch is refused. */
    private static void requireSameContent(Handle h, List<String> ids, Map<String, String> hashes) {
        List<String[]> stored = h.createQuery(
                "SELECT earning_id, content_hash FROM earning WHERE earning_id = ANY(:ids) ORDER BY earning_id")
                .bindArray("ids", String.class, ids)
                .map((rs, ctx) -> new String[] { rs.getString(1), rs.getString(2) })
                .list();
        for (String[] row : stored) {
            if (!row[1].equals(hashes.get(row[0]))) {
                throw ApiException.conflict(PayoutMessages.EARNING_CHANGED, row[0]).with("earningId", row[0]);
            }
        }
    }

    static String hash(EarningLine l) {
        String canonical = String.join("\u001f", l.earningId(), l.partnerId(), l.programId(), l.type(),
                String.valueOf(l.lever()), l.transactionId(), String.valueOf(l.transactionDate()),
                plain(l.transactionAmount()), l.transactionCurrency(), plain(l.rate()), plain(l.earningAmount()),
                l.earningCurrency(), String.valueOf(l.customer()), String.valueOf(l.product()),
                String.valueOf(l.reasonCode()));
        byte[] digest = SHA_256.get().digest(canonical.getBytes(StandardCharsets.UTF_8));
        return java.util.HexFormat.of().formatHex(digest);
    }

    /** One digest per worker thread, reused line after line (digest() resets it), instead of one looked up per line. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    /** Binds the arrays the batch's lot groups are made of (the {@code groups} subquery of {@link #insert}). */
    private static Query bindGroups(Query query, String[][] cols) {
        return query.bindArray("partners", String.class, (Object[]) cols[1])
                .bindArray("programs", String.class, (Object[]) cols[2])
                .bindArray("types", String.class, (Object[]) cols[3])
                .bindArray("curs", String.class, (Object[]) cols[11])
                .bindArray("txdates", String.class, (Object[]) cols[6]);
    }

    /** A lot's key within one batch: the location fixes the organization. */
    private static String lotKey(String partnerId, String programId, String type, String currency, String month) {
        return String.join("\u001f", partnerId, programId, type, currency, month);
    }

    /** "10.5" and "10.50" are the same amount, so a resend that formats it differently is still the same earning. */
    private static String plain(BigDecimal value) {
        return value == null ? "null" : value.stripTrailingZeros().toPlainString();
    }

    // ---------------------------------------------------------------- reads

    private static final String SELECT = """
            SELECT e.earning_id, e.partner_id, e.program_id, e.earning_type, e.lever, e.transaction_id,
                   e.transaction_date, e.transaction_amount, e.transaction_currency, e.rate, e.amount, e.currency,
                   e.customer, e.product, e.reason_code, COALESCE(p.status, 'UNPAID'), el.payment_id, e.received_at
            FROM earning e JOIN earning_lot el ON el.id = e.lot_id LEFT JOIN payment p ON p.id = el.payment_id
            """;

    /** The columns of the fields the earnings list can be sorted by (EarningResource's @Sortable). */
    private static final Map<String, String> SORT_COLUMNS = Map.of("transactionDate", "e.transaction_date",
            "receivedAt", "e.received_at", "earningAmount", "e.amount", "partnerId", "e.partner_id", "programId",
            "e.program_id", "type", "e.earning_type");

    @Transactional(Transactional.TxType.SUPPORTS)
    public com.acme.incentives.platform.paging.Page<EarningView> page(Filter filter,
            com.acme.incentives.platform.paging.PageRequest page) {
        Map<String, Object> params = new LinkedHashMap<>();
        String where = where(filter, params);
        try (Handle h = jdbi.open()) {
            long total = h.createQuery(
                    "SELECT count(*) FROM earning e JOIN earning_lot el ON el.id = e.lot_id"
                    + " LEFT JOIN payment p ON p.id = el.payment_id" + where)
                    .bindMap(params)
                    .map((rs, ctx) -> rs.getLong(1))
                    .one();
            List<EarningView> items = h.createQuery(SELECT + where
                    + " ORDER BY " + page.orderBy(SORT_COLUMNS, "e.transaction_date, e.earning_id")
                    + " LIMIT :limit OFFSET :offset")
                    .bindMap(params)
                    .bind("limit", page.size)
                    .bind("offset", (long) page.page * page.size)
                    .map((rs, ctx) -> view(rs))
                    .list();
            return com.acme.incentives.platform.paging.Page.of(items, page, total);
        } catch (JdbiException e) {
            throw new IllegalStateException("Could not read earnings", e);
        }
    }

    /** Every matching earning, streamed with a cursor so an export of a large organization stays in small memory. */
    public void forEach(Filter filter, Consumer<EarningView> sink) {
        Map<String, Object> params = new LinkedHashMap<>();
        String where = where(filter, params);
        try (Handle h = jdbi.open()) {
            Connection c = h.getConnection();
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false); // the PostgreSQL driver only streams with a fetch size outside auto-commit
            try {
                h.createQuery(SELECT + where + " ORDER BY e.partner_id, e.transaction_date, e.earning_id")
                        .setFetchSize(1000)
                        .bindMap(params)
                        .map((rs, ctx) -> view(rs))
                        .forEach(sink);
            } finally {
                c.rollback();
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException | JdbiException e) {
            throw new IllegalStateException("Could not read earnings", e);
        }
    }

    /** The filter's WHERE clause, its named parameters put in {@code params}. */
    private static String where(Filter f, Map<String, Object> params) {
        StringBuilder w = new StringBuilder(" WHERE e.organization_id = :organizationId");
        params.put("organizationId", f.organizationId());
        if (!f.limitedTo().isEmpty()) {
            w.append(" AND e.partner_id = ANY(:limitedTo)");
            params.put("limitedTo", f.limitedTo().toArray(String[]::new));
        }
        if (f.partnerId() != null) {
            w.append(" AND e.partner_id = :partnerId");
            params.put("partnerId", f.partnerId());
        }
        if (f.period() != null) {
            YearMonth month = f.period();
            w.append(" AND e.transaction_date BETWEEN :periodStart AND :periodEnd");
            params.put("periodStart", month.atDay(1));
            params.put("periodEnd", month.atEndOfMonth());
        }
        if (f.programId() != null) {
            w.append(" AND e.program_id = :programId");
            params.put("programId", f.programId());
        }
        if (f.type() != null) {
            w.append(" AND e.earning_type = :type");
            params.put("type", f.type());
        }
        if (f.status() != null) {
            if (f.status().equals("UNPAID")) {
                w.append(" AND el.payment_id IS NULL");
            } else {
                w.append(" AND p.status = :status");
                params.put("status", f.status());
            }
        }
        if (f.paymentId() != null) {
            w.append(" AND el.payment_id = :paymentId");
            params.put("paymentId", f.paymentId());
        }
        return w.toString();
    }

    private static EarningView view(ResultSet rs) throws SQLException {
        String currency = rs.getString(12);
        String txCurrency = rs.getString(9);
        return new EarningView(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getObject(7, java.time.LocalDate.class),
                Codes.money(rs.getBigDecimal(8), txCurrency).toPlainString(), txCurrency,
                rs.getBigDecimal(10).stripTrailingZeros().toPlainString(),
                Codes.money(rs.getBigDecimal(11), currency).toPlainString(), currency, rs.getString(13),
                rs.getString(14), rs.getString(15), rs.getString(16), rs.getObject(17, UUID.class),
                rs.getTimestamp(18).toInstant());
    }
}
