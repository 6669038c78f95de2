package com.acme.incentives.payout.rest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;

/** RFC 4180 CSV lines: a value with a comma, quote or line break is quoted, quotes doubled; lines end in CRLF. */
final class Csv {

    private Csv() {
    }

    /** CSV only when the client asks for it before JSON; no Accept header (or any type) means JSON. */
    static boolean wanted(jakarta.ws.rs.core.HttpHeaders headers) {
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

    static void line(Writer out, List<?> values) {
        try {
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    out.write(',');
                }
                Object v = values.get(i);
                String s = v == null ? "" : v.toString();
                // A leading =, +, - or @ would be run as a formula by spreadsheets; text fields are prefixed.
                if (!s.isEmpty() && "=+@".indexOf(s.charAt(0)) >= 0) {
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
}
