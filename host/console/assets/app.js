// The Holon web console: a browser client of the REST API of the server that served it.
//
// Security model (docs/console.md): the token is kept in sessionStorage (this tab only, gone when
// it closes) and sent as a bearer header; no cookie is ever used, so another site cannot make the
// browser call the API on the user's behalf (no CSRF). Everything the API returns is put into the
// page with textContent or as blob: URLs of images, never parsed as HTML, and the page's
// Content-Security-Policy allows scripts of this origin only, so data cannot become script (XSS).
// Batch reports (HTML) are shown in a sandboxed frame that runs no script.
"use strict";

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

const TOKEN_KEY = "holon.token";
const app = () => document.getElementById("app");

// el("tag.class", {attr: value, onclick: fn}, child, "text", ...): a DOM node; text is always text.
function el(spec, attrs, ...children) {
  const [head, id] = spec.split("#");
  const [tag, ...classes] = head.split(".");
  const node = document.createElement(tag || "div");
  if (classes.length) node.className = classes.join(" ");
  if (id) node.id = id;
  if (attrs && (typeof attrs !== "object" || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(node.dataset, v);
    else if (k in node && typeof v !== "string") node[k] = v;
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

function show(...nodes) {
  const root = app();
  root.replaceChildren(...nodes.flat().filter(Boolean));
}

// Numbers as a practitioner reads them: 4 significant digits, no exponent for everyday sizes.
function fmt(v) {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return String(v);
    if (Number.isInteger(v) && Math.abs(v) < 1e9) return v.toLocaleString("en-GB");
    const a = Math.abs(v);
    if (a !== 0 && (a < 1e-3 || a >= 1e9)) return v.toExponential(3);
    return Number(v.toPrecision(4)).toLocaleString("en-GB", { maximumFractionDigits: 6 });
  }
  if (typeof v === "boolean") return v ? "yes" : "no";
  if (Array.isArray(v)) return v.map(x => (typeof x === "object" ? JSON.stringify(x) : fmt(x))).join(", ");
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

function when(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  return d.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });
}

function stateBadge(state) {
  return el("span.state." + (state || "unknown"), state || "unknown");
}

function errorBox(err) {
  return el("div.error", { role: "alert" }, err && err.message ? err.message : String(err));
}

// ---------------------------------------------------------------------------------------------
// The API
// ---------------------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(status, problem) {
    const title = (problem && problem.title) || "HTTP " + status;
    const detail = problem && problem.detail ? ": " + problem.detail : "";
    super(title + detail);
    this.status = status;
    this.problem = problem;
  }
}

function token() { return sessionStorage.getItem(TOKEN_KEY) || ""; }

async function request(path, { method = "GET", body, type, accept, signal } = {}) {
  const headers = { Authorization: "Bearer " + token() };
  if (type) headers["Content-Type"] = type;
  if (accept) headers["Accept"] = accept;
  const response = await fetch(path, { method, headers, body, signal, cache: "no-store", credentials: "omit" });
  if (!response.ok) {
    let problem = null;
    try { problem = await response.json(); } catch (_) { /* not JSON */ }
    if (response.status === 401 && location.hash !== "#/signin") {
      sessionStorage.removeItem(TOKEN_KEY);
      location.hash = "#/signin";
    }
    throw new ApiError(response.status, problem);
  }
  return response;
}

async function getJson(path, opts) { return (await request(path, opts)).json(); }

async function postJson(path, value) {
  return (await request(path, { method: "POST", body: JSON.stringify(value), type: "application/json" })).json();
}

// Every page of a list endpoint.
async function listAll(path) {
  const items = [];
  let cursor = null;
  for (let i = 0; i < 50; i++) {
    const sep = path.includes("?") ? "&" : "?";
    const page = await getJson(path + (cursor ? sep + "cursor=" + encodeURIComponent(cursor) : ""));
    items.push(...page.items);
    if (!page.next) break;
    cursor = page.next;
  }
  return items;
}

// Saves what `path` answers as a file: fetched with the token, handed to the browser as a blob.
async function download(path, filename, accept) {
  const response = await request(path, { accept });
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const a = el("a", { href: url, download: filename });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30000);
}

// An image the API serves (SVG or PNG), shown through a blob: URL (an <img> cannot send a token).
function apiImage(path, alt) {
  const img = el("img", { alt });
  request(path).then(r => r.blob()).then(b => { img.src = URL.createObjectURL(b); })
    .catch(e => img.replaceWith(errorBox(e)));
  return img;
}

function downloadButton(label, path, filename, accept) {
  return el("button.secondary", {
    type: "button",
    onclick: async ev => {
      ev.target.disabled = true;
      try { await download(path, filename, accept); } catch (e) { ev.target.after(errorBox(e)); }
      ev.target.disabled = false;
    },
  }, label);
}

// Server-sent events over fetch (EventSource cannot send a bearer token). Calls onEvent(name,
// data, id) for each event until the stream ends or `signal` aborts; returns the last event id.
async function followEvents(path, signal, onEvent, after = 0) {
  let last = after;
  const response = await request(path + (after ? "?after=" + after : ""), { accept: "text/event-stream", signal });
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return last;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let name = "message", data = "";
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) name = line.slice(6).trim();
        else if (line.startsWith("data:")) data += line.slice(5).trim();
        else if (line.startsWith("id:")) last = Number(line.slice(3).trim()) || last;
      }
      if (!data) continue;
      let parsed = data;
      try { parsed = JSON.parse(data); } catch (_) { /* plain text */ }
      onEvent(name, parsed, last);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Routing: #/signin, #/, #/ws/<ws>[/<tab>], #/ws/<ws>/models/<m>, #/ws/<ws>/runs/<r>,
