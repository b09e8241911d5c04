#!/usr/bin/env bash
# The Slurm recipe on a real single-node cluster (scripts/slurm/local-cluster: munged, slurmctld, slurmd on this
# machine; needs root, so it is skipped, saying so, only when not root). Two runs of scripts/slurm/submit-generate,
# 4 shards of the same 100 `full` frames, and one one-process `generate` of the same frames as the reference:
#   1. the merged dataset is byte-identical to the reference (every file; manifests list the same digests), the
#      validate and audit reports are there, the shard folders are gone;
#   2. the same with one shard's `generate` process killed with SIGKILL mid-run (after it journaled frames):
#      its task retries with --resume, which continues from the killed run's frames, and the result still matches;
#   3. a shard that keeps failing fails the array and the merge never runs (OUT absent); submitting again with
#      the same options resumes the shards and ends with the same bytes.
# The cluster is stopped at the end by its daemons' pids. Prints the times of the one-process run, of each
# Slurm run (submission to merged, validated and audited dataset) and of the merge.
# usage: scripts/test-slurm.sh    env: SYNTHBENCH_BIN (default .build/release/synthbench, built when missing)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then
  echo "test-slurm: SKIPPED: starting munged, slurmctld and slurmd needs root (uid $(id -u))"
  exit 0
