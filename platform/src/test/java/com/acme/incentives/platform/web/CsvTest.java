package com.acme.incentives.platform.web;

import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.math.BigDecimal;
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

    @Test
    void eachCharacterOnOwaspsListPrefixesAText() {
        assertThat(line("=A1")).isEqualTo("'=A1\r\n");
        assertThat(line("+A1")).isEqualTo("'+A1\r\n");
        assertThat(line("-A1")).isEqualTo("'-A1\r\n");
        assertThat(line("@A1")).isEqualTo("'@A1\r\n");
        assertThat(line("\t=A1")).isEqualTo("'\t=A1\r\n");
        // A CR is also a line break: prefixed, then quoted.
        assertThat(line("\r=A1")).isEqualTo("\"'\r=A1\"\r\n");
    }

    @Test
    void aTextThatOnlyLooksLikeANumberAtItsStartIsPrefixed() {
        assertThat(line("-2+3", "-12.50 EUR", "-", "-.5", "-1E+3", "+12.50")).isEqualTo(
                "'-2+3,'-12.50 EUR,'-,'-.5,'-1E+3,'+12.50\r\n");
        assertThat(line("-1,5")).isEqualTo("\"'-1,5\"\r\n");
    }

    @Test
    void negativeAmountsStayNumbers() {
        assertThat(line("-12.50", "-5", "1500", "0.00")).isEqualTo("-12.50,-5,1500,0.00\r\n");
        assertThat(line(new BigDecimal("-12.50"), -5, -7L)).isEqualTo("-12.50,-5,-7\r\n");
    }

    @Test
    void onlyTheFirstCharacterCounts() {
        assertThat(line("a=b", "1-2", "x@y.example", "a\tb")).isEqualTo("a=b,1-2,x@y.example,a\tb\r\n");
    }
}