// #/ws/<ws>/new-run[?method=&model=], #/ws/<ws>/new-batch, #/plugins
// ---------------------------------------------------------------------------------------------

let pageAbort = new AbortController();  // aborted when the user leaves a page (stops live streams)
const cache = { plugins: null };

function parseHash() {
  const raw = location.hash.replace(/^#/, "") || "/";
  const [path, query = ""] = raw.split("?");
  return { parts: path.split("/").filter(Boolean).map(decodeURIComponent), query: new URLSearchParams(query) };
}

function wsPath(ws) { return "/v1/workspaces/" + encodeURIComponent(ws); }

async function route() {
  pageAbort.abort();
  pageAbort = new AbortController();
  renderHeader();
  const { parts, query } = parseHash();
  if (!token() && parts[0] !== "signin") { location.hash = "#/signin"; return; }
  try {
    if (parts[0] === "signin") return signInPage();
    if (parts[0] === "plugins") return await pluginsPage();
    if (parts[0] === "ws" && parts[1]) {
      const ws = parts[1];
      if (parts[2] === "models" && parts[3]) return await modelPage(ws, parts[3]);
      if (parts[2] === "runs" && parts[3]) return await runPage(ws, parts[3]);
      if (parts[2] === "new-run") return await newRunPage(ws, query);
      if (parts[2] === "new-batch") return await newBatchPage(ws);
      return await workspacePage(ws, parts[2] || "models");
    }
    return await workspacesPage();
  } catch (e) {
    show(el("h1", "Something went wrong"), errorBox(e));
  }
}

function renderHeader() {
  const nav = document.getElementById("nav");
  const who = document.getElementById("who");
  if (!token()) { nav.replaceChildren(); who.replaceChildren(); return; }
  nav.replaceChildren(el("a", { href: "#/" }, "Workspaces"), el("a", { href: "#/plugins" }, "Methods"));
  who.replaceChildren("Signed in with a token",
    el("button.secondary", { type: "button", onclick: signOut }, "Sign out"));
}

function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  cache.plugins = null;
  location.hash = "#/signin";
}

// ---------------------------------------------------------------------------------------------
// Pages
// ---------------------------------------------------------------------------------------------

function signInPage() {
  const input = el("input", { type: "password", id: "token", autocomplete: "off", size: 48,
    placeholder: "paste a token" });
  const message = el("div");
  const form = el("form.card.signin", {
    onsubmit: async ev => {
      ev.preventDefault();
      sessionStorage.setItem(TOKEN_KEY, input.value.trim());
      try {
        await getJson("/v1/workspaces?limit=1");
        location.hash = "#/";
      } catch (e) {
        sessionStorage.removeItem(TOKEN_KEY);
        message.replaceChildren(errorBox(e.status === 401 ? new Error("This token is not valid (unknown, revoked or expired).") : e));
      }
    },
  },
  el("h1", "Sign in"),
  el("p.muted", "Paste a Holon API token. The server administrator's token is in the data folder " +
    "(admin-token); workspace admins create tokens for their team. The console keeps it in this " +
    "browser tab only and forgets it when the tab closes."),
  el("div.row", input, el("button", { type: "submit", id: "signin" }, "Sign in")),
  message);
  show(form);
  input.focus();
}

async function workspacesPage() {
  const items = await listAll("/v1/workspaces");
  if (items.length === 1) { location.replace("#/ws/" + encodeURIComponent(items[0].id)); return; }
  show(el("h1", "Workspaces"),
    items.length === 0 ? el("p.muted", "No workspace yet: a server administrator creates them (POST /v1/workspaces).") :
      el("table", el("thead", el("tr", el("th", "Name"), el("th", "Created"), el("th", "Id"))),
        el("tbody", items.map(w => el("tr",
          el("td", el("a", { href: "#/ws/" + encodeURIComponent(w.id) }, w.name)),
          el("td", when(w.created_at)), el("td.muted.small", w.id))))));
}

async function workspacePage(ws, tab) {
  const workspace = await getJson(wsPath(ws));
  const tabs = el("div.tabs", ["models", "runs"].map(t =>
    el("a", { href: `#/ws/${encodeURIComponent(ws)}/${t}`, class: t === tab ? "active" : "" },
      t === "models" ? "Models" : "Runs and batches")));
  const body = el("div");
  show(el("h1", workspace.name), el("p.muted.small", "Workspace " + ws), tabs, body);
  if (tab === "runs") return runsTab(ws, body);
  return modelsTab(ws, body);
}

async function modelsTab(ws, body) {
  const models = await listAll(wsPath(ws) + "/models");
  const status = el("div");
  const file = el("input", { type: "file", id: "model-file", accept: ".json,.xmile,.xml,.stmx,.mdl,.graphml,.scw" });
  const upload = el("form.card", {
    onsubmit: async ev => {
      ev.preventDefault();
      const f = file.files[0];
      if (!f) { status.replaceChildren(errorBox(new Error("Choose a model file first."))); return; }
      const ext = f.name.split(".").pop().toLowerCase();
      let path = wsPath(ws) + "/models", type = "application/json";
      if (ext === "xmile" || ext === "xml" || ext === "stmx") type = "application/xml";
      else if (ext !== "json") { type = "application/octet-stream"; path += "?format=" + encodeURIComponent(ext); }
      status.replaceChildren(el("p.muted", "Uploading " + f.name + "…"));
      try {
        const created = await (await request(path, { method: "POST", body: await f.arrayBuffer(), type })).json();
        location.hash = `#/ws/${encodeURIComponent(ws)}/models/${encodeURIComponent(created.id)}`;
      } catch (e) { status.replaceChildren(errorBox(e)); }
    },
  }, el("h3", "Add a model"),
  el("p.muted.small", "holon-model/1 JSON, XMILE (.xmile, .stmx), Vensim (.mdl) or any format a plugin imports."),
  el("div.row", file, el("button", { type: "submit", id: "upload" }, "Upload")), status);
  body.replaceChildren(upload,
    models.length === 0 ? el("p.muted", "No model yet.") :
      el("table#models", el("thead", el("tr", ["Model", "Revision", "Format", "Updated", ""].map(h => el("th", h)))),
        el("tbody", models.map(m => el("tr",
          el("td", el("a", { href: `#/ws/${encodeURIComponent(ws)}/models/${encodeURIComponent(m.id)}` }, m.name || m.id)),
          el("td.num", m.revision), el("td", m.format), el("td", when(m.updated_at)),
          el("td", el("a.button", { href: `#/ws/${encodeURIComponent(ws)}/new-run?model=${encodeURIComponent(m.id)}` }, "Run a method…")))))));
}

