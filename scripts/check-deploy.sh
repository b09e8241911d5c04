#!/usr/bin/env bash
# Checks the Kubernetes recipe and the container image recipe without a cluster (none is available in CI):
#  1. deploy/k8s/*.yaml against the Kubernetes 1.33 API schemas, strictly (unknown fields are errors), with
#     kubernetes-validate (pinned in scripts/python-env.sh);
#  2. the Jobs agree with each other and with `generate --shard auto` (Indexed, completions = shard count in
#     every Job, retries per index with restartPolicy Never, --resume, one shared volume, one image);
#  3. deploy/Containerfile installs the Debian packages that hold every shared library the release binary loads
#     (ldd + dpkg -S; the Swift runtime is linked in by --static-swift-stdlib, so toolchain libraries are exempt)
#     and copies what the manifests run;
#  4. the Jobs' commands work: each generate pod's command (its `sh -c` line with the pod's environment and
#     JOB_COMPLETION_INDEX 0..n-1, a retried pod once more), then the merge Job's wait and merge commands, run here
#     with the image's paths mapped to this checkout and 40 frames instead of the manifest's options; the merged
#     dataset must equal a one-process run byte for byte.
# usage: scripts/check-deploy.sh [BINARY]     (default: $SYNTHBENCH_BIN or .build/release/synthbench)
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${SYNTHBENCH_VENV:-${TMPDIR:-/tmp}/synthbench-venv}"
validator="$venv/bin/kubernetes-validate"
if [ ! -x "$validator" ]; then
  echo "check-deploy: $validator missing (source scripts/python-env.sh to install kubernetes-validate)" >&2; exit 1
