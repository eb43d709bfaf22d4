// aipath explorer: search, details and prerequisite tree, plans with a map, SPARQL.
// Every text from the server goes into the page through textContent, never as HTML.
"use strict";

const state = {
  lang: (navigator.language || "en").toLowerCase().startsWith("zh") ? "zh" : "en",
  words: {},  // frame text from the server's one translation table (/api/words), by language
  current: null,
  lastPlan: null,
  searchSeq: 0,
};

const $ = (id) => document.getElementById(id);
// Frame text of the page: the web.* entries of the server's one translation table.
const t = (key) => w(`web.${key}`);

function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
}

async function api(path, options) {
  const response = await fetch(path, options);
  const type = response.headers.get("content-type") || "";
  const body = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) {
    const message = typeof body === "string" ? body.trim() : body.error;
    throw new Error(message || response.statusText);
  }
  return body;
}

function typeName(type) {
  return type ? w(`type.${type}`) : "";
}

// The server's words for a key of its translation table (aipath_graph/i18n.py).
function w(key) {
  const table = state.words[state.lang] || {};
  return table[key] || key.replace(/^[a-z]+\./, "");
}

async function loadWords() {
  if (!state.words[state.lang]) state.words[state.lang] = await api(`/api/words?lang=${state.lang}`);
}

// ---------------------------------------------------------------- language

function applyLanguage() {
  document.documentElement.lang = state.lang === "zh" ? "zh-CN" : "en";
  document.title = t("title");
  for (const node of document.querySelectorAll("[data-i18n]")) {
    node.textContent = t(node.dataset.i18n);
  }
  for (const node of document.querySelectorAll("[data-i18n-placeholder]")) {
    node.placeholder = t(node.dataset.i18nPlaceholder);
  }
  $("lang-toggle").textContent = state.lang === "zh" ? "English" : "中文";
}

async function toggleLanguage() {
  state.lang = state.lang === "zh" ? "en" : "zh";
  await loadWords();
  applyLanguage();
  if ($("search").value.trim()) await runSearch();
  if (state.current) await openNode(state.current);
  if (state.lastPlan) await makePlan();
}

// ---------------------------------------------------------------- search and details

async function runSearch() {
  await loadWords();
  const q = $("search").value.trim();
  const seq = ++state.searchSeq;
  const list = $("search-results");
  if (!q) { clear(list); return; }
  const data = await api(`/api/search?q=${encodeURIComponent(q)}&lang=${state.lang}&limit=12`);
  if (seq !== state.searchSeq) return;  // a newer search is under way
  clear(list);
  if (!data.results.length) {
    list.appendChild(el("li", t("no_results"), "empty"));
    return;
  }
  for (const hit of data.results) {
    const li = el("li");
    li.setAttribute("role", "option");
    li.dataset.id = hit.id;
    li.appendChild(el("span", hit.label, "label"));
    li.appendChild(el("span", typeName(hit.type), "type"));
    // what of the query matched (a name, an alt label, words), when it is not the label itself
    if (hit.matched && hit.matched !== hit.label) li.appendChild(el("span", hit.matched, "why"));
    li.addEventListener("click", () => openNode(hit.id));
    list.appendChild(li);
  }
}

function nodeLink(item) {
  const span = el("span", item.label || item.id, "link");
  span.addEventListener("click", () => openNode(item.id));
  return span;
}

function fillList(ul, items) {
  clear(ul);
  if (!items.length) { ul.appendChild(el("li", t("none"))); return; }
  for (const item of items) {
    const li = el("li");
    li.appendChild(nodeLink(item));
    li.appendChild(el("span", typeName(item.type), "type"));
    ul.appendChild(li);
  }
}

function treeList(node) {
  const ul = el("ul");
  for (const child of node.children || []) {
    const li = el("li");
    li.appendChild(nodeLink(child));
    li.appendChild(el("span", w(`kind.${child.kind}`) + (child.repeated ? " ↑" : ""), "kind"));
    if (child.reason) li.appendChild(el("span", child.reason, "reason"));
    if (child.children && child.children.length) li.appendChild(treeList(child));
    ul.appendChild(li);
  }
  return ul;
}

