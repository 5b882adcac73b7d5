// The timeline: one lane per address (who had it bound), one per node and instance (VRRP role, lease held),
// one per director and virtual server (the pool) and per real server (up or down), one for incidents. Times are µs since 1970 on the nodes' clocks. Zoom with the wheel or the buttons, pan by dragging.

import { svg, time, dateTime, duration } from './format.js';
import { poolLabel } from './pools.js';

export const ROLE_COLOURS = { MASTER: '#2e9d57', BACKUP: '#9aa5b1', FAULT: '#e08a1e', INITIALIZE: '#d5dae0' };
export const NO_OWNER = '#d93b3b';
export const SERVER_COLOURS = { up: '#2e9d57', down: '#d93b3b' };
const POOL_COLOURS = { serving: '#6fae86', 'sorry server': '#e08a1e', empty: '#d93b3b' };
const SEVERITY = { CRITICAL: '#d93b3b', WARNING: '#e08a1e', INFO: '#3b7dd8' };
const LABEL_W = 150;
const AXIS_H = 24;
const STEPS_MS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 10e3, 15e3, 30e3, 60e3, 120e3, 300e3, 600e3,
  900e3, 1800e3, 3600e3, 7200e3, 21600e3, 43200e3, 86400e3];

export class Timeline {
  constructor(container, { onFollowChange, onSelect, onSelectRecord, onViewChange }) {
    this.container = container;
    this.onViewChange = onViewChange;
    this.onFollowChange = onFollowChange;
    this.onSelect = onSelect;
    this.onSelectRecord = onSelectRecord;
    this.data = null;
    this.view = null;
    this.follow = true;
    this.selected = null;
    container.addEventListener('wheel', e => this.wheel(e), { passive: false });
    container.addEventListener('pointerdown', e => this.dragStart(e));
    new ResizeObserver(() => this.render()).observe(container);
  }

  /**
   * data: { vips: [{address, intervals}], nodes: [{node, instance, roles, leases}], pools: poolLanes(…), incidents,
   * first, last, colour(node) }
   */
  setData(data) {
    const firstTime = this.data === null;
    this.data = data;
    if (firstTime) this.fit(false);
    else if (this.follow) this.followLive();
    this.render();
  }

  select(incident) {
    this.selected = incident;
    if (incident) {
      const pad = Math.max((incident.end_micros - incident.start_micros) * 0.6, 500_000);
      this.setFollow(false);
      this.view = { start: incident.start_micros - pad, end: incident.end_micros + pad };
      this.onViewChange();
    }
    this.render();
  }

  setFollow(on) {
    if (this.follow === on) return;
    this.follow = on;
    this.onFollowChange(on);
    if (on) this.followLive();
    this.render();
  }

  zoom(factor, at = this.follow ? 1 : 0.5) {
    if (!this.view) return;
    const span = this.view.end - this.view.start;
    const newSpan = Math.min(Math.max(span * factor, 10_000), 366 * 86400e6);
    const pivot = this.view.start + span * at;
    this.view = { start: pivot - newSpan * at, end: pivot + newSpan * (1 - at) };
    if (this.follow) this.followLive();
    this.render();
    this.onViewChange();
  }

  /** Shows [start, end] (µs), as the user asked. */
  show(start, end) {
    const span = Math.max(end - start, 10e6);
    this.view = { start: start - span * 0.03, end: start + span * 1.05 };
    this.render();
    this.onViewChange();
  }

  fit(draw = true) {
    if (!this.data) return;
    const span = Math.max(this.data.last - this.data.first, 10e6);
    this.view = { start: this.data.first - span * 0.03, end: this.data.first + span * 1.05 };
    if (draw) this.render();
  }

  followLive() {
    if (!this.data || !this.view) return;
    const span = this.view.end - this.view.start;
    this.view = { start: this.data.last + span * 0.05 - span, end: this.data.last + span * 0.05 };
  }

  wheel(e) {
    e.preventDefault();
    const rect = this.container.getBoundingClientRect();
    const at = Math.min(Math.max((e.clientX - rect.left - LABEL_W) / (rect.width - LABEL_W - 10), 0), 1);
    this.zoom(e.deltaY > 0 ? 1.25 : 0.8, this.follow ? 1 : at);
  }

