#!/usr/bin/env bash
# Rebuilds the exported training and held-aside datasets of MODEL_CARD.md from models/datasets.tsv: each repository
# is cloned without file contents (as the originals were read: --allow-missing-blobs), its default branch set to the
# commit listed, and exported with Merit's own ingestion, people's commits only.
#
#   models/rebuild-datasets.sh OUT_DIR [train|held-aside|all]
#
# Needs a built jar (./mvnw package -DskipTests) and git. Clones go to OUT_DIR/clones; MERIT_GIT_BASE overrides
# https://github.com (a mirror). A file already in OUT_DIR is kept. The datasets stay out of this repository.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: $0 OUT_DIR [train|held-aside|all]}"
role="${2:-all}"
base="${MERIT_GIT_BASE:-https://github.com}"
jar="$here/../target/quarkus-app/quarkus-run.jar"
[ -f "$jar" ] || { echo "no $jar: build it first (./mvnw package -DskipTests)" >&2; exit 1; }
mkdir -p "$out/clones"
grep -v '^#' "$here/datasets.tsv" | while IFS=$'\t' read -r repo commit people kind; do
  [ "$role" = all ] || [ "$role" = "$kind" ] || continue
  file="$out/${repo/\//+}.jsonl.gz"
  [ -f "$file" ] && { echo "kept $file"; continue; }
  clone="$out/clones/${repo/\//+}.git"
  [ -d "$clone" ] || git clone --quiet --bare --filter=blob:none "$base/$repo" "$clone"
  git -C "$clone" cat-file -e "$commit^{commit}" 2>/dev/null || git -C "$clone" fetch --quiet origin "$commit"
  git -C "$clone" update-ref "$(git -C "$clone" symbolic-ref HEAD)" "$commit"
  part="$out/partial-${repo/\//+}.jsonl.gz" # written gzipped because of its name; renamed once complete
  java -jar "$jar" export-dataset "$clone" --name "$repo" --people-only --allow-missing-blobs --out "$part" </dev/null
  mv "$part" "$file"
  echo "$repo at $commit: $people people's commits listed; wrote $file"
done