// What a node means, by kind: a role's skills, a stage's content, a project's skills;
// then prerequisites, the tools used with it and where to learn it, each apart.
const TEXT_SECTIONS = ["focus", "typical_work", "goal"];
const NODE_SECTIONS = ["essential", "optional", "covers", "stage_projects", "practises",
  "applies", "prerequisites", "projects", "tools", "serves", "resources"];

function pickText(texts) {
  if (!texts) return "";
  return texts[state.lang] || texts[""] || texts.en || texts.zh || "";
}

function fillSections(box, info) {
  clear(box);
  for (const key of TEXT_SECTIONS) {
    const text = pickText(info[key]);
    if (!text) continue;
    const p = el("p", null, "text-section");
    p.dataset.section = key;
    p.appendChild(el("strong", w(`show.${key}`) + w("colon")));
    p.appendChild(el("span", text));
    box.appendChild(p);
  }
  const duties = info.responsibilities || {};
  const list = duties[state.lang] || duties[""] || duties.en || duties.zh || [];
  if (list.length) {
    const section = el("section");
    section.dataset.section = "responsibilities";
    section.appendChild(el("h3", w("show.responsibilities")));
    const ul = el("ul");
    for (const item of list) ul.appendChild(el("li", item));
    section.appendChild(ul);
    box.appendChild(section);
  }
  for (const key of NODE_SECTIONS) {
    const items = info[key] || [];
    if (!items.length) continue;
    const section = el("section");
    section.dataset.section = key;
    section.appendChild(el("h3", `${w(`show.${key}`)} (${items.length})`));
    const ul = el("ul");
    for (const item of items) {
      const li = el("li");
      li.appendChild(nodeLink(item));
      li.appendChild(el("span", typeName(item.type), "type"));
      if (item.reason) li.appendChild(el("span", item.reason, "reason"));
      ul.appendChild(li);
    }
    section.appendChild(ul);
    box.appendChild(section);
  }
}

async function openNode(id) {
  await loadWords();
  const enc = encodeURIComponent(id);
  const [info, tree] = await Promise.all([
    api(`/api/node/${enc}?lang=${state.lang}`),
    api(`/api/prerequisites/${enc}?tree=1&lang=${state.lang}`),
  ]);
  state.current = info.id;
  const other = state.lang === "zh" ? "en" : "zh";
  const main = info.label[state.lang] || info.label.en || info.id;
  const second = info.label[other];
  $("details-title").textContent = second && second !== main ? `${main} · ${second}` : main;
  const meta = [typeName(info.type), info.id];
  if (info.effort) meta.push(`${t("effort")} ${w("hours").replace("{n}", info.effort)}`);
  if (info.stage) meta.push(`${t("stage")}: ${info.stage.label || info.stage.id}`);
  $("details-meta").textContent = meta.join(" · ");
  $("details-definition").textContent = pickText(info.definition);
  fillSections($("details-sections"), info);
  const treeBox = $("tree");
  clear(treeBox);
  if (tree.children && tree.children.length) treeBox.appendChild(treeList(tree));
  else treeBox.appendChild(el("p", t("no_prereqs"), "meta"));
  fillList($("unlocks"), info.unlocks);
  fillList($("roles"), info.roles);
  $("details").hidden = false;
  $("details").dataset.id = info.id;
}

function addKnown() {
  if (!state.current) return;
  const have = $("have").value.split(/[,，]/).map((s) => s.trim()).filter(Boolean);
  if (!have.includes(state.current)) have.push(state.current);
  $("have").value = have.join(", ");
}

function setTarget() {
  if (!state.current) return;
  $("target").value = state.current;
  location.hash = "#plan";
  $("target").focus();
}

// ---------------------------------------------------------------- plans

function planQuery() {
  const params = new URLSearchParams();
  params.set("to", $("target").value.trim());
  const have = $("have").value.split(/[,，]/).map((s) => s.trim()).filter(Boolean);
  if (have.length) params.set("have", have.join(","));
  const hours = $("hours").value.trim();
  if (hours) params.set("hours_per_week", hours);
  params.set("lang", state.lang);
  return params;
}

