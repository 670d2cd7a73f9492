/* The view of a recorded training run: at each snapshot the diagram's weights and biases, the
 * decision maps or weight images (one byte per pixel indexing a colour table), and the
 * learning curves with a cursor at the snapshot's epoch. */
"use strict";
window.neurograph.views.training = function (data, inspector) {
  const NS = "http://www.w3.org/2000/svg";
  const frames = data.frames;
  const neurons = data.neurons;
  const images = data.images;
  const total = frames.length - 1;
  const svg = document.querySelector("#ng-view svg");
  let selected = null;
  let position = 0;

  function make(tag, attrs, parent) {
    const node = document.createElementNS(NS, tag);
    for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
    if (parent) parent.appendChild(node);
    return node;
  }

  const drawn = window.neurograph.neurons(svg, neurons.map((neuron) => neuron.drawn), select);
  const weights = frames[0].w;
  const edges = [];
  svg.querySelectorAll("g.edge").forEach((edge) => {
    if (!(edge.id in weights)) return;
    const last = edge.lastElementChild;
    const text = last && last.tagName === "text" ? last : null;
    edges.push({ edge, shapes: edge.querySelectorAll("path, polygon"), text });
  });

  function showDiagram(k) {
    const w = frames[k].w;
    const largest = Math.max(1e-12, ...edges.map(({ edge }) => Math.abs(w[edge.id][0])));
    for (const { edge, shapes, text } of edges) {
      const [value, label] = w[edge.id];
      const t = value / largest;
      const colour = data.edge_colours[Math.round((t + 1) * 32)];
      const width = (0.4 + 3.6 * Math.abs(t)).toFixed(2);
      const opacity = (0.3 + 0.7 * Math.abs(t)).toFixed(2);
      for (const shape of shapes) {
        shape.setAttribute("stroke", colour);
        shape.setAttribute("stroke-width", width);
        shape.setAttribute("stroke-opacity", opacity);
        if (shape.tagName === "polygon") {
          shape.setAttribute("fill", colour);
          shape.setAttribute("fill-opacity", opacity);
        }
      }
      if (text) {
        text.textContent = label;
        text.setAttribute("fill", colour);
      }
      edge.dataset.w = String(value);
    }
    drawn.forEach((parts, i) => {
      if (parts === null) return;
      const [line, fill, ink] = neurons[i].shows[k];
      parts.value.textContent = line;
      parts.fill.setAttribute("fill", fill);
      parts.name.setAttribute("fill", ink);
      parts.value.setAttribute("fill", ink);
    });
  }

  /* A chart of the monitored curves named in `names`, or null when none was monitored. */
  function chart(title, names, parent) {
    const present = names.filter((name) => name in data.curves);
    if (present.length === 0) return null;
    const values = present.flatMap((name) => data.curves[name]);
    let lo = Math.min(...values);
    let hi = Math.max(...values);
    const pad = hi - lo > 1e-12 ? 0.05 * (hi - lo) : 0.5;
    lo -= pad;
    hi += pad;
    const x0 = data.first;
    const x1 = x0 + Math.max(1, ...present.map((name) => data.curves[name].length));
    const X = (e) => 48 + (272 * (e - x0)) / (x1 - x0);
    const Y = (v) => 160 - (130 * (v - lo)) / (hi - lo);
    const box = make("svg", { viewBox: "0 0 340 196", class: "ng-chart", role: "img" }, parent);
    box.setAttribute("aria-label", title);
    make("text", { x: 170, y: 14, "text-anchor": "middle", class: "ng-chart-title" }, box)
      .textContent = title;
    make("path", { d: "M48,30 V160 H320", fill: "none", stroke: "#888" }, box);
    const ticks = [[lo + pad, 48 - 4, Y(lo + pad), "end"], [hi - pad, 48 - 4, Y(hi - pad), "end"]];
    for (const [value, x, y, anchor] of ticks) {
      make("text", { x, y: y + 4, "text-anchor": anchor, class: "ng-tick" }, box)
        .textContent = value.toPrecision(3);
    }
    for (const [e, anchor] of [[x0, "start"], [x1, "end"]]) {
      make("text", { x: X(e), y: 174, "text-anchor": anchor, class: "ng-tick" }, box)
        .textContent = "epoch " + e;
    }
    present.forEach((name, n) => {
      const colour = name.startsWith("training") ? "#4e79a7" : "#f28e2b";
      const line = data.curves[name].map((v, i) => X(x0 + i + 1) + "," + Y(v)).join(" ");
      const attrs = { points: line, fill: "none", stroke: colour, "stroke-width": 2 };
      make("polyline", { ...attrs, "data-curve": name }, box);
      make("text", { x: 48 + 140 * n, y: 192, fill: colour, class: "ng-tick" }, box)
        .textContent = "— " + name.replace("_", " ");
    });
    const cursor = make("line", { y1: 26, y2: 160, class: "ng-cursor" }, box);
    return (k) => {
      const x = X(Math.min(frames[k].x, x1)).toFixed(2);
      cursor.setAttribute("x1", x);
      cursor.setAttribute("x2", x);
      cursor.dataset.epoch = String(frames[k].x);
    };
  }
  const charts = document.getElementById("ng-curves");
  const cursors = [
    chart("cost", ["training_cost", "evaluation_cost"], charts),
    chart("accuracy", ["training_accuracy", "evaluation_accuracy"], charts),
  ].filter((move) => move !== null);
  if (cursors.length === 0) charts.textContent = "No curve was monitored in this run.";

  /* The tiles: one canvas per neuron, painted from the bytes of the current snapshot. */
  const tiles = [];
  const rgb = images.colours.map((c) => [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16)));
  if (images.kind) {
    document.getElementById("ng-images-panel").hidden = false;
    document.getElementById("ng-images-title").textContent = images.kind === "maps"
      ? "Decision maps: a over the input plane (x₁ across, x₂ up; white 0, green 1)"
      : "Weight images of layer 2 (blue positive, red negative, scaled to the largest |w|)";
    const grid = document.getElementById("ng-images");
    const index = new Map(neurons.map((neuron, i) => [neuron.name, i]));
    const side = images.side;
    images.names.forEach((name) => {
      const tile = document.createElement("figure");
      tile.className = "ng-tile";
      const frame = document.createElement("div");
      frame.className = "ng-tile-box";
      const canvas = document.createElement("canvas");
      canvas.width = canvas.height = side;
      canvas.dataset.neuron = name;
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-label", (images.kind === "maps" ? "map of " : "weights of ") + name);
      canvas.addEventListener("click", () => select(index.get(name)));
      frame.appendChild(canvas);
      if (images.kind === "maps" && images.outputs.includes(name)) {
        const [a, b, c, d] = images.extent;
        const dots = make("svg", { viewBox: `0 0 ${side} ${side}`, class: "ng-points" }, frame);
        for (const [x, y, k] of images.points) {
          make("circle", { cx: ((x - a) / (b - a)) * side, cy: side - ((y - c) / (d - c)) * side,
            r: side / 45, fill: images.classes[k % images.classes.length], stroke: "#fff",
            "stroke-width": side / 200 }, dots);
        }
      }
      const caption = document.createElement("figcaption");
      caption.textContent = name;
      tile.append(frame, caption);
      grid.appendChild(tile);
      /* Painted by putImageData at every step: a canvas kept in memory suits that best. */
      tiles.push({ canvas, context: canvas.getContext("2d", { willReadFrequently: true }) });
    });
  }

  function paint(k) {
    const row = images.frames[k];
    tiles.forEach(({ canvas, context }, i) => {
      const bytes = atob(row[i]);
      const picture = context.createImageData(canvas.width, canvas.height);
      for (let p = 0; p < bytes.length; p += 1) {
        const colour = rgb[bytes.charCodeAt(p)];
        picture.data.set(colour, 4 * p);
        picture.data[4 * p + 3] = 255;
      }
      context.putImageData(picture, 0, 0);
      canvas.dataset.snapshot = String(k);
    });
  }

  function select(i) {
    const before = selected === null ? null : drawn[selected];
    if (before) before.outline.classList.remove("ng-selected");
    selected = i;
    if (drawn[i]) drawn[i].outline.classList.add("ng-selected");
    inspector.show(i, "Inspector: " + neurons[i].name, null, neurons[i].reports[position]);
  }
  inspector.items(neurons.map((neuron) => neuron.name), select);

  function show(k) {
    position = k;
    showDiagram(k);
    cursors.forEach((move) => move(k));
    paint(k);
    if (selected !== null) select(selected);
    return { status: frames[k].text, phase: k === 0 ? "start" : k === total ? "trained" : "training" };
  }
  return { total, show };
};
window.neurograph.start();