async function runsTab(ws, body) {
  const runs = await getJson(wsPath(ws) + "/runs?limit=100");
  const models = await listAll(wsPath(ws) + "/models");
  const modelName = Object.fromEntries(models.map(m => [m.id, m.name]));
  body.replaceChildren(
    el("div.row", el("a.button", { href: `#/ws/${encodeURIComponent(ws)}/new-run` }, "New run…"),
      el("a.button", { href: `#/ws/${encodeURIComponent(ws)}/new-batch` }, "New batch…")),
    runs.items.length === 0 ? el("p.muted", "No run yet.") :
      el("table#runs", el("thead", el("tr", ["Method", "Model", "State", "Started", "Finished"].map(h => el("th", h)))),
        el("tbody", runs.items.map(r => el("tr",
          el("td", el("a", { href: `#/ws/${encodeURIComponent(ws)}/runs/${encodeURIComponent(r.id)}` }, r.method)),
          el("td", r.model ? modelName[r.model] || r.model : ""), el("td", stateBadge(r.state)),
          el("td", when(r.started_at || r.created_at)), el("td", when(r.finished_at)))))));
}

async function modelPage(ws, id) {
  const path = wsPath(ws) + "/models/" + encodeURIComponent(id);
  const [model, revisions] = await Promise.all([getJson(path), getJson(path + "/revisions")]);
  const vars = Array.isArray(model.variables) ? model.variables : [];
  const kinds = {};
  for (const v of vars) kinds[v.kind || "variable"] = (kinds[v.kind || "variable"] || 0) + 1;
  show(
    el("p.small", el("a", { href: `#/ws/${encodeURIComponent(ws)}/models` }, "← Models")),
    el("h1", model.name || id),
    model.description ? el("p", model.description) : null,
    el("div.row",
      el("a.button", { href: `#/ws/${encodeURIComponent(ws)}/new-run?model=${encodeURIComponent(id)}` }, "Run a method…"),
      downloadButton("Download JSON", path, (model.name || id) + ".model.json", "application/json"),
      vars.some(v => v.equation !== undefined) ? downloadButton("Download XMILE", path + "?format=xmile", (model.name || id) + ".xmile") : null),
    el("h2", "Contents"),
    el("p", Object.keys(kinds).length ? Object.entries(kinds).map(([k, n]) => `${n} ${k}${n === 1 ? "" : "s"}`).join(", ") : "No variables.",
      Array.isArray(model.links) ? `; ${model.links.length} causal links` : ""),
    vars.length ? el("div.scroll", el("table#variables", el("thead", el("tr", ["Variable", "Kind", "Units", "Equation"].map(h => el("th", h)))),
      el("tbody", vars.map(v => el("tr", el("td", v.name || v.id), el("td", v.kind || ""), el("td", v.units || ""),
        el("td.small", v.equation !== undefined ? String(v.equation) : "")))))) : null,
    el("h2", "Revision history"),
    el("table#revisions", el("thead", el("tr", ["Revision", "Saved", "Size", "Name", ""].map(h => el("th", h)))),
      el("tbody", revisions.items.map(r => el("tr", el("td.num", r.revision), el("td", when(r.created_at)),
        el("td.num", fmt(r.bytes) + " bytes"), el("td", r.name || ""),
        el("td", downloadButton("Download", path + "?revision=" + encodeURIComponent(r.revision),
          `${model.name || id}.r${r.revision}.model.json`, "application/json")))))));
}

async function plugins() {
  if (!cache.plugins) cache.plugins = (await getJson("/v1/plugins")).items;
  return cache.plugins;
}

async function pluginsPage() {
  const items = await plugins();
  show(el("h1", "Methods"), el("p.muted", "The plugins this server has, and what each method does."),
    items.map(p => el("div.card",
      el("h2", p.name || p.id, " ", el("span.muted.small", p.id + " " + (p.version || ""))),
      p.description ? el("p", p.description) : null,
      el("table", el("tbody", (p.methods || []).map(m => el("tr",
        el("td", el("strong", m.name || m.id), el("div.muted.small", m.id + (m.kind && m.kind !== "analysis" ? " · " + m.kind : ""))),
        el("td.small", m.description || ""))))))));
}

// ---------------------------------------------------------------------------------------------
// A form from a method's params JSON Schema
// ---------------------------------------------------------------------------------------------