fi
need=()
for p in munge slurmctld slurmd slurm-client; do dpkg -s "$p" >/dev/null 2>&1 || need+=("$p"); done
if [ ${#need[@]} -gt 0 ]; then
  env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
bin=${SYNTHBENCH_BIN:-.build/release/synthbench}
if [ -z "${SYNTHBENCH_BIN:-}" ] && [ ! -x "$bin" ]; then swift build -c release --product synthbench; fi
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/synthbench-slurm.XXXXXX")
chmod 755 "$tmp"   # munged runs as the munge user and needs to reach its directory inside
cleanup() {
  local rc=$?
  scripts/slurm/local-cluster stop "$tmp/cluster" || true
  if [ $rc -ne 0 ]; then
    echo "test-slurm: FAILED; logs:" >&2
    tail -n 30 "$tmp"/run*.shards/logs/*.log "$tmp/cluster/log/"*.log 2>/dev/null >&2 || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "test-slurm: FAILED: $*" >&2; exit 1; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

conf=$(scripts/slurm/local-cluster start "$tmp/cluster") || fail "the cluster did not start"
eval "$conf"
echo "test-slurm: cluster up ($(sinfo -h -o '%D node, %c CPUs'), SLURM_CONF=$SLURM_CONF)"
opts=(--preset full --frames 100 --seed 13)

t0=$(now)
"$bin" generate "${opts[@]}" --envs 4 --lanes 2 --out "$tmp/ref" --quiet > /dev/null
t_ref=$(secs "$t0" "$(now)")

# Polls `scontrol show job` (no accounting daemon) until the job ends; prints its final state.
wait_job() {
  local id=$1 state="" deadline=$((SECONDS + 300))
  while [ $SECONDS -lt $deadline ]; do
    state=$(scontrol show job -o "$id" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | head -1 | cut -d= -f2 || true)
    case "$state" in
      COMPLETED|FAILED|CANCELLED|TIMEOUT|NODE_FAIL|OUT_OF_MEMORY|PREEMPTED|BOOT_FAIL|DEADLINE) echo "$state"; return 0 ;;
    esac
    sleep 0.2
  done
  echo "TIMEOUT_WAITING($state)"
}

# Byte-for-byte: the same file names (manifest.json included), every file but the manifest identical, and both
# manifests listing the same digests.
same_as_reference() {
  local dir=$1
  diff <(cd "$tmp/ref" && find . -type f | sort) <(cd "$dir" && find . -type f | sort) > /dev/null \
    || fail "$dir holds other files than the one-process run: $(diff <(cd "$tmp/ref" && find . -type f | sort) <(cd "$dir" && find . -type f | sort) | head -5 | tr '\n' ' ')"
  local n=0 f
  while IFS= read -r f; do
    [ "$f" = ./manifest.json ] && continue
    cmp -s "$tmp/ref/$f" "$dir/$f" || fail "$dir/$f differs from the one-process run"
    n=$((n + 1))
  done < <(cd "$tmp/ref" && find . -type f | sort)
  python3 - "$tmp/ref/manifest.json" "$dir/manifest.json" <<'PY' || fail "$dir/manifest.json lists other digests"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
sys.exit(not (a["files"] == b["files"] and a["config_hash"] == b["config_hash"] and a["seed"] == b["seed"]
              and b["shard"] == {"index": 1, "count": 1} and len(a["files"]) > 300))
PY
  echo "$n"
}

# submit NAME [VAR=VALUE...]: 4 shards of the options (one episode in flight, so frames reach the journal one by
# one and a kill lands mid-run; the bytes do not depend on --envs or --lanes); prints the merge job's id.
submit() {
  local name=$1 merge; shift
  merge=$(env "$@" SYNTHBENCH="$bin" scripts/slurm/submit-generate "$tmp/$name" 4 "${opts[@]}" --envs 1 --lanes 1 \
          2> "$tmp/$name.submit.err" | tail -1) || fail "submit-generate: $(cat "$tmp/$name.submit.err")"
  [[ "$merge" =~ ^[0-9]+$ ]] || fail "submit-generate's last line is not a job id: '$merge'"
  echo "$merge"
}

# kill_mid_run WORK: SIGKILLs the generate process of the first shard seen mid-run (frames journaled, no manifest
# yet); prints the shard's number.
kill_mid_run() {
  local work=$1 deadline=$((SECONDS + 120)) k pid lines
  while [ $SECONDS -lt $deadline ]; do
    for k in 1 2 3 4; do
      [ -f "$work/logs/shard-$k.pid" ] && [ -f "$work/shard-$k/.synthbench/journal.tsv" ] || continue
      lines=$(wc -l < "$work/shard-$k/.synthbench/journal.tsv" 2>/dev/null || echo 0)
      [ "$lines" -ge 2 ] && [ ! -f "$work/shard-$k/manifest.json" ] || continue
      pid=$(cat "$work/logs/shard-$k.pid" 2>/dev/null || true)
      [ -n "$pid" ] && grep -q generate "/proc/$pid/cmdline" 2>/dev/null || continue
      kill -KILL "$pid" 2>/dev/null || continue
      echo "test-slurm: killed shard $k's generate (pid $pid) with SIGKILL after $lines journaled frames" >&2
      echo "$k"
      return 0
    done
    sleep 0.01
  done
  fail "no shard could be caught mid-run to kill"
}

# check NAME MERGE_JOB START: the merge job completed and NAME is the reference's bytes; prints a summary.
check() {
  local name=$1 merge=$2 start=$3 out="$tmp/$1" work="$tmp/$1.shards" state t n merge_s
  state=$(wait_job "$merge")
  t=$(secs "$start" "$(now)")
  [ "$state" = COMPLETED ] || fail "$name: merge job $merge ended $state"
  n=$(same_as_reference "$out")
  [ -s "$work/validate.json" ] && [ -s "$work/audit.json" ] || fail "$name: validate/audit reports missing in $work"
  ls -d "$work"/shard-* > /dev/null 2>&1 && fail "$name: shard folders left in $work"
  merge_s=$(grep -o 'merged in [0-9.]* s' "$work/logs/merge.log" | tail -1 | awk '{print $3}')
  echo "4 shards merged, validated and audited in $t s (merge $merge_s s); $n files identical to the one-process run"
}

# 0. Bad usage: exit 2 naming the argument, nothing submitted.
mkdir -p "$tmp/full" && touch "$tmp/full/x"
bad_usage() { # WANT ARGS...
  local want=$1 rc=0; shift
  SYNTHBENCH="$bin" scripts/slurm/submit-generate "$@" > "$tmp/usage.out" 2> "$tmp/usage.err" || rc=$?
  [ $rc -eq 2 ] && grep -q -- "$want" "$tmp/usage.err" \
    || fail "submit-generate $*: expected exit 2 naming $want, got $rc: $(cat "$tmp/usage.err")"
}
bad_usage SHARDS "$tmp/u" x --frames 8
bad_usage SHARDS "$tmp/u" 0 --frames 8
bad_usage "--out" "$tmp/u" 2 --frames 8 --out "$tmp/v"
bad_usage "--shard" "$tmp/u" 2 --frames 8 --shard 1/2
bad_usage "--config" "$tmp/u" 2 --config "$tmp/missing.yaml"
bad_usage "--lanes" "$tmp/u" 2 --lanes 0
bad_usage "OUT" "$tmp/full" 2 --frames 8
# sbatch reads its options from the environment (SBATCH_PARTITION here): refused by Slurm, exit 1.
rc=0; SBATCH_PARTITION=no-such-partition SYNTHBENCH="$bin" scripts/slurm/submit-generate "$tmp/p" 2 --frames 8 \
  > /dev/null 2> "$tmp/usage.err" || rc=$?
[ $rc -eq 1 ] && grep -qi "partition" "$tmp/usage.err" \
  || fail "SBATCH_PARTITION=no-such-partition: expected exit 1 and sbatch's message, got $rc: $(cat "$tmp/usage.err")"
[ -z "$(squeue -h)" ] || fail "bad usage submitted jobs: $(squeue -h)"
echo "test-slurm: submit-generate refuses bad usage with exit 2 naming the argument; passes SBATCH_PARTITION to sbatch"

# 1. Plain run.
start=$(now); merge=$(submit run1)
echo "test-slurm: run1: $(check run1 "$merge" "$start")"

# 2. One shard's process killed mid-run: its task retries with --resume.
start=$(now); merge=$(submit run2)
k=$(kill_mid_run "$tmp/run2.shards")
summary=$(check run2 "$merge" "$start")
log="$tmp/run2.shards/logs/shard-$k.log"
grep -q "attempt 1/3 failed: generate killed by signal 9" "$log" || fail "run2: shard $k's log does not show the SIGKILL: $(cat "$log")"
grep -q '"resumed_from":[0-9]' "$log" || fail "run2: shard $k's second attempt did not resume: $(cat "$log")"
echo "test-slurm: run2: $summary (shard $k killed, resumed: $(grep -o '"resumed_from":[0-9]*' "$log"))"

# 3. A shard that keeps failing (one attempt allowed, killed): the array fails, the merge never runs, OUT stays
#    absent; submitting again with the same options resumes the shards and completes.
start=$(now); merge=$(submit run3 SYNTHBENCH_ATTEMPTS=1)
k=$(kill_mid_run "$tmp/run3.shards")
state=$(wait_job "$merge")
[ "$state" = CANCELLED ] || fail "run3: the merge job after a failed shard ended $state, expected CANCELLED (never run)"
[ ! -e "$tmp/run3" ] || fail "run3: $tmp/run3 exists although a shard failed"
grep -q "failed 1 times" "$tmp/run3.shards/logs/shard-$k.log" || fail "run3: shard $k's log: $(cat "$tmp/run3.shards/logs/shard-$k.log")"
merge=$(submit run3)
summary=$(check run3 "$merge" "$start")
grep -q '"resumed_from":[0-9]' "$tmp/run3.shards/logs/shard-$k.log" || fail "run3: the resubmitted shard $k did not resume"
echo "test-slurm: run3: shard $k failed for good: no merge; resubmitted: $summary"

echo "test-slurm: one-process run of the same 100 frames (2 lanes): $t_ref s"
echo "test-slurm: passed"
