#!/usr/bin/env bash
# Runs every test project one after the other (the integration tests race real processes; running
# projects side by side on a 2-core machine would only add noise), then prints one summary line.
set -u
cd "$(dirname "$0")/.."
CONFIGURATION=${CONFIGURATION:-Release}
export GPDAEMON_OUT=${OUT:-$PWD/out}
# A test that makes no progress for this long (a deadlock) is killed with a dump of the test host and counted as a
# failure, so a hang fails the run in minutes instead of stalling it.
HANG_TIMEOUT=${TEST_HANG_TIMEOUT:-5m}
passed=0 failed=0 skipped=0
for project in tests/*.Tests/*.Tests.csproj; do
    name=$(basename "$project" .csproj)
    echo "=== $name"
    log=$(mktemp)
    dotnet test "$project" -c "$CONFIGURATION" --nologo --blame-hang-timeout "$HANG_TIMEOUT" --blame-hang-dump-type mini 2>&1 | tee "$log"
    status=${PIPESTATUS[0]}
    # VSTest's closing line: "Passed!  - Failed:     0, Passed:    12, Skipped:     0, Total:    12, ..."
    line=$(grep -E '(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+, Skipped: +[0-9]+' "$log" | tail -1)
    if [ -n "$line" ]; then
        f=$(sed -E 's/.*Failed: +([0-9]+),.*/\1/' <<<"$line")
        p=$(sed -E 's/.*Passed: +([0-9]+),.*/\1/' <<<"$line")
        s=$(sed -E 's/.*Skipped: +([0-9]+),.*/\1/' <<<"$line")
        passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + s))
        # A run aborted by the hang timeout (or a crash) may report no failed test: it is one.
        if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then failed=$((failed + 1)); fi
    else
        echo "!!! $name produced no test summary (exit $status): counted as one failure"
        failed=$((failed + 1))
    fi
    if grep -q "Test Run Aborted" "$log"; then
        echo "!!! $name: the test run was aborted (a test hung past $HANG_TIMEOUT, or the test host crashed); the dump is listed above"
    fi
    rm -f "$log"
done
echo "tests: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
