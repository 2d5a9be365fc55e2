#!/usr/bin/env bash
# Runs a scenario on a NumaSim cluster started by hand on this machine: a coordinator
# (`numasim run --processes N+1 --external-members`, the seed, on a fixed port) and N
# `numasim member` processes joining it. Each process logs to its own file under LOGDIR.
#
#   deploy/local-cluster.sh [-n MEMBERS] [-p PORT] [-l LOGDIR] [-c CERT.pfx] SCENARIO [run options]
#
# `numasim run --processes N` does the same by itself; this script shows the pieces, one log per
# process, and is the model for starting members on other hosts (give them --hostname and the
# coordinator's address as --seed-nodes). Every process presents the cluster certificate and
# accepts only peers that present it: -c CERT.pfx (password in NUMASIM_CERTIFICATE_PASSWORD), or
# a throwaway one made with openssl for this run.
# NUMASIM overrides the command (default: numasim on PATH), e.g. NUMASIM="dotnet numasim.dll".
set -euo pipefail

members=2
port=4053
logdir=numasim-cluster-logs
cert=""
numasim=${NUMASIM:-numasim}
while getopts "n:p:l:c:" opt; do
  case $opt in
    n) members=$OPTARG ;;
    p) port=$OPTARG ;;
    l) logdir=$OPTARG ;;
    c) cert=$OPTARG ;;
    *) echo "usage: $0 [-n MEMBERS] [-p PORT] [-l LOGDIR] [-c CERT.pfx] SCENARIO [run options]" >&2; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
if [[ $# -lt 1 ]]; then
  echo "usage: $0 [-n MEMBERS] [-p PORT] [-l LOGDIR] [-c CERT.pfx] SCENARIO [run options]" >&2
  exit 2
fi
mkdir -p "$logdir"

scratch=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$scratch"
}
trap cleanup EXIT INT TERM

if [[ -z $cert ]]; then
  cert=$scratch/cluster.pfx
  NUMASIM_CERTIFICATE_PASSWORD=$(openssl rand -hex 16)
  export NUMASIM_CERTIFICATE_PASSWORD
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 7 \
    -subj /CN=numasim-local -keyout "$scratch/key.pem" -out "$scratch/cert.pem" 2>/dev/null
  openssl pkcs12 -export -inkey "$scratch/key.pem" -in "$scratch/cert.pem" -out "$cert" \
    -passout env:NUMASIM_CERTIFICATE_PASSWORD
fi
export NUMASIM_CERTIFICATE_PASSWORD

seed="akka.ssl.tcp://numasim@127.0.0.1:$port"
scenario=$1
shift
$numasim run "$scenario" --processes $((members + 1)) --external-members --port "$port" --certificate "$cert" "$@" \
  >"$logdir/coordinator.log" 2>&1 &
coordinator=$!
for ((i = 0; i < members; i++)); do
  $numasim member --hostname 127.0.0.1 --port 0 --seed-nodes "$seed" --certificate "$cert" >"$logdir/member-$i.log" 2>&1 &
  pids+=($!)
done
echo "coordinator pid $coordinator at $seed, members ${pids[*]}; logs in $logdir/" >&2
status=0
wait "$coordinator" || status=$?
# The members leave when the coordinator ends the run; wait for them, then exit as the run did.
for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
pids=()
exit "$status"
