package com.acme.incentives.platform.web;

import com.acme.incentives.platform.i18n.Languages;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * CSV downloads of every service (payout's statements and earnings, enrollment's audit log): the same operation answers
 * JSON or, with {@code Accept: text/csv}, every matching row as CSV. RFC 4180 lines: a value with a comma, quote or line
 * break is quoted, quotes doubled; lines end in CRLF. A text a spreadsheet would run as a formula is written with a
 * leading {@code '} (see {@link #line}).
 */
public final class Csv {

    /** The query parameter that asks for (true) or against (false) a byte-order mark; the default follows the language. */
    public static final String BOM_PARAMETER = "bom";
    public static final String BOM_VALUES = "true|false";
    public static final String BOM_DESCRIPTION = "CSV only: start with a UTF-8 byte-order mark (`true`) or not (`false`). Without"
            + " it the file has one when the caller's language (Accept-Language) is Japanese or Korean: Excel on"
            + " Japanese or Korean Windows reads a CSV without a mark in the system's code page (Shift-JIS, CP949) and"
            + " garbles every name; with it, as UTF-8. Programs reading the file should skip a leading U+FEFF.";

    /** EF BB BF: U+FEFF in UTF-8. */
    private static final byte[] UTF8_BOM = { (byte) 0xEF, (byte) 0xBB, (byte) 0xBF };

    /**
     * OWASP's CSV-injection list of first characters: those with which spreadsheets start a formula, and tab and CR,
     * which some of them skip before reading the rest as one.
     */
    private static final String FORMULA_STARTS = "=+-@\t\r";

    /**
     * A plain decimal number, as the services write amounts and rates ({@code -12.50}, {@code 1500}): a spreadsheet
     * reads it as that number, never as a formula, so a negative amount keeps its leading minus and stays a number.
     */
    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

    private Csv() {
    }

    /**
     * A CSV download in UTF-8 named {@code filename}: the header line, then what {@code rows} writes, streamed.
     * {@code bom} is the query parameter as given ({@code "true"}, {@code "false"} or absent, its form checked by the
     * resource); when absent the caller's language decides, so the answer varies with Accept-Language.
     */
    public static Response download(String filename, String bom, List<String> header, Consumer<Writer> rows) {
        Locale language = Languages.current();
        boolean withBom = bom == null
                ? language.equals(Locale.JAPANESE) || language.equals(Locale.KOREAN)
                : Boolean.parseBoolean(bom);
        StreamingOutput body = out -> {
            if (withBom) {
                out.write(UTF8_BOM);
            }
            BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            line(writer, header);
            rows.accept(writer);
            writer.flush();
        };
        Response.ResponseBuilder answer = Response.ok(body, "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"" + filename + "\"");
        if (bom == null) {
            answer.header(HttpHeaders.VARY, Languages.ACCEPT_LANGUAGE);
        }
        return answer.build();
    }

    /** CSV only when the client asks for it before JSON; no Accept header (or any type) means JSON. */
    public static boolean wanted(jakarta.ws.rs.core.HttpHeaders headers) {
        for (jakarta.ws.rs.core.MediaType type : headers.getAcceptableMediaTypes()) {
            if (type.isCompatible(jakarta.ws.rs.core.MediaType.APPLICATION_JSON_TYPE) && !type.isWildcardType()) {
                return false;
            }
            if (type.getType().equals("text") && type.getSubtype().equals("csv")) {
                return true;
            }
        }
        return false;
    }

    /**
     * One CSV line of {@code values} ({@code null} is empty; anything else its {@code toString()}). A value starting
     * with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a CR gets a leading {@code '}, so a spreadsheet shows it
     * as text instead of running it (OWASP, CSV injection), unless it is a plain decimal number such as
     * {@code -12.50}, which a spreadsheet only reads as a number. Then a value with a comma, quote, CR or LF is
     * quoted, its quotes doubled, so a value can never start a cell of its own.
     */
    public static void line(Writer out, List<?> values) {
        try {
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                Object v = values.get(i);
                String s = v == null ? "" : v.toString();
                if (runsAsFormula(s)) {
                    s = "'" + s;
                }
                if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
                    s = '"' + s.replace("\"", "\"\"") + '"';
                }
                out.write(s);
            }
            out.write("\r\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean runsAsFormula(String s) {
        return !s.isEmpty() && FORMULA_STARTS.indexOf(s.charAt(0)) >= 0 && !DECIMAL.matcher(s).matches();
    }
}
