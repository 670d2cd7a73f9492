/* The lab: a live page where the learner edits a network and trains it, with the book's
 * numbers. `mount(element, state, callbacks)` builds the whole lab inside `element` (it owns
 * nothing else of the document, so a notebook widget can mount it too) and returns its API:
 *
 *   model()            the document "Save model" writes (what ng.load reads)
 *   values()           {neurons: {name: {z, a, delta}}, edges: {"src->dst": {w, grad}}}
 *   data()             the points, [[x1, x2, …], label]
 *   load(document)     replace the network (checked like "Open model"); a promise, rejected
 *                      with the FormatError or EngineError that says why
 *   open(text, name)   the same from a model file's text (its size limit too)
 *   sgdStep(X, y)      one SGD step on that mini-batch with the page's η, λ and cost
 *   state()            the whole state, as a link's fragment holds it
 *   setWeight(src, dst, w), setBias(name, b), setInput(x), setTarget(y), setKind(name, kind),
 *   setCost(name), setEta(Î·), setLambda(Î»), setBatch(m), addNeuron(name), removeNeuron(name),
 *   addLayer(), removeLayer(), addPoint(x, label), trainEpoch(), reset()
 *                      the edits the controls make (an EngineError for a bad one)
 *   showEpoch(document, n)
 *                      an epoch trained elsewhere: new parameters and a point on the curves
 *   events(), cost(), status(), epoch(), curves()
 *                      the pass's texts, its cost C, the status line, training so far
 *   ready              a promise, resolved once the diagram is drawn
 *
 * `state` is {model, data: {X, y}, x, y, cost, eta, lmbda, batch, seed, fragment}: with
 * `fragment` the lab keeps its state in the page's address. callbacks (all optional):
 * change(state) after every edit (input and target too), for a host that keeps its own copy
 * (the notebook widget).
 * Text reaches the page only through textContent. */

