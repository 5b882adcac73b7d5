// The coordinator's page: who owns each VIP now, the timeline, the incidents with their causes, live events.
// Data: /v1/forensics over the window the timeline shows (intervals and incidents), /v1/cluster (lease per node,
// each node's latest record) and the load-balancing records (read from /v1/events?types= on each (re)connect, then
// taken from the stream); /v1/stream says when to refresh.

import { Timeline, ROLE_COLOURS, NO_OWNER, SERVER_COLOURS } from './timeline.js';
import { el, time, dateTime, duration, durationRange, describe, evidence, members } from './format.js';
import { LB_TYPES, poolLanes } from './pools.js';

const NODE_COLOURS = ['#2b6cb0', '#7b4fb3', '#1f9e89', '#b7612b', '#b0467a', '#5a7d2a', '#3f5b76', '#a08a1a'];
const FEED_MAX = 200;
/** The window asked for before the timeline has one: the hour up to the latest record. */
const FIRST_SPAN_MICROS = 3600e6;
/** While records stream in, the report of an unchanged window is asked for again at most this often. */
const REPORT_EVERY_MS = 10_000;

const state = { cluster: null, report: null, steps: new Map(), selectedKey: null, latestEventMicros: 0, received: 0,
  lb: [], lbSeen: new Set(), lbLoaded: false, window: null, reportAt: 0 };
const $ = id => document.getElementById(id);

const timeline = new Timeline($('timeline'), {
  onFollowChange: on => { $('follow').checked = on; },
  onSelect: key => select(key),
  onSelectRecord: record => { select(null); renderRecordDetail(record); },
  onViewChange: () => { if (!covers(state.window, wanted(latestMicros()))) scheduleRefresh(); },
});
$('zoom-in').addEventListener('click', () => timeline.zoom(0.5));
$('zoom-out').addEventListener('click', () => timeline.zoom(2));
$('zoom-fit').addEventListener('click', () => fitEverything().catch(e => setLink('pill-wait', `error: ${e.message}`)));
$('follow').addEventListener('change', e => timeline.setFollow(e.target.checked));
$('legend').append(
  ...Object.entries(ROLE_COLOURS).map(([role, colour]) => el('span', {}, el('i', { style: `background:${colour}` }), role)),
  el('span', {}, el('i', { style: 'background:#17212b;height:5px' }), 'lease held'),
  el('span', {}, el('i', { style: `background:${NO_OWNER}` }), 'no owner'),
  el('span', {}, el('i', { style: `background:${SERVER_COLOURS.up}` }), 'real server in pool'),
  el('span', {}, el('i', { style: `background:${SERVER_COLOURS.down}` }), 'real server out'),
  el('span', {}, '▼ load-balancing event (click for details)'),
  el('span', {}, el('i', { style: 'background:repeating-linear-gradient(45deg,#888 0 2px,#fff 2px 4px)' }), 'end uncertain (crash)'));

