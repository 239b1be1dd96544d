#!/usr/bin/env bash
# What rechecks and `reextract` cost, per 1,000 articles (figures for the
# note; not a pass/fail test). A local Python server (ThreadingHTTPServer,
# which answers If-Modified-Since with 304) serves N article pages and a
# feed; the release binary runs `run --once` four times and `reextract`
# once, and the CPU time (user+sys), peak memory and requests of each
# are printed:
#   first    the first emission of N articles (baseline)
#   304      a recheck of unchanged pages: conditional GETs answered 304
#   same     a recheck of pages re-saved unchanged (new Last-Modified):
#            full GETs, identical bodies, no extraction
#   changed  a recheck of pages whose text changed: extraction and N
#            revisions
#   reextract  all N archived pages extracted again (no network)
# Usage: scripts/revisions_cost.sh [N]   (needs a release build)
# REAL_PAGES=DIR serves the *.html pages of DIR (in turn) instead of the
# small generated ones; "changed" then edits the first paragraph of each.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
BIN=${CARGO_TARGET_DIR:-target}/release/newsflow
WORK=$(mktemp -d)
trap 'kill $SERVER 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$WORK"' EXIT
mkdir -p "$WORK/site/news"

write_pages() { # $1: text added to every page
  python3 - "$WORK/site" "$N" "$1" "${REAL_PAGES:-}" <<'EOF'
import glob, sys
root, n, extra, real = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
if real:
    pages = sorted(glob.glob(f"{real}/*.html"))
    for i in range(n):
        html = open(pages[i % len(pages)], encoding="utf-8", errors="replace").read()
        if extra:
            html = html.replace("</p>", f" {extra}</p>", 1)
        open(f"{root}/news/{i}.html", "w").write(html)
    sys.exit()
para = ("The council met on Tuesday evening to discuss the harbour wall, which was damaged "
        "in the winter storms, and the cost of repairing it before the spring tides arrive.")
for i in range(n):
    body = "".join(f"<p>{para} Story {i}, paragraph {j}.</p>" for j in range(8))
    quote = f"<p>\u201cWe cannot wait another winter,\u201d said Anna Whitfield of story {i}.</p>"
    html = (f"<html lang=en><head><title>Story {i}</title></head><body><nav><a href=/>Home</a></nav>"
            f"<article><h1>Story {i}</h1>{body}{quote}{extra}</article><footer>Copyright</footer></body></html>")
    open(f"{root}/news/{i}.html", "w").write(html)
EOF
}

write_pages ""
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 - "$WORK/site/feed.xml" "$N" "$PORT" <<'EOF'
import sys
path, n, port = sys.argv[1], int(sys.argv[2]), sys.argv[3]
items = "".join(f"<item><title>Story {i}</title><link>http://127.0.0.1:{port}/news/{i}.html</link>"
                f"<guid>s{i}</guid></item>" for i in range(n))
open(path, "w").write(f"<?xml version='1.0'?><rss version='2.0'><channel><title>Bench</title>{items}</channel></rss>")
EOF
# http.server's own listen backlog (5) drops connections under 8 parallel
# requests, which then wait a second for TCP to retry: a deeper one here.
(cd "$WORK/site" && exec python3 -c '
import http.server, sys
class Server(http.server.ThreadingHTTPServer):
    request_queue_size = 1024
Server(("127.0.0.1", int(sys.argv[1])), http.server.SimpleHTTPRequestHandler).serve_forever()
' "$PORT" 2>"$WORK/access.log") &
SERVER=$!
sleep 1

cat >"$WORK/newsflow.toml" <<EOF
state_dir = "state"
allow_private_addresses = true
recheck = ["6s", "14s", "22s"]
max_items_per_feed = $N
[fetch]
host_delay = "0s"
host_concurrency = 8
[archive]
path = "archive"
[output]
path = "events.ndjson"
[[feeds]]
url = "http://127.0.0.1:$PORT/feed.xml"
EOF

measure() { # $1: label; the rest: newsflow arguments
  local label=$1; shift
  local before; before=$(grep -c '"GET /news/' "$WORK/access.log" || true)
  local n304b; n304b=$(grep -c '" 304 ' "$WORK/access.log" || true)
  local events_before=0
  [ -f "$WORK/events.ndjson" ] && events_before=$(wc -l <"$WORK/events.ndjson")
  local t0; t0=$(date +%s.%N)
  /usr/bin/time -o "$WORK/$label.time" -f "%U+%S s, max RSS %M kB" \
    "$BIN" "$@" --config "$WORK/newsflow.toml" >/dev/null 2>"$WORK/$label.log"
  local t1; t1=$(date +%s.%N)
  local after; after=$(grep -c '"GET /news/' "$WORK/access.log" || true)
  local n304a; n304a=$(grep -c '" 304 ' "$WORK/access.log" || true)
  local events; events=$(( $(wc -l <"$WORK/events.ndjson") - events_before ))
  echo "$label: page requests $((after - before)) (304: $((n304a - n304b))), events $events, cpu user+sys $(tail -1 "$WORK/$label.time"), wall $(echo "$t1 - $t0" | bc)s"
}

# Each age's jitter is at most a tenth of it; the sleeps wait that out.
echo "work folder: $WORK"
measure first run --once
sleep 6.8
measure 304 run --once
sleep 8.5; touch "$WORK"/site/news/*.html
measure same run --once
sleep 8.5; write_pages "${REAL_PAGES:+Corrected.}${REAL_PAGES:-<p>Correction: an earlier version of this story gave the wrong date.</p>}"
measure changed run --once
measure reextract reextract
grep -h "reextract:" "$WORK/reextract.log" || true
