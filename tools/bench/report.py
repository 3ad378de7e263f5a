#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
#
# tools/bench/report.py: turns compare.sh's raw records into the comparison
# table on stdout and the same figures as key=value lines in a file.
#
# All arithmetic of the benchmark lives here (medians, idle subtraction,
# ratios); compare.sh and its helpers only run things and record raw numbers.
# Raw record lines (whitespace-separated):
#   meta KEY VALUE...                         passed through to the key=value file
#   rps SIDE PIPELINE VALUE                   one redis-benchmark run
#   ir_control SIDE PINGS PING_IR PING_S IDLE_IR IDLE_S
#   ir_whole SIDE PINGS TOTAL_WITH TOTAL_WITHOUT
# SIDE is "keel" or "redis". Usage: report.py RAW_FILE OUT_FILE

import statistics
import sys

SIDES = ("keel", "redis")


def read_records(path):
    """Returns (meta dict, list of split non-meta records)."""
    meta, records = {}, []
    with open(path, encoding="utf-8") as raw:
        for line in raw:
            fields = line.split()
            if not fields:
                continue
            if fields[0] == "meta":
                meta[fields[1]] = " ".join(fields[2:])
            else:
                records.append(fields)
    return meta, records


def ir_per_ping(record):
    """Instructions per PING of one ir_control or ir_whole record."""
    if record[0] == "ir_control":
        pings, ping_ir, ping_s, idle_ir, idle_s = map(float, record[2:7])
        # The idle window's rate of timer/cron instructions, scaled to the
        # PING window's length, is what the PING window spent not on PINGs.
        idle_rate = idle_ir / idle_s if idle_s > 0 else 0.0
        return (ping_ir - idle_rate * ping_s) / pings
    pings, with_pings, without = map(float, record[2:5])
    return (with_pings - without) / pings


def collect(records):
    """Returns {(metric, side): [values]} for metrics rps1, rps16 and ir."""
    values = {}
    for record in records:
        if record[0] == "rps":
            key = ("rps" + record[2], record[1])
            values.setdefault(key, []).append(float(record[3]))
        elif record[0] in ("ir_control", "ir_whole"):
            values.setdefault(("ir", record[1]), []).append(ir_per_ping(record))
    return values


def spread_pct(samples):
    """(max - min) / median in percent; 0 for fewer than two samples. Shows
    how far samples disagree, whichever reducer the table uses."""
    if len(samples) < 2:
        return 0.0
    return 100.0 * (max(samples) - min(samples)) / statistics.median(samples)


# Throughput takes the median: rounds differ by machine noise either way.
# Instructions take the minimum over server processes: within one process the
# count repeats to ~0.3%, but each process draws a random hash seed (Redis
# seeds its dicts from /dev/urandom), and an unlucky seed puts "ping" in a
# longer chain of the command table, adding 3-6% in dictFind/strcasecmp.
# The minimum is the cost of the code path itself; the median would make
# redis-vs-redis ratios swing by +-3%. Samples stay in the key=value file.
ROWS = (  # metric, table label, key prefix, number format, reducer
    ("rps1", "ping_mbulk -c50 -P1 (rps)", "ping_mbulk_c50_p1_rps", "{:.0f}", statistics.median),
    ("rps16", "ping_mbulk -c50 -P16 (rps)", "ping_mbulk_c50_p16_rps", "{:.0f}", statistics.median),
    ("ir", "instructions per PING", "ir_per_ping", "{:.1f}", min),
)


def build(meta, values):
    """Returns (table lines, key=value lines)."""
    redis_label = meta.get("redis_label", "redis")
    table = ["{:<30} {:>12} {:>12} {:>11}".format("benchmark", "keel", redis_label, "keel/redis")]
    keys = ["{}={}".format(k, v) for k, v in sorted(meta.items())]
    for metric, label, prefix, fmt, reduce in ROWS:
        samples = {side: values.get((metric, side), []) for side in SIDES}
        if not all(samples.values()):
            continue  # not measured in this run (e.g. BENCH_IR_METHOD=none)
        value = {side: reduce(samples[side]) for side in SIDES}
        ratio = value["keel"] / value["redis"] if value["redis"] else float("nan")
        table.append("{:<30} {:>12} {:>12} {:>10.2f}x".format(
            label, fmt.format(value["keel"]), fmt.format(value["redis"]), ratio))
        for side in SIDES:
            keys.append("{}_{}={}".format(prefix, side, fmt.format(value[side])))
            keys.append("{}_{}_samples={}".format(
                prefix, side, ",".join(fmt.format(v) for v in samples[side])))
            keys.append("{}_{}_spread_pct={:.2f}".format(prefix, side, spread_pct(samples[side])))
        keys.append("{}_ratio={:.3f}".format(prefix, ratio))
    return table, keys


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: report.py RAW_FILE OUT_FILE")
    meta, records = read_records(argv[1])
    table, keys = build(meta, collect(records))
    if len(table) == 1:
        sys.exit("report.py: no complete measurement in " + argv[1])
    print("\n".join(table))
    notes = []
    if "rounds" in meta:
        notes.append("rps: median of {} round(s) of {} requests".format(
            meta["rounds"], meta.get("requests", "?")))
    if "ir_method" in meta:
        notes.append("Ir: callgrind, {} method, {} PINGs -P16, min of {} process(es)".format(
            meta["ir_method"], meta.get("ir_pings", "?"), meta.get("ir_repeats", "?")))
    if notes:
        print("(" + "; ".join(notes) + ")")
    with open(argv[2], "w", encoding="utf-8") as out:
        out.write("\n".join(keys) + "\n")


if __name__ == "__main__":
    main(sys.argv)
