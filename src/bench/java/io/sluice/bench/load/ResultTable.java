package io.sluice.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The results file (one tab-separated row per server and N) and the markdown table made from it,
 * with the Sluice/nginx and Sluice/bare ratios of CPU per delivered Gbit and latency p99.
 *
 * <p>A row with N = 0 is a server's fixed cost: its CPU over a window with the publisher and no
 * players (receiving the stream, timers, the JIT still at work). It gets a table of its own, and each
 * server's other rows a second CPU-s/Gbit figure net of it: what delivering costs, apart from what
 * the server spends whatever the audience.
 */
final class ResultTable {
    static final String[] COLUMNS = {"server", "players", "held", "cpu_s", "gbit", "cpu_per_gbit", "lat_p50_ms",
            "lat_p99_ms", "lat_max_ms", "ff_p50_ms", "ff_p99_ms", "rate_med_pct", "rate_min_pct", "stalled",
            "dropped", "no_frame", "rss_per_player_kib", "gc_max_ms", "client_cpu_s"};

    private ResultTable() {
    }

    static String row(String server, PlayRun.Result r) {
        PlayStats s = r.stats();
        Object[] v = {server, s.players(), s.held(), r.serverCpuSeconds(), s.deliveredGbit(), r.cpuPerGbit(),
                s.latencyP50() / 1e3, s.latencyP99() / 1e3, s.latencyMax() / 1e3, s.firstFrameP50() / 1e3,
                s.firstFrameP99() / 1e3, s.bitrateMedianPct(), s.bitrateMinPct(), s.stalled(), s.dropped(),
                s.withoutFrame(), r.rssPerPlayerKib(), r.gcMaxPauseMillis(), r.clientCpuSeconds()};
        StringBuilder b = new StringBuilder();
        for (Object o : v) {
            b.append(b.length() == 0 ? "" : "\t").append(o instanceof Double d ? String.format(Locale.ROOT, "%.3f", d)
                    : String.valueOf(o));
        }
        return b.toString();
    }

    static void append(Path file, String row) throws IOException {
        if (!Files.exists(file)) {
            Files.writeString(file, String.join("\t", COLUMNS) + "\n");
        }
        Files.writeString(file, row + "\n", StandardOpenOption.APPEND);
    }

    static String markdown(Path file) throws IOException {
        List<Map<String, String>> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        String[] head = lines.get(0).split("\t");
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t");
            Map<String, String> row = new LinkedHashMap<>();
            for (int i = 0; i < head.length && i < f.length; i++) {
                row.put(head[i], f[i]);
            }
            rows.add(row);
        }
        List<Map<String, String>> idle = rows.stream().filter(r -> "0".equals(r.get("players"))).toList();
        rows.removeAll(idle);
        for (Map<String, String> r : rows) {
            Double fixed = value(idle, "0", r.get("server"), "cpu_s");
            double gbit = Double.parseDouble(r.get("gbit"));
            r.put("cpu_per_gbit_net", fixed == null || gbit == 0 ? null
                    : Double.toString((Double.parseDouble(r.get("cpu_s")) - fixed) / gbit));
        }
        StringBuilder b = new StringBuilder();
        b.append("| server | N | held | CPU-s/Gbit | net of N = 0 | latency p50/p99/max ms | first frame p50/p99 ms "
                + "| bitrate median/min % | stalled / dropped / no frame | RSS KiB/player | max GC ms | server CPU-s | client CPU-s |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map<String, String> r : rows) {
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s / %s / %s | %s / %s | %s / %s | %s / %s | %s | %s | %s | %s |%n",
                    r.get("server"), r.get("players"), r.get("held"), f2(r.get("cpu_per_gbit")),
                    f2(r.get("cpu_per_gbit_net")), f1(r.get("lat_p50_ms")),
                    f1(r.get("lat_p99_ms")), f1(r.get("lat_max_ms")), f1(r.get("ff_p50_ms")), f1(r.get("ff_p99_ms")),
                    f1(r.get("rate_med_pct")), f1(r.get("rate_min_pct")), r.get("stalled"),
                    sum(r.get("dropped"), r.get("no_frame")), f1(r.get("rss_per_player_kib")),
                    f1(r.get("gc_max_ms")), f2(r.get("cpu_s")), f2(r.get("client_cpu_s"))));
        }
        b.append("\n| N | Sluice/nginx CPU/Gbit | Sluice/bare CPU/Gbit | net of N = 0 | Sluice/nginx p99 | Sluice/bare p99 "
                + "| merged Sluice/bare-merged CPU/Gbit | net of N = 0 | merged Sluice/bare-merged p99 |\n");
        b.append("|---|---|---|---|---|---|---|---|---|\n");
        rows.stream().map(r -> r.get("players")).distinct().forEach(n -> b.append(String.format(Locale.ROOT,
                "| %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", n,
                ratio(rows, n, "sluice", "nginx", "cpu_per_gbit"), ratio(rows, n, "sluice", "bare", "cpu_per_gbit"),
                ratio(rows, n, "sluice", "bare", "cpu_per_gbit_net"),
                ratio(rows, n, "sluice", "nginx", "lat_p99_ms"), ratio(rows, n, "sluice", "bare", "lat_p99_ms"),
                ratio(rows, n, "sluice-merged", "bare-merged", "cpu_per_gbit"),
                ratio(rows, n, "sluice-merged", "bare-merged", "cpu_per_gbit_net"),
                ratio(rows, n, "sluice-merged", "bare-merged", "lat_p99_ms"))));
        if (!idle.isEmpty()) {
            b.append("\n| server | CPU-s in a window with the publisher and no players |\n|---|---|\n");
            idle.forEach(r -> b.append("| ").append(r.get("server")).append(" | ").append(f2(r.get("cpu_s")))
                    .append(" |\n"));
        }
        return b.toString();
    }

    private static String ratio(List<Map<String, String>> rows, String n, String a, String b, String column) {
        Double x = value(rows, n, a, column);
        Double y = value(rows, n, b, column);
        return x == null || y == null || y == 0 ? "-" : String.format(Locale.ROOT, "%.2f", x / y);
    }

    private static Double value(List<Map<String, String>> rows, String n, String server, String column) {
        return rows.stream().filter(r -> server.equals(r.get("server")) && n.equals(r.get("players")))
                .map(r -> r.get(column)).filter(v -> v != null).map(Double::valueOf).findFirst().orElse(null);
    }

    private static String sum(String dropped, String noFrame) {
        return dropped + " / " + noFrame;
    }

    private static String f1(String v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.1f", Double.parseDouble(v));
    }

    private static String f2(String v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.3f", Double.parseDouble(v));
    }
}