async function makePlan(event) {
  if (event) event.preventDefault();
  await loadWords();
  const message = $("plan-message");
  message.textContent = t("working");
  const params = planQuery();
  let plan;
  try {
    plan = await api(`/api/plan?${params}`);
  } catch (err) {
    message.textContent = err.message;
    $("plan-result").hidden = true;
    return;
  }
  state.lastPlan = plan;
  message.textContent = (plan.warnings || []).join(" ");
  $("plan-summary").textContent = plan.steps.length ? plan.summary.join(" ") : t("nothing");
  const ol = $("plan-steps");
  clear(ol);
  const critical = new Set(plan.critical_path);
  let phase = null;
  for (const step of plan.steps) {
    if (step.phase !== phase) {
      phase = step.phase;
      ol.appendChild(el("li", `${t("phase")} ${phase}`, "phase"));
    }
    const li = el("li", null, critical.has(step.id) ? "step critical" : "step");
    li.value = step.order;
    li.dataset.id = step.id;
    li.appendChild(nodeLink({ id: step.id, label: step.label }));
    li.appendChild(el("span", w("hours").replace("{n}", step.effort_hours), "hours"));
    ol.appendChild(li);
  }
  $("plan-map").src = `/api/map?${params}`;
  $("plan-result").hidden = false;
  document.body.dataset.plan = String(plan.steps.length);
}

// ---------------------------------------------------------------- SPARQL

function termText(term) {
  if (!term) return "";
  if (term.type === "literal" && term["xml:lang"]) return `${term.value} @${term["xml:lang"]}`;
  return term.value;
}

async function runSparql() {
  const message = $("sparql-message");
  const table = $("sparql-table");
  clear(table);
  message.textContent = t("working");
  const response = await fetch("/sparql", {
    method: "POST",
    headers: {
      "Content-Type": "application/sparql-query",
      Accept: "application/sparql-results+json, text/turtle;q=0.9",
    },
    body: $("sparql-query").value,
  });
  const text = await response.text();
  if (!response.ok) { message.textContent = text.trim(); return; }
  if (!(response.headers.get("content-type") || "").includes("json")) {
    message.textContent = t("graph_result");
    const row = table.insertRow();
    row.insertCell().appendChild(el("pre", text));
    return;
  }
  const data = JSON.parse(text);
  if ("boolean" in data) {
    message.textContent = t("ask").replace("{b}", w(String(data.boolean)));
    return;
  }
  const vars = data.head.vars;
  const head = table.createTHead().insertRow();
  for (const v of vars) head.appendChild(el("th", v));
  const body = table.createTBody();
  for (const binding of data.results.bindings) {
    const row = body.insertRow();
    for (const v of vars) row.insertCell().textContent = termText(binding[v]);
  }
  const n = data.results.bindings.length;
  message.textContent = t(n === 1 ? "row" : "rows").replace("{n}", n);
}

// ---------------------------------------------------------------- wiring

function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args).catch(showError), ms);
  };
}

function showError(err) {
  $("plan-message").textContent = err.message;
}

async function start() {
  await loadWords();
  applyLanguage();
  $("lang-toggle").addEventListener("click", () => toggleLanguage().catch(showError));
  $("search").addEventListener("input", debounce(runSearch, 150));
  $("search").addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    runSearch().then(() => {
      const first = $("search-results").querySelector("li[data-id]");
      if (first) return openNode(first.dataset.id);
      return null;
    }).catch(showError);
  });
  $("add-known").addEventListener("click", addKnown);
  $("set-target").addEventListener("click", setTarget);
  $("plan-form").addEventListener("submit", (event) => makePlan(event).catch(showError));
  $("sparql-run").addEventListener("click", () => runSparql().catch((err) => {
    $("sparql-message").textContent = err.message;
  }));
  document.documentElement.dataset.ready = "1";
}

document.addEventListener("DOMContentLoaded", () => start().catch(showError));