async function getJson(path) {
  const response = await fetch(path, { cache: 'no-store' });
  const body = await response.json();
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${body.error ?? ''}`);
  return body;
}

let refreshing = false;
let refreshAgain = false;
let refreshTimer = null;

async function refresh() {
  if (refreshing) { refreshAgain = true; return; }
  refreshing = true;
  try {
    const cluster = await getJson('v1/cluster');
    state.cluster = cluster;
    const latest = Math.max(latestMicros(), ...Object.values(cluster.nodes).map(n => n.lastWallMicros));
    const window = wanted(latest);
    const stale = !sameWindow(state.window, window) || Date.now() - state.reportAt >= REPORT_EVERY_MS;
    const [report] = await Promise.all([stale ? getJson(forensicsPath(window)) : state.report, fetchLbRecords()]);
    if (stale) {
      state.report = report;
      state.window = window;
      state.reportAt = Date.now();
      // Report format 2: each incident's chain of causes names steps of this table by id (node#seq).
      state.steps = new Map(report.steps.map(step => [step.id, step]));
    } else {
      // Records came since the report: ask again once it is old enough, so the page ends up showing them.
      clearTimeout(refreshTimer);
      refreshTimer = setTimeout(refresh, REPORT_EVERY_MS - (Date.now() - state.reportAt));
    }
    render();
  } catch (e) {
    setLink('pill-wait', `error: ${e.message}`);
  } finally {
    refreshing = false;
    if (refreshAgain) { refreshAgain = false; refresh(); }
  }
}

/**
 * The window of the report to ask for, in µs: what the timeline shows; while it follows live, its span up to the
 * latest record, open-ended (to: null) so that what is still held shows as held, its start on a grid of a quarter
 * span so that records streaming in do not make every window a new one.
 */
function wanted(latest) {
  const view = timeline.view;
  if (view && !timeline.follow) return { from: Math.floor(view.start), to: Math.ceil(view.end) };
  const span = view ? view.end - view.start : FIRST_SPAN_MICROS;
  const grid = Math.max(span / 4, 1e6);
  return { from: Math.floor((latest - span) / grid) * grid, to: null };
}

function sameWindow(a, b) {
  return a !== null && a.from === b.from && a.to === b.to;
}

/** Whether the report of window {@code have} holds everything of window {@code want}. */
function covers(have, want) {
  return have !== null && have.from <= want.from && (have.to === null || (want.to !== null && want.to <= have.to));
}

function forensicsPath({ from, to }) {
  const query = [from > 0 ? `from=${Math.floor(from / 1000)}` : '', to === null ? '' : `to=${Math.ceil(to / 1000)}`];
  return `v1/forensics?${query.filter(Boolean).join('&')}`;
}

/** "fit": the whole history, from the first record stored (the report of everything costs what the archive does). */
async function fitEverything() {
  const first = await getJson('v1/events?limit=1');
  if (!first.events.length) return;
  timeline.setFollow(false);
  timeline.show(first.events[0].wall_micros, latestMicros());
}

/**
 * Pages through the load-balancing records (the timeline's pool lanes) once per (re)connect, filtered by the
 * coordinator (each request reads a bounded part of the archive); between reconnects the stream brings every new
 * record, also a late one whose HLC is below the last cursor.
 */
async function fetchLbRecords() {
  if (state.lbLoaded) return;
  let cursor = '';
  for (;;) {
    const page = await getJson(`v1/events?types=${[...LB_TYPES].join(',')}&limit=10000${cursor ? `&since=${encodeURIComponent(cursor)}` : ''}`);
    page.events.forEach(keepLbRecord);
    cursor = page.next;
    if (!page.more) break;
  }
  state.lbLoaded = true;
}

/** Keeps a load-balancing record once (the stream and a page of /v1/events can both bring it), in HLC order. */
function keepLbRecord(record) {
  const key = `${record.node}#${record.seq}`;
  if (!LB_TYPES.has(record.type) || state.lbSeen.has(key)) return;
  state.lbSeen.add(key);
  const at = state.lb.findLastIndex(r => r.hlc <= record.hlc);
  state.lb.splice(at + 1, 0, record);
}

function scheduleRefresh() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refresh, 150);
}

function incidentKey(i) {
  return `${i.kind}|${i.start_micros}|${i.address}|${i.instance}|${i.nodes.join(',')}`;
}

function latestMicros() {
  return Math.max(state.latestEventMicros, state.report && state.report.nodes.length ? Date.parse(state.report.last) * 1000 : 0);
}

function render() {
  const report = state.report;
  const nodes = report.nodes;
  const colour = node => NODE_COLOURS[Math.max(nodes.indexOf(node), 0) % NODE_COLOURS.length];
  // The load-balancing records are kept in HLC order: the first and the last are the earliest and the latest.
  const lbTimes = state.lb.length ? [state.lb[0].wall_micros, state.lb.at(-1).wall_micros] : [];
  const last = Math.max(latestMicros(), ...report.intervals.map(i => i.end_max_micros), ...lbTimes);
  // The report has the intervals that overlap its window, some begun long before: the timeline starts at the window.
  const first = Math.max(Math.min(...report.intervals.map(i => i.start_micros), ...lbTimes, last), state.window.from);
  // The report lists incidents as their ends became known (it is streamed): the page lists them by start.
  const incidents = report.incidents.map(i => ({ ...i, key: incidentKey(i) }))
    .sort((a, b) => a.start_micros - b.start_micros || a.kind.localeCompare(b.kind));
  $('clock').textContent = report.nodes.length ? `latest ${dateTime(last)}` : 'no records yet';
  renderOwners(report, colour, last);
  timeline.setData({ vips: vipLanes(report), nodes: nodeLanes(report), pools: poolLanes(state.lb, last), incidents, first, last, colour });
  renderIncidents(incidents);
  const selected = incidents.find(i => i.key === state.selectedKey);
  timeline.selected = selected ?? null;
  timeline.render();
  if (selected) renderDetail(selected);
}

function vipLanes(report) {
  const byAddress = new Map();
  for (const interval of report.intervals.filter(i => i.kind === 'VIP')) {
    if (!byAddress.has(interval.subject)) byAddress.set(interval.subject, []);
    byAddress.get(interval.subject).push(interval);
  }
  return [...byAddress.entries()].sort().map(([address, intervals]) => ({ address, intervals }));
}

