// Load balancing on the timeline: the journaled RealServerUp/Down, PoolChanged, quorum and sorry-server events folded
// into one lane per director and virtual server (the pool between changes) and one per real server (up or down).
// Each director checks and programs on its own, so each has its own lanes: a difference between them shows.

export const LB_TYPES = new Set(['REAL_SERVER_UP', 'REAL_SERVER_DOWN', 'POOL_CHANGED', 'VIRTUAL_SERVER_QUORUM_LOST',
  'VIRTUAL_SERVER_QUORUM_GAINED', 'SORRY_SERVER_IN', 'SORRY_SERVER_OUT']);

/**
 * records: /v1/events objects of LB_TYPES in HLC order. Answers [{node, virtualServer, pools, marks, servers}]:
 * pools [{start_micros, end_micros, record}] (the pool applied from one PoolChanged to the next), marks (every event
 * of the virtual server, for the drill-down), servers [{endpoint, states: [{state, start_micros, end_micros, record}]}]
 * where a real server is up from a RealServerUp or a pool holding it with weight > 0, down from a RealServerDown or
 * a pool without it (or with weight 0: inhibit_on_failure). Open stretches end at `last`.
 */
export function poolLanes(records, last) {
  const lanes = new Map();
  for (const record of records) {
    const e = record.event;
    const key = `${record.node}\u0000${e.virtualServer}`;
    if (!lanes.has(key)) lanes.set(key, { node: record.node, virtualServer: e.virtualServer, pools: [], marks: [], servers: new Map() });
    const lane = lanes.get(key);
    lane.marks.push(record);
    if (record.type === 'REAL_SERVER_UP' || record.type === 'REAL_SERVER_DOWN') {
      setState(lane, e.realServer, record.type === 'REAL_SERVER_UP' ? 'up' : 'down', record);
    } else if (record.type === 'POOL_CHANGED') {
      closeLast(lane.pools, record.wall_micros);
      lane.pools.push({ start_micros: record.wall_micros, end_micros: null, record });
      const serving = new Set(e.members.filter(m => !m.sorry && m.weight > 0).map(m => m.endpoint));
      for (const member of e.members.filter(m => !m.sorry)) lane.servers.has(member.endpoint) || lane.servers.set(member.endpoint, []);
      for (const endpoint of lane.servers.keys()) setState(lane, endpoint, serving.has(endpoint) ? 'up' : 'down', record);
    }
  }
  return [...lanes.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, lane]) => ({
    ...lane,
    pools: lane.pools.map(p => ({ ...p, end_micros: p.end_micros ?? last })),
    servers: [...lane.servers.entries()].sort(([a], [b]) => a.localeCompare(b))
      .map(([endpoint, states]) => ({ endpoint, states: states.map(s => ({ ...s, end_micros: s.end_micros ?? last })) })),
  }));
}

/** A new stretch only when the state changes: a pool change that keeps a server up does not split its bar. */
function setState(lane, endpoint, state, record) {
  if (!lane.servers.has(endpoint)) lane.servers.set(endpoint, []);
  const states = lane.servers.get(endpoint);
  const current = states.at(-1);
  if (current && current.state === state) return;
  closeLast(states, record.wall_micros);
  states.push({ state, start_micros: record.wall_micros, end_micros: null, record });
}

function closeLast(stretches, micros) {
  const open = stretches.at(-1);
  if (open && open.end_micros === null) open.end_micros = micros;
}

/** "2 serving", "sorry server", "empty": what a pool stretch's label says. */
export function poolLabel(pool) {
  const members = pool.record.event.members;
  const serving = members.filter(m => !m.sorry && m.weight > 0).length;
  if (serving) return `${serving} serving`;
  return members.some(m => m.sorry) ? 'sorry server' : 'empty';
}
