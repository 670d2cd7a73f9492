/* The lab: a live page where the learner edits a network and trains it, with the book's
 * numbers. `mount(element, state, callbacks)` builds the whole lab inside `element` (it owns
 * nothing else of the document, so a notebook widget can mount it too) and returns its API:
 *
 *   model()            the document "Save model" writes (what ng.load reads)
 *   values()           {neurons: {name: {z, a, delta}}, edges: {"src->dst": {w, grad}}}
 *   data()             the points, [[x1, x2, …], label]
 *   load(document)     replace the network (checked like "Open model"); throws FormatError
 *   sgdStep(X, y)      one SGD step on that mini-batch with the page's η, λ and cost
 *   setWeight(src, dst, w), setBias(name, b), setInput(x), setTarget(y), setKind(name, kind),
 *   setCost(name), addNeuron(name), removeNeuron(name), addLayer(), removeLayer(),
 *   addPoint(x, label), trainEpoch(), reset(), events()   the edits the controls make
 *   showEpoch(document, n)   an epoch trained elsewhere: new parameters and a point on the curves
 *   ready              a promise, resolved once the diagram is drawn
 *
 * `state` is {model, data: {X, y}, x, y, cost, eta, lmbda, batch, seed, title}; callbacks
 * (all optional): change(state) after every edit (input and target too), for a host that
 * keeps its own copy.
 * Text reaches the page only through textContent. */

import { COSTS, KINDS, Network, EngineError } from "./engine.js";
import { FormatError, checkModel, parseModel, MAX_MODEL_BYTES } from "./model.js";
import { passEvents, formatG, forwardLines, backwardLines, updateLines, costLines } from "./text.js";
import { drawNetwork, depths } from "./layout.js";
import { prepareDigit } from "./digit.js";

const SEQUENTIAL = ["#ffffff", "#c7e9c0", "#74c476", "#238b45", "#00441b"];
const DIVERGING = ["#b2182b", "#ef8a62", "#f7f7f7", "#67a9cf", "#2166ac"];
const CLASS_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b",
  "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
const MAP_SIZE = 32;
const PLANE_SIZE = 240;

/* A colour on a scale of hex stops, t in [0, 1] (pictures/style.py's mix). */
function mix(stops, t) {
  const x = Math.max(0, Math.min(1, t)) * (stops.length - 1);
  const i = Math.min(Math.floor(x), stops.length - 2);
  const f = x - i;
  const rgb = [1, 3, 5].map((p) => {
    const lo = parseInt(stops[i].slice(p, p + 2), 16);
    const hi = parseInt(stops[i + 1].slice(p, p + 2), 16);
    return Math.round(lo + (hi - lo) * f);
  });
  return rgb;
}
const hex = (rgb) => "#" + rgb.map((v) => v.toString(16).padStart(2, "0")).join("");
const inkOn = (rgb) => (0.299 * rgb[0] + 0.587 * rgb[1] + 0.114 * rgb[2] < 128 ? "#ffffff" : "#333333");

/* A small seeded generator (mulberry32): the same seed, the same shuffles and new weights. */
export function random(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
/* A standard normal number from a uniform generator (Box–Muller). */
function gauss(rand) {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/* One element with attributes and text; `attrs` keys are attribute names. */
function make(tag, attrs = {}, text = null) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, value);
  if (text !== null) el.textContent = text;
  return el;
}

/* Check the page's data: points of n_in finite numbers, labels that are class numbers. */
export function checkData(data, nIn, nClasses) {
  const X = data && Array.isArray(data.X) ? data.X : null;
  const y = data && Array.isArray(data.y) ? data.y : null;
  if (X === null || y === null || X.length !== y.length) {
    throw new FormatError("the data must be {X: [[x1, …], …], y: [label, …]} of equal lengths");
  }
  X.forEach((x, i) => {
    if (!Array.isArray(x) || x.length !== nIn || !x.every((v) => typeof v === "number" && Number.isFinite(v))) {
      throw new FormatError("point " + i + " must be " + nIn + " finite numbers");
    }
    if (!Number.isInteger(y[i]) || y[i] < 0 || y[i] >= nClasses) {
      throw new FormatError("point " + i + ": its label must be a class number 0.." + (nClasses - 1));
    }
  });
  return { X: X.map((x) => x.slice()), y: y.slice() };
}

