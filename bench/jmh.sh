#!/usr/bin/env bash
# JMH micro-benchmarks (src/bench/java): the chunk codec, AMF0 and the fan-out path, with the GC
# profiler for bytes allocated per operation. Arguments go to JMH, e.g. a benchmark regex:
#   bench/jmh.sh                      # everything (about 6 minutes)
#   bench/jmh.sh FanOut -p players=1000
set -euo pipefail
cd "$(dirname "$0")/.."
build=${SLUICE_BUILD_DIR:-target}
if [[ ! -f $build/test-classes/META-INF/BenchmarkList || -n ${REBUILD:-} ]]; then
  ./mvnw -q -B -Dsluice.frontend.skip=true -Dsluice.build.dir="$build" test-compile
fi
if [[ ! -f $build/bench.classpath || pom.xml -nt $build/bench.classpath ]]; then
  ./mvnw -q -B -Dsluice.build.dir="$build" dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$build/bench.classpath"
fi
exec java -cp "$build/test-classes:$build/classes:$(cat "$build/bench.classpath")" \
  org.openjdk.jmh.Main -prof gc -rf text -rff "$build/jmh-result.txt" "${@:-.*Benchmark.*}"
