// The 数据填报 sheet (st.components.v2): the table as printed, one text input per cell.
// Sends only edited cells: a trigger "edit" = {seq, cells: {address: text}} holding every edit
// the server has not yet acknowledged (data.ack); re-sending an edit is harmless (it is
// applied as "set the cell to this text"). Never computes, fills or rewrites a value.
// All text is set with textContent: cell texts and findings are never markup.

const SEVERITY_ORDER = ["error", "warning", "info"];

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

function labelWidths(block) {
  const widths = [];
  for (let level = 0; level < block.labelDepth - 1; level++) widths.push(level === 0 ? "2.4em" : "5.4em");
  const leaf = Math.min(22, Math.max(5, block.labelChars * 0.9));
  widths.push(leaf + "em");
  return widths;
}

function buildBlock(state, block) {
  const wrap = el("div", "gk-block");
  if (block.head) wrap.appendChild(el("div", "gk-block-head", block.head));
  const table = el("table", "gk-table");
  table.dataset.block = block.id;
  const colgroup = el("colgroup");
  for (const w of labelWidths(block)) { const c = el("col"); c.style.width = w; colgroup.appendChild(c); }
  for (let i = 0; i < block.columns.length; i++) colgroup.appendChild(el("col"));
  const marker = el("col"); marker.style.width = "6.5em"; colgroup.appendChild(marker);
  table.appendChild(colgroup);
  const thead = el("thead");
  for (const hrow of block.header) {
    const tr = el("tr");
    for (const h of hrow) {
      const th = el("th", "gk-" + h.role, h.text);
      th.colSpan = h.colspan; th.rowSpan = h.rowspan;
      if (h.col) { th.dataset.col = h.col; th.classList.add("gk-colhead"); }
      if (h.total) th.classList.add("gk-total");
      if (h.title) th.title = h.title;
      th.scope = "col";
      tr.appendChild(th);
    }
    thead.appendChild(tr);
  }
  table.appendChild(thead);
  const tbody = el("tbody");
  for (const row of block.rows) {
    const tr = el("tr");
    tr.dataset.row = row.id;
    for (const label of row.labels) {
      const th = el("th", "gk-side gk-" + label.role, label.text);
      th.rowSpan = label.rowspan; th.colSpan = label.colspan; th.scope = "row";
      if (label.title) th.title = label.title;
      tr.appendChild(th);
    }
    const inputs = [];
    for (const cell of row.cells) {
      const td = el("td");
      if (cell.total) td.classList.add("gk-total");
      const input = el("input");
      input.type = "text";
      input.inputMode = "numeric";
      input.autocomplete = "off";
      input.spellcheck = false;
      input.dataset.address = cell.address;
      input.setAttribute("aria-label", ariaName(block, row, cell));
      td.appendChild(input);
      tr.appendChild(td);
      inputs.push(input);
      state.inputs.set(cell.address, input);
    }
    const mark = el("td", "gk-marker");
    mark.dataset.row = row.id;
    tr.appendChild(mark);
    state.markers.set(row.id, mark);
    state.grid.push(inputs);
    tbody.appendChild(tr);
  }
  table.appendChild(tbody);
  wrap.appendChild(table);
  return wrap;
}

function ariaName(block, row, cell) {
  const i = row.cells.indexOf(cell);
  const col = block.columns[i];
  let name = col;
  for (const hrow of block.header) for (const h of hrow) if (h.col === col) name = h.title || h.text;
  const label = row.labels[row.labels.length - 1];
  return (label.title || label.text) + "，" + name;
}

function position(state, input) {
  for (let r = 0; r < state.grid.length; r++) {
    const c = state.grid[r].indexOf(input);
    if (c >= 0) return [r, c];
  }
  return null;
}

function focusCell(state, r, c) {
  if (r < 0 || r >= state.grid.length) return;
  const row = state.grid[r];
  const input = row[Math.max(0, Math.min(c, row.length - 1))];
  input.focus();
  input.select();
}

function sendEdits(state) {
  const cells = {};
  for (const [address, entry] of state.pending) cells[address] = entry.value;
  state.setTriggerValue("edit", { seq: state.seq, cells });
}

function record(state, input, value) {
  state.seq += 1;
  state.pending.set(input.dataset.address, { value, seq: state.seq });
}

function onChange(state, input) {
  const value = input.value;
  const shown = input.dataset.shown ?? "";
  if (value === shown && !state.pending.has(input.dataset.address)) return;
  if (state.pending.has(input.dataset.address) && state.pending.get(input.dataset.address).value === value) return;
  record(state, input, value);
  sendEdits(state);
}

function onKey(state, event) {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.dataset.address) return;
  const pos = position(state, input);
  if (!pos) return;
  const [r, c] = pos;
  const atStart = input.selectionStart === 0 && input.selectionEnd === 0;
  const atEnd = input.selectionStart === input.value.length && input.selectionEnd === input.value.length;
  const all = input.selectionStart === 0 && input.selectionEnd === input.value.length;
  let to = null;
  if (event.key === "Enter") to = event.shiftKey ? [r - 1, c] : [r + 1, c];
  else if (event.key === "ArrowDown") to = [r + 1, c];
  else if (event.key === "ArrowUp") to = [r - 1, c];
  else if (event.key === "ArrowLeft" && (atStart || all)) to = c > 0 ? [r, c - 1] : null;
  else if (event.key === "ArrowRight" && (atEnd || all)) to = c < state.grid[r].length - 1 ? [r, c + 1] : null;
  else if (event.key === "Escape") { input.value = input.dataset.shown ?? ""; input.select(); event.preventDefault(); return; }
  if (to === null) return;
  event.preventDefault();
  if (event.key === "Enter") onChange(state, input);
  focusCell(state, to[0], to[1]);
}

