package org.proxyinfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

/**
 * Issue 17 finding 3: committed evidence CSV is RFC 4180 and reads back with a CSV parser (Jackson's),
 * every row with as many fields as the header; no measurement columns in committed files.
 */
class EvidenceCsvTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    static List<String[]> parse(String text) throws Exception {
        CsvMapper m = new CsvMapper();
        m.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        List<String[]> rows = new ArrayList<>();
        try (MappingIterator<String[]> it = m.readerFor(String[].class).readValues(text)) {
            while (it.hasNext()) {
                rows.add(it.next());
            }
        }
        return rows;
    }

    @Test
    void csvRowQuotesCommasAndQuotes() throws Exception {
        String row = Evidence.csvRow("ProxyHandshake::onAssertionSigned(boolean,boolean,boolean)#0", "DEC-5 \"bound\"", "true");
        assertEquals("\"ProxyHandshake::onAssertionSigned(boolean,boolean,boolean)#0\",\"DEC-5 \"\"bound\"\"\",true\r\n", row);
        String[] back = parse(row).get(0);
        assertEquals(List.of("ProxyHandshake::onAssertionSigned(boolean,boolean,boolean)#0", "DEC-5 \"bound\"", "true"), List.of(back));
    }

    @Test
    void everyCommittedCsvUnderProofsReadsBackWithAFixedNumberOfFieldsAndNoTimes() throws Exception {
        List<Path> csvs;
        try (Stream<Path> s = Files.walk(ROOT.resolve("proofs"))) {
            csvs = s.filter(p -> p.toString().endsWith(".csv")).sorted().toList();
        }
        assertTrue(csvs.contains(ROOT.resolve("proofs/key/results.csv")), "proofs/key/results.csv is committed");
        for (Path csv : csvs) {
            List<String[]> rows = parse(Files.readString(csv));
            assertTrue(rows.size() > 1, csv + " has rows");
            String[] header = rows.get(0);
            for (String h : header) {
                assertTrue(!h.matches("(?i).*(_ms|millis|time|seconds|memory|_mb|bytes_used).*"),
                        csv + ": the measurement column '" + h + "' belongs in target/, not in committed evidence");
            }
            for (int i = 1; i < rows.size(); i++) {
                assertEquals(header.length, rows.get(i).length, csv + " row " + (i + 1) + ": " + String.join("|", rows.get(i)));
            }
        }
        // a field with commas (a method signature) reads back as one field (RFC 4180 quoting)
        List<String[]> openjml = parse(Files.readString(ROOT.resolve("proofs/openjml/results.csv")));
        assertTrue(openjml.stream().anyMatch(r -> r[1].equals("onProxyInfoChecked(ProxyInfoDecision,String)")),
                "the method signature with commas reads back as one field");
    }
}