import { COSTS, KINDS, Network, EngineError } from "./engine.js";
import { checkModel, parseModel, MAX_MODEL_BYTES } from "./model.js";
import {
  passEvents, passLength, eventAt, formatG, forwardLines, backwardLines, updateLines, costLines,
} from "./text.js";
import { drawNetwork } from "./layout.js";
import { prepareDigit } from "./digit.js";
import { SEQUENTIAL, DIVERGING, mix, mixHex, hex, inkOn } from "./colours.js";
import { build, make, put, say, PLANE_SIZE } from "./markup.js";
import { checkData, encodeState, MAX_FRAGMENT } from "./state.js";
import * as edits from "./structure.js";
import { trainingEpoch, measure } from "./training.js";
import * as plane from "./plane.js";

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
  let data = { X: [], y: [] };
  let x = [];
  let target = 0;
  let drawn = null;
  let selected = null; // a node index
  let edge = null; // [j, i]: edge i into neuron j
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

  /* After an edit: tell the host, and keep the state in the address (once the edits pause). */
  let later = null;
  function edited() {
    clearTimeout(later);
    later = setTimeout(() => {
      if (callbacks.change) callbacks.change(lab.state());
      writeFragment();
    }, 200);
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
    position = total();
    paint();
    showStep(message);
    inspect();
    ui.output.textContent = "output a = [" + net.outputs.map((j) => formatG(net.a[j], 4)).join(", ") + "]" +
      (net.backwardDone ? ",  C = " + formatG(net.cost, 4) : "");
  }

  const eta = () => (net.backwardDone ? settings.eta : null);
  function total() {
    return passLength(net, eta());
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
    // As pictures/style.py colours a: green for [0, 1]; red to blue when some a lies outside
    const all = Array.from(net.a);
    const beyond = all.every((a) => a >= 0 && a <= 1) ? 0 : Math.max(...all.map(Math.abs));
    drawn.nodes.forEach((parts, j) => {
      if (parts === null) return;
      const fwd = shown.forward(j);
      const fill = beyond === 0 ? mix(SEQUENTIAL, net.a[j])
        : mix(DIVERGING, 0.5 + 0.5 * net.a[j] / beyond);
      const rgb = fwd ? fill : [255, 255, 255];
      put(parts.shape, "fill", hex(rgb));
      for (const t of [parts.name, ...parts.lines]) put(t, "fill", inkOn(rgb));
      if (j < net.nInputs) {
        say(parts.lines[0], "a = " + formatG(net.a[j], 3));
        return;
      }
      say(parts.lines[0], fwd ? "z = " + formatG(net.z[j], 3) : "z = ?");
      say(parts.lines[1], fwd ? "a = " + formatG(net.a[j], 3) : "a = ?");
      say(parts.lines[2], shown.backward(j) ? "δ = " + formatG(net.delta[j], 3) : "δ = ?");
      put(parts.shape, "stroke", shown.backward(j)
        ? hex(mix(DIVERGING, 0.5 + 0.5 * net.delta[j] / scale)) : "#333333");
      put(parts.shape, "stroke-width", shown.backward(j) ? "3" : "1");
      parts.g.classList.toggle("ng-selected", j === selected);
    });
    const wmax = Math.max(1e-12, ...net.w.flat().map(Math.abs));
    drawn.edges.forEach((list, j) => list.forEach((parts, i) => {
      if (parts === null) return;
      const w = net.w[j][i];
      const colour = mixHex(DIVERGING, 0.5 + 0.5 * w / wmax);
      put(parts.path, "stroke", colour);
      put(parts.path, "stroke-width", (0.5 + 3 * Math.abs(w) / wmax).toFixed(2));
      if (parts.label) {
        say(parts.label, shown.backward(j)
          ? formatG(w, 3) + " (∂C/∂w " + formatG(net.grad[j][i], 2) + ")"
          : formatG(w, 3));
      }
      const chosen = edge !== null && edge[0] === j && edge[1] === i;
      if (parts.chosen !== chosen) parts.g.classList.toggle("ng-selected", (parts.chosen = chosen));
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
    else ui.status.textContent = position === 0 ? "" : eventAt(net, cost(), eta(), position - 1).text;
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
      ui.bias.disabled = ui.biasDrag.disabled = ui.kind.disabled = true;
    } else {
      const j = selected;
      const node = net.nodes[j];
      ui.bias.disabled = ui.biasDrag.disabled = j < net.nInputs;
      if (document.activeElement !== ui.biasDrag) ui.biasDrag.value = String(node.bias);
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
      if (ui.chooseNeuron.value !== String(j)) ui.chooseNeuron.value = String(j);
    }
    if (edge === null) {
      ui.weight.disabled = ui.weightDrag.disabled = true;
    } else {
      ui.weight.disabled = ui.weightDrag.disabled = false;
      if (document.activeElement !== ui.weightDrag) ui.weightDrag.value = String(net.w[edge[0]][edge[1]]);
      if (document.activeElement !== ui.weight) ui.weight.value = String(net.w[edge[0]][edge[1]]);
      const id = edge[0] + "-" + edge[1];
      if (ui.chooseEdge.value !== id) ui.chooseEdge.value = id;
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
    const twoInputs = net.nInputs === 2;
    ui.planeBox.hidden = !twoInputs;
    ui.maps.replaceChildren();
    maps = [];
    if (!twoInputs) return;
    bounds = plane.planeBounds(data.X);
    maps = plane.mapCanvases(net, ui.maps);
    drawMaps();
  }
  function drawMaps() {
    if (net.nInputs !== 2) return;
    plane.drawPlane(ui.plane, ui.scratch, plane.drawMaps(net, maps, bounds), bounds, data, x);
  }
  function drawCurves() {
    plane.drawCurves(ui.curves, ui.curveText, curves, data.X.length);
  }

  /* ---------- training ---------- */

  function trainEpoch() {
    const refusal = net.refusal(cost());
    if (refusal !== null) throw new EngineError(refusal);
    if (data.X.length === 0) throw new EngineError("no points to train on: add some by clicking the Input plane");
    if (epoch === 0) initial = net.toDocument();
    const m = Math.max(1, Math.min(settings.batch, data.X.length));
    trainingEpoch(net, data, cost(), { ...settings, batch: m }, edits.random(settings.seed * 100003 + epoch));
    epoch += 1;
    curves.push(measure(net, data, cost()));
    net.meta = { ...net.meta, cost: settings.cost, training: {
      eta: settings.eta, lmbda: settings.lmbda, mini_batch_size: m, epochs: epoch, seed: settings.seed } };
  }

  function afterTraining() {
    ui.epoch.textContent = String(epoch);
    recompute();
    drawMaps();
    drawCurves();
  }

  /* One frame of training: epochs for up to 10 ms (at least one), then one drawing. */
  function trainLoop() {
    if (!training) return;
    try {
      const start = performance.now();
      do trainEpoch(); while (performance.now() - start < 10);
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

  /* ---------- structure edits (structure.js, on the document, then a new layout) ---------- */

  let fresh = 0;
  function freshName(prefix) {
    const names = new Set(net.nodes.map((n) => n.name).concat(net.order));
    let name;
    do name = prefix + (++fresh); while (names.has(name));
    return name;
  }
  function restructure(change) {
    const next = net.toDocument();
    const rand = edits.random(settings.seed * 7919 + next.neurons.length + next.edges.length);
    change(next, rand);
    return setModel(next, null, { x, y: target }).then(edited);
  }
  function hidden(name, what) {
    const j = name === null ? selected : net.index.get(name);
    if (j === null || j === undefined || j < net.nInputs || net.outputs.includes(j) ||
        net.nodes[j].kind === "softmax") {
      throw new EngineError("select a hidden neuron first: " + what);
    }
    return j;
  }
  function addNeuron(name = null) {
    const j = hidden(name, "Add neuron adds one beside it, wired as it is");
    return restructure((next, rand) => edits.addNeuron(net, next, j, rand, freshName));
  }
  function removeNeuron(name = null) {
    const j = hidden(name, "Remove neuron removes it (inputs and outputs stay)");
    return restructure((next) => edits.removeNeuron(net, next, j));
  }
  function addLayer() {
    return restructure((next, rand) => edits.addLayer(net, next, rand, freshName));
  }
  function removeLayer() {
    return restructure((next, rand) => {
      if (!edits.removeLayer(net, next, rand)) throw new EngineError("no hidden layer to remove");
    });
  }
  function setKind(name, kind) {
    const j = net.index.get(name);
    if (j === undefined || j < net.nInputs) throw new EngineError("no neuron named " + name);
    if (kind === "softmax" && !net.outputs.includes(j)) {
      throw new EngineError("softmax is for an output layer: choose an output neuron");
    }
    if (kind !== "softmax" && !Object.hasOwn(KINDS, kind)) throw new EngineError("unknown kind " + kind);
    return restructure((next) => edits.setKind(net, next, j, kind, freshName));
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
  ui.biasDrag.addEventListener("input", guard(() => setBias(net.nodes[selected].name, ui.biasDrag.value)));
  ui.weightDrag.addEventListener("input", guard(() => {
    const [j, i] = edge;
    setWeight(net.nodes[net.src[j][i]].name, net.nodes[j].name, ui.weightDrag.value);
  }));
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
      " ": () => (stepTimer === null ? playSteps() : stopStepping()),
    };
    if (Object.hasOwn(keys, event.key) && !(event.key === " " && tag === "BUTTON")) {
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
    const p = plane.fromPlane(bounds, (event.clientX - rect.left) * PLANE_SIZE / rect.width,
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
    try {
      history.replaceState(null, "", "#" + text);
    } catch {
      // a sandboxed frame (the page in Jupyter) has no address of its own to keep it in
    }
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
    /* An epoch trained elsewhere (the notebook's kernel): its parameters, a point on the curves. */
    showEpoch(document, n) {
      const wiring = (d) => JSON.stringify([d.inputs, d.neurons.map((u) => [u.name, u.kind]),
        d.edges.map((e) => [e[0], e[1]]), d.outputs]);
      const kept = curves;
      let drawing = Promise.resolve();
      if (wiring(document) === wiring(net.toDocument())) net = new Network(checkModel(document));
      else drawing = setModel(document, null, { x, y: target });
      return drawing.then(() => {
        epoch = n;
        curves = kept.concat([measure(net, data, cost())]);
        afterTraining();
      });
    },
    epoch: () => epoch,
    curves: () => curves.slice(),
    events: () => passEvents(net, cost(), eta()).map((e) => e.text),
    cost: () => (net.backwardDone ? net.cost : null),
    status: () => ui.status.textContent,
  });
  lab.ready = setModel(state.model, state.data, state.x === undefined || state.x === null ? null
    : { x: state.x, y: state.y }).then(() => {
    element.dataset.ready = "true";
    return lab;
  });
  return lab;
}

