# Shared by bench/compare.sh and bench/ingest.sh: build once, run Java roles outside Maven, start and
# stop servers by their process id. Source it from the project root.
set -euo pipefail

WORK=${WORK:-$(mktemp -d /tmp/sluice-bench.XXXXXX)}
mkdir -p "$WORK"
STARTED_PIDS=()

build() {
  local dir=${SLUICE_BUILD_DIR:-target}
  if [[ "${BUILD:-1}" == 1 ]]; then
    echo "building into $dir (BUILD=0 skips)..." >&2
    ./mvnw -q -o -DskipTests -Dsluice.frontend.skip=true -Dsluice.build.dir="$dir" package \
      dependency:build-classpath -Dmdep.outputFile="$dir/bench-classpath.txt" -Dmdep.includeScope=test >&2
  fi
  # run from a copy, so that a build during a long run does not change the classes under it
  mkdir -p "$WORK/app"
  cp -r "$dir/classes" "$dir/test-classes" "$WORK/app/"
  cp "$(ls "$dir"/sluice-*.jar | grep -v -- '-plain' | head -1)" "$WORK/app/sluice.jar"
  JAR="$WORK/app/sluice.jar"
  CP="$WORK/app/test-classes:$WORK/app/classes:$(cat "$dir/bench-classpath.txt")"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_port PORT PID: until something listens on PORT (at most 180 s: Spring starts slowly on a busy machine)
wait_port() {
  local deadline=$((SECONDS + 180))
  until (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; do
    kill -0 "$2" 2>/dev/null || { echo "process $2 died before listening on $1" >&2; return 1; }
    ((SECONDS < deadline)) || { echo "nothing listens on $1 after 180 s" >&2; return 1; }
    sleep 0.2
  done
}

# stop PID: TERM, then KILL after 10 s; only processes this script started
stop() {
  local pid=$1 deadline=$((SECONDS + 10))
  kill "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() {
  for pid in "${STARTED_PIDS[@]}"; do stop "$pid"; done
}
trap cleanup EXIT

loadgen() {
  java ${LOADGEN_JAVA_OPTS:--Xmx1g} -cp "$CP" io.sluice.bench.load.LoadGenerator "$@"
}

# start_loadgen LOG ARGS...: a role in the background, stopped on exit; sets LOADGEN_PID. The subshell
# execs java, so the pid is java's own: a backgrounded shell function would be stopped and leave its
# java child running (a fan-out or a publisher from every earlier run, all taking CPU from the next).
start_loadgen() {
  local log=$1; shift
  (exec java ${LOADGEN_JAVA_OPTS:--Xmx1g} -cp "$CP" io.sluice.bench.load.LoadGenerator "$@" >"$log" 2>&1) &
  LOADGEN_PID=$!
  STARTED_PIDS+=("$LOADGEN_PID")
}

# start_sluice LABEL PORT [extra args...]: sets SERVER_PID, GC_LOG
start_sluice() {
  local label=$1 port=$2; shift 2
  GC_LOG="$WORK/gc-$label.log"
  java ${SLUICE_JAVA_OPTS:--XX:+UseZGC -XX:SoftMaxHeapSize=256m} "-Xlog:gc,safepoint:file=$GC_LOG" -jar "$JAR" --server.port="$(free_port)" \
    --sluice.rtmp.host=127.0.0.1 --sluice.rtmp.port="$port" --sluice.data-dir="$WORK/data-$label" \
    --sluice.keys.default-publish-policy=OPEN --sluice.admin.password=bench-only-password \
    --sluice.rtmp.max-connections-per-address=100000 --sluice.rtmp.max-handshakes=100000 "$@" \
    >"$WORK/$label.log" 2>&1 &
  SERVER_PID=$!
  STARTED_PIDS+=("$SERVER_PID")
  wait_port "$port" "$SERVER_PID"
}
