#!/usr/bin/env bash
# libFuzzer on the parsers of outside input (Tests/Fuzz/FuzzTargets.swift), built with
# `swiftc -sanitize=fuzzer,address` from FramesCore's sources.
#   scripts/fuzz.sh [SECONDS]   run each target for SECONDS (default 60) from its committed corpus
#   scripts/fuzz.sh --replay    run every committed corpus and regression input once (CI)
# New inputs go to .build-fuzz/corpus/TARGET, never into the repo; a crash leaves its input in
# .build-fuzz/ and the run fails: commit that input under Tests/Fuzz/regressions/TARGET/.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
# libFuzzer and ASan report a crash themselves; the Swift runtime's backtracer would only race them.
export SWIFT_BACKTRACE=enable=no
targets=(csv query colors colormap_file dlis las)
out=.build-fuzz
binary=$out/frames-fuzz
mkdir -p "$out"

# FramesCore's one package dependency, swift-numerics' RealModule (its sines), built once as a plain
# library: the fuzzers need no coverage of it.
swift package resolve
numerics=.build/checkouts/swift-numerics/Sources
if [[ ! -f $out/libRealModule.a ]] || [[ -n $(find "$numerics/RealModule" -newer "$out/libRealModule.a" -print -quit) ]]; then
  swiftc -O -parse-as-library -module-name RealModule -I "$numerics/_NumericsShims/include" -emit-module \
    -emit-module-path "$out/RealModule.swiftmodule" -emit-library -static -o "$out/libRealModule.a" "$numerics"/RealModule/*.swift
fi

sources=(Tests/Fuzz/FuzzTargets.swift $(find Sources/FramesCore -name '*.swift' | sort))
if [[ ! -x $binary ]] || [[ -n $(find "${sources[@]}" -newer "$binary" -print -quit) ]]; then
  echo "building $binary"
  # The linker's notes about ASan's local symbols are noise.
  swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name FramesFuzz -I "$out" -I "$numerics/_NumericsShims/include" \
    -L "$out" -lRealModule "${sources[@]}" -o "$binary" 2>&1 | grep -v "Cannot export local symbol" || true
  [[ -x $binary ]]
fi

if [[ ${1:-} == --replay ]]; then
  for target in "${targets[@]}"; do
    inputs=(Tests/Fuzz/corpus/$target/*)
    [[ -d Tests/Fuzz/regressions/$target ]] && inputs+=(Tests/Fuzz/regressions/$target/*)
    FUZZ_TARGET=$target "$binary" -runs=0 "${inputs[@]}" >"$out/replay-$target.log" 2>&1 \
      || { tail -30 "$out/replay-$target.log"; echo "fuzz replay: $target FAILED"; exit 1; }
    echo "fuzz replay: $target: ${#inputs[@]} inputs, no crash"
  done
  exit 0
fi

seconds=${1:-60}
total=0
for target in "${targets[@]}"; do
  mkdir -p "$out/corpus/$target"
  log=$out/fuzz-$target.log
  FUZZ_TARGET=$target "$binary" -max_total_time="$seconds" -print_final_stats=1 -timeout=5 -rss_limit_mb=1024 \
    -dict="Tests/Fuzz/dictionaries/$target.dict" -artifact_prefix="$out/$target-" \
    "$out/corpus/$target" "Tests/Fuzz/corpus/$target" >"$log" 2>&1 \
    || { tail -40 "$log"; echo "fuzz: $target FAILED (input saved under $out/$target-*)"; exit 1; }
  runs=$(awk '/stat::number_of_executed_units/ {print $2}' "$log")
  total=$((total + runs))
  echo "fuzz: $target: $runs executions in ${seconds} s, no crash, timeout or leak"
done
echo "fuzz: $total executions in all"
