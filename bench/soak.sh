#!/usr/bin/env bash
# Soak test: runs the Sluice jar in its own process under churning publishers, players, HTTP-FLV viewers
# and garbage connections (recordings on), samples heap after GC, direct memory, threads, descriptors
# and Netty's leak reports, checks every recording with ffprobe/ffmpeg, and prints a markdown summary
# for docs/RELIABILITY.md. Exits non-zero when a resource grew, a leak was reported, a garbage
# connection stayed open, a well-behaved client failed or a recording is not complete and playable.
#
#   bench/soak.sh [--reuse-jar] [--duration 30m] [--publishers 5] [--players 30] [--flv-viewers 3]
#                 [--garbage-per-second 2] [--sample-interval 30s] [--work-dir DIR] ...
#
# --reuse-jar skips the build when target/ already has the jar and test classes. MVN_FLAGS adds
# Maven flags (e.g. MVN_FLAGS=-o offline). Needs ffmpeg and ffprobe on the PATH, and a JDK (jcmd).
# The options of the driver: io.sluice.bench.soak.SoakOptions (any unknown option prints them).
set -euo pipefail
cd "$(dirname "$0")/.."

reuse=false
args=()
work_dir_given=false
for arg in "$@"; do
  case "$arg" in
    --reuse-jar) reuse=true ;;
    --work-dir) work_dir_given=true; args+=("$arg") ;;
    *) args+=("$arg") ;;
  esac
done

for tool in ffmpeg ffprobe jcmd java; do
  command -v "$tool" >/dev/null || { echo "soak: $tool is not on the PATH" >&2; exit 2; }
done

# shellcheck disable=SC2206
mvn=(./mvnw -q -Dsluice.frontend.skip=true ${MVN_FLAGS:-})
jar=target/sluice-0.1.0-SNAPSHOT.jar
if ! $reuse || [[ ! -f $jar || ! -d target/test-classes/io/sluice/bench/soak ]]; then
  echo "soak: building the jar and the bench classes" >&2
  "${mvn[@]}" -DskipTests package
fi
classpath_file=target/soak.classpath
if [[ ! -s $classpath_file || pom.xml -nt $classpath_file ]]; then
  "${mvn[@]}" dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$classpath_file"
fi

if ! $work_dir_given; then
  args+=(--work-dir "target/soak-$(date +%Y%m%d-%H%M%S)")
fi

exec java -Xmx1g -Dsoak.command="bench/soak.sh $*" \
  -cp "target/test-classes:target/classes:$(cat "$classpath_file")" \
  io.sluice.bench.soak.SoakMain --jar "$jar" "${args[@]}"