// Fields for the schema's top-level properties: booleans, enums, numbers, strings and lists of
// them get inputs; anything else a JSON box. Returns {node, value()} where value() is the params
// object with only what the user set (defaults stay the method's own).
function paramsForm(schema) {
  const props = (schema && schema.properties) || {};
  const fields = [];
  const node = el("div.form-grid");
  for (const [name, prop] of Object.entries(props)) {
    const type = Array.isArray(prop.type) ? prop.type.find(t => t !== "null") : prop.type;
    const id = "param-" + name;
    let input, read;
    if (prop.enum) {
      input = el("select", { id }, el("option", { value: "" }, prop.default !== undefined ? `(default: ${fmt(prop.default)})` : "(not set)"),
        prop.enum.map(v => el("option", { value: JSON.stringify(v) }, fmt(v))));
      read = () => (input.value === "" ? undefined : JSON.parse(input.value));
    } else if (type === "boolean") {
      input = el("select", { id }, el("option", { value: "" }, prop.default !== undefined ? `(default: ${fmt(prop.default)})` : "(not set)"),
        el("option", { value: "true" }, "yes"), el("option", { value: "false" }, "no"));
      read = () => (input.value === "" ? undefined : input.value === "true");
    } else if (type === "number" || type === "integer") {
      input = el("input", { id, type: "number", step: type === "integer" ? "1" : "any",
        min: prop.minimum, max: prop.maximum, placeholder: prop.default !== undefined ? fmt(prop.default) : "" });
      read = () => (input.value === "" ? undefined : Number(input.value));
    } else if (type === "string") {
      input = el("input", { id, type: "text", size: 40, placeholder: prop.default !== undefined ? String(prop.default) : "" });
      read = () => (input.value === "" ? undefined : input.value);
    } else if (type === "array" && prop.items && ["string", "number", "integer"].includes(prop.items.type)) {
      input = el("input", { id, type: "text", size: 40, placeholder: "comma-separated" });
      read = () => {
        if (input.value.trim() === "") return undefined;
        const parts = input.value.split(",").map(s => s.trim()).filter(Boolean);
        return prop.items.type === "string" ? parts : parts.map(Number);
      };
    } else {
      input = el("textarea", { id, rows: 3, placeholder: "JSON" + (prop.default !== undefined ? " (default " + JSON.stringify(prop.default) + ")" : "") });
      read = () => {
        if (input.value.trim() === "") return undefined;
        try { return JSON.parse(input.value); } catch (e) { throw new Error(`${name}: not valid JSON (${e.message})`); }
      };
    }
    fields.push([name, read]);
    node.append(el("label.field", { for: id }, el("span", name), input,
      prop.description ? el("span.help", prop.description) : null));
  }
  if (!fields.length) node.append(el("p.muted", "This method takes no parameters."));
  return {
    node,
    value() {
      const out = {};
      for (const [name, read] of fields) {
        const v = read();
        if (v !== undefined) out[name] = v;
      }
      return out;
    },
  };
}

async function newRunPage(ws, query) {
  const [items, models] = await Promise.all([plugins(), listAll(wsPath(ws) + "/models")]);
  const methods = items.flatMap(p => (p.methods || []).filter(m => !m.kind || m.kind === "analysis")
    .map(m => ({ ...m, plugin: p.name || p.id })));
  const methodSelect = el("select", { id: "method" }, el("option", { value: "" }, "Choose a method…"),
    methods.map(m => el("option", { value: m.id, selected: m.id === query.get("method") }, `${m.plugin}: ${m.name || m.id} (${m.id})`)));
  const modelSelect = el("select", { id: "model" }, el("option", { value: "" }, "(no model)"),
    models.map(m => el("option", { value: m.id, selected: m.id === query.get("model") }, m.name || m.id)));
  const description = el("p.muted");
  const formHolder = el("div");
  const status = el("div");
  let form = paramsForm({});
  const pick = () => {
    const m = methods.find(x => x.id === methodSelect.value);
    description.textContent = m ? m.description || "" : "";
    form = paramsForm(m ? m.params_schema : {});
    formHolder.replaceChildren(m ? form.node : el("p.muted", "Choose a method to see its parameters."));
  };
  methodSelect.addEventListener("change", pick);
  pick();
  const submit = async ev => {
    ev.preventDefault();
    if (!methodSelect.value) { status.replaceChildren(errorBox(new Error("Choose a method."))); return; }
    let params;
    try { params = form.value(); } catch (e) { status.replaceChildren(errorBox(e)); return; }
    const body = { method: methodSelect.value, params };
    if (modelSelect.value) body.model = modelSelect.value;
    try {
      const run = await postJson(wsPath(ws) + "/runs", body);
      location.hash = `#/ws/${encodeURIComponent(ws)}/runs/${encodeURIComponent(run.id)}`;
    } catch (e) { status.replaceChildren(errorBox(e)); }
  };
  show(el("p.small", el("a", { href: `#/ws/${encodeURIComponent(ws)}/runs` }, "← Runs")),
    el("h1", "Run a method"),
    el("form.card", { onsubmit: submit },
      el("label.field", el("span", "Method"), methodSelect), description,
      el("label.field", el("span", "Model"), modelSelect),
      el("h3", "Parameters"), formHolder,
      el("div.row", el("button", { type: "submit", id: "start-run" }, "Start")), status));
}

async function newBatchPage(ws) {
  const models = await listAll(wsPath(ws) + "/models");
  const first = models[0];
  const example = [
    "version: holon-batch/1",
    "name: contact sweep",
    "inputs:",
    `  model: {model_id: ${first ? first.id : "<a model id>"}}`,
    "steps:",
    "  - name: sweep",
    "    method: sd.simulate",
    "    input: model",
    "    sweep:",
    "      grid:",
    "        - {name: overrides.<variable>, from: 0.1, to: 0.4, count: 10}",
    "",
  ].join("\n");
  const text = el("textarea", { id: "batch-document", rows: 18 });
  text.value = example;
  const status = el("div");
  show(el("p.small", el("a", { href: `#/ws/${encodeURIComponent(ws)}/runs` }, "← Runs")),
    el("h1", "New batch"),
    el("p.muted", "A holon-batch/1 job document (docs/batch.md), as YAML or JSON. Its inputs are models of this workspace, by id:"),
    el("ul", models.map(m => el("li", m.name + ": ", el("code", m.id)))),
    el("form.card", {
      onsubmit: async ev => {
        ev.preventDefault();
        try {
          const type = text.value.trim().startsWith("{") ? "application/json" : "application/yaml";
          const batch = await (await request(wsPath(ws) + "/batches", { method: "POST", body: text.value, type })).json();
          location.hash = `#/ws/${encodeURIComponent(ws)}/runs/${encodeURIComponent(batch.id)}`;
        } catch (e) { status.replaceChildren(errorBox(e)); }
      },
    }, text, el("div.row", el("button", { type: "submit", id: "start-batch" }, "Start the batch")), status));
}

