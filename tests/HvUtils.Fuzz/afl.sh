#!/bin/sh
# AFL++ over the channel harnesses through SharpFuzz (docs/fuzzing.md). Not part of CI.
#
#   tests/HvUtils.Fuzz/afl.sh CHANNEL [SECONDS]      CHANNEL: kvp | vss | fcopy-legacy | fcopy-uio
#
# 1. installs afl++ (Debian package) and the SharpFuzz instrumenter (dotnet tool SharpFuzz.CommandLine)
#    when they are missing; 2. publishes tests/HvUtils.Fuzz; 3. instruments the service assemblies
#    (Core, Kvp, Vss, Fcopy) in the published copy; 4. writes the golden vectors as the input corpus;
#    5. runs afl-fuzz for SECONDS (default 600). Findings: $WORK/out/default/crashes (each file is one
#    message; replay: dotnet $OUT/HvUtils.Fuzz.dll CHANNEL --afl < FILE).
set -eu
CHANNEL=${1:?usage: afl.sh CHANNEL [SECONDS]}
SECONDS_TO_RUN=${2:-600}
REPO=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${AFL_WORK:-/tmp/hvutils-afl-$CHANNEL}
OUT=$WORK/bin
TOOLS=$WORK/tools

if ! command -v afl-fuzz >/dev/null 2>&1; then
    apt-get update && apt-get install -y afl++
fi
if [ ! -x "$TOOLS/sharpfuzz" ]; then
    dotnet tool install --tool-path "$TOOLS" SharpFuzz.CommandLine --version 2.3.0
fi

rm -rf "$OUT" "$WORK/in"
# A separate artifacts tree: the instrumented copy never mixes with a developer build.
dotnet publish "$REPO/tests/HvUtils.Fuzz" -c Release -o "$OUT" --artifacts-path "$WORK/artifacts" --nologo -v quiet
# Before instrumenting: instrumented code needs AFL's shared memory and crashes outside afl-fuzz.
dotnet "$OUT/HvUtils.Fuzz.dll" "$CHANNEL" --dump-seeds "$WORK/in"
for asm in HvUtils.Core HvUtils.Kvp HvUtils.Vss HvUtils.Fcopy; do
    "$TOOLS/sharpfuzz" "$OUT/$asm.dll"
done

# The .NET host is not an AFL-instrumented binary (SharpFuzz instruments the IL): skip that check.
export AFL_SKIP_BIN_CHECK=1
# A container without a core pattern / CPU governor AFL likes.
export AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1
# afl-fuzz kills the persistent target at the end, so its sandbox is not disposed: keep it under $WORK and remove it here.
export HVUTILS_FUZZ_DIR="$WORK/sandbox"
rm -rf "$HVUTILS_FUZZ_DIR" && mkdir -p "$HVUTILS_FUZZ_DIR"
rc=0
afl-fuzz -i "$WORK/in" -o "$WORK/out" -t 5000 -m none -V "$SECONDS_TO_RUN" -- dotnet "$OUT/HvUtils.Fuzz.dll" "$CHANNEL" --afl || rc=$?
rm -rf "$HVUTILS_FUZZ_DIR"
grep -E "execs_done|execs_per_sec|corpus_count|saved_crashes|saved_hangs|stability" "$WORK/out/default/fuzzer_stats" || true
exit $rc
