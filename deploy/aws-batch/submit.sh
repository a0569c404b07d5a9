#!/bin/bash
# Submits one sharded claim-audit run to AWS Batch: an array job of SHARDS map tasks (each reads
# its index from AWS_BATCH_JOB_ARRAY_INDEX with --shard-from-env), then a merge job that depends
# on the whole array: it starts when every child has succeeded, and is cancelled if one fails.
#
#   aws batch register-job-definition --cli-input-json file://deploy/aws-batch/job-definition.json
#   SHARDS=64 QUEUE=claim-audit RUN_ID=2026-12-02 deploy/aws-batch/submit.sh
#
# Shared-volume assumption: the job definition mounts one EFS file system at /data in every
# container, holding the inputs (/data/inbox), the work folders (/data/work/<run>), the reports
# (/data/reports) and the history (/data/history), at the same paths for the map and merge jobs.
# The retry strategy re-runs a child lost with its host (a re-run replaces its own output) and
# never retries exit 2 (wrong arguments or work folder) or 3 (inputs unreadable, a shard missing).
# Each run needs a new RUN_ID: a work folder of another run is refused.
set -euo pipefail
: "${SHARDS:?}" "${QUEUE:?}" "${RUN_ID:?}"
MAP_OPTIONS=${MAP_OPTIONS:-'"--profile", "/data/config/profile.json",'}
map=$(aws batch submit-job --job-name "claim-audit-map-$RUN_ID" --job-queue "$QUEUE" --job-definition claim-audit \
  --array-properties "size=$SHARDS" \
  --container-overrides "{\"command\": [\"map\", \"--shard-from-env\", \"--shards\", \"$SHARDS\", \"--work\", \"/data/work/$RUN_ID\", \"--concurrency\", \"2\", $MAP_OPTIONS \"/data/inbox\"]}" \
  --query jobId --output text)
merge=$(aws batch submit-job --job-name "claim-audit-merge-$RUN_ID" --job-queue "$QUEUE" --job-definition claim-audit \
  --depends-on "jobId=$map" \
  --container-overrides "{\"command\": [\"merge\", \"--work\", \"/data/work/$RUN_ID\", \"--out\", \"/data/reports\", \"--history\", \"/data/history\", \"--concurrency\", \"2\", \"--fail-on\", \"none\"]}" \
  --query jobId --output text)
echo "$map $merge"