function nodeLanes(report) {
  const lanes = new Map();
  for (const interval of report.intervals.filter(i => i.kind !== 'VIP')) {
    const key = `${interval.node}\u0000${interval.instance}`;
    if (!lanes.has(key)) lanes.set(key, { node: interval.node, instance: interval.instance, roles: [], leases: [] });
    lanes.get(key)[interval.kind === 'ROLE' ? 'roles' : 'leases'].push(interval);
  }
  return [...lanes.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, lane]) => lane);
}

/** The current holders of each address: its intervals still open at the end of the journals. */
function renderOwners(report, colour, last) {
  const box = $('owners');
  box.replaceChildren();
  const lanes = vipLanes(report);
  if (!lanes.length) {
    box.append(el('p', { class: 'empty' }, 'No address has been bound yet.'));
    return;
  }
  for (const { address, intervals } of lanes) {
    const open = intervals.filter(i => i.end_reason === 'OPEN');
    if (open.length === 0) {
      const lastEnd = Math.max(...intervals.map(i => i.end_max_micros));
      box.append(el('div', { class: 'owner no-owner', 'data-vip': address },
        el('div', { class: 'owner-vip' }, address),
        el('div', { class: 'owner-main' }, el('span', { class: 'owner-arrow' }, '→'), el('span', { class: 'owner-node' }, 'NO OWNER')),
        el('div', { class: 'owner-meta' }, 'since ', el('b', {}, time(lastEnd)), ` (${duration(last - lastEnd)})`)));
    } else if (open.length > 1) {
      box.append(el('div', { class: 'owner split', 'data-vip': address },
        el('div', { class: 'owner-vip' }, address),
        el('div', { class: 'owner-main' }, el('span', { class: 'owner-arrow' }, '→'),
          el('span', { class: 'owner-node' }, open.map(i => i.node).join(' + '))),
        el('div', { class: 'owner-meta' }, el('b', {}, 'SPLIT BRAIN'), ': bound on ', open.length, ' nodes')));
    } else {
      const holding = open[0];
      const instance = state.cluster?.nodes?.[holding.node]?.instances?.[holding.instance];
      const lease = instance && instance.leaseEpoch
        ? ['lease epoch ', el('b', {}, instance.leaseEpoch), instance.lease === 'HELD' ? '' : ` (${instance.lease})`]
        : ['no lease (VRRP only)'];
      box.append(el('div', { class: 'owner', 'data-vip': address, style: `border-left-color:${colour(holding.node)}` },
        el('div', { class: 'owner-vip' }, `${address} · ${holding.instance}`),
        el('div', { class: 'owner-main' }, el('span', { class: 'owner-arrow' }, '→'),
          el('span', { class: 'owner-node', style: `color:${colour(holding.node)}` }, holding.node)),
        el('div', { class: 'owner-meta' }, ...lease, ' · since ', el('b', { title: dateTime(holding.start_micros) }, time(holding.start_micros)),
          ` (${duration(last - holding.start_micros)})`)));
    }
  }
}

function renderIncidents(incidents) {
  const body = $('incidents');
  body.replaceChildren();
  $('incident-count').textContent = incidents.length ? `${incidents.length}` : '';
  if (!incidents.length) {
    body.append(el('tr', {}, el('td', { colspan: 5, class: 'empty' }, 'No incident.')));
    return;
  }
  for (const incident of incidents) {
    body.append(el('tr', {
      class: `incident${incident.key === state.selectedKey ? ' selected' : ''}`, 'data-kind': incident.kind,
      'data-key': incident.key, tabindex: 0, onclick: () => select(incident.key),
      onkeydown: e => { if (e.key === 'Enter') select(incident.key); },
    },
    el('td', {}, el('span', { class: `sev sev-${incident.severity}` }, incident.severity)),
    el('td', {}, el('div', { class: 'kind' }, incident.kind), el('small', {}, incident.address || incident.instance)),
    el('td', { title: `${dateTime(incident.start_micros)} → ${dateTime(incident.end_micros)}` },
      `${time(incident.start_micros)} → ${time(incident.end_micros)}`),
    el('td', {}, durationRange(incident.min_duration_micros, incident.max_duration_micros)),
    el('td', {}, incident.summary)));
  }
}

function select(key) {
  state.selectedKey = key;
  const incident = state.report.incidents.map(i => ({ ...i, key: incidentKey(i) })).find(i => i.key === key);
  for (const row of $('incidents').querySelectorAll('tr.incident')) row.classList.toggle('selected', row.dataset.key === key);
  timeline.select(incident ?? null);
  if (incident) renderDetail(incident);
}

