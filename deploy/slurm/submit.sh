#!/bin/bash
# Submits one sharded claim-audit run to Slurm: an array of SHARDS map tasks, then a merge that
# starts only when every map task has succeeded. Prints the two job ids (map, then merge).
#
#   SHARDS=16 WORK=/shared/work/$(date +%F) OUT=/shared/reports INPUTS=/shared/inbox \
#   MAP_OPTIONS='--profile /shared/profile.json' MERGE_OPTIONS='--history /shared/history' \
#   deploy/slurm/submit.sh [extra sbatch options, e.g. --partition=batch]
#
# WORK must be a new folder for each run (a work folder of another run is refused); CLAIM_AUDIT
# names the command on the nodes (default: claim-audit on the PATH).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
: "${SHARDS:?}" "${WORK:?}" "${OUT:?}" "${INPUTS:?}"
mkdir -p "$WORK"
map=$(sbatch --parsable --array="0-$((SHARDS - 1))" --chdir="$WORK" --export=ALL "$@" "$here/map.sbatch")
merge=$(sbatch --parsable --dependency="afterok:${map%%;*}" --kill-on-invalid-dep=yes --chdir="$WORK" --export=ALL "$@" "$here/merge.sbatch")
echo "${map%%;*} ${merge%%;*}"