  dragStart(e) {
    if (!this.view || e.button !== 0 || e.target.closest('[data-incident], [data-record]')) return;
    const startX = e.clientX;
    const startView = { ...this.view };
    const width = this.container.clientWidth - LABEL_W - 10;
    let moved = false;
    this.container.setPointerCapture(e.pointerId);
    this.container.classList.add('dragging');
    const move = ev => {
      const dx = ev.clientX - startX;
      if (!moved && Math.abs(dx) < 3) return;
      moved = true;
      this.setFollow(false);
      const shift = -dx / width * (startView.end - startView.start);
      this.view = { start: startView.start + shift, end: startView.end + shift };
      this.render();
    };
    const up = () => {
      this.container.removeEventListener('pointermove', move);
      this.container.removeEventListener('pointerup', up);
      this.container.classList.remove('dragging');
      if (moved) this.onViewChange();
    };
    this.container.addEventListener('pointermove', move);
    this.container.addEventListener('pointerup', up);
  }

  render() {
    const box = this.container;
    box.replaceChildren();
    if (!this.data || !this.view) return;
    const { vips, nodes, pools, incidents, last } = this.data;
    const width = Math.max(box.clientWidth, 400);
    const plotW = width - LABEL_W - 10;
    const { start, end } = this.view;
    const x = t => LABEL_W + (t - start) / (end - start) * plotW;
    const clampX = t => Math.min(Math.max(x(t), LABEL_W), LABEL_W + plotW);

    const rows = [];
    let y = AXIS_H + 6;
    const group = title => { rows.push({ group: title, y }); y += 18; };
    if (vips.length) group('ADDRESSES');
    for (const vip of vips) { rows.push({ vip, y, h: 26 }); y += 32; }
    if (nodes.length) group('NODES · VRRP ROLE AND LEASE');
    for (const lane of nodes) { rows.push({ lane, y, h: 34 }); y += 42; }
    if (pools.length) group('LOAD BALANCING · POOL AND REAL SERVERS PER DIRECTOR');
    for (const pool of pools) {
      rows.push({ pool, y, h: 18 });
      y += 24;
      for (const server of pool.servers) { rows.push({ server, pool, y, h: 12 }); y += 18; }
    }
    group('INCIDENTS');
    rows.push({ incidents: true, y, h: 18 });
    y += 26;
    const height = y;

    const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, height, role: 'img', 'aria-label': 'cluster timeline' });
    root.append(svg('defs', {},
      svg('clipPath', { id: 'plot' }, svg('rect', { x: LABEL_W, y: 0, width: plotW, height })),
      svg('pattern', { id: 'hatch', width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
        svg('rect', { width: 6, height: 6, fill: '#fff' }), svg('line', { x1: 0, y1: 0, x2: 0, y2: 6, stroke: '#888', 'stroke-width': 3 }))));

    this.axis(root, x, start, end, plotW, height);
    const plot = svg('g', { 'clip-path': 'url(#plot)' });
    root.append(plot);

    for (const row of rows) {
      if (row.group) {
        root.append(svg('text', { class: 'group', x: 8, y: row.y + 12 }, row.group));
      } else if (row.vip) {
        this.vipLane(root, plot, row, x, clampX, last);
      } else if (row.lane) {
        this.nodeLane(root, plot, row, x, clampX, last);
      } else if (row.server) {
        this.serverLane(root, plot, row, clampX);
      } else if (row.pool) {
        this.poolLane(root, plot, row, x, clampX);
      } else {
        root.append(svg('text', { class: 'lane-label', x: 8, y: row.y + 13 }, `${incidents.length} incident(s)`));
        for (const incident of incidents) {
          const x1 = x(incident.start_micros);
          const w = Math.max(x(incident.end_micros) - x1, 3);
          plot.append(svg('rect', {
            x: x1, y: row.y, width: w, height: row.h, rx: 3, fill: SEVERITY[incident.severity] ?? '#888',
            opacity: this.selected && this.selected.key === incident.key ? 1 : 0.75, 'data-incident': incident.key,
            style: 'cursor:pointer', onclick: () => this.onSelect(incident.key),
          }, svg('title', {}, `${incident.kind} ${incident.address || incident.instance}\n${incident.summary}`)));
        }
      }
    }

    const nowX = x(last);
    if (nowX >= LABEL_W && nowX <= LABEL_W + plotW) {
      plot.append(svg('line', { x1: nowX, x2: nowX, y1: AXIS_H, y2: height, stroke: '#17212b', 'stroke-dasharray': '3 3' }));
      root.append(svg('text', { x: nowX + 3, y: AXIS_H + 2, class: 'tick-label' }, 'latest'));
    }
    if (this.selected) {
      const x1 = clampX(this.selected.start_micros);
      const x2 = clampX(this.selected.end_micros);
      plot.append(svg('rect', { x: x1, y: AXIS_H, width: Math.max(x2 - x1, 2), height: height - AXIS_H,
        fill: '#ffd43b', opacity: 0.28, stroke: '#e0a800', 'stroke-width': 1.5, class: 'highlight', 'pointer-events': 'none' }));
    }
    box.append(root);
  }

  axis(root, x, start, end, plotW, height) {
    const spanMs = (end - start) / 1000;
    const step = (STEPS_MS.find(s => spanMs / s <= plotW / 110) ?? STEPS_MS.at(-1)) * 1000;
    root.append(svg('rect', { x: 0, y: 0, width: LABEL_W + plotW + 10, height: AXIS_H, fill: '#f8fafb' }));
    for (let t = Math.ceil(start / step) * step; t <= end; t += step) {
      const tx = x(t);
      root.append(svg('line', { class: 'tick', x1: tx, x2: tx, y1: AXIS_H - 4, y2: height }));
      const label = step < 1e6 ? time(t).slice(3) : time(t).slice(0, 8);
      root.append(svg('text', { class: 'tick-label', x: tx, y: 15, 'text-anchor': 'middle' }, label));
    }
  }

  vipLane(root, plot, row, x, clampX, last) {
    const { address, intervals } = row.vip;
    root.append(svg('text', { class: 'lane-label', x: 8, y: row.y + 16 }, address));
    plot.append(svg('rect', { x: LABEL_W, y: row.y, width: 1e6, height: row.h, fill: '#f3f5f7' }));
    for (const gap of noOwnerGaps(intervals, last)) {
      const x1 = clampX(gap.start);
      plot.append(svg('rect', { x: x1, y: row.y, width: Math.max(clampX(gap.end) - x1, 1.5), height: row.h, fill: NO_OWNER },
        svg('title', {}, `no owner ${dateTime(gap.start)} → ${dateTime(gap.end)} (${duration(gap.end - gap.start)})`)));
    }
    const overlapping = intervals.some((a, i) => intervals.some((b, j) => i < j && a.node !== b.node
      && a.start_micros < endOf(b, last) && b.start_micros < endOf(a, last)));
    const nodes = [...new Set(intervals.map(i => i.node))].sort();
    for (const interval of intervals) {
      const sub = overlapping ? nodes.indexOf(interval.node) : 0;
      const h = overlapping ? row.h / nodes.length : row.h;
      this.segment(plot, interval, x, clampX, last, row.y + sub * h, h, this.data.colour(interval.node), interval.node,
        `${interval.node} had ${address} bound`);
    }
  }

  nodeLane(root, plot, row, x, clampX, last) {
    const { node, instance, roles, leases } = row.lane;
    root.append(svg('text', { class: 'lane-label', x: 8, y: row.y + 13 },
      node, svg('tspan', { class: 'lane-sub', dx: 6 }, instance)));
    root.append(svg('rect', { x: 8, y: row.y + 21, width: 12, height: 8, rx: 2, fill: this.data.colour(node) }));
    plot.append(svg('rect', { x: LABEL_W, y: row.y, width: 1e6, height: 20, fill: '#f3f5f7' }));
    for (const role of roles) {
      this.segment(plot, role, x, clampX, last, row.y, 20, ROLE_COLOURS[role.subject] ?? '#b6bec7', role.subject,
        `${node} ${instance} ${role.subject}`);
    }
    for (const lease of leases) {
      this.segment(plot, lease, x, clampX, last, row.y + 22, 12, '#17212b', `lease epoch ${lease.subject}`,
        `${node} ${instance} held the lease, epoch ${lease.subject}`, 'seg-label small');
    }
  }

  /** The pool a director applied between changes, a mark at every load-balancing event of the virtual server. */
  poolLane(root, plot, row, x, clampX) {
    const { node, virtualServer, pools, marks } = row.pool;
    root.append(svg('text', { class: 'lane-label', x: 8, y: row.y + 13 }, node, svg('tspan', { class: 'lane-sub', dx: 6 }, virtualServer)));
    for (const pool of pools) {
      const label = poolLabel(pool);
      const x1 = clampX(pool.start_micros);
      const x2 = clampX(pool.end_micros);
      plot.append(svg('rect', { x: x1, y: row.y, width: Math.max(x2 - x1, 1.5), height: row.h,
        fill: POOL_COLOURS[label.endsWith('serving') ? 'serving' : label], 'data-pool': virtualServer, 'data-node': node },
      svg('title', {}, `${node} ${virtualServer} pool from ${dateTime(pool.start_micros)}: ${label}`)));
      if (x2 - x1 > label.length * 7 + 10) {
        plot.append(svg('text', { class: 'seg-label small', x: Math.max(x1, LABEL_W) + 6, y: row.y + row.h / 2 + 4 }, label));
      }
    }
    for (const record of marks) {
      const mx = x(record.wall_micros);
      plot.append(svg('path', { d: `M${mx - 4} ${row.y - 2} L${mx + 4} ${row.y - 2} L${mx} ${row.y + 5} Z`, fill: '#17212b',
        class: 'lb-mark', 'data-record': `${record.node}#${record.seq}`, 'data-type': record.type, style: 'cursor:pointer',
        onclick: () => this.onSelectRecord(record) }, svg('title', {}, `${time(record.wall_micros)} ${record.type.toLowerCase().replaceAll('_', ' ')}`)));
    }
  }

  /** One real server as one director saw it: green while in its pool, red while out. */
  serverLane(root, plot, row, clampX) {
    const { endpoint, states } = row.server;
    root.append(svg('text', { class: 'lane-sub', x: 20, y: row.y + 10 }, endpoint));
    for (const stretch of states) {
      const x1 = clampX(stretch.start_micros);
      const x2 = clampX(stretch.end_micros);
      plot.append(svg('rect', { x: x1, y: row.y, width: Math.max(x2 - x1, 1.5), height: row.h, fill: SERVER_COLOURS[stretch.state],
        'data-real-server': endpoint, 'data-node': row.pool.node, 'data-state': stretch.state,
        'data-record': `${stretch.record.node}#${stretch.record.seq}`, style: 'cursor:pointer',
        onclick: () => this.onSelectRecord(stretch.record) },
      svg('title', {}, `${row.pool.node} ${row.pool.virtualServer} ${endpoint} ${stretch.state} from ${dateTime(stretch.start_micros)}`)));
    }
  }

  /** A solid bar to the earliest end; a hatched one to the latest end when a crash leaves the end uncertain. */
  segment(plot, interval, x, clampX, last, y, h, fill, label, what, labelClass = 'seg-label') {
    const x1 = clampX(interval.start_micros);
    const end = endOf(interval, last);
    const solidEnd = interval.end_reason === 'OPEN' ? end : interval.end_min_micros;
    const x2 = clampX(solidEnd);
    const title = `${what}\n${dateTime(interval.start_micros)} → ${interval.end_reason === 'OPEN' ? 'still' : dateTime(end)}`
      + (interval.end_reason !== 'RECORDED' && interval.end_reason !== 'OPEN'
        ? `\nended between ${time(interval.end_min_micros)} and ${time(interval.end_max_micros)} (${interval.end_reason})` : '');
    plot.append(svg('rect', { x: x1, y, width: Math.max(x2 - x1, 1.5), height: h, fill }, svg('title', {}, title)));
    if (solidEnd < end) {
      const x3 = clampX(end);
      plot.append(svg('rect', { x: x2, y, width: Math.max(x3 - x2, 1), height: h, fill: 'url(#hatch)', stroke: fill, 'stroke-width': 1 },
        svg('title', {}, title)));
    }
    if (label && x2 - x1 > label.length * 7 + 10) {
      plot.append(svg('text', { class: labelClass, x: Math.max(x1, LABEL_W) + 6, y: y + h / 2 + 4 }, label));
    }
  }
}

/** Where an interval is drawn to: a holding still open runs to the latest event seen. */
function endOf(interval, last) {
  return interval.end_reason === 'OPEN' ? Math.max(interval.end_max_micros, last) : interval.end_max_micros;
}

/** Stretches after the first bind where nobody can have had the address bound. */
function noOwnerGaps(intervals, last) {
  const sorted = [...intervals].sort((a, b) => a.start_micros - b.start_micros);
  const gaps = [];
  let covered = -Infinity;
  for (const interval of sorted) {
    if (covered !== -Infinity && interval.start_micros > covered) gaps.push({ start: covered, end: interval.start_micros });
    covered = Math.max(covered, endOf(interval, last));
  }
  if (covered !== -Infinity && covered < last) gaps.push({ start: covered, end: last });
  return gaps;
}
