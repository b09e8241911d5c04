#!/usr/bin/env bash
# Checks the Kubernetes recipe and the container image recipe without a cluster (none is available in CI):
#  1. deploy/k8s/*.yaml against the Kubernetes 1.33 API schemas, strictly (unknown fields are errors), with
#     kubernetes-validate (pinned in scripts/python-env.sh);
#  2. the Jobs agree with each other and with `generate --shard auto` (Indexed, completions = shard count in
#     every Job, retries per index with restartPolicy Never, --resume, one shared volume, one image);
#  3. deploy/Containerfile installs the Debian packages that hold every shared library the release binary loads
#     (ldd + dpkg -S; the Swift runtime is linked in by --static-swift-stdlib, so toolchain libraries are exempt)
#     and copies what the manifests run.
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
