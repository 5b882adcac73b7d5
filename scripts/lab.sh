#!/usr/bin/env bash
# The network-namespace lab (docs/lab.md): a switch namespace with a bridge, one namespace per host, each with
# eth0 on 192.0.2.0/24. Nothing is created in the host's own network namespace.
#
#   lab.sh up     [--name L] [--nodes N] [--keepalived K] [--config-set NAME] [--zk Z] [--zk-tick MS]
#                 [--coordinator [--coordinator-classpath CP]] [--smtp] [--ipv6] [--real-servers R [--backend] [--dr-vip VIP]]
#   lab.sh status [--name L]     JSON on stdout
#   lab.sh down   [--name L]     no-op when the lab does not exist
#   lab.sh start  [--name L] --node nI (--keepalived-config FILE | --agent-config FILE)
#                                starts one daemon on a node of a running lab, prints its PID
#   lab.sh start  [--name L] --zk-server I
#                                starts ZooKeeper server zkI again (after a stop or kill), prints its PID
#   lab.sh start  [--name L] --coordinator [--coordinator-classpath CP]
#                                starts the coordinator again (after a stop or kill), prints its PID
#   lab.sh start  [--name L] --real-server rsI|sorry
#                                starts that real server's nginx again (after a stop or kill), prints its PID
#
# Exit codes: 0 ok, 1 failure, 2 bad usage.
set -euo pipefail

readonly SUBNET_PREFIX=24
readonly STATE_ROOT=/run/qvip-lab
readonly AGENT_HTTP=127.0.0.1:9110
readonly COORD_ADDRESS=192.0.2.30
readonly COORD_PORT=9120
readonly COORD_MAIN=io.quorumvip.coordinator.CoordinatorMain
readonly SMTP_ADDRESS=192.0.2.25
# The longest host suffix is "-client" (7 chars); interface names stop at 15 chars, so 8 is the name limit.
readonly NAME_PATTERN='^[a-z][a-z0-9]{0,7}$'
readonly MAX_NODES=9
readonly MAX_ZK=3
readonly ZK_CLIENT_PORT=2181
readonly ZK_MAIN=org.apache.zookeeper.server.quorum.QuorumPeerMain
# Small heap and C1 only: three servers and the agents share a 2-core machine.
readonly ZK_JAVA_OPTS=(-Xms16m -Xmx96m -XX:+UseSerialGC -XX:TieredStopAtLevel=1)

script=$(readlink -f "${BASH_SOURCE[0]}")
root=$(dirname "$(dirname "$script")")

# shellcheck source=lib/processes.sh
source "$root/scripts/lib/processes.sh"

