"""make bench: notifysplit against its peers on Debian's 6.1 and 6.12 trees and
on one tree of an older era (from $NOTIFYSPLIT_ERA_TREES, default ~/eras).

In one invocation, alternating, BENCH_RUNS times each (default 5):
  - notifysplit check (whole tree)   vs  rg -l and grep -rlE for the macro names
  - notifysplit convert (whole tree) vs  spatch with bench/notifysplit.cocci,
    git-indexed (--use-gitgrep over an index of the tree kept outside it);
    convert with its configuration cache (a private one, filled by the
    warm-up round) and with --no-cache (the configuration computed every run)
  - both vs the parse limit: clang -fsyntax-only over exactly the files
    notifysplit parsed, with the same arguments (summed)
Wall time and peak memory (maximum resident set, /usr/bin/time) of each;
medians, every ratio and the targets are printed and written to
bench/results.md with the machine and the date.
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".build/release/notifysplit")
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
CORES = os.cpu_count()
PATTERN = "ptep_clear_flush(_young)?_notify"


def timed(argv, stdout=subprocess.DEVNULL, cwd=None, env=None):
    """Runs argv under /usr/bin/time; returns (seconds, peak KiB, exit status)."""
    with tempfile.NamedTemporaryFile("r") as report:
        proc = subprocess.run(["/usr/bin/time", "-o", report.name, "-f", "%e %M"] + argv,
                              stdout=stdout, stderr=subprocess.DEVNULL, cwd=cwd, env=env)
        fields = report.read().split()
    return float(fields[-2]), int(fields[-1]), proc.returncode


def fsyntax(commands):
    """clang -fsyntax-only over each file: summed seconds, peak KiB."""
    total, peak = 0.0, 0
    for command in commands:
        args = command["arguments"][1:]
        args = args[:args.index("-c")] if "-c" in args else args
        seconds, kib, _ = timed(["clang-14", "-fsyntax-only", "-w"] + args + [command["file"]])
        total += seconds
        peak = max(peak, kib)
    return total, peak


# Older trees where the tool converts many sites and spatch does real work,
# in order of preference.
ERA_TREES = ("linux-2.6.30", "LinuxKernel2.6.27")


def era_tree():
    """The older validation tree, or (None, why not)."""
    folder = os.environ.get("NOTIFYSPLIT_ERA_TREES", os.path.expanduser("~/eras"))
    for name in ERA_TREES:
        tree = os.path.join(folder, name)
        if os.path.isfile(os.path.join(tree, "Makefile")):
            return name, tree
    return None, (f"no older-era tree ({' or '.join(ERA_TREES)}) under {folder} "
                  "(set NOTIFYSPLIT_ERA_TREES); its row is skipped")


def git_index(tree, work):
    """An index of the tree kept in `work` (the tree is never written): the
    environment under which spatch's --use-gitgrep selects files with git grep."""
    env = dict(os.environ, GIT_DIR=os.path.join(work, "git"), GIT_WORK_TREE=tree)
    subprocess.run(["git", "init", "-q"], env=env, check=True)
    # Intent-to-add: every file listed without hashing it; git grep reads
    # the working tree's files either way.
    subprocess.run(["git", "add", "--intent-to-add", "--all", "--force", "."], env=env, check=True, cwd=tree,
                   stdout=subprocess.DEVNULL)
    return env