// ---------------------------------------------------------------------------------------------
// A run (or a batch): progress live, then its results
// ---------------------------------------------------------------------------------------------

const FINAL = new Set(["succeeded", "failed", "cancelled"]);

async function runPage(ws, id) {
  const path = wsPath(ws) + "/runs/" + encodeURIComponent(id);
  let run = await getJson(path);
  let modelName = run.model;
  if (run.model) {
    const models = await listAll(wsPath(ws) + "/models");
    modelName = (models.find(m => m.id === run.model) || {}).name || run.model;
  }
  const isBatch = run.method === "holon.batch" || run.method === "batch" || (run.method || "").endsWith(".batch");
  const badge = el("span", stateBadge(run.state));
  const bar = el("div");
  const stage = el("span.muted.small");
  const events = el("div.events");
  const results = el("div#results");
  const cancel = el("button.danger", {
    type: "button", id: "cancel",
    onclick: async () => {
      cancel.disabled = true;
      try { await request((isBatch ? wsPath(ws) + "/batches/" + encodeURIComponent(id) : path) + "/cancel", { method: "POST" }); }
      catch (e) { cancel.after(errorBox(e)); }
    },
  }, "Cancel");
  const setProgress = r => {
    badge.replaceChildren(stateBadge(r.state));
    const p = typeof r.progress === "number" ? r.progress : (r.state === "succeeded" ? 1 : 0);
    bar.style.width = Math.round(p * 100) + "%";
    stage.textContent = r.stage || "";
    cancel.hidden = FINAL.has(r.state);
  };
  setProgress(run);
  show(
    el("p.small", el("a", { href: `#/ws/${encodeURIComponent(ws)}/runs` }, "← Runs and batches")),
    el("h1", run.method, " ", badge),
    el("p.muted.small", `Run ${id}` + (run.model ? ` · model ${modelName} (revision ${run.model_revision})` : "") +
      ` · created ${when(run.created_at)}`),
    el("div.row", el("div.progress", bar), stage, cancel),
    Object.keys(run.params || {}).length ? el("details", el("summary", "Parameters"), el("pre.json", JSON.stringify(run.params, null, 2))) : null,
    el("details", el("summary", "Live events"), events),
    results);
  const finish = async () => {
    run = await getJson(path);
    setProgress(run);
    if (run.state === "succeeded") await (isBatch ? batchResults(ws, id, results) : runResults(ws, run, results));
    else if (run.error) results.replaceChildren(errorBox(new Error((run.error.title || "Failed") + (run.error.detail ? ": " + run.error.detail : ""))));
  };
  if (FINAL.has(run.state)) return finish();
  const signal = pageAbort.signal;
  const onEvent = (name, data) => {
    events.append(el("div", `${name}: ${typeof data === "string" ? data : JSON.stringify(data)}`));
    if (data && typeof data === "object") {
      if (data.state) run.state = data.state;
      if (typeof data.progress === "number") run.progress = data.progress;
      if (data.stage !== undefined) run.stage = data.stage;
      setProgress(run);
    }
    if (FINAL.has(run.state)) finish();
  };
  // The stream ends when the server stops or reloads (systemctl reload) or the network drops:
  // follow again from the last event seen until the run is over.
  (async () => {
    let after = 0;
    for (let quiet = 0; !signal.aborted && !FINAL.has(run.state); ) {
      try {
        const last = await followEvents(path + "/events", signal, onEvent, after);
        quiet = last > after ? 0 : quiet + 1;
        after = last;
      } catch (e) {
        if (signal.aborted) return;
        if (e instanceof ApiError && e.status !== 503) { events.append(errorBox(e)); return; }
        quiet++;
      }
      if (FINAL.has(run.state) || signal.aborted) return;
      await new Promise(resolve => setTimeout(resolve, Math.min(10000, 1000 * (1 + quiet))));
    }
  })();
}

// What a method returned, in the practitioner's terms: charts for time series, the tableau for
// CIB scenarios, loops with their names, findings as tables, pictures as pictures; then every
// table and file for download, and the whole run as one archive.
async function runResults(ws, run, holder) {
  const path = wsPath(ws) + "/runs/" + encodeURIComponent(run.id);
  const [result, outputs] = await Promise.all([getJson(path + "/result"), getJson(path + "/tables")]);
  const parts = [el("h2", "Results")];
  const series = (outputs.tables || []).find(t => t.columns && t.columns[0] === "time");
  if (series) parts.push(await seriesChart(ws, run, series.name));
  parts.push(...specialViews(run.method, result, ws, run));
  parts.push(...pictures(path, outputs.files || []));
  parts.push(genericResult(result));
  parts.push(el("h2", "Downloads"), el("div.row",
    downloadButton("Everything (zip)", path + "/archive", run.id + ".zip", "application/zip"),
    downloadButton("Result (JSON)", path + "/result", run.id + "-result.json", "application/json")));
  for (const t of outputs.tables || []) {
    const tp = path + "/tables/" + encodeURIComponent(t.name);
    parts.push(el("div.row", el("span.grow", `Table ${t.name}: ${fmt(t.row_count)} rows × ${t.columns.length} columns`),
      downloadButton("CSV", tp + "?format=csv", `${t.name}.csv`),
      downloadButton("Excel", tp + "?format=xlsx", `${t.name}.xlsx`)));
  }
  for (const f of outputs.files || []) {
    const name = typeof f === "string" ? f : f.name;
    parts.push(el("div.row", el("span.grow", "File " + name),
      downloadButton("Download", path + "/files/" + encodeURIComponent(name), name)));
  }
  holder.replaceChildren(...parts.filter(Boolean));
}

