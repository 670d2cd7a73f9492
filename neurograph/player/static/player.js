/* The players' shared machinery: controls, position slider, keyboard, play and pause, the
 * status region and the inspector panel. A kind of recording registers a view in
 * window.neurograph.views[kind]: a function (data, inspector) returning
 * {total, show(k) -> {status, phase}}; this script drives it. Text only ever reaches the page
 * through textContent. */
"use strict";
window.neurograph = { views: {} };

window.neurograph.inspector = function () {
  const choose = document.getElementById("ng-choose");
  const title = document.getElementById("ng-inspector-title");
  const label = document.getElementById("ng-label");
  const report = document.getElementById("ng-report");
  return {
    /* Fill the chooser with the names of what can be inspected; `pick(i)` on a choice. */
    items(names, pick) {
      names.forEach((name, i) => {
        const option = document.createElement("option");
        option.value = String(i);
        option.textContent = name;
        choose.appendChild(option);
      });
      choose.addEventListener("change", () => {
        if (choose.value !== "") pick(Number(choose.value));
      });
    },
    /* Show item `i` with its heading, an optional label line and its report. */
    show(i, heading, labelText, text) {
      choose.value = String(i);
      title.textContent = heading;
      label.hidden = labelText === null;
      label.textContent = labelText === null ? "" : labelText;
      report.textContent = text;
    },
  };
};

/* The neurons Graphviz drew in `svg`: per name of `names`, {name, value, fill, outline, parts}
 * (null where not drawn). Graphviz writes a neuron as its shape(s), its name in bold, then its
 * value line. Clicking a neuron, or Enter on its focused outline, calls select(i). */
window.neurograph.neurons = function (svg, names, select) {
  const byName = new Map(names.map((name, i) => [name, i]));
  const drawn = new Array(names.length).fill(null);
  svg.querySelectorAll("text").forEach((name) => {
    const i = byName.get(name.textContent);
    if (name.getAttribute("font-weight") !== "bold" || i === undefined || drawn[i]) return;
    const shapes = [];
    let before = name.previousElementSibling;
    while (before && before.tagName !== "text" && shapes.length < 2) {
      shapes.unshift(before);
      before = before.previousElementSibling;
    }
    const next = name.nextElementSibling;
    const value = next && next.tagName === "text" ? next : null;
    if (shapes.length === 0 || value === null) return;
    const outline = shapes[shapes.length - 1];
    drawn[i] = { name, value, fill: shapes[0], outline, parts: [name, value, ...shapes] };
    shapes.forEach((shape) => shape.classList.add("ng-shape"));
    outline.classList.add("ng-outline");
    outline.setAttribute("tabindex", "0");
    outline.setAttribute("role", "button");
    outline.setAttribute("aria-label", "Inspect " + names[i]);
    for (const part of drawn[i].parts) {
      part.classList.add("ng-neuron");
      part.addEventListener("click", () => select(i));
    }
    outline.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        select(i);
      }
    });
  });
  return drawn;
};

/* How much A+ enlarges the diagram's text (its labels, values and key). */
const LARGE = 1.3;

/* Set the text of the diagram's neurons and edges to `factor` times the size Graphviz wrote,
 * the lines of a neuron spread apart by as much (its legend is laid out in rows, so it keeps
 * its size: it grows with the diagram). */
window.neurograph.scaleText = function (factor) {
  document.querySelectorAll("#ng-view svg g.node, #ng-view svg g.edge").forEach((group) => {
    const lines = [...group.querySelectorAll("text")];
    for (const t of lines) {
      if (t.dataset.size === undefined) {
        t.dataset.size = t.getAttribute("font-size") || "14";
        t.dataset.y = t.getAttribute("y") || "0";
      }
    }
    const middle = lines.reduce((sum, t) => sum + Number(t.dataset.y), 0) / (lines.length || 1);
    for (const t of lines) {
      t.setAttribute("font-size", (Number(t.dataset.size) * factor).toFixed(2));
      t.setAttribute("y", (middle + (Number(t.dataset.y) - middle) * factor).toFixed(2));
    }
  });
};

window.neurograph.start = function () {
  const data = JSON.parse(document.getElementById("ng-data").textContent);
  const view = window.neurograph.views[data.kind](data, window.neurograph.inspector());
  const el = (id) => document.getElementById(id);
  const slider = el("ng-slider");
  const play = el("ng-play");
  const pause = el("ng-pause");
  const large = el("ng-large");
  const present = el("ng-present");
  const total = view.total;
  let position = 0;
  let timer = null;

  function go(k) {
    position = Math.max(0, Math.min(total, k));
    const shown = view.show(position);
    slider.value = String(position);
    slider.setAttribute("aria-valuetext", position + " of " + total);
    el("ng-where").textContent = position + " / " + total;
    const phase = el("ng-phase");
    phase.textContent = shown.phase;
    phase.dataset.phase = shown.phase;
    el("ng-status").textContent = shown.status;
    el("ng-back").disabled = el("ng-restart").disabled = position === 0;
    el("ng-forward").disabled = el("ng-end").disabled = position === total;
    if (position === total) stop();
  }
  function stop() {
    if (timer !== null) clearInterval(timer);
    timer = null;
    play.disabled = false;
    pause.disabled = true;
  }
  function start() {
    if (position === total) go(0);
    stop();
    timer = setInterval(() => go(position + 1), 1000 / Number(el("ng-speed").value));
    play.disabled = true;
    pause.disabled = false;
  }
  const toggle = () => (timer === null ? start() : stop());

  slider.max = String(total);
  slider.addEventListener("input", () => go(Number(slider.value)));
  el("ng-restart").addEventListener("click", () => { stop(); go(0); });
  el("ng-back").addEventListener("click", () => { stop(); go(position - 1); });
  el("ng-forward").addEventListener("click", () => { stop(); go(position + 1); });
  el("ng-end").addEventListener("click", () => { stop(); go(total); });
  play.addEventListener("click", start);
  pause.addEventListener("click", stop);
  el("ng-speed").addEventListener("change", () => { if (timer !== null) start(); });
  large.addEventListener("click", () => {
    const on = document.body.classList.toggle("ng-large");
    large.setAttribute("aria-pressed", String(on));
    window.neurograph.scaleText(on ? LARGE : 1);
  });
  /* Presenting: the diagram and the status line fill the screen; P or Escape leaves. */
  function presenting(on) {
    document.body.classList.toggle("ng-present", on);
    present.setAttribute("aria-pressed", String(on));
  }
  present.addEventListener("click", () => presenting(!document.body.classList.contains("ng-present")));
  document.addEventListener("keydown", (event) => {
    const tag = event.target.tagName;
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") return;
    const keys = {
      ArrowRight: () => { stop(); go(position + 1); },
      ArrowLeft: () => { stop(); go(position - 1); },
      Home: () => { stop(); go(0); },
      End: () => { stop(); go(total); },
      p: () => presenting(!document.body.classList.contains("ng-present")),
      P: () => presenting(!document.body.classList.contains("ng-present")),
      Escape: () => presenting(false),
      " ": () => { if (tag !== "BUTTON") toggle(); },
    };
    if (event.key in keys && !(event.key === " " && tag === "BUTTON")) {
      event.preventDefault();
      keys[event.key]();
    }
  });
  go(0);
  performance.mark("ng-first-frame");
};
