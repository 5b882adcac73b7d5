# shellcheck shell=bash disable=SC2154,SC2034 # globals shared with the script that sources this file (listed below)
# A VRRP pair (n1 = pair-node1.conf, priority 150; n2 = pair-node2.conf, priority 100) in a lab: starting, stopping
# and watching its daemons, a client sending to the VIP, timing. Shared by bench-failover.sh and chaos.sh. Sourced,
# not run; needs lib/processes.sh and these globals from the caller: lab (scripts/lab.sh), name (the lab), state
# (/run/qvip-lab/NAME), vip, agent_http, shared (the shared/ directory), work (a scratch directory),
# session_timeout (ms, for the quorum block), settle_timeout_s. Optional: zk_tick (the lab's tickTime, default
# 200), vip2 (a second VIP, on eth1, that a sync group moves with vip) and sample_prefix (the configs, default
# shared/keepalived-samples/pair-node: + 1.conf, 2.conf).
# A setup is keepalived, agent (no quorum block) or a leased agent: leased, quorum-vip or sync-group.

# Prints the items of the comma-separated list $1 in the order of $2 (space-separated); 1 if one is not in $2.
pick() {
  local wanted=",$1," item picked=()
  [[ "$wanted" =~ ^,[a-z0-9_-]+(,[a-z0-9_-]+)*,$ ]] || return 1
  for item in ${1//,/ }; do
    [[ " $2 " == *" $item "* ]] || return 1
  done
  for item in $2; do
    [[ "$wanted" == *",$item,"* ]] && picked+=("$item")
  done
  echo "${picked[*]}"
}

stop_tree() {
  local pids
  mapfile -t pids < <(echo "$1"; descendants "$1")
  kill -TERM "${pids[@]}" 2>/dev/null || true
  await_exit 30 "${pids[@]}" || kill -KILL "${pids[@]}" 2>/dev/null || true
}

now_us() {
  echo "${EPOCHREALTIME/./}"
}

# A read with a timeout on a pipe nobody writes to: a sleep without forking a process.
exec {sleeper}<> <(:)
sleep_until_us() {
  local remaining=$(($1 - ${EPOCHREALTIME/./}))
  ((remaining <= 0)) || read -r -t "$((remaining / 1000000)).$(printf '%06d' $((remaining % 1000000)))" -u "$sleeper" || true
}

has_vip() {
  [[ "$(ip -n "$name-$1" -o -4 addr show dev eth0)" == *" $vip/"* ]]
}

has_vip2() {
  [[ -n "${vip2:-}" && "$(ip -n "$name-$1" -o -4 addr show dev eth1)" == *" $vip2/"* ]]
}

# Node $1 holds every VIP of the pair (vip, and vip2 when there is one).
has_all_vips() {
  has_vip "$1" && { [[ -z "${vip2:-}" ]] || has_vip2 "$1"; }
}

has_any_vip() {
  has_vip "$1" || has_vip2 "$1"
}

mac_of() {
  ip -n "$name-$1" -o link show dev eth0 | sed -n 's|.*link/ether \([0-9a-f:]*\).*|\1|p'
}

daemon_pid() {
  cat "$state/$1/pid"
}

# 0 when every VRRP instance of node $1 is in state $2 (a sync group's members all are, or none is).
node_in_state() {
  [[ "$("$lab" status --name "$name" | jq -r --arg node "$1" --arg state "$2" \
    '.nodes[] | select(.node == $node) | .instances | [.[]] | length > 0 and all(. == $state)')" == true ]]
}

# 0 when every instance of node $1 holds its lease.
lease_held() {
  [[ "$(ip netns exec "$name-$1" curl -s --max-time 1 "http://$agent_http/v1/status" 2>/dev/null \
    | jq -r '[.instances[].lease.held] | length > 0 and all' 2>/dev/null)" == true ]]
}

uses_lease() {
  [[ "$1" == leased || "$1" == quorum-vip || "$1" == sync-group ]]
}

# The pair's config for node $1 (1 or 2) in setup $2: the sample, plus the quorum block for a leased agent.
config_of() {
  local node=$1 setup=$2 sample=${sample_prefix:-$shared/keepalived-samples/pair-node}$1.conf
  if ! uses_lease "$setup"; then
    echo "$sample"
    return
  fi
  cat "$sample" - >"$work/leased-node$node.conf" <<QUORUM
quorum {
    connect 192.0.2.21:2181,192.0.2.22:2181,192.0.2.23:2181
    session_timeout $session_timeout
    zk_tick_time ${zk_tick:-200}
    path /quorum-vip/$name
    digest qvip:bench
}
QUORUM
  # A lab brought up with --coordinator gave every node a token: the agents ship their journals to it.
  if [[ -f "$state/n$node/token" ]]; then
    cat >>"$work/leased-node$node.conf" <<COORDINATOR
coordinator {
    url http://192.0.2.30:9120
    token_file $state/n$node/token
}
COORDINATOR
  fi
  echo "$work/leased-node$node.conf"
}

daemon_of() {
  if [[ "$1" == keepalived ]]; then echo keepalived; else echo agent; fi
}

start_daemon() {
  local node=$1 setup=$2
  "$lab" start --name "$name" --node "$node" "--$(daemon_of "$setup")-config" "$(config_of "${node#n}" "$setup")" >/dev/null
}

# Graceful stop of a node's daemon and its children (between series, and to restore a pair that did not settle).
stop_daemon() {
  local pid
  pid=$(daemon_pid "$1")
  is_running "$pid" || return 0
  stop_tree "$pid"
}

# 0 once n1 is MASTER with the VIPs and n2 BACKUP without them (leased: and n1 holds the lease); 1 after the timeout
# ($2 s, default settle_timeout_s).
await_steady() {
  local setup=$1 deadline=$((SECONDS + ${2:-$settle_timeout_s}))
  while ((SECONDS < deadline)); do
    if has_all_vips n1 && ! has_any_vip n2 && node_in_state n1 MASTER && node_in_state n2 BACKUP \
      && { ! uses_lease "$setup" || lease_held n1; }; then
      return 0
    fi
    sleep 0.5
  done
  return 1
}

# UDP to the VIP port 9 every 50 ms from the client, so the client's kernel keeps an ARP entry for it: where that
# entry points is where the client's traffic goes. Sets client_pid.
start_client() {
  ip netns exec "$name-client" bash -c "exec 3>/dev/udp/$vip/9; exec 4<> <(:)
    while :; do printf x >&3 2>/dev/null; read -r -t 0.05 -u 4; done" </dev/null >/dev/null 2>&1 &
  client_pid=$!
}

# Removes the VIPs from a node's kernel (a dead daemon's leftover, or one a stopped pair kept); sets stale_removed.
remove_leftover_vip() {
  if has_vip "$1"; then
    ip -n "$name-$1" addr del "$vip/24" dev eth0
    stale_removed=true
  fi
  if has_vip2 "$1"; then
    ip -n "$name-$1" addr del "$vip2/24" dev eth1
    stale_removed=true
  fi
}

# Stops both daemons, removes what their kernels kept, starts both again (sets pair_restarted); 1 when the pair does
# not settle to n1 MASTER with the VIP.
restart_pair() {
  local setup=$1
  stop_daemon n1
  stop_daemon n2
  remove_leftover_vip n1
  remove_leftover_vip n2
  start_daemon n1 "$setup"
  start_daemon n2 "$setup"
  pair_restarted=true
  await_steady "$setup"
}
