// The page of monoid-gen dev: draws the form the server describes (the
// platform's rules are applied in Go, in internal/form), shows the config
// JSON it sends, and runs the connector's commands through the server.
"use strict";

const token = document.body.dataset.token;
const $ = (id) => document.getElementById(id);

let fields = [];          // the form, from /api/form
let values = {};          // the config being edited, secrets left out unless typed
let secrets = {};         // path -> {set: kept on the server, edited: typed here}
let schemas = [];         // from the last schema run

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "class") e.className = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined) e.append(c);
  }
  return e;
}

async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: {"X-Dev-Token": token, "Content-Type": "application/json"},
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await res.json().catch(() => ({error: res.statusText}));
  if (!res.ok) throw new Error(data.error || res.statusText);
  return data;
}

function getPath(obj, path) {
  return path.split(".").reduce((o, k) => (o && typeof o === "object" ? o[k] : undefined), obj);
}
function setPath(obj, path, v) {
  const ks = path.split(".");
  const last = ks.pop();
  for (const k of ks) obj = obj[k] = obj[k] && typeof obj[k] === "object" ? obj[k] : {};
  obj[last] = v;
}

// --- the form ---

function drawField(f) {
  const id = "f-" + f.path;
  const label = el("label", {for: id}, f.label);
  const help = f.description ? el("div", {class: "help"}, f.description) : null;
  switch (f.kind) {
    case "object":
      return el("fieldset", {class: "group", id}, el("legend", {}, f.label), f.fields.map(drawField));
    case "text":
      return el("div", {class: "field"}, label, help,
        el("input", {type: "text", id, value: getPath(values, f.path), oninput: (e) => update(f.path, e.target.value)}));
    case "integer":
    case "number": {
      const parse = f.kind === "integer" ? (s) => parseInt(s, 10) : Number;
      return el("div", {class: "field"}, label, help,
        el("input", {type: "number", id, step: f.kind === "integer" ? "1" : "any", value: getPath(values, f.path),
          oninput: (e) => update(f.path, e.target.value === "" || isNaN(parse(e.target.value)) ? 0 : parse(e.target.value))}));
    }
    case "boolean": {
      const box = el("input", {type: "checkbox", id, onchange: (e) => update(f.path, e.target.checked)});
      box.checked = !!getPath(values, f.path);
      return el("div", {class: "field"}, label, help, el("span", {class: "toggle"}, box));
    }
    case "strings":
      return el("div", {class: "field"}, label, help, drawStrings(f, id));
    case "password":
      return el("div", {class: "field"}, label, help, drawSecret(f, id));
    default:
      return null; // drawn as nothing, as the platform does
  }
}

function drawStrings(f, id) {
  const box = el("div", {});
  const redraw = () => {
    const list = getPath(values, f.path) || [];
    const input = el("input", {type: "text", id, placeholder: "add a value and press Enter",
      onkeydown: (e) => { if (e.key === "Enter") { e.preventDefault(); add(); } }});
    const add = () => {
      if (input.value === "") return;
      update(f.path, list.concat([input.value]));
      redraw();
      $(id).focus();
    };
    box.replaceChildren(
      el("div", {class: "chips"}, list.map((v, i) => el("span", {class: "chip"}, v,
        el("button", {type: "button", title: "remove", onclick: () => { update(f.path, list.filter((_, j) => j !== i)); redraw(); }}, "×")))),
      el("div", {class: "multi"}, input, el("button", {type: "button", id: "add-" + f.path, onclick: add}, "Add")));
  };
  redraw();
  return box;
}

function drawSecret(f, id) {
  const box = el("div", {});
  const s = secrets[f.path];
  const input = () => el("input", {type: "password", id, oninput: (e) => { s.edited = true; update(f.path, e.target.value); }});
  if (s.set && !s.edited) {
    box.append(el("span", {class: "secret-set", id: "set-" + f.path}, "set"),
      el("button", {type: "button", id: "edit-" + f.path, onclick: () => {
        s.edited = true;
        update(f.path, "");
        box.replaceChildren(input());
        $(id).focus();
      }}, "Edit"));
  } else {
    box.append(input());
    if (!s.edited) update(f.path, "");
  }
  return box;
}

function update(path, v) {
  setPath(values, path, v);
  showJSON();
}