fi
kube_version=1.33.0
"$validator" --strict --kubernetes-version "$kube_version" --quiet deploy/k8s/*.yaml
echo "check-deploy: deploy/k8s/*.yaml valid for Kubernetes $kube_version (strict)"
bin=${1:-${SYNTHBENCH_BIN:-.build/release/synthbench}}
[ -x "$bin" ] || { echo "check-deploy: no binary at $bin (swift build -c release)" >&2; exit 1; }
toolchain=$(dirname "$(dirname "$(readlink -f "$(command -v swift)")")")
libs=$(ldd "$bin" | awk '/=> \// {print $3}' | while read -r path; do
  case "$(readlink -f "$path")" in "$toolchain"/*) continue ;; esac
  pkg=$(dpkg -S "$(readlink -f "$path")" 2>/dev/null || dpkg -S "$path" 2>/dev/null || echo "?: $path")
  echo "${pkg%%:*} $path"
done)
"$venv/bin/python" - "$kube_version" <<PY
import re, sys, yaml
errors = []
def check(cond, msg):
    if not cond: errors.append(msg)
docs = [d for d in yaml.safe_load_all(open("deploy/k8s/generate-job.yaml")) if d]
jobs = {d["metadata"]["name"]: d for d in docs if d["kind"] == "Job"}
claims = {d["metadata"]["name"] for d in docs if d["kind"] == "PersistentVolumeClaim"}
gen, merge = jobs.get("synthbench-generate"), jobs.get("synthbench-merge")
check(gen is not None and merge is not None, "generate-job.yaml: needs Jobs synthbench-generate and synthbench-merge")
if gen and merge:
    spec = gen["spec"]
    n = spec.get("completions")
    run = {e["name"]: e.get("value") for e in spec["template"]["spec"]["containers"][0].get("env", [])}.get("RUN")
    check(bool(run), "synthbench-generate: the generate container needs env RUN (the dataset's name on the volume)")
    check(spec.get("completionMode") == "Indexed", "synthbench-generate: completionMode must be Indexed")
    check(isinstance(n, int) and n >= 1, "synthbench-generate: completions must be a positive integer")
    check(1 <= spec.get("parallelism", 1) <= (n or 1), "synthbench-generate: parallelism must be 1..completions")
    check(spec.get("backoffLimitPerIndex", 0) >= 1, "synthbench-generate: backoffLimitPerIndex >= 1 (retries per shard)")
    check(spec.get("maxFailedIndexes") == 0, "synthbench-generate: maxFailedIndexes must be 0 (no partial set)")
    for job in (gen, merge):
        name = job["metadata"]["name"]
        pod = job["spec"]["template"]["spec"]
        check(pod.get("restartPolicy") == "Never", f"{name}: restartPolicy must be Never (retries make new pods)")
        vols = {v["name"]: v.get("persistentVolumeClaim", {}).get("claimName") for v in pod.get("volumes", [])}
        for c in pod.get("initContainers", []) + pod["containers"]:
            env = {e["name"]: e.get("value") for e in c.get("env", [])}
            check(env.get("SYNTHBENCH_SHARD_COUNT") == str(n),
                  f"{name}/{c['name']}: SYNTHBENCH_SHARD_COUNT {env.get('SYNTHBENCH_SHARD_COUNT')!r} != completions {n}")
            check(env.get("RUN") == run, f"{name}/{c['name']}: RUN {env.get('RUN')!r} differs from synthbench-generate's {run!r}")
            check(c["image"] == gen["spec"]["template"]["spec"]["containers"][0]["image"], f"{name}/{c['name']}: another image")
            for m in c.get("volumeMounts", []):
                check(vols.get(m["name"]) in claims, f"{name}/{c['name']}: volume {m['name']} is not the shared claim")
    cmd = " ".join(gen["spec"]["template"]["spec"]["containers"][0]["args"])
    for flag in ("--shard auto", "--resume", "/usr/local/bin/synthbench generate", "JOB_COMPLETION_INDEX"):
        check(flag in cmd, f"synthbench-generate: the command must contain {flag!r}")
    mcmd = " ".join(merge["spec"]["template"]["spec"]["containers"][0]["args"])
    check("/usr/local/lib/synthbench/merge-task /usr/local/bin/synthbench" in mcmd, "synthbench-merge: must run merge-task with the image's binary")
cf = open("deploy/Containerfile").read()
check("COPY \${BINARY} /usr/local/bin/synthbench" in cf, "Containerfile: must copy the binary to /usr/local/bin/synthbench")
check("COPY scripts/slurm/merge-task /usr/local/lib/synthbench/merge-task" in cf, "Containerfile: must copy merge-task")
check(re.search(r"^FROM debian:bookworm", cf, re.M) is not None, "Containerfile: base must be Debian 12 (bookworm), like CI")
m = re.search(r"apt-get install -y --no-install-recommends ([^\\\\&\n]+)", cf)
installed = set(m.group(1).split()) if m else set()
check(bool(installed), "Containerfile: no apt-get install line")
needed = [l.split(" ", 1) for l in """$libs""".strip().splitlines() if l.strip()]
for pkg, path in needed:
    pkg = pkg.split(":")[0]
    check(pkg == "libc6" or pkg in installed, f"Containerfile: the binary loads {path} (package {pkg}), which the image does not install")
if errors:
    print("check-deploy: " + "\n  ".join(["failed:"] + errors)); sys.exit(1)
print(f"check-deploy: Jobs consistent; the image installs the packages of all {len(needed)} non-toolchain libraries the binary loads")
PY

# 4. The pods' commands, run here.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/data"
ln -s "$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")" "$tmp/bin/synthbench"
opts="--preset full --frames 40 --seed 3 --envs 2"
"$bin" generate $opts --lanes 2 --out "$tmp/reference" --quiet > /dev/null
"$venv/bin/python" - "$tmp" "$opts" "$PWD" <<'PY'
import os, subprocess, sys, yaml
tmp, opts, repo = sys.argv[1:4]
docs = [d for d in yaml.safe_load_all(open("deploy/k8s/generate-job.yaml")) if d]
jobs = {d["metadata"]["name"]: d for d in docs if d["kind"] == "Job"}
def local(text):
    return (text.replace("/usr/local/bin/synthbench", f"{tmp}/bin/synthbench")
                .replace("/usr/local/lib/synthbench/merge-task", f"{repo}/scripts/slurm/merge-task")
                .replace("/data", f"{tmp}/data"))
def run(container, extra, what):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SLURM_")}
    env.update({e["name"]: e["value"] for e in container.get("env", [])})
    env.update(extra)
    if "GENERATE_OPTIONS" in env: env["GENERATE_OPTIONS"] = opts
    if "LANES" in env: env["LANES"] = "1"
    cmd = [local(container["command"][0])] + container["command"][1:] + [local(a) for a in container["args"]]
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        sys.exit(f"check-deploy: {what} exited {r.returncode}: {(r.stdout + r.stderr).strip()[-500:]}")
gen = jobs["synthbench-generate"]
n = gen["spec"]["completions"]
pod = gen["spec"]["template"]["spec"]["containers"][0]
for k in list(range(n)) + [0]:
    run(pod, {"JOB_COMPLETION_INDEX": str(k)}, f"generate pod {k}")
mpod = jobs["synthbench-merge"]["spec"]["template"]["spec"]
for c in mpod.get("initContainers", []) + mpod["containers"]:
    run(c, {}, f"merge Job container {c['name']}")
PY
run=$(awk '/name: RUN/ {gsub(/[",}]/, "", $NF); print $NF; exit}' deploy/k8s/generate-job.yaml)
differ=$(diff -r -x manifest.json "$tmp/reference" "$tmp/data/$run" 2>&1 | head -3 || true)
[ -z "$differ" ] && [ -f "$tmp/data/$run/manifest.json" ] && [ -s "$tmp/data/$run.shards/audit.json" ] \
  || { echo "check-deploy: the Jobs' commands did not produce the one-process dataset: ${differ:-manifest or reports missing}"; exit 1; }
echo "check-deploy: the Jobs' commands, run here (every generate pod, a retried one, the merge), give the one-process dataset byte for byte"
