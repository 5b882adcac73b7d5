// Small helpers shared by the page's modules: DOM building without innerHTML, and times in UTC.

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An HTML element with attributes and children (strings become text nodes, so nothing is parsed as HTML). */
export function el(tag, attrs = {}, ...children) {
  return fill(document.createElement(tag), attrs, children);
}

/** The same for SVG elements. */
export function svg(tag, attrs = {}, ...children) {
  return fill(document.createElementNS(SVG_NS, tag), attrs, children);
}

function fill(node, attrs, children) {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** µs since 1970 → "HH:MM:SS.mmm" (UTC). */
export function time(micros) {
  return new Date(Math.floor(micros / 1000)).toISOString().slice(11, 23);
}

/** µs since 1970 → "YYYY-MM-DD HH:MM:SS.mmm UTC". */
export function dateTime(micros) {
  return new Date(Math.floor(micros / 1000)).toISOString().replace('T', ' ').replace('Z', ' UTC');
}

/** A duration in µs, in the unit a person reads best. */
export function duration(micros) {
  const ms = micros / 1000;
  if (ms < 1) return `${Math.round(micros)} µs`;
  if (ms < 1000) return `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(3)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${Math.round(s - m * 60)} s`;
  const h = Math.floor(m / 60);
  return `${h} h ${m - h * 60} min`;
}

/** A duration range "min … max", one value when both are equal. */
export function durationRange(min, max) {
  return min === max ? duration(min) : `${duration(min)} … ${duration(max)}`;
}

/** One line for an event object of /v1/events or /v1/stream. */
export function describe(record) {
  const e = record.event ?? {};
  const what = {
    AGENT_STARTED: () => `agent started (${e.version})`,
    AGENT_STOPPED: () => `agent stopped (${e.reason})`,
    CONFIG_LOADED: () => `config loaded ${e.path}`,
    VRRP_STATE_CHANGED: () => `${e.instance} ${e.from} → ${e.to}`,
    EFFECTIVE_PRIORITY_CHANGED: () => `${e.instance} priority ${e.from} → ${e.to}`,
    TRACKER_RESULT_CHANGED: () => `tracker ${e.tracker} ${e.healthy ? 'healthy' : 'failing'} ${e.detail ?? ''}`,
    LEASE_REQUESTED: () => `${e.instance} lease requested`,
    LEASE_ACQUIRED: () => `${e.instance} lease acquired, epoch ${record.lease_epoch}`,
    LEASE_CONFIRMATION_LAPSED: () => `${e.instance} lease confirmation lapsed`,
    LEASE_LOST: () => `${e.instance} lease lost`,
    LEASE_RELEASED: () => `${e.instance} lease released`,
    VIP_BIND_INTENDED: () => `${e.instance} VIP ${e.address} about to be bound`,
    VIP_BOUND: () => `${e.instance} VIP ${e.address} bound` + (e.lifetimeSeconds ? ` (lifetime ${e.lifetimeSeconds} s)` : ' (no lifetime)'),
    VIP_RELEASED: () => `${e.instance} VIP ${e.address} released`,
    SYNC_GROUP_STATE_CHANGED: () => `sync group ${e.group} ${e.from ? `${e.from} → ` : ''}${e.to} (${e.member} ${e.memberState})`,
    ROUTING_CHANGED: () => `${e.owner} ${e.kind} ${e.spec} ` + (e.error
      ? `not ${e.added ? 'added' : 'removed'} (${e.error})` : (e.added ? 'added' : 'removed')),
    REAL_SERVER_UP: () => `${e.virtualServer} real server ${e.realServer} up (${evidence(e.evidence)})`,
    REAL_SERVER_DOWN: () => `${e.virtualServer} real server ${e.realServer} down (${evidence(e.evidence)})`,
    POOL_CHANGED: () => `${e.virtualServer} pool ${members(e.members)} (nftables generation ${e.generation})`,
    VIRTUAL_SERVER_QUORUM_LOST: () => `${e.virtualServer} quorum lost (live weight ${e.liveWeight} < ${e.threshold})`,
    VIRTUAL_SERVER_QUORUM_GAINED: () => `${e.virtualServer} quorum gained (live weight ${e.liveWeight} >= ${e.threshold})`,
    SORRY_SERVER_IN: () => `${e.virtualServer} sorry server ${e.sorryServer} serves`,
    SORRY_SERVER_OUT: () => `${e.virtualServer} sorry server ${e.sorryServer} out`,
  }[record.type];
  const text = what ? what() : `${String(record.type).toLowerCase().replaceAll('_', ' ')} ${JSON.stringify(e)}`;
  const cause = record.cause && record.cause.kind !== 'NONE'
    ? ` [${[record.cause.kind, record.cause.subject, record.cause.value || ''].filter(Boolean).join(' ')}]` : '';
  return text + cause;
}

/** A pool's members as LbEventText writes them: "[192.0.2.51:80 w1, 192.0.2.52:80 w1]", a sorry server marked. */
export function members(list) {
  return `[${list.map(m => `${m.endpoint} w${m.weight}${m.sorry ? ' sorry' : ''}`).join(', ')}]`;
}

/** A check's evidence as LbEventText writes it: "TCP_CHECK connect refused, 4 in a row, 3 ms". */
export function evidence(e) {
  if (!e) return '';
  const status = e.statusCode >= 0 && !e.detail.includes(String(e.statusCode)) ? `, status ${e.statusCode}` : '';
  const exit = e.exitCode >= 0 && !e.detail.includes('exit') ? `, exit code ${e.exitCode}` : '';
  return `${e.checker} ${e.detail}${status}${exit}, ${e.consecutive} in a row, ${Math.floor(e.latencyMicros / 1000)} ms`;
}