// shownConfig is the config as the platform sends it, keys in form order,
// with the secrets masked for display.
function shownConfig() {
  const walk = (fs) => {
    const c = {};
    for (const f of fs) {
      if (f.kind === "unsupported") continue;
      if (f.kind === "object") { c[f.key] = walk(f.fields); continue; }
      let v = getPath(values, f.path);
      const s = secrets[f.path];
      if (s && (s.edited ? v !== "" : s.set)) v = "********";
      c[f.key] = v === undefined ? "" : v;
    }
    return c;
  };
  return walk(fields);
}

function showJSON() {
  $("config-json").textContent = JSON.stringify(shownConfig(), null, 2);
}

async function loadForm() {
  const st = await api("GET", "api/form");
  fields = st.fields;
  values = st.config;
  secrets = {};
  for (const p of st.secrets || []) secrets[p] = {set: (st.secretsSet || []).includes(p), edited: false};
  $("command").textContent = st.command.join(" ");
  $("form").replaceChildren(...fields.map(drawField).filter((x) => x));
  $("warnings").replaceChildren(...(st.warnings || []).map((w) => el("li", {}, "warning: " + w)));
  showJSON();
}

// --- running commands ---

function configToSend() {
  const unchanged = Object.entries(secrets).filter(([, s]) => s.set && !s.edited).map(([p]) => p);
  return {config: structuredClone(values), unchanged};
}

async function run(command, extra) {
  $("busy").hidden = false;
  try {
    const r = await api("POST", "api/run", Object.assign({command}, configToSend(), extra));
    // A secret sent once is kept on the server: stop showing it as edited.
    for (const [p, s] of Object.entries(secrets)) {
      if (s.edited && getPath(values, p) !== "") s.set = true;
    }
    return r;
  } finally {
    $("busy").hidden = true;
  }
}

const messages = (r, type) => r.messages.filter((m) => m.type === type);

function runBlock(r) {
  const ok = r.code === 0 && !r.error && !r.timedOut;
  const status = r.error ? "could not start: " + r.error : r.timedOut ? "timed out" : "exit status " + r.code;
  return el("div", {class: "run", "data-command": r.command},
    el("div", {class: "line"}, "$ " + r.line),
    el("div", {class: "meta " + (ok ? "ok" : "fail")}, `${r.command}: ${status}, ${r.millis} ms`),
    r.logs.length ? el("div", {class: "logs"}, r.logs.map((l) => "LOG " + l).join("\n")) : null,
    r.problems.length ? el("ul", {class: "problems"}, r.problems.map((p) => el("li", {}, p))) : null,
    r.truncated ? el("div", {class: "problems"}, "output cut: the connector printed more than the page shows") : null);
}

function table(caption, rows, cols, cls) {
  cols = cols || [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v) => (v !== null && typeof v === "object" ? JSON.stringify(v) : String(v ?? ""));
  return el("table", {class: cls},
    el("caption", {}, caption),
    el("thead", {}, el("tr", {}, cols.map((c) => el("th", {}, c)))),
    el("tbody", {}, rows.map((r) => el("tr", {}, cols.map((c) => el("td", {}, cell(r[c])))))));
}

function storeKey(group, name) { return (group ? group + "/" : "") + name; }

function recordTables(r) {
  const by = new Map();
  const files = [];
  for (const m of messages(r, "RECORD")) {
    const key = storeKey(m.record.schema_group, m.record.schema_name);
    if (m.record.record_type === "FILE") { files.push([key, m.record.file]); continue; }
    if (!by.has(key)) by.set(key, []);
    by.get(key).push(m.record.data || {});
  }
  const out = [...by].map(([key, rows]) => table(`${key} (${rows.length} records)`, rows, null, "records"));
  for (const [key, path] of files) {
    out.push(el("div", {}, `${key}: file `,
      el("a", {href: "api/file?token=" + encodeURIComponent(token) + "&path=" + encodeURIComponent(path), download: ""}, path)));
  }
  if (!out.length) out.push(el("div", {class: "result"}, "no records"));
  return out;
}

async function doValidate() {
  const r = await run("validate");
  const v = messages(r, "VALIDATE")[0];
  $("out-validate").replaceChildren(el("h2", {}, "validate"), runBlock(r),
    v ? el("div", {class: "result", id: "validate-result"}, v.validate_msg.status + (v.validate_msg.message ? ": " + v.validate_msg.message : "")) : null);
}

