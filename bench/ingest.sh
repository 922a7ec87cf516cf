#!/usr/bin/env bash
# Ingest: M publishers at the stream's bitrate to Sluice with every publish recorded; then every frame
# each publisher sent is looked for in the FLV files (FlvReader). See bench/README.md.
#
#   bench/ingest.sh                                   # 100 publishers for 30 s
#   PUBLISHERS=10 DURATION_S=10 bench/ingest.sh       # quick run
cd "$(dirname "$0")/.."
source bench/lib.sh

PUBLISHERS=${PUBLISHERS:-100}
DURATION_S=${DURATION_S:-30}

build
echo "work directory: $WORK" >&2
port=$(free_port)
start_sluice ingest "$port" --sluice.recording.all=true
LOADGEN_JAVA_OPTS=${LOADGEN_JAVA_OPTS:--Xmx2g} loadgen ingest --url "rtmp://127.0.0.1:$port/live/ingest" \
  --publishers "$PUBLISHERS" --duration-s "$DURATION_S" --recordings "$WORK/data-ingest/recordings" \
  --server-pid "$SERVER_PID" --gc-log "$GC_LOG" | tee "$WORK/ingest.txt"
exit "${PIPESTATUS[0]}"