function pictures(runPath, files) {
  const out = [];
  for (const f of files) {
    const name = typeof f === "string" ? f : f.name;
    if (!/\.(svg|png)$/i.test(name)) continue;
    // An SVG and a PNG of the same picture: show the SVG only.
    if (/\.png$/i.test(name) && files.some(g => (typeof g === "string" ? g : g.name) === name.replace(/\.png$/i, ".svg"))) continue;
    out.push(el("div.figure", apiImage(runPath + "/files/" + encodeURIComponent(name), name), el("div.caption", name)));
  }
  return out;
}

// Time series: pick variables, see units on the axis, compare with another run of the same
// method on one chart.
async function seriesChart(ws, run, tableName) {
  const tablePath = (runId) => wsPath(ws) + "/runs/" + encodeURIComponent(runId) + "/tables/" + encodeURIComponent(tableName);
  const table = await getJson(tablePath(run.id), { accept: "application/json" });
  const cols = table.columns;
  const label = i => (table.labels && table.labels[i]) || cols[i];
  const units = i => (table.units && table.units[i]) || "";
  const columnData = i => table.rows.map(r => r[i]);
  const x = columnData(0);
  const others = (await getJson(wsPath(ws) + "/runs?limit=100")).items
    .filter(r => r.id !== run.id && r.method === run.method && r.state === "succeeded");
  const chosen = new Set(cols.slice(1, Math.min(cols.length, 4)).map((_, k) => k + 1));
  let compare = null;  // {id, table}
  const chartBox = el("div#chart");
  const draw = () => {
    const data = [x];
    const series = [{ label: label(0) + (units(0) ? ` (${units(0)})` : "") }];
    const palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"];
    let n = 0;
    const axisUnits = new Set();
    for (const i of [...chosen].sort((a, b) => a - b)) {
      const colour = palette[n++ % palette.length];
      data.push(columnData(i));
      series.push({ label: label(i) + (units(i) ? ` (${units(i)})` : ""), stroke: colour, width: 2 });
      axisUnits.add(units(i));
      if (compare) {
        const j = compare.table.columns.indexOf(cols[i]);
        if (j >= 0) {
          data.push(interpolate(compare.table.rows.map(r => r[0]), compare.table.rows.map(r => r[j]), x));
          series.push({ label: `${label(i)} — run ${compare.id.slice(-6)}`, stroke: colour, width: 2, dash: [6, 4] });
        }
      }
    }
    const yLabel = axisUnits.size === 1 ? [...axisUnits][0] : [...axisUnits].filter(Boolean).join(", ");
    chartBox.replaceChildren();
    if (data.length === 1) { chartBox.append(el("p.muted", "Choose variables to plot.")); return; }
    const width = Math.max(480, Math.min(900, (holderWidth() || 900) - 260));
    new uPlot({
      width, height: 380,
      scales: { x: { time: false } },
      axes: [{ label: label(0) + (units(0) ? ` (${units(0)})` : "") }, { label: yLabel || "", size: 70 }],
      series,
      legend: { live: true },
    }, data, chartBox);
  };
  const list = el("div.var-list", el("div.muted.small", "Variables"),
    cols.slice(1).map((c, k) => {
      const i = k + 1;
      const box = el("input", { type: "checkbox", checked: chosen.has(i), dataset: { column: c },
        onchange: () => { box.checked ? chosen.add(i) : chosen.delete(i); draw(); } });
      return el("label", box, " ", label(i), units(i) ? el("span.muted", ` (${units(i)})`) : null);
    }));
  const compareSelect = el("select", { id: "compare" }, el("option", { value: "" }, "(no other run)"),
    others.map(r => el("option", { value: r.id }, `${r.id.slice(-6)} · ${when(r.finished_at)}` + (Object.keys(r.params || {}).length ? " · " + JSON.stringify(r.params) : ""))));
  compareSelect.addEventListener("change", async () => {
    compare = compareSelect.value ? { id: compareSelect.value, table: await getJson(tablePath(compareSelect.value), { accept: "application/json" }) } : null;
    draw();
  });
  setTimeout(draw, 0);
  return el("div.card", el("h3", "Time series"),
    el("div.row", el("span.small", "Compare with run"), compareSelect),
    el("div.chart-area", list, chartBox));
}

function holderWidth() { return app().clientWidth; }

// Values of (xs, ys) at the points `at` (linear; null outside).
function interpolate(xs, ys, at) {
  const out = [];
  let k = 0;
  for (const t of at) {
    while (k < xs.length - 2 && xs[k + 1] < t) k++;
    if (t < xs[0] || t > xs[xs.length - 1]) { out.push(null); continue; }
    const x0 = xs[k], x1 = xs[k + 1] ?? x0;
    const y0 = ys[k], y1 = ys[k + 1] ?? y0;
    out.push(x1 === x0 ? y0 : y0 + (y1 - y0) * (t - x0) / (x1 - x0));
  }
  return out;
}

// Views a practitioner expects for particular methods.
function specialViews(method, result, ws, run) {
  const out = [];
  if (result && Array.isArray(result.loops)) out.push(loopList(result.loops, method === "cld.loops" ? ws : null, run));
  if (result && Array.isArray(result.scenarios) && method === "scenarios.cib") out.push(cibTableau(result));
  if (result && Array.isArray(result.findings)) out.push(findingsTable(result.findings));
  if (result && result.survival && typeof result.survival === "object" && method === "scenarios.morphological")
    out.push(morphologicalField(result));
  return out;
}

