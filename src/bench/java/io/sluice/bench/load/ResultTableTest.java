package io.sluice.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The markdown table: rows, ratios, and the figures net of each server's N = 0 row. */
class ResultTableTest {

    /** A results row: server, N, CPU-s, Gbit and p99; the rest as a held run has it. */
    private static String row(String server, int players, double cpu, double gbit, double p99) {
        return String.join("\t", server, Integer.toString(players), Boolean.toString(players > 0),
                Double.toString(cpu), Double.toString(gbit), Double.toString(gbit == 0 ? Double.POSITIVE_INFINITY : cpu / gbit),
                "1.0", Double.toString(p99), "9.0", "1.0", "2.0", "100.0", "99.0", "0", "0", "0", "1.0", "0.5", "1.0");
    }

    @Test
    void fixedCostsGetATableOfTheirOwnAndAreSubtractedForTheNetFigures(@TempDir Path dir) throws Exception {
        Path results = dir.resolve("results.tsv");
        Files.writeString(results, String.join("\t", ResultTable.COLUMNS) + "\n" + String.join("\n", List.of(
                row("sluice", 0, 0.3, 0, 0),
                row("sluice", 100, 1.3, 4.0, 3.0),
                row("bare", 0, 0.0, 0, 0),
                row("bare", 100, 1.0, 4.0, 2.0))) + "\n");

        String table = ResultTable.markdown(results);

        assertThat(table).as("the N = 100 rows: CPU-s/Gbit, then net of N = 0")
                .contains("| sluice | 100 | true | 0.325 | 0.250 |")
                .contains("| bare | 100 | true | 0.250 | 0.250 |");
        assertThat(table).as("ratios: 1.30 raw, 1.00 net; p99 1.50")
                .contains("| 100 | - | 1.30 | 1.00 | - | 1.50 |");
        assertThat(table).as("N = 0 only in its own table").doesNotContain("| sluice | 0 |")
                .contains("| sluice | 0.300 |").contains("| bare | 0.000 |");
    }
}
