/* The view of one recorded pass: the diagram's neurons and edges at each position, the
 * status (the event's equation with the numbers) and each neuron's inspector report. */
"use strict";
window.neurograph.views.pass = function (data, inspector) {
  const events = data.events;
  const neurons = data.neurons;
  const svg = document.querySelector("#ng-view svg");
  const byId = new Map(neurons.map((neuron, i) => [neuron.id, i]));
  let selected = null;
  let position = 0;

  const drawn = window.neurograph.neurons(svg, neurons.map((neuron) => neuron.drawn), select);
  /* An edge's id is "source->target" (each name as neuron.id writes it, shortened when long);
   * a labelled one ends with its label. Per mode the data gives its look: [label, colour,
   * width, text colour]. */
  const edges = [];
  svg.querySelectorAll("g.edge").forEach((edge) => {
    const i = byId.get(edge.id.slice(edge.id.lastIndexOf("->") + 2));
    const looks = data.edges[edge.id];
    const label = edge.lastElementChild;
    const text = label && label.tagName === "text" ? label : null;
    const strokes = [...edge.querySelectorAll("path, polygon")];
    const tip = edge.querySelector("a");
    if (i !== undefined && looks) edges.push({ edge, i, text, looks, strokes, tip });
  });
  const keyFill = document.querySelector("#ng-key .ng-key-fill");
  const keyEdges = document.querySelector("#ng-key .ng-key-edges");

  /* Draw an edge as `look` says, or grey and thin while its value is not known. */
  function paint({ strokes, text, tip }, look) {
    const colour = look ? look[1] : "#bbbbbb";
    for (const shape of strokes) {
      shape.setAttribute("stroke", colour);
      shape.setAttribute("stroke-opacity", "1");
      if (shape.tagName === "polygon") {
        shape.setAttribute("fill", colour);
        shape.setAttribute("fill-opacity", "1");
      } else {
        shape.setAttribute("stroke-width", look ? look[2] : "0.8");
      }
    }
    if (text !== null) {
      text.textContent = look ? look[0] : "?";
      text.setAttribute("fill", look ? look[3] : "#333333");
    }
    if (tip) tip.setAttributeNS("http://www.w3.org/1999/xlink", "title", look ? look[0] : "?");
  }

  /* What the neurons show after k steps: the biases at the start, a until the cost, then δ, b. */
  function modeOf(k) {
    if (k === 0) return "start";
    const phase = events[k - 1].phase;
    return phase === "cost" ? "forward" : phase;
  }
  const symbols = { start: "b", forward: "a", backward: "δ", update: "b" };

  /* Whether neuron i shows a value in `mode` at position k, and the mode it shows. */
  function state(i, mode, k) {
    const neuron = neurons[i];
    const own = neuron.input ? "forward" : mode;
    if (own === "start") return { done: true, own };
    const at = neuron.at[own];
    return { done: at !== undefined && k >= at, own };
  }

  function report(i, k) {
    const reports = neurons[i].reports;
    let text = reports[0][1];
    for (const [at, line] of reports) if (at <= k) text = line;
    return text;
  }

  function select(i) {
    const before = selected === null ? null : drawn[selected];
    if (before) before.outline.classList.remove("ng-selected");
    selected = i;
    if (drawn[i]) drawn[i].outline.classList.add("ng-selected");
    const neuron = neurons[i];
    const label = neuron.label === null ? null : "label: " + neuron.label;
    inspector.show(i, "Inspector: " + neuron.name, label, report(i, position));
  }
  inspector.items(neurons.map((neuron) => neuron.name), select);

  function show(k) {
    position = k;
    const mode = modeOf(k);
    const current = k === 0 ? null : events[k - 1].neuron;
    drawn.forEach((parts, i) => {
      if (parts === null) return;
      const { done, own } = state(i, mode, k);
      const shows = neurons[i].shows;
      /* In the update, a neuron not updated yet shows its current b (the one it started with). */
      const look = done ? shows[own] : own === "update" ? shows.start : null;
      parts.value.textContent = look ? look[0] : symbols[own] + " = ?";
      parts.fill.setAttribute("fill", look ? look[1] : "#ffffff");
      parts.name.setAttribute("fill", look ? look[2] : "#333333");
      parts.value.setAttribute("fill", look ? look[2] : "#333333");
      for (const part of parts.parts) part.classList.toggle("ng-pending", !done);
      parts.outline.classList.toggle("ng-current", i === current);
    });
    /* Edges: w until the backward pass, then ∂C/∂w, then the new w (the current w until then). */
    const shown = mode === "start" ? "forward" : mode;
    for (const edge of edges) {
      const done = mode === "start" || state(edge.i, mode, k).done;
      edge.edge.classList.toggle("ng-pending", !done);
      const looks = edge.looks;
      paint(edge, done ? looks[shown] : shown === "backward" ? null : looks.forward);
    }
    const key = data.keys[mode];
    keyFill.textContent = key[0];
    keyEdges.textContent = key[1];
    if (selected !== null) select(selected);
    const event = k === 0 ? null : events[k - 1];
    return { status: event ? event.text : "", phase: event ? event.phase : "start" };
  }
  return { total: events.length, show };
};
window.neurograph.start();
