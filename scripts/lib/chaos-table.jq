# The chaos matrix as Markdown from chaos-DATE.json: a row per fault, a group of columns per setup. A figure is the
# median (min–max) when the fault ran more than once. A sync group's dual ms cell also gives its second VIP's dual
# ownership and the time its two VIPs were on two different nodes.
def median: sort | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 | round end;
def figure: if length == 0 then "-" elif length == 1 then "\(.[0])"
            else "\(median) (\(min)–\(max))" end;
def count(f): "\(map(select(f)) | length)/\(length)";
def cells:
  if .[0].not_applicable then [.[0].not_applicable, "", "", "", "", ""]
  else [(map(.dual_ms) | figure)
          + (if .[0].back_dual_ms == null then ""
             else " (back VIP: \(map(.back_dual_ms) | figure); VIPs on two nodes: \(map(.split_ms) | figure))" end)
          + (if any(.dual_at_end) then " (still both at the end: \(count(.dual_at_end)))" else "" end),
        (map(.no_owner_ms) | figure),
        (map(.new_owner_ms | select(. != null)) | if length == 0 then "no change" else figure end)
          + (if any(.new_owner_ms == null) and any(.new_owner_ms != null) then " (no change: \(count(.new_owner_ms == null)))" else "" end),
        (map(.owner_changes) | figure),
        (map(.client_on_non_owner_ms) | figure),
        (if .[0].checker == null then "n/a (no journal)"
         else (map(.checker.verdict) | unique | join("; ")) end)]
  end;
(.results | map(.setup) | unique) as $setups
| ["kill9", "sigstop20", "partition15", "oneway", "zk_cutoff", "zk_leader_kill", "zk_quorum_loss", "link_flap",
   "coordinator_down", "journal_full"] as $order
| (.results | group_by(.fault) | sort_by(.[0].fault as $f | $order | index($f))) as $rows
| (["fault"] + [$setups[] as $s | "\($s): dual ms", "no owner ms", "new owner after ms", "owner changes",
    "client → non-owner after fault end ms", "checker"]) as $head
| ($head | "| " + join(" | ") + " |"),
  ($head | map("---") | "|" + join("|") + "|"),
  ($rows[] | . as $runs
   | [$runs[0].fault] + [$setups[] as $s | ($runs | map(select(.setup == $s))) | if length == 0 then ("-", "", "", "", "", "") else cells[] end]
   | "| " + join(" | ") + " |")