def timed_env(argv, env):
    with tempfile.NamedTemporaryFile("r") as report:
        proc = subprocess.run(["/usr/bin/time", "-o", report.name, "-f", "%e %M"] + argv,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        fields = report.read().split()
    return float(fields[-2]), int(fields[-1]), proc.returncode


def machine():
    cpu = "unknown CPU"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = ""
    try:
        kib = int(next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")))
        memory = f", {kib / 1024 / 1024:.1f} GiB memory"
    except (OSError, StopIteration):
        pass
    return f"{os.uname().sysname} {os.uname().release} {os.uname().machine}; {cpu}; {CORES} cores{memory}"


def main():
    trees = {f"linux-source-{version}": subprocess.check_output(
        [os.path.join(ROOT, "scripts/fetch-kernel-tree"), version], text=True).strip()
        for version in ("6.1", "6.12")}
    era, where = era_tree()
    skipped = None
    if era:
        trees[era] = where
    else:
        skipped = where
        print(f"bench: {skipped}", file=sys.stderr)
    rg_globs = ["-g", "*.[chS]", "-g", "Documentation/**"]      # relative to the tree: run in it
    load_before = os.getloadavg()
    rows = []
    for name, tree in trees.items():
        work = tempfile.mkdtemp(prefix="notifysplit-bench-")
        try:
            subprocess.run([BIN, "export-compile-commands", tree, "-o", work], check=True,
                           stdout=subprocess.DEVNULL)
            commands = json.load(open(os.path.join(work, "compile_commands.json")))
            indexed = git_index(tree, work)
            # notifysplit's configuration cache: a private one, which the
            # warm-up round fills (the user's is left alone).
            cached = dict(os.environ, XDG_CACHE_HOME=os.path.join(work, "cache"))
            convert = ["convert", tree, "--stdout", "--from", "Bench <bench@example.org>", "-s", "--date", "2026-01-01"]
            jobs = {
                # The files notifysplit reads: every .c, .h and .S file and
                # Documentation/, hidden and ignored ones included.
                "rg -l": lambda: timed(["rg", "-l", "-uu"] + rg_globs + ["-e", PATTERN, "."], cwd=tree),
                "grep -rlE": lambda: timed(["grep", "-rlE", PATTERN, tree]),
                "notifysplit check": lambda: timed([BIN, "check", tree], env=cached),
                "notifysplit convert": lambda: timed([BIN] + convert, env=cached),
                "notifysplit convert --no-cache": lambda: timed([BIN] + convert + ["--no-cache"], env=cached),
                f"spatch -j {CORES} --use-gitgrep": lambda: timed_env(
                    ["spatch", "--sp-file", os.path.join(ROOT, "bench/notifysplit.cocci"), "--dir", tree,
                     "--use-gitgrep", "--very-quiet", "-j", str(CORES)], indexed),
                "clang -fsyntax-only (summed)": lambda: fsyntax(commands) + (0,),
            }
            samples = {job: [] for job in jobs}
            for run in range(RUNS + 1):                 # the first round warms the page cache
                order = list(jobs) if run % 2 == 0 else list(reversed(jobs))
                for job in order:
                    seconds, kib, _ = jobs[job]()
                    if run > 0:
                        samples[job].append((seconds, kib))
            median = {job: statistics.median(s for s, _ in values) for job, values in samples.items()}
            peak = {job: max(k for _, k in values) for job, values in samples.items()}
            def profiled(extra):
                text = subprocess.run([BIN] + convert + extra, env=dict(cached, NOTIFYSPLIT_PROFILE="1"),
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True).stderr
                return [line.replace("profile:", "").rstrip() for line in text.splitlines()
                        if line.startswith("profile:")]
            profile = (profiled([]), profiled(["--no-cache"]))
            rows.append((name, len(commands), median, peak, profile))
        finally:
            shutil.rmtree(work, ignore_errors=True)

    load_after = os.getloadavg()
    lines = ["# notifysplit benchmark", "",
             f"{time.strftime('%Y-%m-%d %H:%M %Z')}; {machine()}; load average (1, 5, 15 min) "
             f"{', '.join(f'{x:.1f}' for x in load_before)} before the run, "
             f"{', '.join(f'{x:.1f}' for x in load_after)} after (anything else running shows in the times).", "",
             f"Median of {RUNS} alternating runs after one warm-up round; peak memory is the largest maximum "
             "resident set seen. `rg -l` searches the files notifysplit reads (`.c`, `.h`, `.S` and "
             "`Documentation/`, ignored and hidden ones too); spatch selects its files with `git grep` over an "
             "index of the tree (kept outside it).", "",
             "`notifysplit convert` runs with **warm caches**: the warm-up round fills private ones (the "
             "configuration: the Kconfig symbols and `bounds.h`/`asm-offsets.h` of the tree; the precompiled "
             "preambles of the parsed files; the scan's record of the files without the macros), each checked "
             "on every run against what it was computed from (content hashes; for the scan, each file's inode, "
             "size and times), then reused. `notifysplit convert --no-cache` uses none, as a first run on a "
             "tree does. The targets are judged on the warm row; the cold row's ratio is printed beside it. "
             "`notifysplit check` uses no cache (the gate reads every file). `clang -fsyntax-only` runs with "
             "`-w` (no warnings), notifysplit's parses with the warnings clang gives by default but "
             "`-Wnull-conversion`.", ""]
    if skipped:
        lines += [f"Skipped: {skipped}.", ""]
    verdicts = []
    for name, files, median, peak, profile in rows:
        spatch = next(job for job in median if job.startswith("spatch"))
        limit = median["clang -fsyntax-only (summed)"]
        lines += [f"## {name} ({files} file(s) parsed)", "",
                  "| command | median wall (s) | peak memory (MiB) |", "|---|---:|---:|"]
        for job in median:
            lines.append(f"| {job} | {median[job]:.2f} | {peak[job] / 1024:.0f} |")
        # The targets of the performance issue (13): check of 6.12 against
        # rg; convert against git-indexed spatch on 6.1 and the older tree;
        # memory everywhere.
        ratios = [
            ("check / rg -l", median["notifysplit check"] / median["rg -l"],
             1.3 if name == "linux-source-6.12" else None),
            ("check / grep -rlE", median["notifysplit check"] / median["grep -rlE"], None),
            ("convert / spatch (git-indexed)", median["notifysplit convert"] / median[spatch],
             0.5 if name != "linux-source-6.12" else None),
            ("convert --no-cache / spatch (git-indexed)", median["notifysplit convert --no-cache"] / median[spatch],
             None),
            ("convert / summed -fsyntax-only", median["notifysplit convert"] / limit, None),
            ("check / summed -fsyntax-only", median["notifysplit check"] / limit, None),
        ]
        lines += ["", "| ratio | value | target | met |", "|---|---:|---|---|"]
        for label, value, target in ratios:
            met = "—" if target is None else ("yes" if value <= target else "**no**")
            lines.append(f"| {label} | {value:.2f} | {'—' if target is None else f'≤ {target}'} | {met} |")
            if target is not None:
                verdicts.append(f"{name}: {label} {value:.2f} (target ≤ {target}): "
                                + ("met" if value <= target else "NOT met"))
        for job in ("notifysplit check", "notifysplit convert", "notifysplit convert --no-cache"):
            mib = peak[job] / 1024
            label = job.replace("notifysplit ", "")
            lines.append(f"| peak memory of {label} | {mib:.0f} MiB | ≤ 256 MiB | "
                         f"{'yes' if mib <= 256 else '**no**'} |")
            verdicts.append(f"{name}: peak memory of {label} {mib:.0f} MiB (target ≤ 256): "
                            + ("met" if mib <= 256 else "NOT met"))
        lines += ["", "Where one convert run's wall time goes (NOTIFYSPLIT_PROFILE=1; the synthetic "
                  "configuration is written in the background during the token scan; files are parsed "
                  f"on {CORES} workers; each line also says when its phase ended), with the caches warm:", "", "```"] + profile[0] + ["```", "",
                  "and with `--no-cache`:", "", "```"] + profile[1] + ["```", ""]
    lines += ["## Targets", ""] + [f"- {verdict}" for verdict in verdicts] + [""]
    text = "\n".join(lines)
    print(text)
    with open(os.path.join(ROOT, "bench/results.md"), "w") as out:
        out.write(text + "\n")


if __name__ == "__main__":
    sys.exit(main())
