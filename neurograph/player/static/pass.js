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
   * a labelled one ends with its label, the weight w. */
  const edges = [];
  svg.querySelectorAll("g.edge").forEach((edge) => {
    const i = byId.get(edge.id.slice(edge.id.lastIndexOf("->") + 2));
    const label = edge.lastElementChild;
    const labels = data.edges[edge.id];
    const text = label && label.tagName === "text" && labels ? label : null;
    const fill = text && text.getAttribute("fill");
    if (i !== undefined) edges.push({ edge, i, text, labels, fill });
  });

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
      const look = done ? neurons[i].shows[own] : null;
      parts.value.textContent = look ? look[0] : symbols[own] + " = ?";
      parts.fill.setAttribute("fill", look ? look[1] : "#ffffff");
      parts.name.setAttribute("fill", look ? look[2] : "#333333");
      parts.value.setAttribute("fill", look ? look[2] : "#333333");
      for (const part of parts.parts) part.classList.toggle("ng-pending", !done);
      parts.outline.classList.toggle("ng-current", i === current);
    });
    for (const { edge, i, text, labels, fill } of edges) {
      const done = mode === "start" || state(i, mode, k).done;
      edge.classList.toggle("ng-pending", !done);
      if (text === null) continue;
      const shown = mode === "start" ? "forward" : mode;
      text.textContent = done ? labels[shown] : shown === "forward" ? labels.forward : "?";
      text.setAttribute("fill", shown === "backward" ? "#333333" : fill);
    }
    if (selected !== null) select(selected);
    const event = k === 0 ? null : events[k - 1];
    return { status: event ? event.text : "", phase: event ? event.phase : "start" };
  }
  return { total: events.length, show };
};
window.neurograph.start();
