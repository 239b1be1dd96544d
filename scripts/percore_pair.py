#!/usr/bin/env python3
"""Per-core speed of two newsflow binaries against trafilatura, as
../shared/bench/extraction/percore.py measures each program (pinned to CPU 0,
newsflow `extract` over the set in one process, trafilatura in-process, the
scraper parse-only line), but with both binaries in every round, in
alternating order, and each ratio taken within its round. This machine's
speed swings by half within minutes; percore.py's medians of separate series
move with it, ratios within a round much less.

    python3 scripts/percore_pair.py BASE_BIN FINAL_BIN [SET_DIR] [ROUNDS]

SET_DIR defaults to ../shared/data/extraction-dev, ROUNDS to 15.

Run it with a Python that has trafilatura 2.3.1 (the scoreboard's venv), after
percore.py has built the parse-only line once (into $TMPDIR).
"""
import glob
import os
import statistics
import subprocess
import sys
import time

TRAFILATURA = (
    "import glob,sys,time,trafilatura\n"
    "docs=[open(f,encoding='utf-8',errors='replace').read() for f in sorted(glob.glob(sys.argv[1]+'/*.html'))]\n"
    "trafilatura.extract(docs[0]); t=time.time()\n"
    "[trafilatura.extract(x, include_comments=False) for x in docs]\n"
    "print(len(docs)/(time.time()-t))\n"
)


def pinned(cmd):
    return subprocess.run(["taskset", "-c", "0", *cmd], capture_output=True, text=True, check=True).stdout


def newsflow_pps(binary, pages):
    start = time.time()
    pinned([binary, "extract", *pages])
    return len(pages) / (time.time() - start)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    base, final = sys.argv[1], sys.argv[2]
    set_dir = sys.argv[3] if len(sys.argv) > 3 and sys.argv[3] else os.path.join(here, "..", "..", "shared", "data", "extraction-dev")
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 15
    pages = sorted(glob.glob(os.path.join(set_dir, "*.html")))
    parse_line = os.path.join(os.environ.get("TMPDIR", "/tmp"), "newsflow-parseline-target", "release", "parseline")
    rows = []
    for r in range(rounds):
        order = [base, final] if r % 2 == 0 else [final, base]
        pps = {b: newsflow_pps(b, pages) for b in order}
        traf = float(pinned([sys.executable, "-c", TRAFILATURA, set_dir]))
        parse = float(pinned([parse_line, *pages]).split("=")[1].split("pages/s")[0])
        rows.append((pps[base], pps[final], traf, parse))
        print(f"round {r}: base {pps[base]:.0f} final {pps[final]:.0f} trafilatura {traf:.1f} "
              f"parse line {parse:.0f} pages/s", flush=True)
    med = statistics.median
    print(f"medians: base {med(r[0] for r in rows):.0f}, final {med(r[1] for r in rows):.0f}, "
          f"trafilatura {med(r[2] for r in rows):.1f}, parse line {med(r[3] for r in rows):.0f} pages/s")
    print(f"within-round ratios (medians): base x{med(r[0] / r[2] for r in rows):.1f}, "
          f"final x{med(r[1] / r[2] for r in rows):.1f} trafilatura; final / parse line "
          f"{med(r[1] / r[3] for r in rows):.2f}; final / base {med(r[1] / r[0] for r in rows):.3f}")


if __name__ == "__main__":
    main()