// The morphological field (Zwicky box): one column per parameter with its values below it, each
// value with the number of consistent configurations that keep it; values no configuration keeps
// are struck through. Then the configurations themselves as a tableau, by name.
function morphologicalField(result) {
  const names = {};  // descriptor id -> {name, variants: {variant id -> name}}
  const remember = r => {
    const d = names[r.descriptor] || (names[r.descriptor] = { name: r.descriptor_name || r.descriptor, variants: {} });
    if (r.variant_name) d.variants[r.variant] = r.variant_name;
  };
  for (const c of result.configuration_tables || []) for (const r of c.descriptors || []) remember(r);
  for (const r of result.dead_value_names || []) remember(r);
  // In the model's order (a configuration lists them so); the survival object is keyed by id.
  const first = ((result.configuration_tables || [])[0] || {}).descriptors || [];
  const descriptors = [...new Set([...first.map(r => r.descriptor), ...Object.keys(result.survival)])]
    .filter(d => result.survival[d]);
  const depth = Math.max(0, ...descriptors.map(d => Object.keys(result.survival[d] || {}).length));
  const dead = new Set((result.dead_values || []).map(String));
  const cell = (d, k) => {
    const variant = Object.keys(result.survival[d] || {})[k];
    if (variant === undefined) return el("td");
    const kept = result.survival[d][variant];
    const name = (names[d] && names[d].variants[variant]) || variant;
    return el(kept === 0 || dead.has(variant) ? "td.variant.dead" : "td.variant", { title: variant },
      name, el("div.muted.small", `${fmt(kept)} configuration${kept === 1 ? "" : "s"}`));
  };
  const configurations = result.configuration_tables || [];
  const shown = configurations.slice(0, 50);
  return el("div",
    el("h3", "Morphological field"),
    el("p.muted.small", `${fmt(result.count)} consistent configuration${result.count === 1 ? "" : "s"}` +
      (result.truncated ? " (listing truncated)" : "") + (result.exclusions !== undefined ? `; ${fmt(result.exclusions)} excluded pairs` : "")),
    el("div.scroll", el("table.tableau#field",
      el("thead", el("tr", descriptors.map(d => el("th", (names[d] && names[d].name) || d)))),
      el("tbody", Array.from({ length: depth }, (_, k) => el("tr", descriptors.map(d => cell(d, k))))))),
    shown.length ? el("details", el("summary", `Configurations (${shown.length}${configurations.length > shown.length ? " of " + configurations.length : ""})`),
      el("div.scroll", el("table.tableau",
        el("thead", el("tr", el("th", "Configuration"), descriptors.map(d => el("th", (names[d] && names[d].name) || d)))),
        el("tbody", shown.map(c => el("tr", el("th", c.label || ""),
          descriptors.map(d => {
            const r = (c.descriptors || []).find(x => x.descriptor === d);
            return r ? el("td.variant", { title: r.variant }, r.variant_name || r.variant) : el("td");
          }))))))) : null);
}

function nameOf(v) {
  if (v === null || v === undefined) return "";
  if (typeof v === "string") return v;
  return v.name || v.label || v.id || JSON.stringify(v);
}

// The loop list; choosing a loop shows it step by step and draws the map with that loop
// highlighted (a cld.export run of the same model, made once per loop and kept in the runs list).
function loopList(loops, ws, run) {
  const detail = el("div.loop-chain.card", el("span.muted", "Choose a loop to see it step by step and on the map."));
  const maps = new Map();  // loop name -> the picture's blob: URL
  const drawMap = async (name, holder) => {
    if (!ws || !run || !run.model) return;
    holder.replaceChildren(el("p.muted.small", "Drawing the map with " + name + " highlighted…"));
    try {
      if (!maps.has(name)) {
        const exported = await postJson(wsPath(ws) + "/runs?wait=30", { method: "cld.export", model: run.model,
          params: { format: "svg", name: "loop-" + name, highlight_loops: [name] } });
        if (exported.state !== "succeeded") throw new Error("drawing the map ended " + exported.state);
        const path = wsPath(ws) + "/runs/" + encodeURIComponent(exported.id) + "/files/" + encodeURIComponent("loop-" + name + ".svg");
        maps.set(name, URL.createObjectURL(await (await request(path)).blob()));
      }
      holder.replaceChildren(el("div.figure", el("img", { src: maps.get(name), alt: "The causal map with loop " + name + " highlighted" }),
        el("div.caption", "Loop " + name + " on the map")));
    } catch (e) { holder.replaceChildren(errorBox(e)); }
  };
  const rows = loops.map((loop, k) => {
    const polarity = String(loop.polarity || loop.kind || "").charAt(0).toUpperCase();
    const names = loop.variable_names || loop.names || (loop.variables || []).map(nameOf);
    const name = loop.name || loop.id || `Loop ${k + 1}`;
    const tr = el("tr.selectable", {
      onclick: () => {
        for (const r of tr.parentNode.children) r.classList.remove("selected");
        tr.classList.add("selected");
        const map = el("div.loop-map");
        detail.replaceChildren(el("strong", name), " ",
          el("span.pill." + (polarity || "U"), polarity === "R" ? "reinforcing" : polarity === "B" ? "balancing" : "undetermined"),
          el("p", names.length ? [...names, names[0]].join(" → ") : ""), map);
        drawMap(name, map);
      },
    },
    el("td", name),
    el("td", el("span.pill." + (polarity || "U"), polarity || "?")),
    el("td.num", loop.length ?? names.length),
    el("td.small", names.join(" → ")));
    return tr;
  });
  return el("div", el("h3", `Feedback loops (${loops.length})`),
    el("div.scroll", el("table#loops", el("thead", el("tr", ["Loop", "Polarity", "Length", "Variables"].map(h => el("th", h)))), el("tbody", rows))),
    detail);
}

