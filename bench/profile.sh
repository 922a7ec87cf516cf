#!/usr/bin/env bash
# CPU profile of a Java server (Sluice or the bare fan-out) over the steady window of one compare.sh
# row, with async-profiler (fetched from Maven Central on first use). See bench/README.md.
#
#   bench/profile.sh sluice 1000              # per-message Sluice at N = 1000
#   MERGE=50ms bench/profile.sh sluice-merged 2000
#   bench/profile.sh bare 1000
#
# Writes $WORK/profile-SERVER-N.collapsed (one line per stack: frames;...;frames count, for any
# flame graph tool) and prints where the server's samples went: kernel, Java, native, and the
# Java frames that cost most by themselves. Environment as compare.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
server=${1:?server: sluice, sluice-merged, baseline, baseline-merged, bare or bare-merged}
n=${2:?number of players}
ASYNC_PROFILER_VERSION=${ASYNC_PROFILER_VERSION:-4.2}
WORK=${WORK:-$(mktemp -d /tmp/sluice-profile.XXXXXX)}
export WORK

profiler="$HOME/.cache/sluice-bench/async-profiler-$ASYNC_PROFILER_VERSION"
lib="$profiler/linux-x64/libasyncProfiler.so"
if [[ ! -f "$lib" ]]; then
  mkdir -p "$profiler"
  curl -fsSL -o "$profiler.jar" "https://repo1.maven.org/maven2/tools/profiler/async-profiler/$ASYNC_PROFILER_VERSION/async-profiler-$ASYNC_PROFILER_VERSION.jar"
  (cd "$profiler" && unzip -qo "$profiler.jar" 'linux-x64/*')
fi

case "$server" in
  sluice|sluice-merged) pattern="-jar $WORK/app/sluice.jar" ;;
  baseline|baseline-merged) pattern="-jar ${BASELINE_JAR:?BASELINE_JAR}" ;;
  bare|bare-merged) pattern="LoadGenerator fanout" ;;
  *) echo "only Java servers can be profiled: $server" >&2; exit 2 ;;
esac

out="$WORK/profile-$server-$n.collapsed"
log="$WORK/profile-$server-$n.log"
SERVERS=$server NS=$n bench/compare.sh >"$log" 2>&1 &
compare=$!
until grep -q "== $server, $n players" "$log" 2>/dev/null; do
  kill -0 "$compare" 2>/dev/null || { cat "$log" >&2; exit 1; }
  sleep 0.5
done
sleep $((n / ${RATE:-200} + ${SETTLE_S:-5} + 1)) # the ramp and the settling time: into the window
pid=$(pgrep -f -- "^java .*$pattern" | head -1)
window=${WINDOW_S:-20}
# jcmd would split key=value options itself: the quotes keep them whole
jcmd "$pid" JVMTI.agent_load "$lib" "\"start,event=cpu,interval=1ms\"" >/dev/null
sleep $((window - 3))
jcmd "$pid" JVMTI.agent_load "$lib" "\"stop,file=$out\"" >/dev/null
wait "$compare"
grep -E "held=" "$log" >&2

python3 - "$out" <<'PY'
import collections, sys
total, kinds, own = 0, collections.Counter(), collections.Counter()
for line in open(sys.argv[1]):
    stack, count = line.rsplit(' ', 1)
    count = int(count)
    total += count
    leaf = stack.split(';')[-1]
    kind = 'kernel' if leaf.endswith('_[k]') else 'Java' if '/' in leaf and not leaf.startswith('/') else 'native'
    kinds[kind] += count
    if kind == 'Java':
        own[leaf] += count
print(f'{total} samples (1 ms of CPU each)')
for kind, count in kinds.most_common():
    print(f'{count * 100 / total:5.1f} % {kind}')
print('Java frames by their own samples:')
for frame, count in own.most_common(15):
    print(f'{count * 100 / total:5.1f} % {frame}')
PY
echo "stacks: $out" >&2
