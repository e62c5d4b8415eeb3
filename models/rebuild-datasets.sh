#!/usr/bin/env bash
# Rebuilds the exported training and held-aside datasets of MODEL_CARD.md from models/datasets.tsv: each repository
# is cloned (all of its history and file contents), its default branch set to the commit listed, and exported with
# Merit's own ingestion, people's commits only.
#
#   models/rebuild-datasets.sh OUT_DIR [train|held-aside|all]
#
# Needs a built jar (./mvnw package -DskipTests) and git. Clones go to OUT_DIR/clones; MERIT_GIT_BASE overrides
# https://github.com (a mirror). MERIT_MIRRORS names a directory of bare copies already fetched, one per repository
# at MERIT_MIRRORS/OWNER+NAME/repo (as the tool library's fetch lays them out): those are exported in place,
# uncloned. A file already in OUT_DIR is kept; an export is written under OUT_DIR/.partial and moved into OUT_DIR
# only once complete, so OUT_DIR/*.jsonl.gz never holds a cut file. The datasets stay out of this repository.
#
# The exports behind v2.1 and v2.2 were read from snapshots that lacked the content of a few large files
# (--allow-missing-blobs: no line counts for those). A full clone gives those files their counts, so a rebuilt file
# has the same commits and labels and, for those few commits, slightly different size features; the bit-identical
# files are the ones whose SHA-256 each model's manifest.json records.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:?usage: $0 OUT_DIR [train|held-aside|all]}"
role="${2:-all}"
case "$role" in train|held-aside|all) ;; *) echo "unknown role '$role': train, held-aside or all" >&2; exit 2 ;; esac
base="${MERIT_GIT_BASE:-https://github.com}"
jar="$here/../target/quarkus-app/quarkus-run.jar"
[ -f "$jar" ] || { echo "no $jar: build it first (./mvnw package -DskipTests)" >&2; exit 1; }
mkdir -p "$out/clones" "$out/.partial"
grep -v '^#' "$here/datasets.tsv" | while IFS=$'\t' read -r repo commit people kind; do
  [ "$role" = all ] || [ "$role" = "$kind" ] || continue
  key="${repo/\//+}"
  file="$out/$key.jsonl.gz"
  [ -f "$file" ] && { echo "kept $file"; continue; }
  clone="$out/clones/$key.git"
  if [ -n "${MERIT_MIRRORS:-}" ] && [ -d "$MERIT_MIRRORS/$key/repo" ]; then
    clone="$MERIT_MIRRORS/$key/repo"
  elif [ ! -d "$clone" ]; then # cloned aside and renamed once whole: an interrupted clone is not taken for one
    rm -rf "$clone.tmp"
    git clone --quiet --bare "$base/$repo" "$clone.tmp"
    mv "$clone.tmp" "$clone"
  fi
  git -C "$clone" cat-file -e "$commit^{commit}" 2>/dev/null || git -C "$clone" fetch --quiet origin "$commit"
  git -C "$clone" update-ref "$(git -C "$clone" symbolic-ref HEAD)" "$commit"
  part="$out/.partial/$key.jsonl.gz" # written gzipped because of its name
  java -jar "$jar" export-dataset "$clone" --name "$repo" --people-only --allow-missing-blobs --out "$part" </dev/null
  mv "$part" "$file"
  echo "$repo at $commit: wrote $file (the v2.1 export had $people people's commits; see MODEL_CARD.md)"
done
