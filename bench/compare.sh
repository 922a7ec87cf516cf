#!/usr/bin/env bash
# Sluice (per-message and merged writes), nginx-rtmp and the bare fan-out under the same load, one
# after the other; one table with Sluice/nginx and Sluice/bare ratios. See bench/README.md.
#
#   bench/compare.sh                                  # full run: N = 100 500 1000 2000 4000, 20 s windows
#   NS="100 500" WINDOW_S=5 SETTLE_S=3 bench/compare.sh   # quick run
#
# Environment: SERVERS (default "sluice sluice-merged nginx bare bare-merged"), NS, RATE (joins/s, 200),
# WINDOW_S (20), SETTLE_S (5), THREADS (player selector threads, 2), MERGE (50ms), BUILD (1), WORK (temp dir),
# BASELINE_JAR (another build of Sluice, run as the servers "baseline" and "baseline-merged").
cd "$(dirname "$0")/.."
source bench/lib.sh

SERVERS=${SERVERS:-"sluice sluice-merged nginx bare bare-merged"}
NS=${NS:-"100 500 1000 2000 4000"}
RATE=${RATE:-200}
WINDOW_S=${WINDOW_S:-20}
SETTLE_S=${SETTLE_S:-5}
THREADS=${THREADS:-2}
MERGE=${MERGE:-50ms}
RESULTS="$WORK/results.tsv"
NGINX_MODULE=/usr/lib/nginx/modules/ngx_rtmp_module.so

build
echo "work directory: $WORK" >&2

start_server() { # label port: sets SERVER_PID, GC_LOG, PUBLISHER (1 when the stream needs a publisher)
  local label=$1 port=$2
  GC_LOG=""
  PUBLISHER=1
  case "$label" in
    sluice) start_sluice "$label" "$port" ${SLUICE_ARGS:-} ;;
    sluice-merged) start_sluice "$label" "$port" --sluice.rtmp.merge-window="$MERGE" ;;
    baseline) JAR="$BASELINE_JAR" start_sluice "$label" "$port" ${SLUICE_ARGS:-} ;;
    baseline-merged) JAR="$BASELINE_JAR" start_sluice "$label" "$port" --sluice.rtmp.merge-window="$MERGE" ;;
    nginx)
      local dir="$WORK/nginx"
      mkdir -p "$dir/logs"
      sed -e "s|@MODULE@|$NGINX_MODULE|" -e "s|@DIR@|$dir|g" -e "s|@PORT@|$port|" \
        bench/nginx-rtmp.conf.template >"$dir/nginx.conf"
      /usr/sbin/nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" >"$WORK/nginx.log" 2>&1 &
      SERVER_PID=$!
      STARTED_PIDS+=("$SERVER_PID")
      wait_port "$port" "$SERVER_PID" ;;
    bare|bare-merged)
      local merge=0
      [[ "$label" == bare-merged ]] && merge=${MERGE%ms}
      start_loadgen "$WORK/$label.log" fanout --port "$port" --merge-ms "$merge"
      SERVER_PID=$LOADGEN_PID
      PUBLISHER=0
      wait_port "$port" "$SERVER_PID" ;;
    *) echo "unknown server $label" >&2; exit 2 ;;
  esac
}

for server in $SERVERS; do
  port=$(free_port)
  start_server "$server" "$port"
  url="rtmp://127.0.0.1:$port/live/bench"
  publisher_pid=""
  if [[ $PUBLISHER == 1 ]]; then
    start_loadgen "$WORK/publisher-$server.log" publish --url "$url"
    publisher_pid=$LOADGEN_PID
    sleep 2 # the publish is live and the GOP cache holds a keyframe
  fi
  # warm-up (not recorded): the server's JIT and class loading should not count against N=100. About
  # 70,000 player-messages, so that the per-message paths are compiled (C2 needs some 10,000 calls).
  loadgen play --url "$url" --players 100 --rate "$RATE" --settle-s 2 --window-s 8 >/dev/null 2>&1 || true
  # N = 0: what the server spends with the publisher and no players, whatever the audience (the table
  # subtracts it for a second CPU-s/Gbit figure)
  loadgen play --url "$url" --players 0 --settle-s 2 --window-s "$WINDOW_S" --server-pid "$SERVER_PID" \
    --label "$server" --out "$RESULTS" 2>>"$WORK/play-$server.log" | tail -1 >&2
  for n in $NS; do
    echo "== $server, $n players" >&2
    line=$(loadgen play --url "$url" --players "$n" --rate "$RATE" --threads "$THREADS" --settle-s "$SETTLE_S" \
      --window-s "$WINDOW_S" --server-pid "$SERVER_PID" --gc-log "${GC_LOG:-}" --label "$server" \
      --out "$RESULTS" 2>>"$WORK/play-$server.log" | tail -1)
    echo "$line" >&2
    if [[ "$line" != *"held=true"* ]]; then
      echo "$server does not hold $n players: not raising N" >&2
      break
    fi
  done
  [[ -n "$publisher_pid" ]] && stop "$publisher_pid"
  stop "$SERVER_PID"
done

loadgen report --in "$RESULTS" --md "$WORK/results.md"
echo "table: $WORK/results.md, rows: $RESULTS" >&2
