#!/usr/bin/env bash
# Runs every test project one after the other (the integration tests race real processes; running
# projects side by side on a 2-core machine would only add noise), then prints one summary line.
# The counts come from each project's TRX file (in $TEST_RESULTS, default .test-results), not from console text.
set -u
cd "$(dirname "$0")/.."
CONFIGURATION=${CONFIGURATION:-Release}
export GPDAEMON_OUT=${OUT:-$PWD/out}
# A test that makes no progress for this long (a deadlock) is killed with a dump of the test host and counted as a
# failure, so a hang fails the run in minutes instead of stalling it.
HANG_TIMEOUT=${TEST_HANG_TIMEOUT:-5m}
RESULTS=$(realpath -m "${TEST_RESULTS:-.test-results}")
command -v xmllint >/dev/null || { echo "tests: xmllint is missing (libxml2-utils): run 'make deps'" >&2; exit 1; }
rm -rf "$RESULTS" && mkdir -p "$RESULTS"
# How many of a TRX file's test results have the outcome (the file's default namespace needs local-name()).
count() {
    xmllint --xpath "count(//*[local-name()='UnitTestResult'][@outcome='$2'])" "$1"
}
passed=0 failed=0 skipped=0
for project in tests/*.Tests/*.Tests.csproj; do
    name=$(basename "$project" .csproj)
    echo "=== $name"
    trx="$RESULTS/$name.trx"
    dotnet test "$project" -c "$CONFIGURATION" --nologo --blame-hang-timeout "$HANG_TIMEOUT" --blame-hang-dump-type mini \
        --logger "trx;LogFileName=$name.trx" --results-directory "$RESULTS"
    status=$?
    if [ -s "$trx" ] && total=$(xmllint --xpath "count(//*[local-name()='UnitTestResult'])" "$trx" 2>/dev/null); then
        # Skipped tests are "NotExecuted"; every other outcome but "Passed" (Failed, Error, Timeout, Aborted) is a failure.
        p=$(count "$trx" Passed) s=$(count "$trx" NotExecuted)
        f=$((total - p - s))
        passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
        # A run aborted by the hang timeout (or a crash) may report no failed test: it is one.
        if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
            echo "!!! $name exited with $status but no test failed: the run was aborted (a test hung past $HANG_TIMEOUT, or the test host crashed; a dump is listed above); counted as one failure"
            failed=$((failed + 1))
        fi
    else
        echo "!!! $name wrote no test results to $trx (exit $status): counted as one failure"
        failed=$((failed + 1))
    fi
done
echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