async function doSchema() {
  const r = await run("schema");
  const m = messages(r, "SCHEMA")[0];
  schemas = m ? m.schema_msg.schemas : [];
  const tables = schemas.map((s) => {
    const props = (s.json_schema && s.json_schema.properties) || {};
    return table(storeKey(s.group, s.name), Object.entries(props).map(([k, p]) => ({field: k, type: p.type})), ["field", "type"], "schema");
  });
  $("out-schema").replaceChildren(el("h2", {}, "schema"), runBlock(r), ...tables);
  $("store").replaceChildren(...schemas.map((s, i) => el("option", {value: String(i)}, storeKey(s.group, s.name))));
  pickStore();
}

function pickStore() {
  const s = schemas[Number($("store").value)];
  const props = s && s.json_schema && s.json_schema.properties ? Object.keys(s.json_schema.properties) : [];
  $("identifier").replaceChildren(...props.map((p) => el("option", {value: p}, p)));
}

async function doScan() {
  if (!schemas.length) await doSchema();
  const r = await run("scan", {schemas});
  $("out-scan").replaceChildren(el("h2", {}, "scan"), runBlock(r), ...recordTables(r));
}

// request runs query or delete, then the request lifecycle: request-status
// polled until every request has ended, then request-results.
async function request(kind) {
  const out = $("out-" + kind);
  const store = schemas[Number($("store").value)];
  if (!store) { out.replaceChildren(el("div", {class: "problems"}, "run Schema first and pick a store")); return; }
  const q = {store, identifier: $("identifier").value, value: $("value").value, confirm: kind === "delete"};
  const r = await run(kind, q);
  out.replaceChildren(el("h2", {}, kind), runBlock(r));
  let results = messages(r, "REQUEST_RESULT").map((m) => m.request);
  if (results.length) out.append(table("requests", results.map((x) => x.status), ["schema_group", "schema_name", "request_status", "data_type"], "statuses"));
  let statuses = results.map((x) => x.status);
  const handles = results.map((x) => x.handle);
  // As the platform does, ask for the status until every request has
  // ended, once at least; a second apart, a minute at most.
  for (let i = 0; handles.length && i < 60 && (i === 0 || statuses.some((s) => s.request_status === "PROGRESS")); i++) {
    if (i > 0) await new Promise((ok) => setTimeout(ok, 1000));
    const s = await run("request-status", {handles});
    out.append(runBlock(s));
    statuses = messages(s, "REQUEST_STATUS").map((m) => m.request_status);
    out.append(table("status", statuses, ["schema_group", "schema_name", "request_status", "data_type"], "statuses"));
  }
  const ready = handles.filter((h, i) => statuses[i] && statuses[i].request_status === "COMPLETE" && statuses[i].data_type !== "NONE");
  if (ready.length) {
    const rr = await run("request-results", {handles: ready});
    out.append(runBlock(rr), ...recordTables(rr));
  }
  out.append(el("div", {class: "done result"}, `${kind} done: ` + statuses.map((s) => `${storeKey(s.schema_group, s.schema_name)} ${s.request_status}`).join(", ")));
}

function guarded(fn) {
  return async () => {
    try { await fn(); } catch (e) {
      $("outputs").prepend(el("div", {class: "problems run"}, "error: " + e.message));
    }
  };
}

$("run-validate").addEventListener("click", guarded(doValidate));
$("run-schema").addEventListener("click", guarded(doSchema));
$("run-scan").addEventListener("click", guarded(doScan));
$("run-query").addEventListener("click", guarded(() => request("query")));
$("store").addEventListener("change", pickStore);
$("run-delete").addEventListener("click", () => {
  const s = schemas[Number($("store").value)];
  if (!s) return;
  $("confirm-text").textContent = `Delete the records of ${storeKey(s.group, s.name)} whose ${$("identifier").value} is the value given? This may delete real data.`;
  $("confirm").hidden = false;
});
$("cancel-delete").addEventListener("click", () => { $("confirm").hidden = true; });
$("confirm-delete").addEventListener("click", guarded(async () => {
  $("confirm").hidden = true;
  await request("delete");
}));

guarded(loadForm)();
