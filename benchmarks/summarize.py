#!/usr/bin/env python3
"""Prints the README's results table from a JMH JSON result (default benchmarks/target/jmh-full.json):
each benchmark next to its baseline from the same run, with the ratio of the scores (wall clock) and,
when the run used CpuTimeProfiler, of CPU time per operation."""
import json
import sys
from pathlib import Path

path = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parent / "target" / "jmh-full.json")
rows = json.loads(path.read_text())


def key(r):
    name = r["benchmark"].split(".")[-2] + "." + r["benchmark"].split(".")[-1]
    return name, tuple(sorted((r.get("params") or {}).items()))


results = {}
for r in rows:
    m = r["primaryMetric"]
    cpu = (r.get("secondaryMetrics") or {}).get("·cpu.time/op")
    results[key(r)] = (m["score"], m["scoreError"], m["scoreUnit"], cpu["score"] if cpu else None)


def get(name, **params):
    return results.get((name, tuple(sorted((k, str(v)) for k, v in params.items()))))


# (label, ours, baseline, target ratio or None)
pairs = []
for t in ("oneThread", "twoThreads"):
    pairs.append((f"cached get with audit log vs map, {t}", get(f"CachedGetBenchmark.{t}", variant="secretsAudited"),
                  get(f"CachedGetBenchmark.{t}", variant="concurrentHashMap"), 2.0))
    pairs.append((f"cached get with audit log vs without, {t}", get(f"CachedGetBenchmark.{t}", variant="secretsAudited"),
                  get(f"CachedGetBenchmark.{t}", variant="secrets"), 1.2))
    pairs.append((f"cached get without audit vs map, {t}", get(f"CachedGetBenchmark.{t}", variant="secrets"),
                  get(f"CachedGetBenchmark.{t}", variant="concurrentHashMap"), 2.0))
for size in (64, 1024, 65536):
    pairs.append((f"decrypt {size} B", get("DecryptBenchmark.decrypt", size=size, variant="envelope"),
                  get("DecryptBenchmark.decrypt", size=size, variant="jdkAesGcm"), None if size == 64 else 1.5))
for n in (10000, 100000):
    pairs.append((f"file cold get uniform, {n:,} secrets vs 10", get("FileColdGetBenchmark.coldGet", secrets=n),
                  get("FileColdGetBenchmark.coldGet", secrets=10), 1.5))
bare = get("FilePutBenchmark.bareWriteFsyncRename")
bare_dir = get("FilePutBenchmark.bareWriteFsyncRenameFsyncDir")
pairs.append(("file put (2nd version) vs write-fsync-rename", get("FilePutBenchmark.putSecondVersion"), bare, 2.0))
pairs.append(("file put (2nd version) vs write-fsync-rename-fsync-dir", get("FilePutBenchmark.putSecondVersion"), bare_dir, 2.0))
pairs.append(("file put (100 versions) vs write-fsync-rename", get("FilePutBenchmark.putAtMaxVersions"), bare, None))
pairs.append(("JDBC connect", get("JdbcConnectBenchmark.connect", variant="secrets"),
              get("JdbcConnectBenchmark.connect", variant="direct"), 1.05))
pairs.append(("HikariCP new physical connection", get("JdbcConnectBenchmark.poolNewConnection", variant="secrets"),
              get("JdbcConnectBenchmark.poolNewConnection", variant="direct"), 1.05))
pairs.append(("S3 cold get vs bare GET", get("S3ColdGetBenchmark.coldGet", variant="secrets"),
              get("S3ColdGetBenchmark.coldGet", variant="bareGet"), 1.5))
pairs.append(("Argon2id m=19 MiB t=2 p=1 vs bare Bouncy Castle", get("Argon2Benchmark.deriveAtDefaultCost", variant="secrets"),
              get("Argon2Benchmark.deriveAtDefaultCost", variant="bouncyCastle"), 1.05))
# Throughput (events/s, higher is better): ratio = grouped / one-by-one, the gain of group commit.
gains = [(f"audit file events/s, {n} thread{'s' if n > 1 else ''}: group commit vs one fsync per event",
          get(f"AuditSinkBenchmark.threads{n}", variant="grouped"), get(f"AuditSinkBenchmark.threads{n}", variant="oneByOne"))
         for n in (1, 4, 16)]


def fmt(v):
    return "—" if v is None else (f"{v:,.0f}" if v >= 100 else f"{v:,.3g}")


print("| benchmark | ours | baseline | unit | ratio (wall) | CPU/op ours, ns | CPU/op baseline, ns | ratio (CPU) | target |")
print("| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | --- |")
for label, ours, base, target in pairs:
    if ours is None or base is None:
        print(f"| {label} | not run | | | | | | | |")
        continue
    wall = ours[0] / base[0]
    cpu = ours[3] / base[3] if ours[3] and base[3] else None
    print(f"| {label} | {fmt(ours[0])} ± {fmt(ours[1])} | {fmt(base[0])} ± {fmt(base[1])} | {ours[2]} | {wall:.2f}× | "
          f"{fmt(ours[3])} | {fmt(base[3])} | {'—' if cpu is None else f'{cpu:.2f}×'} | {'reported' if target is None else f'≤ {target}×'} |")
for label, ours, base in gains:
    if ours is None or base is None:
        print(f"| {label} | not run | | | | | | | |")
        continue
    print(f"| {label} | {fmt(ours[0])} ± {fmt(ours[1])} | {fmt(base[0])} ± {fmt(base[1])} | {ours[2]} | "
          f"{ours[0] / base[0]:.2f}× (gain) | {fmt(ours[3])} | {fmt(base[3])} | — | reported |")