function renderDetail(incident) {
  const box = $('detail');
  box.replaceChildren(el('div', { class: 'panel-head' }, el('h2', {}, 'Drill-down')));
  box.append(
    el('h3', {}, el('span', { class: `sev sev-${incident.severity}` }, incident.severity), ' ', incident.kind,
      incident.address ? ` · ${incident.address}` : ''),
    el('p', { class: 'summary' }, incident.summary),
    el('dl', {},
      el('dt', {}, 'nodes'), el('dd', {}, incident.nodes.join(', ')),
      el('dt', {}, 'instance'), el('dd', {}, `${incident.instance || '–'}${incident.vrid ? ` (VRID ${incident.vrid})` : ''}`),
      el('dt', {}, 'as journaled'), el('dd', { class: 'mono' }, `${dateTime(incident.start_micros)} → ${time(incident.end_micros)}`),
      el('dt', {}, 'lasted'), el('dd', { class: 'mono' }, durationRange(incident.min_duration_micros, incident.max_duration_micros))),
    el('h2', {}, 'Chain of causes ', el('small', {}, `${incident.causes.length} events, oldest first`)),
    el('ol', { class: 'causes' }, incident.causes.map(id => state.steps.get(id)).map(step => {
      const micros = Date.parse(step.time) * 1000;
      const inside = micros >= incident.start_micros && micros <= incident.end_micros;
      return el('li', { class: `cause${inside ? ' inside' : ''}`, 'data-node': step.node, 'data-seq': step.seq },
        el('span', { class: 'when', title: step.time }, time(micros)),
        el('span', { class: 'who' }, `${step.node} #${step.seq}`),
        el('span', { class: 'text' }, stepText(step)));
    })));
  if (incident.notes?.length) {
    box.append(el('ul', { class: 'notes' }, incident.notes.map(note => el('li', {}, note))));
  }
}

/** A load-balancing event clicked on the timeline: what the director journaled, with the check's evidence. */
function renderRecordDetail(record) {
  const e = record.event;
  const fields = [['director', `${record.node} #${record.seq}`], ['as journaled', dateTime(record.wall_micros)],
    ['virtual server', e.virtualServer]];
  if (e.realServer) fields.push(['real server', e.realServer]);
  if (e.evidence) fields.push(['check', evidence(e.evidence)]);
  if (e.members) fields.push(['pool', members(e.members)], ['nftables generation', e.generation]);
  if (e.threshold !== undefined) fields.push(['live weight', `${e.liveWeight} (quorum ${e.threshold})`]);
  if (e.sorryServer) fields.push(['sorry server', e.sorryServer]);
  if (record.cause && record.cause.kind !== 'NONE') {
    fields.push(['cause', [record.cause.kind, record.cause.subject, record.cause.value].filter(v => v !== '' && v !== null).join(' ')]);
  }
  const box = $('detail');
  box.replaceChildren(el('div', { class: 'panel-head' }, el('h2', {}, 'Drill-down')),
    el('h3', { 'data-type': record.type }, record.type),
    el('p', { class: 'summary' }, describe(record)),
    el('dl', {}, fields.flatMap(([name, value]) => [el('dt', {}, name), el('dd', { class: 'mono' }, value)])));
}

/** A cause's text without the node and time it starts and ends with: the list shows those in their own columns. */
function stepText(step) {
  const text = step.text.startsWith(`${step.node} `) ? step.text.slice(step.node.length + 1) : step.text;
  return text.replace(/ \d\d:\d\d:\d\d\.\d{3}$/, '');
}

function setLink(cls, text) {
  const link = $('link');
  link.className = `pill ${cls}`;
  link.textContent = text;
}

function onEvent(message) {
  const record = JSON.parse(message.data);
  state.received += 1;
  state.latestEventMicros = Math.max(state.latestEventMicros, record.wall_micros);
  keepLbRecord(record);
  const feed = $('feed');
  feed.prepend(el('li', { class: 'fresh', 'data-node': record.node, 'data-seq': record.seq, 'data-type': record.type },
    el('span', { class: 'when', title: record.wall }, time(record.wall_micros)), ' ',
    el('span', { class: 'who' }, `${record.node} #${record.seq}`), ' ',
    el('span', { class: 'type' }, describe(record))));
  while (feed.children.length > FEED_MAX) feed.lastElementChild.remove();
  $('event-count').textContent = `${state.received} received since the page opened`;
  scheduleRefresh();
}

function connect() {
  const stream = new EventSource('v1/stream');
  stream.addEventListener('open', () => { setLink('pill-live', 'live'); state.lbLoaded = false; refresh(); });
  stream.addEventListener('error', () => setLink('pill-wait', 'reconnecting…'));
  stream.addEventListener('message', onEvent);
}

$('event-count').textContent = 'none received since the page opened';
connect();
