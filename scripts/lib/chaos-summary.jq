# One chaos run from the observer's samples (chaos-observer.sh lines, raw text in $samples: the last sample before
# the fault, then every sample up to the end of the run). Arguments: $fault_us, $fault_end_us (when the fault was
# lifted; the fault instant for kill9 and zk_leader_kill), $mac1, $mac2. Durations sum the spans from each sample to
# the next, so they are multiples of the real sampling gaps (about 20 ms). Lines with a second VIP (a sync group's, B1
# B2) add its dual ownership, the time the two VIPs were on two different nodes, and the time only one was held.
def ms: . / 1000 | round;
{($mac1): "n1", ($mac2): "n2"} as $names
| ($samples | split("\n") | map(select(. != "") | split(" ")
    | {t: (.[0] | tonumber), n1: (.[1] == "1"), n2: (.[2] == "1"), mac: .[3],
       c1: (.[4] | if . == "-" then null else tonumber end), c2: (.[5] | if . == "-" then null else tonumber end),
       b1: (if length > 6 then .[6] == "1" else null end), b2: (if length > 7 then .[7] == "1" else null end)})) as $all
| ($all | map(select(.t < $fault_us)) | last // {n1: true, n2: false}) as $before
| ($all | map(select(.t >= $fault_us))) as $p
| [range(0; ($p | length) - 1) as $i | $p[$i] + {dt: ($p[$i + 1].t - $p[$i].t)}] as $spans
| ([$before] + $p) as $seq
| ($p | map(select(.c1 != null and .c2 != null))) as $counted
| def holders: if .n1 and .n2 then "n1+n2" elif .n1 then "n1" elif .n2 then "n2" else "none" end;
  ($p | map(select(.n2)) | first | .t?) as $n2_at
| {dual_ms: ($spans | map(select(.n1 and .n2) | .dt) | add // 0 | ms),
   no_owner_ms: ($spans | map(select((.n1 or .n2) | not) | .dt) | add // 0 | ms),
   new_owner_ms: (if $before.n2 or $n2_at == null then null else ($n2_at - $fault_us | ms) end),
   owner_changes: ([range(1; $seq | length) as $i
     | ($seq[$i].n1 and ($seq[$i - 1].n1 | not)), ($seq[$i].n2 and ($seq[$i - 1].n2 | not)) | select(.)] | length),
   # Client datagrams counted on a node whose kernel does not hold the VIP while the other one does: the client's
   # ARP entry still points at the old owner.
   client_on_non_owner_ms: ([range(1; $counted | length) as $i | $counted[$i - 1] as $a | $counted[$i] as $b
     | select($a.t >= $fault_end_us)
     | select((($b.c1 - $a.c1) > 0 and ($b.n1 | not) and $b.n2) or (($b.c2 - $a.c2) > 0 and ($b.n2 | not) and $b.n1))
     | $b.t - $a.t] | add // 0 | ms),
   dual_at_end: ($p | last | .n1 and .n2 or .b1 == true and .b2 == true),
   samples: ($p | length),
   sample_gap_max_ms: ($spans | map(.dt) | max // 0 | ms),
   timeline_ms: [range(0; $p | length) as $i
     | ($p[$i] | [holders, ($names[.mac] // .mac)]) as $now
     | select($i == 0 or $now != ($p[$i - 1] | [holders, ($names[.mac] // .mac)]))
     | "\(($p[$i].t - $fault_us) / 1000 | round) \($now[0]) client->\($now[1])"]}
+ if ($all | any(.b1 != null)) then
    {back_dual_ms: ($spans | map(select(.b1 and .b2) | .dt) | add // 0 | ms),
     # The front VIP on one node while the back VIP is on the other: the sync group's promise broken.
     split_ms: ($spans | map(select(.n1 and .b2 or .n2 and .b1) | .dt) | add // 0 | ms),
     one_vip_only_ms: ($spans | map(select((.n1 or .n2) != (.b1 or .b2)) | .dt) | add // 0 | ms)}
  else {} end
