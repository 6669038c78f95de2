package com.acme.incentives.platform.web;

import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The CSV lines every service's exports are made of (RFC 4180, CRLF, no spreadsheet formulas). */
class CsvTest {

    private static String line(Object... values) {
        StringWriter out = new StringWriter();
        Csv.line(out, Arrays.asList(values));
        return out.toString();
    }

    @Test
    void valuesAreQuotedOnlyWhenTheyMustBeAndLinesEndInCrLf() {
        assertThat(line("plain", 12, null, "")).isEqualTo("plain,12,,\r\n");
        assertThat(line("a,b", "say \"hi\"", "two\nlines")).isEqualTo("\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n");
        assertThat(line("{\"n\":1}")).isEqualTo("\"{\"\"n\"\":1}\"\r\n");
    }

    @Test
    void aTextThatASpreadsheetWouldRunAsAFormulaIsPrefixed() {
        assertThat(line("=1+1", "+SUM(A1)", "@cmd", "-20.05")).isEqualTo("'=1+1,'+SUM(A1),'@cmd,-20.05\r\n");
        assertThat(line("=HYPERLINK(\"x\",\"y\")")).isEqualTo("\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"\r\n");
    }
}
