/* aipath-graph map page: draws the embedded graph with vis-network.
 * Every piece of graph text reaches the page through textContent or the canvas,
 * never through innerHTML, so a label cannot run script.
 * Positions, box widths and wrapped labels come from Python (render/layout.py). */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("aipath-data").textContent);
  var ui = data.ui;
  var lang = data.lang;
  var HIGHLIGHT = "#FF2E63";
  var CRITICAL = "#C00000";
  var DIM = "#E6E6E6";
  var FACE = "system-ui, 'Noto Sans CJK SC', 'PingFang SC', sans-serif";
  var READABLE_PX = 11.5;  /* the first view never draws a box label smaller */
  var LEARN_FIRST = ["requires", "any", "option", "part", "essential", "optional", "level"];
  var LEADS_TO = ["requires", "any", "option", "part", "level"];

  function $(id) { return document.getElementById(id); }
  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) { e.className = className; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function otherLabels(node) {
    return Object.keys(node.labels)
      .filter(function (k) { return k !== lang && node.labels[k] !== node.label; })
      .map(function (k) { return node.labels[k]; });
  }
  function tint(hex, amount) {  /* mix a colour with white */
    var n = parseInt(hex.slice(1), 16);
    var c = [n >> 16, (n >> 8) & 255, n & 255].map(function (v) { return Math.round(v + (255 - v) * amount); });
    return "rgb(" + c.join(",") + ")";
  }

  var byId = new Map();
  var typeStyle = new Map();
  var kindStyle = new Map();
  var incoming = new Map();
  var outgoing = new Map();
  var prereqKinds = new Set(data.prerequisiteKinds);
  data.types.forEach(function (t) { typeStyle.set(t.id, t); });
  data.kinds.forEach(function (k) { kindStyle.set(k.id, k); });
  data.nodes.forEach(function (n) { byId.set(n.id, n); incoming.set(n.id, []); outgoing.set(n.id, []); });
  data.edges.forEach(function (e) { outgoing.get(e.from).push(e); incoming.get(e.to).push(e); });

  /* ---- what the filters show: types, stages, relation kinds ---- */
  var typeOn = new Map();
  var stageOn = new Map();
  var kindOn = new Map();
  var hiddenAtFirst = new Set(data.hiddenTypes);
  var firstKinds = new Set(data.firstKinds);
  data.types.forEach(function (t) { typeOn.set(t.id, !hiddenAtFirst.has(t.id)); });
  data.kinds.forEach(function (k) { kindOn.set(k.id, firstKinds.has(k.id)); });
  var nodeHidden = new Set();  /* kept here: DataSet.get copies an item, too slow on 5k nodes */
  var edgeHidden = new Set();
  function isShown(n) {
    if (n.type === "Stage" && data.boxes) { return true; }  /* column headers stay */
    return typeOn.get(n.type) !== false && stageOn.get(n.stage || "") !== false;
  }
  function edgeShown(e) {
    return kindOn.get(e.kind) !== false && isShown(byId.get(e.from)) && isShown(byId.get(e.to));
  }

  /* ---- the plan: ticks kept in localStorage, re-planned in the page ---- */
  var plan = data.plan;
  var storeKey = "aipath:done:" + data.graphKey;
  var memoryStore = {};
  function loadDone() {
    try { return new Set(JSON.parse(window.localStorage.getItem(storeKey) || "[]")); }
    catch (err) { return new Set(memoryStore[storeKey] || []); }  /* a sandboxed frame has no storage */
  }
  function saveDone(done) {
    var list = Array.from(done).sort();
    try { window.localStorage.setItem(storeKey, JSON.stringify(list)); }
    catch (err) { memoryStore[storeKey] = list; }
  }
  var items = plan ? plan.items : [];
  var itemById = new Map(items.map(function (s) { return [s.id, s]; }));
  var done = plan ? loadDone() : new Set();
  var state = null;  /* the re-planned remainder: see replan() */
  var untouched = true;  /* until the reader moves the view, a new size gets a new first view */

  function directlyRequires(u, v) {  /* an AND edge u → v (not one through an any-of group) */
    return outgoing.get(u).some(function (e) { return e.to === v && e.kind !== "option" && prereqKinds.has(e.kind); });
  }
  function replan() {
    /* What is known: the ticked steps, what they need (knowing a step implies its AND
     * prerequisites) and a parent all of whose parts are known; what remains: what the
     * targets still need. The same rules as `aipath plan`. */
    var known = new Set();
    var stack = Array.from(done).filter(function (id) { return itemById.has(id); });
    function expand() {
      while (stack.length) {
        var v = stack.pop();
        if (known.has(v)) { continue; }
        known.add(v);
        itemById.get(v).requires.forEach(function (r) { if (directlyRequires(r, v)) { stack.push(r); } });
      }
    }
    expand();
    var changed = true;
    while (changed) {
      changed = false;
      items.forEach(function (s) {
        if (known.has(s.id)) { return; }
        var parts = incoming.get(s.id).filter(function (e) { return e.kind === "part"; });
        if (parts.length && parts.every(function (e) { return known.has(e.from) || !itemById.has(e.from); })) {
          stack.push(s.id); expand(); changed = true;
        }
      });
    }
    var needed = new Set();
    var todo = [];
    plan.targets.forEach(function (t) {  /* a role is a target, not a step: start from its needs */
      if (itemById.has(t)) { todo.push(t); return; }
      (incoming.get(t) || []).forEach(function (e) {
        if (prereqKinds.has(e.kind) && itemById.has(e.from)) { todo.push(e.from); }
      });
    });
    while (todo.length) {
      var v = todo.pop();
      if (needed.has(v) || known.has(v)) { continue; }
      needed.add(v);
      itemById.get(v).requires.forEach(function (r) { todo.push(r); });
    }
    var remaining = items.filter(function (s) { return needed.has(s.id); });
    var phase = new Map();
    remaining.forEach(function (s) {  /* items come in plan order: prerequisites first */
      var p = 1;
      s.requires.forEach(function (r) { if (phase.has(r)) { p = Math.max(p, phase.get(r) + 1); } });
      phase.set(s.id, p);
    });
    remaining.sort(function (a, b) {
      return (phase.get(a.id) - phase.get(b.id)) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    });
    var order = new Map();
    remaining.forEach(function (s, i) { order.set(s.id, i + 1); });
    /* critical path: the chain heaviest in hours (ties: more steps, then the first) */
    var best = new Map();
    var back = new Map();
    remaining.forEach(function (s) {
      var prev = null;
      s.requires.forEach(function (r) {
        if (!best.has(r)) { return; }
        var br = best.get(r);
        if (prev === null || br[0] > best.get(prev)[0] || (br[0] === best.get(prev)[0] && br[1] > best.get(prev)[1])) { prev = r; }
      });
      var base = prev === null ? [0, 0] : best.get(prev);
      best.set(s.id, [base[0] + s.effort, base[1] + 1]);
      back.set(s.id, prev);
    });
    var end = null;
    best.forEach(function (v, id) {
      if (end === null || v[0] > best.get(end)[0] || (v[0] === best.get(end)[0] && v[1] > best.get(end)[1])) { end = id; }
    });
    var critical = new Set();
    for (var c = end; c !== null && c !== undefined; c = back.get(c)) { critical.add(c); }
    var hours = remaining.reduce(function (sum, s) { return sum + s.effort; }, 0);
    state = {
      known: known, remaining: remaining, order: order, phase: phase, critical: critical,
      hours: hours, criticalHours: end === null ? 0 : best.get(end)[0]
    };
    return state;
  }

  /* ---- vis items ---- */
  var ordinal = /^\d+\. /;
  function stepPrefix(n) {
    if (!plan || !itemById.has(n.id)) { return null; }
    if (state.order.has(n.id)) { return state.order.get(n.id) + ". "; }
    return "✓ ";
  }
  function boxLabel(n) {
    var lines = n.lines.slice();
    var prefix = stepPrefix(n);
    if (prefix !== null) { lines[0] = prefix + lines[0].replace(ordinal, ""); }
    return lines.join("\n");
  }
  function nodeLabel(n) {
    if (plan && itemById.has(n.id)) {
      return (state.order.has(n.id) ? state.order.get(n.id) + ". " : "✓ ") + n.label;
    }
    return n.step !== null ? n.step + ". " + n.label : n.label;
  }
  function isCritical(n) { return plan ? state.critical.has(n.id) : n.critical; }
  function isDone(n) { return !!(plan && itemById.has(n.id) && !state.order.has(n.id)); }
  function tooltip(n) {
    var lines = [nodeLabel(n)].concat(otherLabels(n));
    var t = typeStyle.get(n.type);
    lines.push(t ? t.name : n.type);
    if (n.effort) { lines.push(ui.effort + ": " + n.effort + " " + ui.hours); }
    return lines.join("\n");
  }
  function headerStyle(item, w) {
    item.shape = "box";
    item.color = { background: "#2F3B4C", border: "#2F3B4C", highlight: { background: "#2F3B4C", border: HIGHLIGHT }, hover: { background: "#2F3B4C", border: "#2F3B4C" } };
    item.font = { color: "#FFFFFF", size: data.headerFont, face: FACE, align: "center" };
    item.widthConstraint = { minimum: w };
    item.margin = 6;
    item.borderWidth = 0;
    return item;
  }
  function visNode(n) {
    var t = typeStyle.get(n.type) || { color: "#999999", shape: "dot" };
    if (!data.boxes) { return dotNode(n, t); }
    if (n.type === "Stage") {
      return headerStyle({ id: n.id, label: n.lines.join("\n"), title: tooltip(n), x: n.x, y: n.y, physics: false }, n.w);
    }
    var inPlan = !plan || itemById.has(n.id) || n.target;
    var finished = isDone(n);
    var critical = isCritical(n) && !finished;
    var fill = !inPlan || finished ? "#F2F2F2" : tint(t.color, 0.78);
    var border = critical ? CRITICAL : (!inPlan || finished ? "#BBBBBB" : (n.type === "AnyOf" ? "#E69F00" : t.color));
    /* shape, margin, font face and size, rounding: the network's node defaults (below) */
    var item = {
      id: n.id, label: boxLabel(n), title: tooltip(n), x: n.x, y: n.y,
      widthConstraint: { minimum: n.w },  /* no maximum: the lines come wrapped, and vis wraps word by word (slow) */
      color: { background: fill, border: border,
               highlight: { background: fill, border: HIGHLIGHT },
               hover: { background: fill, border: HIGHLIGHT } },
      hidden: !isShown(n)
    };
    if (critical || n.target) { item.borderWidth = critical ? 3 : 2.5; }
    if (n.type === "AnyOf") { item.shapeProperties = { borderRadius: 4, borderDashes: [4, 3] }; }
    if (!inPlan || finished) { item.font = { color: "#8A8A8A" }; }
    return item;
  }
  var BOX_DEFAULTS = {
    shape: "box", margin: 6, borderWidth: 1.5, physics: false,
    shapeProperties: { borderRadius: 4 },
    font: { color: "#1A1A1A", size: data.font, face: FACE, align: "left" }
  };
  function dotNode(n, t) {
    var inPlan = !plan || n.step !== null || n.target || n.type === "Stage";
    var background = inPlan ? t.color : DIM;
    var border = n.critical ? CRITICAL : (n.type === "AnyOf" ? "#E69F00" : "#2B2B2B");
    var item = {
      id: n.id, label: nodeLabel(n), title: tooltip(n), x: n.x, y: n.y,
      shape: t.shape, size: n.size,
      color: { background: background, border: border,
               highlight: { background: background, border: HIGHLIGHT },
               hover: { background: background, border: HIGHLIGHT } },
      borderWidth: n.critical ? 4 : (n.step !== null ? 2 : 1),
      font: { color: inPlan ? "#222222" : "#999999", size: n.type === "Stage" ? 22 : 14 },
      physics: data.physics,
      hidden: !isShown(n)
    };
    if (n.type === "Stage") { item.font.color = "#FFFFFF"; item.margin = 10; }
    if (n.type === "AnyOf") { item.shapeProperties = { borderDashes: [4, 3] }; item.borderWidth = 2; }
    if (n.type === "Role" || n.type === "CareerLevel") { item.font.size = 18; item.font.bold = true; }
    return item;
  }
  function criticalEdge(e) {
    return !!(plan && state.critical.has(e.from) && state.critical.has(e.to) && prereqKinds.has(e.kind));
  }
  function visEdge(e) {
    var k = kindStyle.get(e.kind) || { color: "#999999", dashes: [3, 3], arrow: "arrow", width: 1, name: e.kind };
    var critical = criticalEdge(e);
    var quiet = data.boxes && e.kind === "requires" && !critical;
    return {
      id: e.id, from: e.from, to: e.to, hidden: !edgeShown(e),
      title: e.reason ? k.name + ": " + e.reason : k.name,
      arrows: { to: { enabled: true, type: k.arrow, scaleFactor: 0.5 } },
      /* dashed curves are very slow to paint in software (seconds on the bundled graph):
       * the box maps tell relations apart by colour only */
      dashes: data.boxes ? false : k.dashes, width: critical ? 3.5 : k.width,
      color: { color: critical ? CRITICAL : (quiet ? "#9AA5B1" : k.color), highlight: HIGHLIGHT, hover: HIGHLIGHT, inherit: false, opacity: critical ? 1 : 0.8 }
    };
  }
  function headerText(h) {
    if (!plan) { return h.lines.join("\n"); }
    /* Phase k · hours left in it · the weeks it spans at the chosen pace */
    var before = 0;
    var inPhase = 0;
    state.remaining.forEach(function (s) {
      if (s.phase - 1 < h.col) { before += s.effort; } else if (s.phase - 1 === h.col) { inPhase += s.effort; }
    });
    var text = h.lines[0] + "\n" + fmt(inPhase) + " " + ui.hours;
    if (plan.hoursPerWeek) {
      var a = Math.floor(before / plan.hoursPerWeek) + 1;
      var b = Math.max(a, Math.ceil((before + inPhase) / plan.hoursPerWeek));
      text += " · " + ui.weeks + " " + a + "–" + b;
    }
    return text;
  }
  function fmt(x) { return String(Math.round(x * 10) / 10); }
  function headerNode(h) {
    return headerStyle({ id: "§phase" + h.col, label: headerText(h), x: h.x, y: h.y, physics: false, chosen: false }, h.w);
  }

  if (plan) { replan(); }
  var headerItems = data.headers.filter(function (h) {
    return !data.nodes.some(function (n) { return n.type === "Stage" && n.x === h.x && n.y === h.y; });
  }).map(headerNode);
  data.nodes.forEach(function (n) { if (!isShown(n)) { nodeHidden.add(n.id); } });
  data.edges.forEach(function (e) { if (!edgeShown(e)) { edgeHidden.add(e.id); } });
  var nodes = new vis.DataSet(data.nodes.map(visNode).concat(headerItems));
  var edges = new vis.DataSet(data.edges.map(visEdge));
  var big = data.nodes.length > 1500;
  var network = new vis.Network($("network"), { nodes: nodes, edges: edges }, {
    autoResize: true,
    layout: { improvedLayout: false, randomSeed: 7 },
    nodes: data.boxes ? BOX_DEFAULTS : {},
    physics: data.physics
      ? { enabled: true, solver: "forceAtlas2Based", stabilization: { enabled: true, iterations: 300, fit: true } }
      : { enabled: false },
    edges: { smooth: data.smooth ? { enabled: true, type: "cubicBezier", forceDirection: "horizontal", roundness: 0.45 } : false },
    interaction: { hover: true, tooltipDelay: 200, hideEdgesOnDrag: big, hideEdgesOnZoom: big, navigationButtons: false, keyboard: false }
  });
  network.on("beforeDrawing", function (ctx) {  /* a white page, also in the PNG */
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = "#FFFFFF";
    ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
    ctx.restore();
  });

  /* ---- parents folded into one box (vis-network clusters) that open on click ---- */
  var clusterOf = new Map();   /* parent id → its cluster record */
  var openGroups = new Set();
  var closedGroups = new Set();
  data.clusters.forEach(function (c) { clusterOf.set(c.id, c); });
  function clusterId(parent) { return "▸" + parent; }
  function laneGrowth() {  /* lane → the height its open folds add */
    var grow = new Map();
    openGroups.forEach(function (p) {
      var q = byId.get(p);
      grow.set(q.lane, (grow.get(q.lane) || 0) + q.block);
    });
    return grow;
  }
  function bandShift(band) {  /* a band moves down by the most any lane above it grew */
    var grow = laneGrowth();
    var most = new Map();
    openGroups.forEach(function (p) {
      var q = byId.get(p);
      most.set(q.band, Math.max(most.get(q.band) || 0, grow.get(q.lane)));
    });
    var shift = 0;
    most.forEach(function (h, b) { if (b < band) { shift += h; } });
    return shift;
  }
  function currentY(n) {
    var y = n.y;
    var owner = n.partOf ? byId.get(n.partOf) : null;
    var anchor = owner || n;
    openGroups.forEach(function (p) {
      var q = byId.get(p);
      if (q.lane === anchor.lane && q.y < anchor.y && q.id !== anchor.id) { y += q.block; }
    });
    return y + bandShift(anchor.band || 0);
  }
  function closeGroup(parent) {
    var c = clusterOf.get(parent);
    var p = byId.get(parent);
    var t = typeStyle.get(p.type) || { color: "#999999" };
    var members = new Set([parent].concat(c.parts));
    network.cluster({
      joinCondition: function (opts) { return members.has(opts.id); },
      clusterNodeProperties: {
        id: clusterId(parent), label: c.lines.join("\n"), title: tooltip(p) + "\n" + ui.open_group,
        x: p.x, y: currentY(p), physics: false, shape: "box", margin: 6, borderWidth: 2.5,
        widthConstraint: { minimum: p.w },
        shapeProperties: { borderRadius: 4 },
        color: { background: tint(t.color, 0.6), border: t.color, highlight: { background: tint(t.color, 0.6), border: HIGHLIGHT }, hover: { background: tint(t.color, 0.6), border: HIGHLIGHT } },
        font: { color: "#1A1A1A", size: data.font, face: FACE, align: "left" }
      }
    });
    openGroups.delete(parent);
    closedGroups.add(parent);
  }
  function place(id, x, y) {
    /* network.moveNode() queues a full redraw per call; set the position, redraw once */
    var node = network.body.nodes[id];
    if (node) { node.x = x; node.y = y; }
  }
  function relayout() {  /* after a fold opens: everything below it moves down */
    data.nodes.forEach(function (n) {
      if (closedGroups.has(n.id)) {
        place(clusterId(n.id), n.x, currentY(n));
      } else if (!(n.partOf && closedGroups.has(n.partOf))) {
        place(n.id, n.x, currentY(n));
      }
    });
    data.headers.forEach(function (h) { place("§phase" + h.col, h.x, h.y + bandShift(h.band)); });
    network.redraw();
  }
  function openGroup(parent) {
    var id = clusterId(parent);
    if (!closedGroups.has(parent)) { return; }
    closedGroups.delete(parent);
    openGroups.add(parent);
    network.openCluster(id, {
      releaseFunction: function (clusterPosition, positions) {
        var out = {};
        Object.keys(positions).forEach(function (m) {
          var n = byId.get(m);
          out[m] = { x: n.x, y: currentY(n) };
        });
        return out;
      }
    });
    relayout();
  }
  function openAll() {
    data.clusters.forEach(function (c) {
      if (closedGroups.has(c.id)) { closedGroups.delete(c.id); openGroups.add(c.id); network.openCluster(clusterId(c.id)); }
    });
    relayout();
  }
  /* Folding a group back is not offered: vis-network's cluster() is slow once the map
   * is drawn (seconds on the bundled graph); the calm view is the page as it opened. */

  /* ---- page text, legend and filters ---- */
  document.title = data.title;
  $("map-title").textContent = data.title;
  $("search").placeholder = ui.search;
  $("search").setAttribute("aria-label", ui.search);
  $("help").textContent = ui.help + (data.clusters.length ? " " + ui.open_group : "");
  $("types-heading").textContent = ui.types;
  $("stages-heading").textContent = ui.stages;
  $("edges-heading").textContent = ui.edges;
  $("details-close").textContent = "×";
  $("details-close").title = ui.close;
  $("export-png").textContent = ui.export_png;

  function filterItem(list, key, name, swatch, stateMap, on) {
    var li = el("li");
    var label = el("label");
    var box = el("input");
    box.type = "checkbox";
    box.checked = on;
    box.dataset.key = key;
    box.addEventListener("change", function () { stateMap.set(key, box.checked); applyFilters(); });
    label.appendChild(box);
    if (swatch) { label.appendChild(swatch); }
    label.appendChild(el("span", null, name));
    li.appendChild(label);
    list.appendChild(li);
    stateMap.set(key, on);
  }
  data.types.forEach(function (t) {
    var sw = el("span", "swatch " + t.shape);
    sw.style.background = t.color;
    filterItem($("type-filters"), t.id, t.name, sw, typeOn, !hiddenAtFirst.has(t.id));
  });
  data.stages.forEach(function (s) { filterItem($("stage-filters"), s[0], s[1], null, stageOn, true); });
  filterItem($("stage-filters"), "", ui.no_stage, null, stageOn, true);
  data.kinds.forEach(function (k) {
    var line = el("span", "line");
    line.style.borderTopStyle = k.dashes && !data.boxes ? "dashed" : "solid";
    line.style.borderTopColor = k.color;
    filterItem($("edge-legend"), k.id, k.name, line, kindOn, firstKinds.has(k.id));
  });

  function applyFilters() {
    var nodeUpdates = [];
    var edgeUpdates = [];
    data.nodes.forEach(function (n) {
      var hidden = !isShown(n);
      if (nodeHidden.has(n.id) !== hidden) {
        nodeUpdates.push({ id: n.id, hidden: hidden });
        if (hidden) { nodeHidden.add(n.id); } else { nodeHidden.delete(n.id); }
      }
    });
    nodes.update(nodeUpdates);
    data.edges.forEach(function (e) {
      var hidden = !edgeShown(e);
      if (edgeHidden.has(e.id) !== hidden) {
        edgeUpdates.push({ id: e.id, hidden: hidden });
        if (hidden) { edgeHidden.add(e.id); } else { edgeHidden.delete(e.id); }
      }
    });
    edges.update(edgeUpdates);
    closedGroups.forEach(function (p) {  /* a folded box shows while its parent does */
      network.clustering.updateClusteredNode(clusterId(p), { hidden: nodeHidden.has(p) });
    });
  }
  function setAll() {  /* everything at once: every type, every relation, every fold open */
    openAll();
    document.querySelectorAll("#controls input[type=checkbox][data-key]").forEach(function (box) {
      var list = box.closest("ul").id;
      box.checked = true;
      (list === "type-filters" ? typeOn : list === "edge-legend" ? kindOn : stageOn).set(box.dataset.key, true);
    });
    applyFilters();
  }
  if (!plan && (data.hiddenTypes.length || data.clusters.length || data.firstKinds.length < data.kinds.length)) {
    $("show-all").hidden = false;
    $("show-all").textContent = ui.show_all;
    $("show-all").addEventListener("click", function () {
      if ($("show-all").dataset.all) { window.location.reload(); return; }  /* back to the calm view */
      setAll();
      $("show-all").dataset.all = "1";
      $("show-all").textContent = ui.calm;
    });
  }

  /* ---- the plan: summary, checklist, ticks ---- */
  function summaryText() {
    var s = state.remaining.length + " " + ui.steps + " · " + ui.total + ": " + fmt(state.hours) + " " + ui.hours +
      " · " + ui.critical_path + ": " + fmt(state.criticalHours) + " " + ui.hours;
    if (plan.hoursPerWeek) {
      s += " · ≈" + Math.ceil(state.hours / plan.hoursPerWeek) + " " + ui.weeks + " @ " + plan.hoursPerWeek + " " + ui.per_week;
    }
    if (done.size) { s += " · " + state.known.size + " " + ui.done; }
    return s;
  }
  function setDone(id, on) {
    if (on) { done.add(id); } else { done.delete(id); }
    saveDone(done);
    refreshPlan();
  }
  var checklistRows = new Map();  /* step id → its row, made once and moved as the plan changes */
  function checklistRow(s) {
    var li = el("li", "step");
    li.dataset.node = s.id;
    var label = el("label");
    var box = el("input");
    box.type = "checkbox";
    box.addEventListener("change", function () { setDone(s.id, box.checked); });
    label.appendChild(box);
    var text = el("span", "text");
    label.appendChild(text);
    label.appendChild(el("span", "hours", fmt(s.effort) + " " + ui.hours));
    li.appendChild(label);
    var row = { li: li, box: box, text: text };
    checklistRows.set(s.id, row);
    return row;
  }
  function drawChecklist() {
    /* what remains in the re-planned order, phase by phase; then what is done */
    var list = $("checklist");
    var rows = [];
    var heading = null;
    var ordered = state.remaining.concat(items.filter(function (s) { return !state.order.has(s.id); }));
    ordered.forEach(function (s) {
      var h = state.phase.has(s.id) ? ui.phase + " " + state.phase.get(s.id) : ui.done;
      if (h !== heading) { rows.push(el("li", "phase", h)); heading = h; }
      var row = checklistRows.get(s.id) || checklistRow(s);
      var n = byId.get(s.id);
      var finished = !state.order.has(s.id);
      row.li.className = "step" + (finished ? " done" : "") + (state.critical.has(s.id) ? " critical" : "");
      row.box.checked = finished;
      row.text.textContent = n ? nodeLabel(n) : s.id;
      rows.push(row.li);
    });
    list.replaceChildren.apply(list, rows);  /* moves the rows: their boxes stay the same elements */
  }
  function refreshPlan() {
    replan();
    nodes.update(items.filter(function (s) { return byId.has(s.id); }).map(function (s) { return visNode(byId.get(s.id)); }));
    nodes.update(data.headers.filter(function (h) { return nodes.get("§phase" + h.col); }).map(headerNode));
    edges.update(data.edges.filter(function (e) { return itemById.has(e.from) && itemById.has(e.to); }).map(visEdge));
    $("plan-summary").textContent = summaryText();
    drawChecklist();
    if (!$("details").hidden) { showDetails($("details").dataset.node); }
  }
  function profileYaml() {
    /* JSON strings are YAML strings: ids and labels travel quoted and escaped. */
    var knows = Array.from(new Set((plan.known || []).concat(Array.from(done)))).sort();
    var lines = ["# aipath learner profile, written by the plan map: aipath plan --profile FILE",
      "knows: " + JSON.stringify(knows), "goals: " + JSON.stringify(plan.targets)];
    if (plan.hoursPerWeek) { lines.push("hours_per_week: " + plan.hoursPerWeek); }
    return lines.join("\n") + "\n";
  }
  function download(name, href) {
    var a = el("a");
    a.href = href;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }
  if (plan) {
    $("plan-section").hidden = false;
    $("checklist-heading").textContent = ui.checklist;
    $("plan-summary").hidden = false;
    [["export-profile", ui.export_profile], ["reset-ticks", ui.reset], ["print", ui.print]].forEach(function (b) {
      $(b[0]).hidden = false;
      $(b[0]).textContent = b[1];
    });
    $("export-profile").addEventListener("click", function () {
      var url = URL.createObjectURL(new Blob([profileYaml()], { type: "text/yaml" }));
      download("aipath-profile.yaml", url);
      window.setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    });
    $("reset-ticks").addEventListener("click", function () { done.clear(); saveDone(done); refreshPlan(); });
    $("print").addEventListener("click", function () { window.print(); });
    refreshPlan();
  } else {
    document.body.classList.add("no-plan");
  }
  $("export-png").addEventListener("click", function () {
    download("aipath-map.png", network.canvas.frame.canvas.toDataURL("image/png"));
  });

  /* ---- details panel: learn first, used with, learn from, needed by ---- */
  function nodeLink(id) {
    var n = byId.get(id);
    var b = el("button", "link", n ? nodeLabel(n) : id);
    b.type = "button";
    b.addEventListener("click", function () { focusNode(id); });
    return b;
  }
  function edgeList(list, other) {
    var ul = el("ul");
    list.forEach(function (e) {
      var li = el("li");
      li.appendChild(nodeLink(e[other]));
      var k = kindStyle.get(e.kind);
      li.appendChild(el("span", "kind", " (" + (k ? k.name : e.kind) + ")"));
      if (e.reason) { li.appendChild(el("span", "reason", " — " + e.reason)); }
      ul.appendChild(li);
    });
    return ul;
  }
  function isRole(id) { var n = byId.get(id); return !!n && (n.type === "Role" || n.type === "CareerLevel"); }
  function groupsOf(id) {
    var ins = incoming.get(id);
    var outs = outgoing.get(id);
    var used = new Set();
    function take(list, test) {
      var out = list.filter(function (e) { return !used.has(e.id) && test(e); });
      out.forEach(function (e) { used.add(e.id); });
      return out;
    }
    var groups = [
      [ui.learn_first, take(ins, function (e) { return LEARN_FIRST.indexOf(e.kind) >= 0; }), "from"],
      [ui.used_with, take(ins, function (e) { return e.kind === "serves"; }).concat(take(outs, function (e) { return e.kind === "serves"; })), null],
      [ui.learn_from, take(ins, function (e) { return e.kind === "teaches"; }), "from"],
      [ui.needed_by, take(outs, function (e) { return (e.kind === "essential" || e.kind === "optional") && isRole(e.to); }), "to"],
      [ui.leads_to, take(outs, function (e) { return LEADS_TO.indexOf(e.kind) >= 0 || e.kind === "essential" || e.kind === "optional"; }), "to"],
      [ui.related, take(ins.concat(outs), function () { return true; }), null]
    ];
    return groups.map(function (g) {
      return [g[0], g[1].map(function (e) { return { edge: e, other: g[2] || (e.from === id ? "to" : "from") }; })];
    });
  }
  function showDetails(id) {
    var n = byId.get(id);
    if (!n) { return; }
    var body = $("details-body");
    body.replaceChildren();
    body.appendChild(el("h2", "label", nodeLabel(n)));
    var others = otherLabels(n);
    if (others.length) { body.appendChild(el("p", "alt", others.join(" · "))); }
    if (plan && itemById.has(id)) {
      var label = el("label", "tick");
      var box = el("input");
      box.type = "checkbox";
      box.checked = isDone(n);
      box.addEventListener("change", function () { setDone(id, box.checked); });
      label.appendChild(box);
      label.appendChild(el("span", null, ui.tick));
      body.appendChild(label);
    }
    var dl = el("dl");
    function row(term, value) {
      if (value === null || value === undefined || value === "") { return; }
      dl.appendChild(el("dt", null, term));
      dl.appendChild(el("dd", null, value));
    }
    var t = typeStyle.get(n.type);
    row(ui.type, t ? t.name : n.type);
    row(ui.id, n.id);
    row(ui.stage, n.stageLabel);
    if (n.effort) { row(ui.effort, n.effort + " " + ui.hours); }
    if (plan && state.order.has(id)) { row(ui.step, state.order.get(id)); }
    else if (!plan && n.step !== null) { row(ui.step, n.step); }
    if (isCritical(n) && !isDone(n)) { row("⚑", ui.critical); }
    body.appendChild(dl);
    var definition = n.definition[lang] || n.definition.en || n.definition.zh;
    if (definition) {
      body.appendChild(el("h3", null, ui.definition));
      body.appendChild(el("p", "definition", definition));
    }
    groupsOf(id).forEach(function (g) {
      if (!g[1].length) { return; }
      var section = el("section", "group");
      section.appendChild(el("h3", null, g[0]));
      var ul = el("ul");
      g[1].forEach(function (item) { ul.appendChild(edgeList([item.edge], item.other).firstChild); });
      section.appendChild(ul);
      body.appendChild(section);
    });
    $("details").hidden = false;
    $("details").dataset.node = id;
  }
  $("details-close").addEventListener("click", function () { $("details").hidden = true; });

  /* ---- search ---- */
  function norm(s) { return String(s || "").normalize("NFKC").toLowerCase().trim(); }
  var index = data.nodes.map(function (n) {
    var keys = [n.id].concat(Object.keys(n.labels).map(function (k) { return n.labels[k]; })).map(norm);
    return { node: n, keys: keys };
  });
  function search(query) {
    var q = norm(query);
    if (!q) { return []; }
    var scored = [];
    index.forEach(function (entry) {
      var best = 9;
      entry.keys.forEach(function (k) {
        if (k === q) { best = Math.min(best, 0); }
        else if (k.indexOf(q) === 0) { best = Math.min(best, 1); }
        else if (k.indexOf(q) > 0) { best = Math.min(best, 2); }
      });
      if (best < 9) { scored.push([best, entry.node.label.length, entry.node]); }
    });
    scored.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    return scored.slice(0, 12).map(function (s) { return s[2]; });
  }
  function focusNode(id) {
    var n = byId.get(id);
    if (!n) { return false; }
    if (!isShown(n)) {
      typeOn.set(n.type, true);
      stageOn.set(n.stage || "", true);
      document.querySelectorAll("#controls input[type=checkbox]").forEach(function (box) {
        var list = box.closest("ul");
        if (list && list.id !== "edge-legend" && (box.dataset.key === n.type || box.dataset.key === (n.stage || ""))) { box.checked = true; }
      });
      applyFilters();
    }
    if (n.partOf && closedGroups.has(n.partOf)) { openGroup(n.partOf); }
    var target = closedGroups.has(id) ? clusterId(id) : id;
    untouched = false;
    network.selectNodes([target]);
    network.focus(target, { scale: Math.max(network.getScale(), 1.2), animation: false });
    showDetails(id);
    return true;
  }
  var results = $("search-results");
  function showResults(found) {
    results.replaceChildren();
    if (!found.length) { results.appendChild(el("li", "empty", ui.no_match)); }
    found.forEach(function (n, i) {
      var li = el("li", i === 0 ? "active" : null, nodeLabel(n));
      var t = typeStyle.get(n.type);
      li.appendChild(el("span", "kind", t ? t.name : n.type));
      li.dataset.node = n.id;
      li.addEventListener("mousedown", function (ev) {
        ev.preventDefault();
        results.hidden = true;
        focusNode(n.id);
      });
      results.appendChild(li);
    });
    results.hidden = false;
  }
  $("search").addEventListener("input", function () {
    var q = $("search").value;
    if (norm(q)) { showResults(search(q)); } else { results.hidden = true; }
  });
  $("search").addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var found = search($("search").value);
      results.hidden = true;
      if (found.length) { focusNode(found[0].id); }
    } else if (ev.key === "Escape") {
      results.hidden = true;
    }
  });
  $("search").addEventListener("blur", function () { results.hidden = true; });

  /* ---- hover: light up the prerequisite chain ---- */
  var lit = null;
  function chainOf(id) {
    var seen = new Set([id]);
    var chainEdges = [];
    var stack = [id];
    while (stack.length) {
      var cur = stack.pop();
      incoming.get(cur).forEach(function (e) {
        if (!prereqKinds.has(e.kind)) { return; }
        chainEdges.push(e.id);
        if (!seen.has(e.from)) { seen.add(e.from); stack.push(e.from); }
      });
    }
    return { nodes: Array.from(seen), edges: chainEdges };
  }
  function unlight() {
    if (!lit) { return; }
    nodes.update(lit.nodes.map(function (id) { return visNode(byId.get(id)); }));
    edges.update(lit.edges.map(function (eid) { return visEdge(data.edges[Number(eid.slice(1))]); }));
    lit = null;
  }
  network.on("hoverNode", function (params) {
    unlight();
    if (!byId.has(params.node)) { return; }
    lit = chainOf(params.node);
    nodes.update(lit.nodes.map(function (id) {
      var base = visNode(byId.get(id));
      return { id: id, borderWidth: 4, color: { background: base.color.background, border: HIGHLIGHT } };
    }));
    edges.update(lit.edges.map(function (eid) {
      return { id: eid, width: 3, color: { color: HIGHLIGHT, inherit: false, opacity: 1 } };
    }));
  });
  network.on("blurNode", unlight);
  network.on("click", function (params) {
    if (!params.nodes.length) { return; }
    var id = params.nodes[0];
    untouched = false;
    if (network.isCluster(id)) {
      var parent = id.slice(1);
      openGroup(parent);
      showDetails(parent);
    } else if (byId.has(id)) {
      showDetails(id);
    }
  });

  /* ---- the first view: everything shown, unless labels would be too small to read ---- */
  function firstView() {
    if (!data.boxes || !data.extent) { network.fit({ animation: false }); return; }
    var frame = $("network");
    var W = frame.clientWidth, H = frame.clientHeight;
    var e = data.extent;
    var pad = 24;
    var w = e[2] - e[0], h = e[3] - e[1];
    var scale = Math.min((W - 2 * pad) / Math.max(w, 1), (H - 2 * pad) / Math.max(h, 1), 1.6);
    var readable = READABLE_PX / data.font;
    if (scale >= readable) {
      network.moveTo({ position: { x: (e[0] + e[2]) / 2, y: (e[1] + e[3]) / 2 }, scale: scale, animation: false });
    } else {  /* start at the top left, where the path begins, at a readable size */
      network.moveTo({
        position: { x: e[0] + (W / 2 - pad) / readable, y: e[1] + (H / 2 - pad) / readable },
        scale: readable, animation: false
      });
    }
  }

  /* ---- ready ---- */
  function ready() {
    window.requestAnimationFrame(function () { document.documentElement.dataset.ready = "1"; });
  }
  if (data.physics) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: { enabled: false } });
      network.fit({ animation: false });
      ready();
    });
  } else {
    data.clusters.forEach(function (c) { closeGroup(c.id); });
    firstView();
    network.on("dragStart", function () { untouched = false; });
    network.on("zoom", function () { untouched = false; });
    network.on("resize", function () { if (untouched) { window.setTimeout(firstView, 0); } });
    network.once("afterDrawing", function () {
      firstView();  /* again, at the size the canvas really has (a frame may be laid out late) */
      ready();
    });
  }

  window.aipathMap = {
    network: network, nodes: nodes, edges: edges, data: data,
    focusNode: focusNode, search: search, showDetails: showDetails, chainOf: chainOf,
    openGroup: openGroup, setAll: setAll,
    plan: function () { return state; }, done: function () { return Array.from(done).sort(); },
    profileYaml: function () { return plan ? profileYaml() : null; }
  };
})();