function onPaste(state, event) {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || !input.dataset.address) return;
  const text = (event.clipboardData || window.clipboardData).getData("text/plain");
  if (!/[\t\r\n]/.test(text.replace(/[\r\n]+$/, ""))) return; // one value: the input takes it as usual
  event.preventDefault();
  const pos = position(state, input);
  if (!pos) return;
  const lines = text.replace(/\r\n?/g, "\n").replace(/\n+$/, "").split("\n");
  lines.forEach((line, i) => {
    const row = state.grid[pos[0] + i];
    if (!row) return;
    line.split("\t").forEach((value, j) => {
      const target = row[pos[1] + j];
      if (!target) return;
      target.value = value.trim();
      record(state, target, target.value);
    });
  });
  sendEdits(state);
}

function showBar(state, input) {
  const bar = state.bar;
  const mark = state.marks[input.dataset.address];
  const note = state.comments[input.dataset.address];
  bar.hidden = false;
  bar.className = "gk-bar" + (mark ? " gk-" + mark.severity : "");
  bar.textContent = input.getAttribute("aria-label") + (mark ? "\n" + mark.tip : "") + (note ? "\n" + note : "");
}

function build(root, data, setTriggerValue) {
  root.replaceChildren();
  const state = {
    structure: data.structure.id, setTriggerValue, inputs: new Map(), markers: new Map(), grid: [],
    pending: new Map(), seq: data.ack || 0, marks: {}, comments: {}, root,
  };
  const sheet = el("div", "gk-sheet");
  sheet.dataset.table = data.structure.table;
  state.bar = el("div", "gk-bar", "");
  state.bar.hidden = true; // shows the focused cell's name and findings
  state.bar.setAttribute("aria-live", "polite");
  state.bar.dataset.testid = "gk-bar";
  for (const block of data.structure.blocks) sheet.appendChild(buildBlock(state, block));
  sheet.appendChild(state.bar);
  state.list = el("div", "gk-findings-wrap");
  sheet.appendChild(state.list);
  sheet.addEventListener("keydown", (e) => onKey(state, e));
  sheet.addEventListener("paste", (e) => onPaste(state, e));
  sheet.addEventListener("change", (e) => { if (e.target.dataset && e.target.dataset.address) onChange(state, e.target); });
  sheet.addEventListener("focusin", (e) => {
    if (e.target.dataset && e.target.dataset.address) showBar(state, e.target);
  });
  root.appendChild(sheet);
  return state;
}

function activeIn(root) {
  const node = root.getRootNode();
  return node.activeElement || document.activeElement;
}

function update(state, data) {
  state.marks = data.marks || {};
  state.comments = data.comments || {}; // open review comments: address -> their texts
  const ack = data.ack || 0;
  for (const [address, entry] of [...state.pending]) if (entry.seq <= ack) state.pending.delete(address);
  if (ack > state.seq) state.seq = ack;
  const active = activeIn(state.root);
  for (const [address, input] of state.inputs) {
    const value = data.values[address] ?? "";
    const pending = state.pending.get(address);
    const editing = input === active && input.value !== (input.dataset.shown ?? "");
    input.dataset.shown = value;
    if (!pending && !editing && input.value !== value) input.value = value;
    const td = input.parentElement;
    const mark = state.marks[address];
    td.classList.remove("gk-error", "gk-warning", "gk-info");
    if (mark) {
      td.classList.add("gk-" + mark.severity);
      input.title = mark.tip;
      input.dataset.mark = mark.severity;
    } else {
      input.removeAttribute("title");
      delete input.dataset.mark;
    }
    const note = state.comments[address];
    td.classList.toggle("gk-comment", Boolean(note));
    if (note) {
      input.title = (mark ? mark.tip + "\n" : "") + note;
      input.dataset.comment = "open";
    } else {
      delete input.dataset.comment;
    }
  }
  for (const [row, td] of state.markers) td.textContent = (data.rowMarks || {})[row] || "";
  if (active instanceof HTMLInputElement && state.inputs.get(active.dataset.address) === active) showBar(state, active);
  renderFindings(state, data.findings || []);
}

function renderFindings(state, findings) {
  const list = state.list;
  list.replaceChildren();
  if (!findings.length) return; // the page says so itself
  list.appendChild(el("div", "gk-findings-title", "本表校验结果（" + findings.length + "条）"));
  const ul = el("ul", "gk-findings");
  for (const f of findings) {
    const li = el("li", "gk-" + f.severity, f.text);
    li.dataset.severity = f.severity;
    if (f.cells.length) {
      const link = el("a", null, "定位到单元格");
      link.href = "#";
      link.addEventListener("click", (e) => {
        e.preventDefault();
        const inputs = f.cells.map((a) => state.inputs.get(a)).filter(Boolean);
        for (const input of inputs) {
          const td = input.parentElement;
          td.classList.remove("gk-flash"); void td.offsetWidth; td.classList.add("gk-flash");
        }
        if (inputs.length) {
          inputs[0].scrollIntoView({ block: "center" });
          inputs[0].focus();
          inputs[0].select();
        }
      });
      li.appendChild(link);
    }
    ul.appendChild(li);
  }
  list.appendChild(ul);
}

export default function (component) {
  const { data, parentElement, setTriggerValue } = component;
  if (!data || !data.structure) return;
  let root = parentElement.querySelector(".gk-root");
  if (!root) {
    root = el("div", "gk-root");
    parentElement.appendChild(root);
  }
  let state = root.__gkState;
  if (!state || state.structure !== data.structure.id) {
    state = build(root, data, setTriggerValue);
    root.__gkState = state;
  }
  state.setTriggerValue = setTriggerValue;
  update(state, data);
}