export function mount(element, state, callbacks = {}) {
  const lab = {};
  const settings = {
    cost: state.cost || "quadratic",
    eta: state.eta ?? 1,
    lmbda: state.lmbda ?? 0,
    batch: state.batch ?? 10,
    seed: state.seed ?? 0,
  };
  let net = null;
  let doc = null;
  let data = { X: [], y: [] };
  let x = [];
  let target = 0;
  let drawn = null;
  let selected = null; // a node index
  let edge = null; // [j, i]: edge i into neuron j
  let events = null;
  let position = 0;
  let stepTimer = null;
  let epoch = 0;
  let initial = null;
  let curves = [];
  let training = false;
  let layoutVersion = 0;
  const ui = build(element);

  /* ---------- the state ---------- */

  function classes() {
    return net.outputs.length > 1 ? net.outputs.length : 2;
  }
  function className(c) {
    return net.labels !== null && net.outputs.length > 1 ? net.labels[c] : String(c);
  }
  function cost() {
    return COSTS[settings.cost];
  }

  /* Replace the network by a checked document (and, with data, the points). */
  function setModel(document, newData = null, start = null) {
    checkModel(document);
    const built = new Network(document); // throws EngineError for a cycle, a missing name
    const nClasses = built.outputs.length > 1 ? built.outputs.length : 2;
    const points = newData === null ? null : checkData(newData, built.nInputs, nClasses);
    net = built;
    doc = document;
    if (points !== null) data = points;
    else if (data.X.length && data.X[0].length !== net.nInputs) data = { X: [], y: [] };
    if (start !== null) {
      x = start.x;
      target = start.y;
    } else {
      x = data.X.length ? data.X[0].slice() : new Array(net.nInputs).fill(0);
      target = data.X.length ? data.y[0] : 0;
    }
    if (typeof target === "number" && target >= classes()) target = 0;
    if (Array.isArray(target) && target.length !== net.outputs.length) target = 0;
    selected = null;
    edge = null;
    epoch = 0;
    curves = [];
    initial = null;
    return relayout();
  }

  async function relayout() {
    const version = ++layoutVersion;
    const result = await drawNetwork(net);
    if (version !== layoutVersion) return;
    drawn = result;
    ui.diagram.replaceChildren(drawn.svg);
    wireDiagram();
    fillChoosers();
    buildPlaneAndMaps();
    recompute();
  }

  function edited() {
    doc = net.toDocument();
    if (callbacks.change) callbacks.change(lab.state());
    writeFragment();
  }

  /* ---------- the passes and what the page shows ---------- */

  function recompute() {
    net.forward(x);
    const refusal = net.refusal(cost());
    let message = null;
    if (refusal === null) {
      try {
        net.backward(target, cost());
      } catch (err) {
        message = err.message;
      }
    } else {
      message = refusal;
    }
    events = null;
    position = total();
    paint();
    showStep(message);
    inspect();
    ui.output.textContent = "output a = [" + net.outputs.map((j) => formatG(net.a[j], 4)).join(", ") + "]" +
      (net.backwardDone ? ",  C = " + formatG(net.cost, 4) : "");
  }

  function pass() {
    if (events === null) events = passEvents(net, cost(), net.backwardDone ? settings.eta : null);
    return events;
  }
  function total() {
    return net.steps.flat().length * (net.backwardDone ? 3 : 1) + (net.backwardDone ? 1 : 0);
  }

  /* What is shown at `position`: a neuron's a once its forward event is passed, δ once its
   * backward event is. */
  function seen() {
    const n = net.steps.flat().length;
    const forwardAt = new Map();
    const backwardAt = new Map();
    net.steps.flat().forEach((j, i) => forwardAt.set(j, i + 1));
    if (net.backwardDone) {
      let k = n + 1;
      for (let s = net.steps.length - 1; s >= 0; s--) {
        for (const j of net.steps[s].slice().reverse()) backwardAt.set(j, ++k);
      }
    }
    return {
      forward: (j) => j < net.nInputs || forwardAt.get(j) <= position,
      backward: (j) => backwardAt.has(j) && backwardAt.get(j) <= position,
    };
  }

  function paint() {
    if (drawn === null) return;
    const shown = seen();
    const scale = Math.max(1e-12, ...net.steps.flat().map((j) => Math.abs(net.delta[j])));
    drawn.nodes.forEach((parts, j) => {
      if (parts === null) return;
      const fwd = shown.forward(j);
      const rgb = fwd ? mix(SEQUENTIAL, net.a[j]) : [255, 255, 255];
      parts.shape.setAttribute("fill", hex(rgb));
      for (const t of [parts.name, ...parts.lines]) t.setAttribute("fill", inkOn(rgb));
      if (j < net.nInputs) {
        parts.lines[0].textContent = "a = " + formatG(net.a[j], 3);
        return;
      }
      parts.lines[0].textContent = fwd ? "z = " + formatG(net.z[j], 3) : "z = ?";
      parts.lines[1].textContent = fwd ? "a = " + formatG(net.a[j], 3) : "a = ?";
      parts.lines[2].textContent = shown.backward(j) ? "δ = " + formatG(net.delta[j], 3) : "δ = ?";
      parts.shape.setAttribute("stroke", shown.backward(j)
        ? hex(mix(DIVERGING, 0.5 + 0.5 * net.delta[j] / scale)) : "#333333");
      parts.shape.setAttribute("stroke-width", shown.backward(j) ? "3" : "1");
      parts.g.classList.toggle("ng-selected", j === selected);
    });
    const wmax = Math.max(1e-12, ...net.w.flat().map(Math.abs));
    drawn.edges.forEach((list, j) => list.forEach((parts, i) => {
      if (parts === null) return;
      const w = net.w[j][i];
      const colour = hex(mix(DIVERGING, 0.5 + 0.5 * w / wmax));
      parts.path.setAttribute("stroke", colour);
      parts.path.setAttribute("stroke-width", String(0.5 + 3 * Math.abs(w) / wmax));
      if (parts.label) {
        parts.label.textContent = shown.backward(j)
          ? formatG(w, 3) + " (∂C/∂w " + formatG(net.grad[j][i], 2) + ")"
          : formatG(w, 3);
      }
      parts.g.classList.toggle("ng-selected", edge !== null && edge[0] === j && edge[1] === i);
    }));
  }

  function showStep(message = null) {
    const n = total();
    ui.slider.max = String(n);
    ui.slider.value = String(position);
    ui.slider.setAttribute("aria-valuetext", position + " of " + n);
    ui.where.textContent = position + " / " + n;
    ui.back.disabled = ui.restart.disabled = position === 0;
    ui.forward.disabled = position === n;
    if (message !== null) ui.status.textContent = message;
    else ui.status.textContent = position === 0 ? "" : pass()[position - 1].text;
  }

  function go(k) {
    position = Math.max(0, Math.min(total(), k));
    paint();
    showStep();
    if (position === total()) stopStepping();
  }
  function stopStepping() {
    if (stepTimer !== null) clearInterval(stepTimer);
    stepTimer = null;
    ui.play.disabled = false;
    ui.pause.disabled = true;
  }
  function playSteps() {
    if (position === total()) go(0);
    stopStepping();
    stepTimer = setInterval(() => go(position + 1), 500);
    ui.play.disabled = true;
    ui.pause.disabled = false;
  }

  /* The inspector: the selected neuron's equations with the current numbers. */
  function inspect() {
    if (selected === null) {
      ui.inspector.textContent = "Click a neuron or an edge (or choose one) to see its numbers.";
      ui.bias.disabled = ui.kind.disabled = true;
    } else {
      const j = selected;
      const node = net.nodes[j];
      ui.bias.disabled = j < net.nInputs;
      ui.kind.disabled = j < net.nInputs;
      if (document.activeElement !== ui.bias) ui.bias.value = String(node.bias); // not mid-typing
      ui.kind.value = node.kind === "softmax" ? "softmax" : node.kind;
      const lines = [];
      if (j < net.nInputs) lines.push("a[" + node.name + "] = x = " + formatG(net.a[j], 4));
      else lines.push(...forwardLines(net, j));
      if (net.backwardDone && j >= net.nInputs) {
        if (net.outputs.includes(j)) lines.push(...costLines(net, cost()));
        lines.push(...backwardLines(net, j), ...updateLines(net, j, settings.eta));
      }
      ui.inspector.textContent = lines.join("\n");
      ui.chooseNeuron.value = String(j);
    }
    if (edge === null) {
      ui.weight.disabled = true;
    } else {
      ui.weight.disabled = false;
      if (document.activeElement !== ui.weight) ui.weight.value = String(net.w[edge[0]][edge[1]]);
      ui.chooseEdge.value = edge[0] + "-" + edge[1];
    }
  }

  function select(j) {
    selected = j;
    paint();
    inspect();
  }
  function selectEdge(j, i) {
    edge = [j, i];
    selected = j;
    paint();
    inspect();
  }

  function wireDiagram() {
    drawn.nodes.forEach((parts, j) => {
      if (parts === null) return;
      parts.g.setAttribute("tabindex", "0");
      parts.g.setAttribute("role", "button");
      parts.g.setAttribute("aria-label", "Inspect " + net.nodes[j].name);
      parts.g.addEventListener("click", () => select(j));
      parts.g.addEventListener("keydown", (event) => {
        if (event.key === "Enter") select(j);
      });
    });
    drawn.edges.forEach((list, j) => list.forEach((parts, i) => {
      if (parts === null) return;
      parts.g.classList.add("ng-edge");
      parts.g.addEventListener("click", () => selectEdge(j, i));
    }));
  }

  function fillChoosers() {
    ui.chooseNeuron.replaceChildren(make("option", { value: "" }, "(choose)"));
    net.nodes.forEach((node, j) => ui.chooseNeuron.appendChild(make("option", { value: String(j) }, node.name)));
    ui.chooseEdge.replaceChildren(make("option", { value: "" }, "(choose)"));
    net.src.forEach((src, j) => src.forEach((k, i) => {
      if (ui.chooseEdge.options.length > 2000) return;
      ui.chooseEdge.appendChild(make("option", { value: j + "-" + i },
        net.nodes[k].name + " → " + net.nodes[j].name));
    }));
    ui.input.value = x.length <= 16 ? x.join(", ") : x.length + " values (draw a digit)";
    ui.input.disabled = x.length > 16;
    ui.target.value = Array.isArray(target) ? target.join(", ") : className(target);
    ui.cls.replaceChildren();
    for (let c = 0; c < classes(); c++) ui.cls.appendChild(make("option", { value: String(c) }, className(c)));
    ui.cost.value = settings.cost;
    ui.eta.value = String(settings.eta);
    ui.lmbda.value = String(settings.lmbda);
    ui.batch.value = String(settings.batch);
    ui.epoch.textContent = String(epoch);
    ui.seed.textContent = "seed " + settings.seed;
    ui.digitBox.hidden = net.nInputs !== 784;
  }

  /* ---------- the input plane, the decision maps and the curves (2-D inputs) ---------- */

  let bounds = [-2, 2, -2, 2];
  let maps = [];
  function buildPlaneAndMaps() {
    const plane = net.nInputs === 2;
    ui.planeBox.hidden = !plane;
    ui.maps.replaceChildren();
    maps = [];
    if (!plane) return;
    const xs = data.X.map((p) => p[0]);
    const ys = data.X.map((p) => p[1]);
    const lo = (v) => Math.min(-1, ...v);
    const hi = (v) => Math.max(1, ...v);
    const padX = 0.1 * (hi(xs) - lo(xs));
    const padY = 0.1 * (hi(ys) - lo(ys));
    bounds = [lo(xs) - padX, hi(xs) + padX, lo(ys) - padY, hi(ys) + padY];
    for (const step of net.steps) {
      for (const j of step) {
        const figure = make("figure", { class: "ng-map" });
        const canvas = make("canvas", { width: String(MAP_SIZE), height: String(MAP_SIZE),
          "data-neuron": net.nodes[j].name, "aria-label": "Decision map of " + net.nodes[j].name });
        figure.append(canvas, make("figcaption", {}, net.nodes[j].name));
        ui.maps.appendChild(figure);
        maps.push([j, canvas]);
      }
    }
    drawMaps();
  }

  /* Every neuron's activation over the input plane, and the plane with the data. */
  function drawMaps() {
    if (net.nInputs !== 2) return;
    const size = MAP_SIZE;
    const values = maps.map(() => new Float64Array(size * size));
    const saved = { z: net.z.slice(), a: net.a.slice(), f: net.forwardDone, b: net.backwardDone };
    const probe = [0, 0];
    const out = new Uint8Array(size * size * 3);
    for (let r = 0; r < size; r++) {
      probe[1] = bounds[3] - (r + 0.5) / size * (bounds[3] - bounds[2]);
      for (let c = 0; c < size; c++) {
        probe[0] = bounds[0] + (c + 0.5) / size * (bounds[1] - bounds[0]);
        net.forward(probe);
        maps.forEach(([j], m) => (values[m][r * size + c] = net.a[j]));
        const o = net.outputs;
        const cls = o.length > 1 ? o.reduce((b, j, i) => (net.a[j] > net.a[o[b]] ? i : b), 0)
          : net.a[o[0]] > 0.5 ? 1 : 0;
        const sure = o.length > 1 ? net.a[o[cls]] : Math.abs(net.a[o[0]] - 0.5) * 2;
        const rgb = mix(["#ffffff", CLASS_COLOURS[cls]], 0.15 + 0.45 * sure);
        out.set(rgb, (r * size + c) * 3);
      }
    }
    net.z.set(saved.z);
    net.a.set(saved.a);
    net.forwardDone = saved.f;
    net.backwardDone = saved.b;
    maps.forEach(([j, canvas], m) => {
      const ctx = canvas.getContext("2d");
      const image = ctx.createImageData(size, size);
      const kind = net.nodes[j].kind;
      for (let p = 0; p < size * size; p++) {
        const v = values[m][p];
        const rgb = kind === "tanh" ? mix(DIVERGING, 0.5 + 0.5 * v)
          : kind === "relu" ? mix(SEQUENTIAL, Math.min(1, v)) : mix(SEQUENTIAL, v);
        image.data.set([rgb[0], rgb[1], rgb[2], 255], p * 4);
      }
      ctx.putImageData(image, 0, 0);
    });
    const ctx = ui.plane.getContext("2d");
    const small = new ImageData(size, size);
    for (let p = 0; p < size * size; p++) small.data.set([out[p * 3], out[p * 3 + 1], out[p * 3 + 2], 255], p * 4);
    ui.scratch.getContext("2d").putImageData(small, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(ui.scratch, 0, 0, PLANE_SIZE, PLANE_SIZE);
    data.X.forEach((p, i) => {
      const [px, py] = toPlane(p);
      ctx.beginPath();
      ctx.arc(px, py, 3.5, 0, 2 * Math.PI);
      ctx.fillStyle = CLASS_COLOURS[data.y[i] % CLASS_COLOURS.length];
      ctx.fill();
      ctx.strokeStyle = "#ffffff";
      ctx.stroke();
    });
    const [px, py] = toPlane(x);
    ctx.strokeStyle = "#000000";
    ctx.lineWidth = 2;
    ctx.strokeRect(px - 5, py - 5, 10, 10);
    ctx.lineWidth = 1;
  }
  function toPlane(p) {
    return [(p[0] - bounds[0]) / (bounds[1] - bounds[0]) * PLANE_SIZE,
      (bounds[3] - p[1]) / (bounds[3] - bounds[2]) * PLANE_SIZE];
  }
  function fromPlane(px, py) {
    return [bounds[0] + px / PLANE_SIZE * (bounds[1] - bounds[0]),
      bounds[3] - py / PLANE_SIZE * (bounds[3] - bounds[2])];
  }

  function drawCurves() {
    const ctx = ui.curves.getContext("2d");
    const { width, height } = ui.curves;
    ctx.clearRect(0, 0, width, height);
    if (curves.length === 0) return;
    const top = Math.max(1e-12, ...curves.map((c) => c.cost));
    const line = (key, scale, colour) => {
      ctx.beginPath();
      curves.forEach((c, i) => {
        const px = curves.length === 1 ? 0 : i / (curves.length - 1) * (width - 4) + 2;
        const py = height - 2 - c[key] / scale * (height - 4);
        if (i === 0) ctx.moveTo(px, py);
        else ctx.lineTo(px, py);
      });
      ctx.strokeStyle = colour;
      ctx.stroke();
    };
    line("cost", top, "#d62728");
    line("accuracy", 1, "#1f77b4");
    const last = curves[curves.length - 1];
    ui.curveText.textContent = "cost " + formatG(last.cost, 4) + ", accuracy " +
      (100 * last.accuracy).toFixed(1) + " % on the " + data.X.length + " points";
  }

  /* ---------- training ---------- */

  /* The average cost and the accuracy on the page's points (argmax, or a > ½ for one output). */
  function measure() {
    let total = 0;
    let right = 0;
    const c = cost();
    data.X.forEach((p, i) => {
      const a = net.forward(p);
      const y = net.target(data.y[i]);
      for (const [kind, block, where] of net.blocks()) {
        total += c.value(kind, block.map((j) => net.z[j]), block.map((j) => net.a[j]), where.map((w) => y[w]));
      }
      const guess = a.length > 1 ? a.indexOf(Math.max(...a)) : a[0] > 0.5 ? 1 : 0;
      if (guess === data.y[i]) right += 1;
    });
    const n = Math.max(1, data.X.length);
    return { cost: total / n, accuracy: right / n };
  }

  function trainEpoch() {
    const refusal = net.refusal(cost());
    if (refusal !== null) throw new EngineError(refusal);
    if (data.X.length === 0) throw new EngineError("no points to train on: add some by clicking the Input plane");
    if (epoch === 0) initial = net.toDocument();
    const n = data.X.length;
    const order = data.X.map((_, i) => i);
    const rand = random(settings.seed * 100003 + epoch);
    for (let i = n - 1; i > 0; i--) {
      const k = Math.floor(rand() * (i + 1));
      [order[i], order[k]] = [order[k], order[i]];
    }
    const m = Math.max(1, Math.min(settings.batch, n));
    for (let start = 0; start < n; start += m) {
      const batch = order.slice(start, start + m);
      net.sgdStep(batch.map((i) => data.X[i]), batch.map((i) => data.y[i]), cost(),
        settings.eta, settings.lmbda, n);
    }
    epoch += 1;
    curves.push(measure());
    net.meta = { ...net.meta, cost: settings.cost, training: {
      eta: settings.eta, lmbda: settings.lmbda, mini_batch_size: m, epochs: epoch, seed: settings.seed } };
  }

  function afterTraining() {
    ui.epoch.textContent = String(epoch);
    recompute();
    drawMaps();
    drawCurves();
  }

  function trainLoop() {
    if (!training) return;
    try {
      trainEpoch();
    } catch (err) {
      pauseTraining();
      ui.status.textContent = err.message;
      return;
    }
    afterTraining();
    requestAnimationFrame(trainLoop);
  }
  function startTraining() {
    if (training) return;
    training = true;
    ui.train.disabled = true;
    ui.pauseTrain.disabled = false;
    requestAnimationFrame(trainLoop);
  }
  function pauseTraining() {
    training = false;
    ui.train.disabled = false;
    ui.pauseTrain.disabled = true;
    if (net) edited();
  }
  function reset() {
    pauseTraining();
    if (initial !== null) {
      const start = { x, y: target };
      setModel(initial, null, start).then(edited);
    }
    epoch = 0;
    curves = [];
    ui.epoch.textContent = "0";
    drawCurves();
  }

  /* ---------- structure edits (on the document, then a new layout) ---------- */

  let fresh = 0;
  function freshName(prefix) {
    const names = new Set(net.nodes.map((n) => n.name).concat(net.order));
    let name;
    do name = prefix + (++fresh); while (names.has(name));
    return name;
  }
  function weightFor(rand, nIn) {
    return gauss(rand) / Math.sqrt(Math.max(1, nIn));
  }
  function restructure(change) {
    const next = JSON.parse(JSON.stringify(net.toDocument()));
    const rand = random(settings.seed * 7919 + next.neurons.length + next.edges.length);
    change(next, rand);
    return setModel(next, null, { x, y: target }).then(edited);
  }
  /* The non-input neurons grouped by depth, the last group being the outputs' depth. */
  function levels() {
    const depth = depths(net);
    const found = new Map();
    net.order.forEach((name) => {
      const j = net.index.has(name) ? net.index.get(name) : net.index.get(name + ".1");
      const d = depth[j];
      if (!found.has(d)) found.set(d, []);
      found.get(d).push(name);
    });
    return [...found.keys()].sort((p, q) => p - q).map((d) => found.get(d));
  }

  function addNeuron(name = null) {
    const j = name === null ? (selected !== null && selected >= net.nInputs ? selected : null) : net.index.get(name);
    const hidden = net.steps.flat().filter((k) => !net.outputs.includes(k));
    const model = j ?? hidden[hidden.length - 1];
    if (model === undefined || net.nodes[model].kind === "softmax") {
      throw new EngineError("select a hidden neuron first: Add neuron adds one beside it, wired as it is");
    }
    return restructure((next, rand) => {
      const neuron = freshName("h");
      const kind = net.nodes[model].kind;
      next.neurons.splice(next.neurons.findIndex((n) => n.name === net.nodes[model].owner) + 1, 0,
        { name: neuron, kind, bias: gauss(rand) });
      const sources = net.src[model].map((k) => net.nodes[k].name);
      const targets = net.succ[model].map(([k]) => net.nodes[k].name);
      for (const s of sources) next.edges.push([s, neuron, weightFor(rand, sources.length)]);
      for (const t of targets) next.edges.push([neuron, t, weightFor(rand, sources.length)]);
    });
  }
  function removeNeuron(name = null) {
    const j = name === null ? selected : net.index.get(name);
    if (j === null || j === undefined || j < net.nInputs || net.outputs.includes(j)) {
      throw new EngineError("select a hidden neuron to remove (inputs and outputs stay)");
    }
    const gone = net.nodes[j].name;
    return restructure((next) => {
      next.neurons = next.neurons.filter((n) => n.name !== gone);
      next.edges = next.edges.filter(([s, t]) => s !== gone && t !== gone);
    });
  }
  /* Insert a hidden layer before the output layer: the sources of the outputs feed the new
   * layer (as wide as the last hidden layer, at least 2), which feeds the outputs. */
  function addLayer() {
    const outputs = new Set(net.outputs.map((j) => net.nodes[j].name));
    const feeding = [...new Set(net.outputs.flatMap((j) => net.src[j].map((k) => net.nodes[k].name)))];
    const width = Math.max(2, feeding.length <= 16 ? feeding.length : 4);
    return restructure((next, rand) => {
      const names = Array.from({ length: width }, () => freshName("h"));
      const at = next.neurons.findIndex((n) => net.outputs.some((j) => net.nodes[j].owner === n.name));
      next.neurons.splice(at, 0, ...names.map((name) => ({ name, kind: "sigmoid", bias: gauss(rand) })));
      next.edges = next.edges.filter(([, t]) => !outputs.has(t));
      for (const s of feeding) for (const h of names) next.edges.push([s, h, weightFor(rand, feeding.length)]);
      for (const h of names) for (const t of outputs) next.edges.push([h, t, weightFor(rand, width)]);
    });
  }
  /* Remove the hidden layer just before the outputs: its sources feed the outputs directly. */
  function removeLayer() {
    const all = levels();
    if (all.length < 2) throw new EngineError("no hidden layer to remove");
    const last = new Set(all[all.length - 2]);
    const units = (name) => net.nodes.filter((n) => n.owner === name).map((n) => n.name);
    const gone = new Set([...last].flatMap(units));
    if (net.outputs.some((j) => gone.has(net.nodes[j].name))) throw new EngineError("no hidden layer to remove");
    const sources = [...new Set([...gone].flatMap((n) => net.src[net.index.get(n)].map((k) => net.nodes[k].name)))];
    const targets = [...new Set([...gone].flatMap((n) => net.succ[net.index.get(n)].map(([k]) => net.nodes[k].name)))];
    return restructure((next, rand) => {
      next.neurons = next.neurons.filter((n) => !last.has(n.name));
      next.edges = next.edges.filter(([s, t]) => !gone.has(s) && !gone.has(t));
      for (const t of targets) for (const s of sources) {
        if (!next.edges.some(([a, b]) => a === s && b === t)) next.edges.push([s, t, weightFor(rand, sources.length)]);
      }
    });
  }
  function setKind(name, kind) {
    const j = net.index.get(name);
    if (j === undefined || j < net.nInputs) throw new EngineError("no neuron named " + name);
    const owner = net.nodes[j].owner;
    if (kind === "softmax" && !net.outputs.includes(j)) {
      throw new EngineError("softmax is for an output layer: choose an output neuron");
    }
    if (kind !== "softmax" && !Object.hasOwn(KINDS, kind)) throw new EngineError("unknown kind " + kind);
    return restructure((next) => {
      if (kind === "softmax") {
        const outs = net.outputs.map((o) => net.nodes[o]);
        const owners = new Set(outs.map((n) => n.owner));
        const first = next.neurons.findIndex((n) => owners.has(n.name));
        const biases = outs.map((n) => n.bias);
        const rename = new Map(outs.map((n, u) => [n.name, "out." + (u + 1)]));
        next.neurons = next.neurons.filter((n) => !owners.has(n.name));
        next.neurons.splice(first, 0, { name: "out", kind: "softmax_layer", biases });
        next.edges = next.edges.map(([s, t, w]) => [rename.get(s) || s, rename.get(t) || t, w]);
        next.outputs = next.outputs.map((o) => rename.get(o) || o);
      } else if (net.nodes[j].kind === "softmax") {
        const units = net.nodes.filter((n) => n.owner === owner);
        const at = next.neurons.findIndex((n) => n.name === owner);
        next.neurons.splice(at, 1, ...units.map((n) => ({ name: n.name.replace(/\./g, "_"), kind, bias: n.bias })));
        const rename = new Map(units.map((n) => [n.name, n.name.replace(/\./g, "_")]));
        next.edges = next.edges.map(([s, t, w]) => [rename.get(s) || s, rename.get(t) || t, w]);
        next.outputs = next.outputs.map((o) => rename.get(o) || o);
      } else {
        next.neurons.find((n) => n.name === owner).kind = kind;
      }
    });
  }

  /* ---------- the controls ---------- */

  function guard(action) {
    return (...args) => {
      try {
        const result = action(...args);
        if (result && result.catch) result.catch((err) => (ui.status.textContent = err.message));
      } catch (err) {
        ui.status.textContent = err.message;
      }
    };
  }

  function parseNumbers(text, n, what) {
    const parts = text.split(",").map((s) => s.trim()).filter((s) => s !== "");
    const values = parts.map(Number);
    if (values.length !== n || !values.every(Number.isFinite)) {
      throw new EngineError(what + ": expected " + n + " numbers separated by commas, got " +
        JSON.stringify(text.slice(0, 60)));
    }
    return values;
  }
  function parseTarget(text) {
    const t = text.trim();
    const n = net.outputs.length;
    if (n > 1 && net.labels !== null && net.labels.includes(t)) return net.labels.indexOf(t);
    if (/^\d+$/.test(t) && Number(t) < classes() && (n > 1 || Number(t) <= 1)) return Number(t);
    const values = parseNumbers(t, n, "Target");
    if (settings.cost !== "quadratic" && values.some((v) => v < 0 || v > 1)) {
      throw new EngineError("Target: " + cost().name + " expects targets in [0, 1]");
    }
    return n === 1 ? values[0] : values;
  }
  function finite(text, what) {
    const v = Number(text);
    if (text.trim() === "" || !Number.isFinite(v)) {
      throw new EngineError(what + ": expected a finite number, got " + JSON.stringify(text.slice(0, 40)));
    }
    return v;
  }

  function setWeight(src, dst, w) {
    const j = net.index.get(dst);
    const i = j === undefined ? -1 : net.src[j].indexOf(net.index.get(src));
    if (i < 0) throw new EngineError("no edge " + src + " -> " + dst);
    net.w[j][i] = finite(String(w), "Weight");
    edge = [j, i];
    recompute();
    edited();
  }
  function setBias(name, b) {
    const j = net.index.get(name);
    if (j === undefined || j < net.nInputs) throw new EngineError("no neuron named " + name);
    net.nodes[j].bias = finite(String(b), "Bias");
    recompute();
    edited();
  }
  function setInput(values) {
    if (!Array.isArray(values) || values.length !== net.nInputs || !values.every(Number.isFinite)) {
      throw new EngineError("Input: expected " + net.nInputs + " finite numbers");
    }
    x = values.slice();
    recompute();
    drawMaps();
    if (callbacks.change) callbacks.change(lab.state());
  }
  function setTarget(y) {
    target = typeof y === "string" ? parseTarget(y) : y;
    recompute();
    if (callbacks.change) callbacks.change(lab.state());
  }

  ui.weight.addEventListener("input", guard(() => {
    if (edge === null) return;
    const [j, i] = edge;
    setWeight(net.nodes[net.src[j][i]].name, net.nodes[j].name, ui.weight.value);
  }));
  ui.bias.addEventListener("input", guard(() => setBias(net.nodes[selected].name, ui.bias.value)));
  ui.input.addEventListener("change", guard(() => setInput(parseNumbers(ui.input.value, net.nInputs, "Input"))));
  ui.target.addEventListener("change", guard(() => setTarget(ui.target.value)));
  ui.kind.addEventListener("change", guard(() => setKind(net.nodes[selected].name, ui.kind.value)));
  ui.cost.addEventListener("change", guard(() => {
    settings.cost = ui.cost.value;
    recompute();
    edited();
  }));
  const setting = (el, key, check) => el.addEventListener("change", guard(() => {
    const v = finite(el.value, el.getAttribute("aria-label"));
    if (!check(v)) throw new EngineError(el.getAttribute("aria-label") + ": " + el.title);
    settings[key] = v;
    events = null;
    edited();
  }));
  const CHECKS = {
    eta: (v) => v > 0,
    lmbda: (v) => v >= 0,
    batch: (v) => Number.isInteger(v) && v >= 1,
  };
  setting(ui.eta, "eta", CHECKS.eta);
  setting(ui.lmbda, "lmbda", CHECKS.lmbda);
  setting(ui.batch, "batch", CHECKS.batch);
  /* The setters of η, λ and the mini-batch size, for the API. */
  function setter(key, el) {
    return (v) => {
      if (typeof v !== "number" || !Number.isFinite(v) || !CHECKS[key](v)) {
        throw new EngineError(el.getAttribute("aria-label") + ": " + el.title + ", got " + v);
      }
      settings[key] = v;
      el.value = String(v);
      events = null;
      showStep();
      edited();
    };
  }
  ui.chooseNeuron.addEventListener("change", () => {
    if (ui.chooseNeuron.value !== "") select(Number(ui.chooseNeuron.value));
  });
  ui.chooseEdge.addEventListener("change", () => {
    if (ui.chooseEdge.value === "") return;
    const [j, i] = ui.chooseEdge.value.split("-").map(Number);
    selectEdge(j, i);
  });
  ui.restart.addEventListener("click", () => { stopStepping(); go(0); });
  ui.back.addEventListener("click", () => { stopStepping(); go(position - 1); });
  ui.forward.addEventListener("click", () => { stopStepping(); go(position + 1); });
  ui.play.addEventListener("click", playSteps);
  ui.pause.addEventListener("click", stopStepping);
  ui.slider.addEventListener("input", () => go(Number(ui.slider.value)));
  element.addEventListener("keydown", (event) => {
    const tag = event.target.tagName;
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") return;
    const keys = {
      ArrowRight: () => { stopStepping(); go(position + 1); },
      ArrowLeft: () => { stopStepping(); go(position - 1); },
      Home: () => { stopStepping(); go(0); },
      End: () => { stopStepping(); go(total()); },
    };
    if (event.key in keys) {
      event.preventDefault();
      keys[event.key]();
    }
  });
  ui.train.addEventListener("click", startTraining);
  ui.pauseTrain.addEventListener("click", pauseTraining);
  ui.trainOne.addEventListener("click", guard(() => { pauseTraining(); trainEpoch(); afterTraining(); edited(); }));
  ui.reset.addEventListener("click", guard(reset));
  ui.addNeuron.addEventListener("click", guard(() => addNeuron()));
  ui.removeNeuron.addEventListener("click", guard(() => removeNeuron()));
  ui.addLayer.addEventListener("click", guard(addLayer));
  ui.removeLayer.addEventListener("click", guard(removeLayer));
  ui.save.addEventListener("click", () => {
    const blob = new Blob([JSON.stringify(net.toDocument(), null, 1) + "\n"], { type: "application/json" });
    const link = make("a", { href: URL.createObjectURL(blob), download: "model.json" });
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
    ui.status.textContent = "Saved model.json: load it in Python with ng.load(\"model.json\")";
  });
  ui.open.addEventListener("click", () => ui.file.click());
  ui.file.addEventListener("change", () => {
    const file = ui.file.files[0];
    ui.file.value = "";
    if (!file) return;
    if (file.size > MAX_MODEL_BYTES) {
      ui.status.textContent = file.name + " is " + (file.size / 2 ** 20).toFixed(1) +
        " MB; the lab opens model files up to 16 MB";
      return;
    }
    file.text().then(guard((text) => openModel(text, file.name)));
  });
  /* Open a model file's text: checked as Python's loader checks it (FormatError), then shown. */
  function openModel(text, name = "the file") {
    const model = parseModel(text, name);
    return setModel(model).then(() => {
      ui.status.textContent = "Opened " + name;
      edited();
    });
  }
  ui.plane.addEventListener("click", guard((event) => {
    const rect = ui.plane.getBoundingClientRect();
    const p = fromPlane((event.clientX - rect.left) * PLANE_SIZE / rect.width,
      (event.clientY - rect.top) * PLANE_SIZE / rect.height);
    addPoint(p, Number(ui.cls.value));
  }));
  ui.plane.addEventListener("keydown", guard((event) => {
    if (event.key !== "Enter") return;
    addPoint(x.slice(), Number(ui.cls.value));
  }));
  function addPoint(p, label) {
    if (!Array.isArray(p) || p.length !== net.nInputs || !p.every(Number.isFinite)) {
      throw new EngineError("a point needs " + net.nInputs + " finite numbers");
    }
    if (!Number.isInteger(label) || label < 0 || label >= classes()) {
      throw new EngineError("Class: expected a class number 0.." + (classes() - 1));
    }
    data.X.push(p.slice());
    data.y.push(label);
    ui.status.textContent = "Added the point (" + p.map((v) => formatG(v, 3)).join(", ") +
      ") of class " + className(label) + "; " + data.X.length + " points";
    drawMaps();
    edited();
  }
  const digit = prepareDigit(ui.digit, (pixels) => setInput(pixels));
  ui.clearDigit.addEventListener("click", () => digit.clear());

  /* ---------- the URL fragment ---------- */

  function writeFragment() {
    if (!state.fragment) return;
    const text = encodeState(lab.state());
    if (text.length > MAX_FRAGMENT) {
      ui.share.textContent = "The state is too large for a link: use Save model.";
      return;
    }
    ui.share.textContent = "";
    history.replaceState(null, "", "#" + text);
  }

  /* ---------- the API ---------- */

  Object.assign(lab, {
    model: () => net.toDocument(),
    values() {
      const neurons = {};
      net.nodes.forEach((node, j) => {
        neurons[node.name] = j < net.nInputs ? { a: net.a[j] }
          : { z: net.z[j], a: net.a[j], delta: net.backwardDone ? net.delta[j] : null };
      });
      const edges = {};
      net.src.forEach((src, j) => src.forEach((k, i) => {
        edges[net.nodes[k].name + "->" + net.nodes[j].name] = {
          w: net.w[j][i], grad: net.backwardDone ? net.grad[j][i] : null };
      }));
      return { neurons, edges };
    },
    data: () => data.X.map((p, i) => [p.slice(), data.y[i]]),
    open: openModel,
    load: (document) => setModel(checkModel(JSON.parse(JSON.stringify(document)))).then(edited),
    sgdStep(X, y) {
      net.sgdStep(X, y, cost(), settings.eta, settings.lmbda);
      recompute();
      edited();
    },
    state: () => ({ model: net.toDocument(), data: { X: data.X, y: data.y }, x, y: target,
      cost: settings.cost, eta: settings.eta, lmbda: settings.lmbda, batch: settings.batch,
      seed: settings.seed }),
    setEta: setter("eta", ui.eta),
    setLambda: setter("lmbda", ui.lmbda),
    setBatch: setter("batch", ui.batch),
    setWeight, setBias, setInput, setTarget, setKind, addNeuron, removeNeuron, addLayer,
    removeLayer, addPoint, reset,
    setCost(name) {
      if (!Object.hasOwn(COSTS, name)) throw new EngineError("unknown cost " + name);
      settings.cost = name;
      recompute();
    },
    trainEpoch() {
      trainEpoch();
      afterTraining();
    },
    /* An epoch trained elsewhere (the notebook's kernel): its parameters, and a point on the curves. */
    showEpoch(document, n) {
      const wiring = (d) => JSON.stringify([d.inputs, d.neurons.map((u) => [u.name, u.kind]),
        d.edges.map((e) => [e[0], e[1]]), d.outputs]);
      const kept = curves;
      let drawing = Promise.resolve();
      if (wiring(document) === wiring(net.toDocument())) net = new Network(checkModel(document));
      else drawing = setModel(document, null, { x, y: target });
      return drawing.then(() => {
        epoch = n;
        curves = kept.concat([measure()]);
        afterTraining();
      });
    },
    epoch: () => epoch,
    curves: () => curves.slice(),
    events: () => pass().map((e) => e.text),
    status: () => ui.status.textContent,
  });
  lab.ready = setModel(state.model, state.data, state.x === undefined || state.x === null ? null
    : { x: state.x, y: state.y }).then(() => {
    element.dataset.ready = "true";
    return lab;
  });
  return lab;
}

/* The longest URL fragment the page writes (browsers refuse longer URLs). */
export const MAX_FRAGMENT = 1.5 * 2 ** 20;

/* The state as a URL fragment: "lab=" and the JSON, base64url-encoded (UTF-8). */
export function encodeState(state) {
  const bytes = new TextEncoder().encode(JSON.stringify(state));
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return "lab=" + btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/* The state a fragment holds, checked: a FormatError for anything else. */
export function decodeState(fragment) {
  const text = fragment.replace(/^#/, "");
  if (!text.startsWith("lab=")) throw new FormatError("the link holds no lab state");
  if (text.length > MAX_FRAGMENT) throw new FormatError("the link's state is larger than 1.5 MB");
  let state;
  try {
    const raw = atob(text.slice(4).replace(/-/g, "+").replace(/_/g, "/"));
    state = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(raw, (c) => c.charCodeAt(0))));
  } catch (err) {
    throw new FormatError("the link's state is not readable (cut short or altered?): " + err.message);
  }
  if (state === null || typeof state !== "object" || Array.isArray(state)) {
    throw new FormatError("the link's state must be an object");
  }
  checkModel(state.model);
  try {
    new Network(state.model); // a cycle, an edge to nowhere
  } catch (err) {
    throw new FormatError("the link's model: " + err.message);
  }
  const classes = Math.max(2, state.model.outputs.length);
  state.data = checkData(state.data, state.model.inputs.length, state.model.outputs.length > 1 ? classes : 2);
  if (!Object.hasOwn(COSTS, state.cost)) throw new FormatError("the link's cost must be one of " + Object.keys(COSTS).join(", "));
  for (const key of ["eta", "lmbda", "batch", "seed"]) {
    if (typeof state[key] !== "number" || !Number.isFinite(state[key]) || state[key] < 0) {
      throw new FormatError("the link's " + key + " must be a number ≥ 0");
    }
  }
  if (!(Number.isInteger(state.batch) && state.batch >= 1 && state.eta > 0 && Number.isInteger(state.seed))) {
    throw new FormatError("the link's eta, batch or seed is out of range");
  }
  const nIn = state.model.inputs.length;
  if (!Array.isArray(state.x) || state.x.length !== nIn || !state.x.every((v) => typeof v === "number" && Number.isFinite(v))) {
    throw new FormatError("the link's input x must be " + nIn + " finite numbers");
  }
  const y = state.y;
  const nOut = state.model.outputs.length;
  if (!(Number.isInteger(y) && y >= 0 && y < Math.max(2, nOut)) &&
      !(Array.isArray(y) && y.length === nOut && y.every((v) => typeof v === "number" && Number.isFinite(v)))) {
    throw new FormatError("the link's target y must be a class number or " + nOut + " numbers");
  }
  return state;
}

/* The lab's markup, built inside `element`; returns the controls by role. */
function build(element) {
  element.classList.add("ng-lab");
  const ui = {};
  const button = (key, label, text) => (ui[key] = make("button", { type: "button", "aria-label": label }, text));
  const field = (key, label, attrs = {}) => {
    ui[key] = make("input", { "aria-label": label, ...attrs });
    const wrap = make("label", { class: "ng-field" }, label + " ");
    wrap.appendChild(ui[key]);
    return wrap;
  };
  const choice = (key, label, options) => {
    ui[key] = make("select", { "aria-label": label });
    for (const [value, text] of options) ui[key].appendChild(make("option", { value }, text));
    const wrap = make("label", { class: "ng-field" }, label + " ");
    wrap.appendChild(ui[key]);
    return wrap;
  };
  const group = (label, ...children) => {
    const g = make("div", { class: "ng-group", role: "group", "aria-label": label });
    g.appendChild(make("span", { class: "ng-group-title" }, label));
    g.append(...children);
    return g;
  };

  const stepping = group("Step through the pass",
    button("restart", "Restart", "Restart"), button("back", "Step back", "◀ Back"),
    button("play", "Play", "Play"), button("pause", "Pause", "Pause"),
    button("forward", "Step forward", "Forward ▶"));
  ui.pause.disabled = true;
  ui.slider = make("input", { type: "range", min: "0", max: "0", value: "0", step: "1", "aria-label": "Position" });
  ui.where = make("span", { class: "ng-where" });
  stepping.append(ui.slider, ui.where);

  const trainingGroup = group("Training",
    button("train", "Train", "Train ▶"), button("pauseTrain", "Pause training", "Pause training"),
    button("trainOne", "Train one epoch", "+1 epoch"), button("reset", "Reset", "Reset"));
  ui.pauseTrain.disabled = true;
  const epochBox = make("span", { class: "ng-epoch" }, "Epoch ");
  ui.epoch = make("output", { "aria-label": "Epoch" }, "0");
  ui.seed = make("span", { class: "ng-seed" });
  epochBox.append(ui.epoch, " ", ui.seed);
  trainingGroup.append(epochBox,
    field("eta", "η", { type: "number", step: "any", min: "0", title: "a learning rate > 0" }),
    field("lmbda", "λ", { type: "number", step: "any", min: "0", title: "an L2 strength ≥ 0" }),
    field("batch", "Mini-batch size", { type: "number", step: "1", min: "1", title: "a whole number ≥ 1" }),
    choice("cost", "Cost", [["quadratic", "quadratic"], ["cross-entropy", "cross-entropy"],
      ["log-likelihood", "log-likelihood"]]));

  const structure = group("Structure",
    button("addNeuron", "Add neuron", "+ neuron"), button("removeNeuron", "Remove neuron", "− neuron"),
    button("addLayer", "Add layer", "+ layer"), button("removeLayer", "Remove layer", "− layer"),
    choice("kind", "Kind", [["sigmoid", "sigmoid"], ["perceptron", "perceptron"], ["tanh", "tanh"],
      ["relu", "ReLU"], ["softmax", "softmax (output layer)"]]));

  const edit = group("Edit",
    choice("chooseNeuron", "Neuron", []), field("bias", "Bias", { type: "number", step: "any" }),
    choice("chooseEdge", "Edge", []), field("weight", "Weight", { type: "number", step: "any" }),
    field("input", "Input", { type: "text", size: "24" }), field("target", "Target", { type: "text", size: "10" }));

  const files = group("Keep and share", button("save", "Save model", "Save model"),
    button("open", "Open model", "Open model…"));
  ui.file = make("input", { type: "file", accept: ".json,application/json", hidden: "", "aria-label": "Model file" });
  ui.share = make("span", { class: "ng-share" });
  files.append(ui.file, ui.share);

  ui.status = make("p", { class: "ng-status", role: "status", "aria-live": "polite", "aria-label": "Current step" });
  ui.output = make("p", { class: "ng-output" });
  ui.diagram = make("figure", { class: "ng-diagram", "aria-label": "Network" });
  ui.inspector = make("pre", { class: "ng-inspector", "aria-label": "Inspector" });

  ui.planeBox = make("section", { class: "ng-plane-box" });
  ui.plane = make("canvas", { width: String(PLANE_SIZE), height: String(PLANE_SIZE), tabindex: "0",
    role: "img", "aria-label": "Input plane", title: "Click to add a point of the chosen Class" });
  ui.scratch = make("canvas", { width: String(MAP_SIZE), height: String(MAP_SIZE), hidden: "" });
  ui.cls = make("select", { "aria-label": "Class" });
  const clsLabel = make("label", { class: "ng-field" }, "Class ");
  clsLabel.appendChild(ui.cls);
  ui.curves = make("canvas", { width: "240", height: "90", role: "img", "aria-label": "Cost and accuracy" });
  ui.curveText = make("p", { class: "ng-curve-text" });
  ui.maps = make("div", { class: "ng-maps", "aria-label": "Decision maps" });
  ui.planeBox.append(ui.plane, ui.scratch, clsLabel, ui.curves, ui.curveText, ui.maps);

  ui.digitBox = make("section", { class: "ng-digit-box" });
  ui.digit = make("canvas", { width: "280", height: "280", tabindex: "0", role: "img", "aria-label": "Draw a digit" });
  ui.digitBox.append(ui.digit, button("clearDigit", "Clear the digit", "Clear"));

  const main = make("div", { class: "ng-lab-main" });
  const side = make("div", { class: "ng-lab-side" });
  side.append(ui.planeBox, ui.digitBox, ui.inspector);
  main.append(ui.diagram, side);
  element.replaceChildren(stepping, ui.status, trainingGroup, structure, edit, files, ui.output, main);
  return ui;
}