// The CIB scenario tableau: descriptors down the side, one column per consistent scenario, the
// chosen variant's name in each cell (ids when the result has no names).
function cibTableau(result) {
  const scenarios = result.scenarios;
  const rowsOf = s => Array.isArray(s.descriptors) ? s.descriptors :
    Object.entries(s.variants || {}).map(([d, v]) => ({ descriptor: d, variant: v }));
  const descriptors = [];
  for (const s of scenarios) for (const r of rowsOf(s))
    if (!descriptors.some(d => d.id === r.descriptor)) descriptors.push({ id: r.descriptor, name: r.descriptor_name || r.descriptor });
  const cell = (s, d) => {
    const r = rowsOf(s).find(x => x.descriptor === d.id);
    return r ? el("td.variant", { title: r.variant }, r.variant_name || r.variant) : el("td");
  };
  return el("div", el("h3", `Scenario tableau (${scenarios.length} consistent scenario${scenarios.length === 1 ? "" : "s"})`),
    el("div.scroll", el("table.tableau#tableau",
      el("thead", el("tr", el("th", "Descriptor"), scenarios.map((s, k) => el("th.scenario", `Scenario ${k + 1}`,
        el("div.muted.small", s.label || ""),
        s.total_impact_score !== undefined ? el("div.muted.small", "impact score " + fmt(s.total_impact_score)) : null)))),
      el("tbody", descriptors.map(d => el("tr", el("th", d.name), scenarios.map(s => cell(s, d))))))));
}

function findingsTable(findings) {
  if (!findings.length) return el("p.notice", "No findings: nothing in the model triggered a check.");
  return el("div", el("h3", `Findings (${findings.length})`), objectTable(findings, ["code", "severity", "title", "message", "entities"]));
}

// An array of objects as a table: the listed keys first, then any other scalar keys.
function objectTable(items, preferred = []) {
  const keys = [];
  for (const k of preferred) if (items.some(i => i && i[k] !== undefined)) keys.push(k);
  for (const i of items.slice(0, 200)) for (const [k, v] of Object.entries(i || {}))
    if (!keys.includes(k) && (v === null || typeof v !== "object" || (Array.isArray(v) && v.every(x => typeof x !== "object")))) keys.push(k);
  return el("div.scroll", el("table", el("thead", el("tr", keys.map(k => el("th", k.replace(/_/g, " "))))),
    el("tbody", items.slice(0, 500).map(i => el("tr", keys.map(k => {
      const v = i ? i[k] : undefined;
      return el(typeof v === "number" ? "td.num" : "td", Array.isArray(v) ? v.map(nameOf).join(", ") : fmt(v));
    }))))),
    items.length > 500 ? el("p.muted.small", `First 500 of ${items.length}; the downloads have all.`) : null);
}

// Everything else the result holds: scalars as a list, arrays of objects as tables, the rest as JSON.
function genericResult(result) {
  if (!result || typeof result !== "object") return el("pre.json", JSON.stringify(result, null, 2));
  const scalars = [], blocks = [];
  for (const [k, v] of Object.entries(result)) {
    if (v === null || typeof v !== "object" || (Array.isArray(v) && v.every(x => typeof x !== "object") && v.length <= 20)) scalars.push([k, v]);
    else if (k === "loops" || k === "findings") continue;
    else if (Array.isArray(v) && v.length && v.every(x => x && typeof x === "object" && !Array.isArray(x)))
      blocks.push(el("details", el("summary", `${k.replace(/_/g, " ")} (${v.length})`), objectTable(v)));
    else blocks.push(el("details", el("summary", k.replace(/_/g, " ")), el("pre.json", JSON.stringify(v, null, 2))));
  }
  return el("div", el("h3", "Details"),
    scalars.length ? el("table.small", el("tbody", scalars.map(([k, v]) => el("tr", el("th", k.replace(/_/g, " ")), el("td", fmt(v)))))) : null,
    blocks);
}

async function batchResults(ws, id, holder) {
  const base = wsPath(ws) + "/batches/" + encodeURIComponent(id);
  const listing = await getJson(base + "/files");
  const files = (listing.files || listing.items || []).map(f => (typeof f === "string" ? f : f.path || f.name));
  const parts = [el("h2", "Batch outputs"),
    el("div.row", downloadButton("Everything (zip)", base + "/archive", id + ".zip", "application/zip"))];
  // The report the batch writes is index.html at the top of its output folder.
  const report = files.find(f => f === "index.html") || files.find(f => /(^|\/)(index|report)\.html$/.test(f));
  if (report) {
    const frame = el("iframe.report", { sandbox: "", title: "Batch report" });
    request(base + "/file?path=" + encodeURIComponent(report)).then(r => r.blob())
      .then(b => { frame.src = URL.createObjectURL(new Blob([b], { type: "text/html" })); })
      .catch(e => frame.replaceWith(errorBox(e)));
    parts.push(el("h3", "Report"), frame);
  }
  const plots = files.filter(f => /\.svg$/i.test(f));
  if (plots.length) parts.push(el("h3", "Plots"), ...plots.slice(0, 24).map(f =>
    el("div.figure", apiImage(base + "/file?path=" + encodeURIComponent(f), f), el("div.caption", f))));
  parts.push(el("h3", `Files (${files.length})`), el("div.scroll", el("table", el("tbody", files.map(f => el("tr",
    el("td.small", f), el("td", downloadButton("Download", base + "/file?path=" + encodeURIComponent(f), f.split("/").pop()))))))));
  holder.replaceChildren(...parts);
}

window.addEventListener("hashchange", route);
window.addEventListener("DOMContentLoaded", route);