usage() {
  cat >&2 <<'TXT'
usage: lab.sh up     [--name L] [--nodes N] [--keepalived K] [--config-set NAME] [--zk Z] [--zk-tick MS]
                     [--coordinator [--coordinator-classpath CP]] [--smtp] [--ipv6] [--real-servers R [--backend] [--dr-vip VIP]]
       lab.sh status [--name L]
       lab.sh down   [--name L]
       lab.sh start  [--name L] --node nI (--keepalived-config FILE | --agent-config FILE)
       lab.sh start  [--name L] --zk-server I
       lab.sh start  [--name L] --coordinator [--coordinator-classpath CP]
       lab.sh start  [--name L] --real-server rsI|sorry
  L: 1-8 chars [a-z0-9], starting with a letter (default qvip)
  N: 1-9 nodes (default 2); K: nodes 1..K run keepalived, K+1..N the quorum-vip agent (needs --config-set)
  Z: 0-3 ZooKeeper servers zk1..zkZ at 192.0.2.21.. (default 3; 0: none), up waits until they serve
  --zk-tick MS: their tickTime, 100-3000 (default 200: fast elections; ZooKeeper's sample config has 2000)
  --coordinator: host coord at 192.0.2.30 runs the coordinator on port 9120, with a random token per node
    (tokens in STATE/coord/tokens, node nI's in STATE/nI/token); --coordinator-classpath runs it from CP
    (e.g. a test's classpath) instead of scripts/qvip coordinator
  --ipv6: IPv6 on eth0 of every host but the switch: its link-local address, and 2001:db8::X/64 for 192.0.2.X
  --smtp: host smtp at 192.0.2.25 runs an SMTP server on port 25 (Debian's aiosmtpd) that keeps every mail it
    receives as a file in STATE/smtp/maildir/new, for the agents' e-mail alerts
  --config-set NAME: node i uses shared/keepalived-samples/NAME-node{i}.conf (shared/ beside the repo, or $QVIP_SHARED)
  --real-servers R: 0-9 real servers rs1..rsR and a sorry server, each running nginx that answers its own name;
    DR (default): at 192.0.2.51.. and .60 with the VIP (--dr-vip, default 192.0.2.210) on lo, arp_ignore 1,
    arp_announce 2; --backend (NAT): on a second bridge, 198.51.100.51.. and .60, default route 198.51.100.1,
    and every node gets eth1 at 198.51.100.1I with IPv4 forwarding on
TXT
  exit 2
}

fail() {
  echo "lab: $*" >&2
  exit 1
}

# The lab's hosts, one line each: "host address" (DESIGN.md §6).
lab_hosts() {
  local i
  for ((i = 1; i <= nodes; i++)); do
    echo "n$i 192.0.2.$((10 + i))"
  done
  for ((i = 1; i <= zk; i++)); do
    echo "zk$i $(zk_address "$i")"
  done
  if [[ "$coordinator" == true ]]; then
    echo "coord $COORD_ADDRESS"
  fi
  if [[ "$smtp" == true ]]; then
    echo "smtp $SMTP_ADDRESS"
  fi
  echo "client 192.0.2.100"
}

zk_address() {
  echo "192.0.2.$((20 + $1))"
}

lab_namespaces() {
  ip netns list | awk -v prefix="$name-" 'index($1, prefix) == 1 {print $1}'
}

# --- process handling: always by PID, never by name (descendants, is_running: lib/processes.sh) ------------------

# SIGTERM a process and its descendants (keepalived then drops its VIPs and sends a priority-0 advert),
# SIGKILL whatever is left after the grace period.
stop_tree() {
  local pid=$1 pids p _
  mapfile -t pids < <(echo "$pid"; descendants "$pid")
  kill -TERM "${pids[@]}" 2>/dev/null || true
  for _ in {1..30}; do
    for p in "${pids[@]}"; do
      if is_running "$p"; then
        sleep 0.1
        continue 2
      fi
    done
    return 0
  done
  kill -KILL "${pids[@]}" 2>/dev/null || true
}

# A recorded PID is ours only if its command line names this lab's state dir (PIDs get reused).
is_ours() {
  local cmdline
  cmdline=$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null) || return 1
  [[ "$cmdline" == *"$state/"* ]]
}

# --- up ---------------------------------------------------------------------------------------------------------

shared_dir() {
  local dir=${QVIP_SHARED:-$root/../shared}
  [[ -d "$dir" ]] || fail "shared directory not found: $dir (put shared/ beside the repository or set QVIP_SHARED)"
  readlink -f "$dir"
}

create_host() {
  local host=$1 address=$2 ns=$name-$1 bridge=${3:-br0}
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  # The lab speaks IPv4 in 192.0.2.0/24 only; no IPv6 link-local chatter on the wire.
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  # The veth is born in the switch namespace and its peer directly as eth0 in the host's namespace.
  ip -n "$name-sw" link add "$ns" type veth peer name eth0 netns "$ns"
  ip -n "$name-sw" link set "$ns" master "$bridge" up
  ip -n "$ns" addr add "$address/$SUBNET_PREFIX" dev eth0
  ip -n "$ns" link set eth0 up
}

# Waits until a just-started daemon is still alive after a moment, so a bad config fails `up` with its log.
check_started() {
  local pid=$1 log=$2 _
  for _ in {1..10}; do
    sleep 0.1
    is_running "$pid" || {
      tail -n 20 "$log" >&2 || true
      fail "process $pid exited right after start (log: $log)"
    }
  done
}

start_keepalived() {
  local host=$1 conf=$2 dir=$state/$1 pid
  cp "$conf" "$dir/keepalived.conf"
  # Separate pid files so several keepalived run on one host; setsid gives each its own process group.
  setsid ip netns exec "$name-$host" keepalived --vrrp -n -l -D -f "$dir/keepalived.conf" \
    -p "$dir/keepalived.pid" -r "$dir/vrrp.pid" -c "$dir/checkers.pid" \
    </dev/null >"$dir/keepalived.log" 2>&1 &
  pid=$!
  echo keepalived >"$dir/daemon"
  echo "$pid" >"$dir/pid"
  check_started "$pid" "$dir/keepalived.log"
}

start_agent() {
  local host=$1 conf=$2 dir=$state/$1 pid
  cp "$conf" "$dir/agent.conf"
  setsid ip netns exec "$name-$host" "$root/scripts/qvip" agent --config "$dir/agent.conf" --http "$AGENT_HTTP" \
    --node-id "$host" --journal "$dir/journal" </dev/null >"$dir/agent.log" 2>&1 &
  pid=$!
  echo agent >"$dir/daemon"
  echo "$pid" >"$dir/pid"
  check_started "$pid" "$dir/agent.log"
}

# --- coordinator ------------------------------------------------------------------------------------------------

# One random token per node: the coordinator's tokens file, and each node's own copy for its token_file.
write_tokens() {
  local dir=$state/coord i token
  mkdir -p "$dir/data"
  (umask 077 && : >"$dir/tokens")
  for ((i = 1; i <= nodes; i++)); do
    token=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
    echo "n$i=$token" >>"$dir/tokens"
    (umask 077 && echo "$token" >"$state/n$i/token")
  done
}

start_coordinator() {
  local dir=$state/coord pid command
  if [[ -n "$coordinator_classpath" ]]; then
    command=(java "${ZK_JAVA_OPTS[@]}" -cp "$coordinator_classpath" "$COORD_MAIN")
  else
    "$root/scripts/qvip" build
    command=("$root/scripts/qvip" coordinator)
  fi
  setsid ip netns exec "$name-coord" "${command[@]}" --listen "$COORD_ADDRESS:$COORD_PORT" --data "$dir/data" \
    --tokens "$dir/tokens" </dev/null >>"$dir/coordinator.log" 2>&1 &
  pid=$!
  echo coordinator >"$dir/daemon"
  echo "$pid" >"$dir/pid"
  check_started "$pid" "$dir/coordinator.log"
  await_coordinator "$pid"
}

await_coordinator() {
  local pid=$1 _
  for _ in {1..600}; do
    is_running "$pid" || { tail -n 20 "$state/coord/coordinator.log" >&2 || true; fail "the coordinator exited (log: $state/coord/coordinator.log)"; }
    if ip netns exec "$name-coord" curl -s -o /dev/null --max-time 1 "http://$COORD_ADDRESS:$COORD_PORT/v1/cluster"; then
      return 0
    fi
    sleep 0.1
  done
  fail "the coordinator does not answer on $COORD_ADDRESS:$COORD_PORT after 60 s (log: $state/coord/coordinator.log)"
}

cmd_start_coordinator() {
  [[ -f "$state/hosts" ]] || fail "lab $name is not up (no $state/hosts)"
  [[ -f "$state/coord/tokens" ]] || fail "lab $name has no coordinator (bring it up with --coordinator)"
  local pid_file=$state/coord/pid
  if [[ -f "$pid_file" ]] && is_running "$(cat "$pid_file")" && is_ours "$(cat "$pid_file")"; then
    fail "the coordinator already runs (pid $(cat "$pid_file"))"
  fi
  start_coordinator
  cat "$pid_file"
}

coordinator_json() {
  local ns=$1 address=$2 dir=$state/coord pid="" alive=false
  if [[ -f "$dir/pid" ]]; then
    pid=$(cat "$dir/pid")
    if is_running "$pid" && is_ours "$pid"; then alive=true; fi
  fi
  jq -cn --arg ns "$ns" --arg address "$address" --argjson port "$COORD_PORT" --arg pid "$pid" \
    --argjson alive "$alive" --arg dir "$dir" \
    '{namespace: $ns, address: $address, port: $port, url: "http://\($address):\($port)",
      pid: ($pid | tonumber? // null), alive: $alive, data: "\($dir)/data", tokens: "\($dir)/tokens",
      log: "\($dir)/coordinator.log"}'
}

# --- IPv6 -------------------------------------------------------------------------------------------------------

# IPv6 for VRRPv3 over IPv6: enabled on the host's eth0 only when asked, with the documentation prefix
# 2001:db8::/32 (2001:db8::X/64 for 192.0.2.X). DAD is off first, so the link-local address (the VRRP source) and
# the VIPs are usable at once instead of tentative for a second.
enable_ipv6() {
  local ns=$name-$1 address=$2
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
    net.ipv6.conf.eth0.accept_dad=0
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.default.disable_ipv6=0 \
    net.ipv6.conf.eth0.disable_ipv6=0
  ip -n "$ns" addr add "2001:db8::${address##*.}/64" dev eth0 nodad
}

# --- SMTP server ------------------------------------------------------------------------------------------------

# aiosmtpd's Mailbox handler writes each message it accepts to a maildir: one file per mail in maildir/new.
# Debian's python3 (/usr/bin/python3), which has the python3-aiosmtpd module; -n: keep root, do not setuid nobody.
start_smtp() {
  local dir=$state/smtp pid
  mkdir -p "$dir"
  setsid ip netns exec "$name-smtp" /usr/bin/python3 -m aiosmtpd -n -l "$SMTP_ADDRESS:25" \
    -c aiosmtpd.handlers.Mailbox "$dir/maildir" </dev/null >"$dir/smtp.log" 2>&1 &
  pid=$!
  echo smtp >"$dir/daemon"
  echo "$pid" >"$dir/pid"
  check_started "$pid" "$dir/smtp.log"
}

smtp_json() {
  local ns=$1 address=$2 dir=$state/smtp pid="" alive=false
  if [[ -f "$dir/pid" ]]; then
    pid=$(cat "$dir/pid")
    if is_running "$pid" && is_ours "$pid"; then alive=true; fi
  fi
  jq -cn --arg ns "$ns" --arg address "$address" --arg pid "$pid" --argjson alive "$alive" --arg dir "$dir" \
    '{namespace: $ns, address: $address, port: 25, pid: ($pid | tonumber? // null), alive: $alive,
      maildir: "\($dir)/maildir", log: "\($dir)/smtp.log"}'
}

# --- ZooKeeper ----------------------------------------------------------------------------------------------------

# The server's classpath, resolved by Maven from scripts/zookeeper-server/pom.xml (why: see that pom) and cached
# beside it until a pom changes. Two labs starting at once resolve it once.
zookeeper_classpath() {
  local pom=$root/scripts/zookeeper-server/pom.xml cache=$root/scripts/zookeeper-server/target/classpath log
  mkdir -p "$(dirname "$cache")"
  exec 8<"$pom"
  flock 8
  if [[ ! -s "$cache" || "$pom" -nt "$cache" || "$root/pom.xml" -nt "$cache" ]]; then
    command -v mvn >/dev/null || fail "mvn not found: it resolves the ZooKeeper server's classpath (run scripts/install-deps as root)"
    log=$(mktemp /tmp/qvip-zk-classpath.XXXXXX)
    if ! mvn -B -q -ntp -f "$pom" dependency:build-classpath -Dmdep.includeScope=runtime \
      -Dmdep.outputFile="$cache" >"$log" 2>&1; then
      cat "$log" >&2
      rm -f "$log" "$cache"
      fail "cannot resolve the ZooKeeper server classpath (mvn -f $pom dependency:build-classpath)"
    fi
    rm -f "$log"
  fi
  exec 8<&-
  cat "$cache"
}

# tickTime 200 ms (unless --zk-tick) so elections take well under a second; maxSessionTimeout 10 s so
# session_timeout up to 10000 works (ZooKeeper's default cap is 20 ticks = 4 s); only the four-letter words the lab
# reads are allowed.
write_zoo_cfg() {
  local i=$1 dir=$state/zk$1 j
  mkdir -p "$dir/data"
  echo "$i" >"$dir/data/myid"
  {
    echo "tickTime=$zk_tick"
    echo "initLimit=10"
    echo "syncLimit=5"
    echo "minSessionTimeout=400"
    echo "maxSessionTimeout=10000"
    echo "dataDir=$dir/data"
    echo "clientPort=$ZK_CLIENT_PORT"
    echo "clientPortAddress=$(zk_address "$i")"
    echo "admin.enableServer=false"
    echo "4lw.commands.whitelist=srvr,stat,mntr,ruok"
    for ((j = 1; j <= zk; j++)); do
      echo "server.$j=$(zk_address "$j"):2888:3888"
    done
  } >"$dir/zoo.cfg"
}

start_zookeeper() {
  local i=$1 classpath=$2 dir=$state/zk$1 pid
  setsid ip netns exec "$name-zk$i" java "${ZK_JAVA_OPTS[@]}" \
    -Dlogback.configurationFile="$root/scripts/zookeeper-server/logback.xml" \
    -cp "$classpath" "$ZK_MAIN" "$dir/zoo.cfg" </dev/null >>"$dir/zookeeper.log" 2>&1 &
  pid=$!
  echo zookeeper >"$dir/daemon"
  echo "$pid" >"$dir/pid"
  check_started "$pid" "$dir/zookeeper.log"
}

# leader, follower or standalone, from the four-letter word srvr; empty while the server does not serve.
zk_mode() {
  local i=$1
  ip netns exec "$name-zk$i" timeout 2 bash -c \
    "exec 3<>/dev/tcp/$(zk_address "$i")/$ZK_CLIENT_PORT && printf srvr >&3 && cat <&3" 2>/dev/null \
    | sed -n 's/^Mode: //p' || true
}

await_zookeeper() {
  local i _
  for _ in {1..600}; do
    for ((i = 1; i <= zk; i++)); do
      [[ -n "$(zk_mode "$i")" ]] || { sleep 0.1; continue 2; }
    done
    return 0
  done
  fail "the ZooKeeper servers do not serve after 60 s (logs: $state/zk*/zookeeper.log)"
}

zk_count() {
  find "$state" -maxdepth 1 -name 'zk[0-9]' -type d 2>/dev/null | wc -l
}

cmd_up() {
  if ! [[ "$nodes" =~ ^[0-9]+$ ]] || ((nodes < 1 || nodes > MAX_NODES)); then
    echo "lab: --nodes got '$nodes' (expected 1-$MAX_NODES)" >&2
    usage
  fi
  if ! [[ "$keepalived" =~ ^[0-9]+$ ]] || ((keepalived > nodes)); then
    echo "lab: --keepalived got '$keepalived' (expected 0-$nodes, at most --nodes)" >&2
    usage
  fi
  if ! [[ "$zk" =~ ^[0-9]+$ ]] || ((zk > MAX_ZK)); then
    echo "lab: --zk got '$zk' (expected 0-$MAX_ZK)" >&2
    usage
  fi
  if ! [[ "$zk_tick" =~ ^[1-9][0-9]{2,3}$ ]] || ((zk_tick > 3000)); then
    echo "lab: --zk-tick got '$zk_tick' (expected 100-3000 milliseconds)" >&2
    usage
  fi
  lb_check_options
  if [[ -z "$config_set" ]] && ((keepalived > 0)); then
    echo "lab: --keepalived $keepalived needs --config-set NAME (which configs to run)" >&2
    usage
  fi

  local configs=() i conf
  if [[ -n "$config_set" ]]; then
    local samples
    samples=$(shared_dir)/keepalived-samples
    for ((i = 1; i <= nodes; i++)); do
      conf=$samples/$config_set-node$i.conf
      if [[ ! -f "$conf" ]]; then
        echo "lab: config set '$config_set' has no file for node $i: $conf (pick a set in $samples)" >&2
        exit 2
      fi
      configs+=("$conf")
    done
  fi

  if [[ -d "$state" || -n "$(lab_namespaces)" ]]; then
    echo "lab: $name already exists: tearing it down first" >&2
    cmd_down
  fi

  trap 'status=$?; if ((status != 0)); then echo "lab: up failed, removing what it made" >&2; cmd_down; fi' EXIT
  mkdir -p "$state"
  : >"$state/hosts"

  ip netns add "$name-sw"
  ip -n "$name-sw" link set lo up
  ip netns exec "$name-sw" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  # The switch is a switch: with the kernel's bridge netfilter (built in here) every bridged frame also went
  # through the switch namespace's IP hooks, a cost per bridge crossing that no real switch charges the hosts and
  # that weighed most on the paths with the most crossings (NAT's four per round trip against direct's two;
  # docs/benchmarks.md). -e: a kernel without bridge netfilter has none of these keys.
  ip netns exec "$name-sw" sysctl -qew net.bridge.bridge-nf-call-iptables=0 net.bridge.bridge-nf-call-ip6tables=0 \
    net.bridge.bridge-nf-call-arptables=0
  # No STP, no forwarding delay, no IGMP snooping: VRRP multicast (224.0.0.18) must flood to every port at once.
  ip -n "$name-sw" link add br0 type bridge stp_state 0 forward_delay 0 mcast_snooping 0
  ip -n "$name-sw" link set br0 up

  local host address
  while read -r host address; do
    create_host "$host" "$address"
    mkdir -p "$state/$host"
    echo none >"$state/$host/daemon"
    echo "$host $name-$host $address" >>"$state/hosts"
  done < <(lab_hosts)
  lb_up

  if [[ "$ipv6" == true ]]; then
    while read -r host address; do
      enable_ipv6 "$host" "$address"
    done < <(lab_hosts)
  fi

  if ((zk > 0)); then
    local classpath
    classpath=$(zookeeper_classpath)
    for ((i = 1; i <= zk; i++)); do
      write_zoo_cfg "$i"
      start_zookeeper "$i" "$classpath"
    done
    await_zookeeper
  fi
  if [[ "$coordinator" == true ]]; then
    write_tokens
    start_coordinator
  fi
  if [[ "$smtp" == true ]]; then
    start_smtp
  fi
  if ((${#configs[@]} > keepalived)); then
    "$root/scripts/qvip" build
  fi
  for ((i = 1; i <= ${#configs[@]}; i++)); do
    if ((i <= keepalived)); then
      start_keepalived "n$i" "${configs[i - 1]}"
    else
      start_agent "n$i" "${configs[i - 1]}"
    fi
  done
  trap - EXIT
  echo "lab: $name up ($nodes nodes, $zk ZooKeeper servers, coordinator: $coordinator, smtp: $smtp, client; state in $state)" >&2
}

cmd_start_zookeeper() {
  [[ -f "$state/hosts" ]] || fail "lab $name is not up (no $state/hosts)"
  zk=$(zk_count)
  [[ "$zk_server" =~ ^[1-3]$ ]] && ((zk_server <= zk)) \
    || { echo "lab: --zk-server got '$zk_server' (expected 1-$zk, a server of lab $name)" >&2; exit 2; }
  local pid_file=$state/zk$zk_server/pid
  if [[ -f "$pid_file" ]] && is_running "$(cat "$pid_file")" && is_ours "$(cat "$pid_file")"; then
    fail "zk$zk_server already runs (pid $(cat "$pid_file"))"
  fi
  start_zookeeper "$zk_server" "$(zookeeper_classpath)"
  cat "$pid_file"
}

cmd_start() {
  [[ -f "$state/hosts" ]] || fail "lab $name is not up (no $state/hosts)"
  [[ "$node" =~ ^n[1-9]$ && -d "$state/$node" ]] || { echo "lab: --node got '$node' (expected a node of lab $name, like n1)" >&2; exit 2; }
  [[ -f "$daemon_config" ]] || { echo "lab: config file not found: '$daemon_config'" >&2; exit 2; }
  local pid_file=$state/$node/pid
  if [[ -f "$pid_file" ]] && is_running "$(cat "$pid_file")" && is_ours "$(cat "$pid_file")"; then
    fail "$node already runs $(cat "$state/$node/daemon") (pid $(cat "$pid_file")): one daemon per node"
  fi
  case "$daemon" in
    keepalived) start_keepalived "$node" "$daemon_config" ;;
    agent) "$root/scripts/qvip" build && start_agent "$node" "$daemon_config" ;;
  esac
  cat "$pid_file"
}

# --- real servers and the backend network (load balancing, DESIGN.md §8) -----------------------------------------

readonly BACKEND_PREFIX=198.51.100
readonly BACKEND_GATEWAY=198.51.100.1
readonly MAX_REAL_SERVERS=9

lb_check_options() {
  if ! [[ "$real_servers" =~ ^[0-9]+$ ]] || ((real_servers > MAX_REAL_SERVERS)); then
    echo "lab: --real-servers got '$real_servers' (expected 0-$MAX_REAL_SERVERS)" >&2
    usage
  fi
  if [[ "$backend" == true ]] && ((real_servers == 0)); then
    echo "lab: --backend needs --real-servers R (the backend network is for real servers)" >&2
    usage
  fi
  if ! [[ "$dr_vip" =~ ^192\.0\.2\.(2[0-4][0-9]|250)$ ]]; then
    echo "lab: --dr-vip got '$dr_vip' (expected a lab VIP, 192.0.2.200-250)" >&2
    usage
  fi
}

# The real servers, one line each: "host address" (rs1..rsR, then the sorry server at .60).
lb_real_servers() {
  local i prefix=192.0.2
  if [[ "$backend" == true ]]; then prefix=$BACKEND_PREFIX; fi
  for ((i = 1; i <= real_servers; i++)); do
    echo "rs$i $prefix.$((50 + i))"
  done
  echo "sorry $prefix.60"
}

lb_up() {
  ((real_servers > 0)) || return 0
  : >"$state/real-servers"
  if [[ "$backend" == true ]]; then
    ip -n "$name-sw" link add br1 type bridge stp_state 0 forward_delay 0 mcast_snooping 0
    ip -n "$name-sw" link set br1 up
    local i
    for ((i = 1; i <= nodes; i++)); do
      add_backend_port "n$i" "$BACKEND_PREFIX.$((10 + i))"
    done
  fi
  local host address
  while read -r host address; do
    mkdir -p "$state/$host"
    if [[ "$backend" == true ]]; then
      create_host "$host" "$address" br1
      ip -n "$name-$host" route add default via "$BACKEND_GATEWAY"
    else
      create_host "$host" "$address"
      # LVS-DR real server: the VIP on lo, never answered for in ARP, never used as an ARP source.
      ip -n "$name-$host" addr add "$dr_vip/32" dev lo
      ip netns exec "$name-$host" sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 \
        net.ipv4.conf.eth0.arp_ignore=1 net.ipv4.conf.eth0.arp_announce=2
    fi
    echo "$host $name-$host $address" >>"$state/real-servers"
    write_nginx_conf "$host" "$address"
    start_nginx "$host"
  done < <(lb_real_servers)
  echo "$backend $dr_vip" >"$state/lb-mode"
}

# A director's leg on the backend network: eth1, forwarding on, so NAT replies go back through it.
add_backend_port() {
  local host=$1 address=$2 ns=$name-$1
  ip -n "$name-sw" link add "$name-b$host" type veth peer name eth1 netns "$ns"
  ip -n "$name-sw" link set "$name-b$host" master br1 up
  ip -n "$ns" addr add "$address/$SUBNET_PREFIX" dev eth1
  ip -n "$ns" link set eth1 up
  ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1
}

# Debian's nginx with a config, pid, logs and temp dirs of its own under the host's state dir; it answers every
# path (/ and /health included) with the host's name, so the client can tell who served it.
write_nginx_conf() {
  local host=$1 address=$2 dir=$state/$1
  mkdir -p "$dir/nginx-temp"
  cat >"$dir/nginx.conf" <<CONF
daemon off;
worker_processes 1;
worker_rlimit_nofile 8192;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $dir/nginx-temp/body;
    proxy_temp_path $dir/nginx-temp/proxy;
    fastcgi_temp_path $dir/nginx-temp/fastcgi;
    uwsgi_temp_path $dir/nginx-temp/uwsgi;
    scgi_temp_path $dir/nginx-temp/scgi;
    keepalive_requests 1000000;
    server {
        listen 80 reuseport;
        default_type text/plain;
        location / { return 200 "$host\n"; }
    }
}
CONF
  echo "$address" >"$dir/address"
}

start_nginx() {
  local host=$1 dir=$state/$1 pid _
  command -v nginx >/dev/null || fail "nginx not found (Debian package nginx; run scripts/install-deps as root)"
  # -e: the error log before the config is read, which would otherwise be /var/log/nginx/error.log.
  setsid ip netns exec "$name-$host" nginx -e "$dir/error.log" -c "$dir/nginx.conf" \
    </dev/null >>"$dir/nginx.log" 2>&1 &
  pid=$!
  echo nginx >"$dir/daemon"
  echo "$pid" >"$dir/pid"
  check_started "$pid" "$dir/nginx.log"
  for _ in {1..100}; do
    if ip netns exec "$name-$host" curl -s -o /dev/null --max-time 1 "http://$(cat "$dir/address")/health"; then
      return 0
    fi
    sleep 0.1
  done
  fail "nginx on $host does not answer after 10 s (logs: $dir/error.log, $dir/nginx.log)"
}

cmd_start_real_server() {
  [[ -f "$state/real-servers" ]] || fail "lab $name has no real servers (bring it up with --real-servers R)"
  grep -q "^$real_server " "$state/real-servers" 2>/dev/null \
    || { echo "lab: --real-server got '$real_server' (expected rsI or sorry of lab $name)" >&2; exit 2; }
  local pid_file=$state/$real_server/pid
  if [[ -f "$pid_file" ]] && is_running "$(cat "$pid_file")" && is_ours "$(cat "$pid_file")"; then
    fail "nginx on $real_server already runs (pid $(cat "$pid_file"))"
  fi
  start_nginx "$real_server"
  cat "$pid_file"
}

# {real_servers: [...], sorry_server: {...}|null, backend: {...}|null} for status.
lb_status_json() {
  if [[ ! -f "$state/real-servers" ]]; then
    echo '{"real_servers": [], "sorry_server": null, "backend": null, "dr_vip": null}'
    return 0
  fi
  local host ns address pid alive servers=() mode vip
  read -r mode vip <"$state/lb-mode"
  while read -r host ns address; do
    pid=$(cat "$state/$host/pid")
    alive=false
    if is_running "$pid" && is_ours "$pid"; then alive=true; fi
    servers+=("$(jq -cn --arg name "$host" --arg ns "$ns" --arg address "$address" --arg pid "$pid" \
      --argjson alive "$alive" --arg dir "$state/$host" \
      '{name: $name, namespace: $ns, address: $address, port: 80, pid: ($pid | tonumber? // null),
        alive: $alive, error_log: "\($dir)/error.log"}')")
  done <"$state/real-servers"
  printf '%s\n' "${servers[@]}" | jq -cs --argjson backend "$mode" --arg vip "$vip" --arg gw "$BACKEND_GATEWAY" '
    {real_servers: [.[] | select(.name != "sorry")], sorry_server: ([.[] | select(.name == "sorry")] | first),
     backend: (if $backend then {network: "198.51.100.0/24", gateway: $gw} else null end),
     dr_vip: (if $backend then null else $vip end)}'
}

# --- status -----------------------------------------------------------------------------------------------------

# Per instance, the state from keepalived's last "(VI_1) Entering MASTER STATE" line, as a JSON object.
keepalived_instances() {
  sed -n 's/.*(\([^)]*\)) Entering \([A-Z]*\) STATE.*/\1 \2/p' "$1" 2>/dev/null \
    | jq -Rn '[inputs | split(" ") | {key: .[0], value: .[1]}] | from_entries'
}

agent_instances() {
  ip netns exec "$1" curl -s --max-time 1 "http://$AGENT_HTTP/v1/status" 2>/dev/null \
    | jq -c '[.instances[]? | {key: .name, value: .state}] | from_entries' 2>/dev/null || echo '{}'
}

node_json() {
  local host=$1 ns=$2 address=$3 dir=$state/$1 daemon pid="" alive=false instances='{}' last="" vips
  daemon=$(cat "$dir/daemon")
  if [[ -f "$dir/pid" ]]; then
    pid=$(cat "$dir/pid")
    if is_running "$pid" && is_ours "$pid"; then alive=true; fi
  fi
  # A dead daemon has no VRRP state, whatever its log said last; the kernel's addresses still show in vips.
  case "$alive:$daemon" in
    true:keepalived)
      instances=$(keepalived_instances "$dir/keepalived.log")
      last=$(sed -n 's/.*) Entering \([A-Z]*\) STATE.*/\1/p' "$dir/keepalived.log" 2>/dev/null | tail -n 1)
      ;;
    true:agent)
      instances=$(agent_instances "$ns")
      last=$(jq -r '[.[]] | first // empty' <<<"$instances")
      ;;
  esac
  vips=$(ip -n "$ns" -j addr show 2>/dev/null | jq -c '[.[].addr_info[]? | select(.family == "inet") | .local
      | select(startswith("192.0.2.")) | select((split(".")[3] | tonumber) as $h | $h >= 200 and $h <= 250)]')
  jq -cn --arg node "$host" --arg ns "$ns" --arg address "$address" --arg daemon "$daemon" --arg pid "$pid" \
    --argjson alive "$alive" --arg state "${last:-unknown}" --argjson instances "$instances" --argjson vips "$vips" \
    '{node: $node, namespace: $ns, address: $address, daemon: $daemon, pid: ($pid | tonumber? // null),
      alive: $alive, state: $state, instances: $instances, vips: $vips}'
}

zk_json() {
  local host=$1 ns=$2 address=$3 dir=$state/$1 pid="" alive=false mode=""
  if [[ -f "$dir/pid" ]]; then
    pid=$(cat "$dir/pid")
    if is_running "$pid" && is_ours "$pid"; then alive=true; fi
  fi
  if [[ "$alive" == true ]]; then mode=$(zk_mode "${host#zk}"); fi
  jq -cn --arg server "$host" --arg ns "$ns" --arg address "$address" --arg pid "$pid" --argjson alive "$alive" \
    --arg mode "$mode" --argjson port "$ZK_CLIENT_PORT" \
    '{server: $server, namespace: $ns, address: $address, client_port: $port, pid: ($pid | tonumber? // null),
      alive: $alive, mode: (if $mode == "" then null else $mode end)}'
}

cmd_status() {
  [[ -f "$state/hosts" ]] || fail "lab $name is not up (no $state/hosts)"
  local host ns address nodes_json=() zk_servers=() client=null coord=null smtp_server=null
  while read -r host ns address; do
    if [[ "$host" == coord ]]; then
      coord=$(coordinator_json "$ns" "$address")
    elif [[ "$host" == smtp ]]; then
      smtp_server=$(smtp_json "$ns" "$address")
    elif [[ "$host" == client ]]; then
      client=$(jq -cn --arg ns "$ns" --arg address "$address" '{namespace: $ns, address: $address}')
    elif [[ "$host" == zk* ]]; then
      zk_servers+=("$(zk_json "$host" "$ns" "$address")")
    else
      nodes_json+=("$(node_json "$host" "$ns" "$address")")
    fi
  done <"$state/hosts"
  local zookeeper='[]'
  if ((${#zk_servers[@]} > 0)); then zookeeper=$(printf '%s\n' "${zk_servers[@]}" | jq -cs .); fi
  printf '%s\n' "${nodes_json[@]}" | jq -s --arg lab "$name" --arg sw "$name-sw" --arg dir "$state" \
    --argjson client "$client" --argjson zookeeper "$zookeeper" --argjson coordinator "$coord" \
    --argjson lb "$(lb_status_json)" --argjson smtp "$smtp_server" \
    '{lab: $lab, switch: $sw, state_dir: $dir, client: $client, nodes: ., coordinator: $coordinator, smtp: $smtp,
      zookeeper: $zookeeper, zk_connect: ([$zookeeper[] | "\(.address):\(.client_port)"] | join(","))} + $lb'
}

# --- down -------------------------------------------------------------------------------------------------------

cmd_down() {
  local pid_file pid ns
  for pid_file in "$state"/*/pid; do
    [[ -f "$pid_file" ]] || continue
    pid=$(cat "$pid_file")
    if is_running "$pid" && is_ours "$pid"; then stop_tree "$pid"; fi
  done
  # Whatever else still runs inside the lab's namespaces was started for the lab (e.g. by a test): stop it too.
  for ns in $(lab_namespaces); do
    for pid in $(ip netns pids "$ns" 2>/dev/null); do
      stop_tree "$pid"
    done
  done
  for ns in $(lab_namespaces); do
    ip netns del "$ns"
  done
  rm -rf "$state"
  rmdir --ignore-fail-on-non-empty "$STATE_ROOT" 2>/dev/null || true
}

# --- main -------------------------------------------------------------------------------------------------------

(($# >= 1)) || usage
command=$1
shift
name=qvip
nodes=2
keepalived=0
config_set=""
node=""
daemon=""
daemon_config=""
zk=3
zk_tick=200
zk_server=""
coordinator=false
coordinator_classpath=""
real_servers=0
backend=false
dr_vip=192.0.2.210
real_server=""
smtp=false
ipv6=false
while (($# > 0)); do
  case "$1" in
    --name) (($# >= 2)) || usage; name=$2; shift 2 ;;
    --nodes) [[ "$command" == up && $# -ge 2 ]] || usage; nodes=$2; shift 2 ;;
    --keepalived) [[ "$command" == up && $# -ge 2 ]] || usage; keepalived=$2; shift 2 ;;
    --config-set) [[ "$command" == up && $# -ge 2 ]] || usage; config_set=$2; shift 2 ;;
    --zk) [[ "$command" == up && $# -ge 2 ]] || usage; zk=$2; shift 2 ;;
    --zk-tick) [[ "$command" == up && $# -ge 2 ]] || usage; zk_tick=$2; shift 2 ;;
    --zk-server) [[ "$command" == start && $# -ge 2 ]] || usage; zk_server=$2; shift 2 ;;
    --node) [[ "$command" == start && $# -ge 2 ]] || usage; node=$2; shift 2 ;;
    --coordinator) [[ "$command" == up || "$command" == start ]] || usage; coordinator=true; shift ;;
    --smtp) [[ "$command" == up ]] || usage; smtp=true; shift ;;
    --ipv6) [[ "$command" == up ]] || usage; ipv6=true; shift ;;
    --coordinator-classpath)
      [[ ("$command" == up || "$command" == start) && $# -ge 2 ]] || usage
      coordinator_classpath=$2
      shift 2
      ;;
    --keepalived-config | --agent-config)
      [[ "$command" == start && $# -ge 2 && -z "$daemon" ]] || usage
      daemon=${1#--}
      daemon=${daemon%-config}
      daemon_config=$(readlink -f "$2" || echo "$2")
      shift 2
      ;;
    --real-servers) [[ "$command" == up && $# -ge 2 ]] || usage; real_servers=$2; shift 2 ;;
    --backend) [[ "$command" == up ]] || usage; backend=true; shift ;;
    --dr-vip) [[ "$command" == up && $# -ge 2 ]] || usage; dr_vip=$2; shift 2 ;;
    --real-server) [[ "$command" == start && $# -ge 2 ]] || usage; real_server=$2; shift 2 ;;
    *) echo "lab: unknown argument '$1'" >&2; usage ;;
  esac
done
[[ "$name" =~ $NAME_PATTERN ]] || { echo "lab: --name got '$name' (expected 1-8 chars [a-z0-9], starting with a letter)" >&2; usage; }
state=$STATE_ROOT/$name

if ((EUID != 0)); then
  fail "the lab needs root (network namespaces); run it as root"
fi

case "$command" in
  up) cmd_up ;;
  status) cmd_status ;;
  down) cmd_down ;;
  start)
    if [[ -n "$real_server" ]]; then
      [[ -z "$node" && -z "$daemon" && -z "$zk_server" && "$coordinator" == false ]] || usage
      cmd_start_real_server
    elif [[ "$coordinator" == true ]]; then
      [[ -z "$node" && -z "$daemon" && -z "$zk_server" ]] || usage
      cmd_start_coordinator
    elif [[ -n "$zk_server" ]]; then
      [[ -z "$node" && -z "$daemon" ]] || usage
      cmd_start_zookeeper
    else
      [[ -n "$node" && -n "$daemon" ]] || usage
      cmd_start
    fi
    ;;
  *) usage ;;
esac
