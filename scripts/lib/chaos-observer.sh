#!/usr/bin/env bash
# chaos-observer.sh LAB VIP OUT [VIP2]: the chaos matrix's independent witness, its own process, until it gets
# SIGTERM. Every 20 ms it appends one line to OUT:
#   TIME_US N1 N2 CLIENT_MAC C1 C2 [B1 B2]
# TIME_US is EPOCHREALTIME in microseconds; N1/N2 are 1 when that node's kernel holds VIP (`ip -n`); CLIENT_MAC is
# the client's ARP entry for VIP (- when it has none); C1/C2 are the nftables counters of the client's datagrams to
# VIP arriving at each node (counter to_vip in table ip qvip_chaos, which chaos.sh installs), read every 5th sample
# (- in between: three more forks per sample would widen the gaps between samples on a busy machine). With VIP2 (a
# sync group's second VIP, e.g. the NAT sample's gateway on eth1), B1/B2 say whether each node's kernel holds it; both
# VIPs come from one `ip -n NS -o -4 addr show` (every interface) per node, so they are seen at the same instant.
set -euo pipefail
export LC_ALL=C

(($# == 3 || $# == 4)) || { echo "usage: chaos-observer.sh LAB VIP OUT [VIP2]" >&2; exit 2; }
name=$1
vip=$2
out=$3
vip2=${4:-}
root=$(dirname "$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")")
# shellcheck source=processes.sh
source "$root/scripts/lib/processes.sh"
# shellcheck source=pair.sh
source "$root/scripts/lib/pair.sh"
readonly poll_us=20000
readonly counter_every=5

counter() {
  local listing
  listing=$(nsenter "--net=/run/netns/$name-$1" nft list counter ip qvip_chaos to_vip 2>/dev/null) || { echo -; return; }
  if [[ "$listing" =~ packets\ ([0-9]+) ]]; then echo "${BASH_REMATCH[1]}"; else echo -; fi
}

exec >>"$out"
k=0
next=$(now_us)
while :; do
  sleep_until_us "$next"
  next=$((next + poll_us))
  t=$(now_us)
  n1=0 n2=0 mac=- c1=- c2=- both=""
  if [[ -z "$vip2" ]]; then
    has_vip n1 && n1=1
    has_vip n2 && n2=1
  else
    b1=0 b2=0
    addresses=$(ip -n "$name-n1" -o -4 addr show)
    [[ "$addresses" != *" inet $vip/"* ]] || n1=1
    [[ "$addresses" != *" inet $vip2/"* ]] || b1=1
    addresses=$(ip -n "$name-n2" -o -4 addr show)
    [[ "$addresses" != *" inet $vip/"* ]] || n2=1
    [[ "$addresses" != *" inet $vip2/"* ]] || b2=1
    both=" $b1 $b2"
  fi
  neighbour=$(ip -n "$name-client" neigh show "$vip" dev eth0)
  [[ "$neighbour" =~ lladdr\ ([0-9a-f:]+) ]] && mac=${BASH_REMATCH[1]}
  if ((k % counter_every == 0)); then
    c1=$(counter n1)
    c2=$(counter n2)
  fi
  k=$((k + 1))
  echo "$t $n1 $n2 $mac $c1 $c2$both"
  # Behind by more than a sample (a busy machine): skip ahead rather than fire a burst.
  now=$(now_us)
  ((now - next < poll_us)) || next=$now
done
