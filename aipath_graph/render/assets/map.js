/* aipath-graph map page: draws the embedded graph with vis-network.
 * Every piece of graph text reaches the page through textContent or the canvas,
 * never through innerHTML, so a label cannot run script. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("aipath-data").textContent);
  var ui = data.ui;
  var lang = data.lang;
  var HIGHLIGHT = "#FF2E63";
  var CRITICAL = "#C00000";
  var DIM = "#E6E6E6";

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
  var criticalEdges = new Set();
  if (data.plan) {
    var onPath = new Set(data.plan.critical);
    data.edges.forEach(function (e) {
      if (onPath.has(e.from) && onPath.has(e.to) && prereqKinds.has(e.kind)) { criticalEdges.add(e.id); }
    });
  }

  /* ---- vis items ---- */
  function nodeLabel(n) { return n.step !== null ? n.step + ". " + n.label : n.label; }
  function tooltip(n) {
    var lines = [nodeLabel(n)].concat(otherLabels(n));
    var t = typeStyle.get(n.type);
    lines.push(t ? t.name : n.type);
    if (n.effort) { lines.push(ui.effort + ": " + n.effort + " " + ui.hours); }
    return lines.join("\n");
  }
  function visNode(n) {
    var t = typeStyle.get(n.type) || { color: "#999999", shape: "dot" };
    var inPlan = !data.plan || n.step !== null || n.target || n.type === "Stage";
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
      physics: data.physics
    };
    if (n.type === "Stage") { item.font.color = "#FFFFFF"; item.margin = 10; }
    if (n.type === "AnyOf") { item.shapeProperties = { borderDashes: [4, 3] }; item.borderWidth = 2; }
    if (n.type === "Role" || n.type === "CareerLevel") { item.font.size = 18; item.font.bold = true; }
    return item;
  }
  function visEdge(e) {
    var k = kindStyle.get(e.kind) || { color: "#999999", dashes: [3, 3], arrow: "arrow", width: 1, name: e.kind };
    var critical = criticalEdges.has(e.id);
    return {
      id: e.id, from: e.from, to: e.to,
      title: e.reason ? k.name + ": " + e.reason : k.name,
      arrows: { to: { enabled: true, type: k.arrow, scaleFactor: 0.6 } },
      dashes: k.dashes, width: critical ? 4 : k.width,
      color: { color: critical ? CRITICAL : k.color, highlight: HIGHLIGHT, hover: HIGHLIGHT, inherit: false }
    };
  }

  var nodes = new vis.DataSet(data.nodes.map(visNode));
  var edges = new vis.DataSet(data.edges.map(visEdge));
  var big = data.nodes.length > 1500;
  var network = new vis.Network($("network"), { nodes: nodes, edges: edges }, {
    autoResize: true,
    layout: { improvedLayout: false, randomSeed: 7 },
    physics: data.physics
      ? { enabled: true, solver: "forceAtlas2Based", stabilization: { enabled: true, iterations: 300, fit: true } }
      : { enabled: false },
    edges: { smooth: data.smooth ? { enabled: true, type: "cubicBezier", forceDirection: "horizontal", roundness: 0.35 } : false },
    interaction: { hover: true, tooltipDelay: 200, hideEdgesOnDrag: big, hideEdgesOnZoom: big, navigationButtons: false, keyboard: false }
  });

  /* ---- page text, legend and filters ---- */
  document.title = data.title;
  $("map-title").textContent = data.title;
  $("search").placeholder = ui.search;
  $("search").setAttribute("aria-label", ui.search);
  $("help").textContent = ui.help;
  $("types-heading").textContent = ui.types;
  $("stages-heading").textContent = ui.stages;
  $("edges-heading").textContent = ui.edges;
  $("details-close").textContent = "×";
  $("details-close").title = ui.close;
  if (data.plan) {
    var summary = data.plan.steps + " " + ui.steps;
    if (data.plan.total !== null) { summary += " · " + ui.total + ": " + data.plan.total + " " + ui.hours; }
    $("plan-summary").textContent = summary;
    $("plan-summary").hidden = false;
  }

  var typeOn = new Map();
  var stageOn = new Map();
  function filterItem(list, key, name, swatch, state) {
    var li = el("li");
    var label = el("label");
    var box = el("input");
    box.type = "checkbox";
    box.checked = true;
    box.dataset.key = key;
    box.addEventListener("change", function () { state.set(key, box.checked); applyFilters(); });
    label.appendChild(box);
    if (swatch) { label.appendChild(swatch); }
    label.appendChild(el("span", null, name));
    li.appendChild(label);
    list.appendChild(li);
    state.set(key, true);
  }
  data.types.forEach(function (t) {
    var sw = el("span", "swatch " + t.shape);
    sw.style.background = t.color;
    filterItem($("type-filters"), t.id, t.name, sw, typeOn);
  });
  data.stages.forEach(function (s) { filterItem($("stage-filters"), s[0], s[1], null, stageOn); });
  filterItem($("stage-filters"), "", ui.no_stage, null, stageOn);
  data.kinds.forEach(function (k) {
    var li = el("li");
    var line = el("span", "line");
    line.style.borderTopStyle = k.dashes ? "dashed" : "solid";
    line.style.borderTopColor = k.color;
    li.appendChild(line);
    li.appendChild(el("span", null, k.name));
    $("edge-legend").appendChild(li);
  });

  function isShown(n) { return typeOn.get(n.type) !== false && stageOn.get(n.stage || "") !== false; }
  function applyFilters() {
    var nodeUpdates = [];
    var edgeUpdates = [];
    data.nodes.forEach(function (n) {
      var hidden = !isShown(n);
      if (nodes.get(n.id).hidden !== hidden) { nodeUpdates.push({ id: n.id, hidden: hidden }); }
    });
    nodes.update(nodeUpdates);
    data.edges.forEach(function (e) {
      var hidden = !!(nodes.get(e.from).hidden || nodes.get(e.to).hidden);
      if (!!edges.get(e.id).hidden !== hidden) { edgeUpdates.push({ id: e.id, hidden: hidden }); }
    });
    edges.update(edgeUpdates);
  }

  /* ---- details panel ---- */
  function nodeLink(id) {
    var n = byId.get(id);
    var b = el("button", "link", n ? nodeLabel(n) : id);
    b.type = "button";
    b.addEventListener("click", function () { focusNode(id); });
    return b;
  }
  function edgeList(list, other) {
    var ul = el("ul");
    if (!list.length) { ul.appendChild(el("li", null, ui.none)); }
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
  function showDetails(id) {
    var n = byId.get(id);
    if (!n) { return; }
    var body = $("details-body");
    body.replaceChildren();
    body.appendChild(el("h2", "label", nodeLabel(n)));
    var others = otherLabels(n);
    if (others.length) { body.appendChild(el("p", "alt", others.join(" · "))); }
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
    if (n.step !== null) { row(ui.step, n.step); }
    if (n.critical) { row("⚑", ui.critical); }
    body.appendChild(dl);
    var definition = n.definition[lang] || n.definition.en || n.definition.zh;
    if (definition) {
      body.appendChild(el("h3", null, ui.definition));
      body.appendChild(el("p", "definition", definition));
    }
    body.appendChild(el("h3", null, ui.prerequisites));
    var before = incoming.get(id).filter(function (e) { return prereqKinds.has(e.kind); });
    var related = incoming.get(id).filter(function (e) { return !prereqKinds.has(e.kind); });
    body.appendChild(edgeList(before.concat(related), "from"));
    body.appendChild(el("h3", null, ui.unlocks));
    body.appendChild(edgeList(outgoing.get(id), "to"));
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
        if (box.dataset.key === n.type || box.dataset.key === (n.stage || "")) { box.checked = true; }
      });
      applyFilters();
    }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.2), animation: false });
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
    lit = chainOf(params.node);
    nodes.update(lit.nodes.map(function (id) {
      var base = visNode(byId.get(id));
      return { id: id, borderWidth: 4, color: { background: base.color.background, border: HIGHLIGHT } };
    }));
    edges.update(lit.edges.map(function (eid) {
      return { id: eid, width: 3, color: { color: HIGHLIGHT, inherit: false } };
    }));
  });
  network.on("blurNode", unlight);
  network.on("click", function (params) {
    if (params.nodes.length) { showDetails(params.nodes[0]); }
  });

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
    network.once("afterDrawing", ready);
  }

  window.aipathMap = {
    network: network, nodes: nodes, edges: edges, data: data,
    focusNode: focusNode, search: search, showDetails: showDetails, chainOf: chainOf
  };
})();
