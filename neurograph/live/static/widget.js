/* The lab in a notebook (an anywidget front end): the lab's own UI, mounted on the widget's
 * element, reporting each edit to the kernel as operations on the network.
 *
 * The kernel holds the truth (lab.net): after every edit the page makes, the difference
 * between the state the kernel last sent and the page's state goes to Python as a list of
 * operations ({op: "set_weight", src, dst, w}, set_bias, add_neuron, remove_neuron, connect,
 * disconnect, set_kind, set_outputs, set_input, set_target, set_setting, set_data), which
 * neurograph/live/edits.py checks as the API does. The kernel answers a refused edit with its
 * state and the API's message: the widget mounts that state again and shows the message. It
 * also sends {type: "state"} after lab.refresh() and {type: "epoch", model, epoch} while a
 * training run in Python streams its epochs. */

import { mount } from "./lab.js";

const SETTINGS = { cost: "cost", eta: "eta", lmbda: "lmbda", batch: "mini_batch_size" };

function same(p, q) {
  return JSON.stringify(p) === JSON.stringify(q);
}

/* The operations that turn the model document `before` into `after`: new neurons and edges
 * first, then the outputs, then what is gone, then the numbers. */
export function networkEdits(before, after) {
  const ops = [];
  const oldNeurons = new Map(before.neurons.map((n) => [n.name, n]));
  const newNeurons = new Map(after.neurons.map((n) => [n.name, n]));
  const key = (e) => e[0] + "\u0000" + e[1];
  const oldEdges = new Map(before.edges.map((e) => [key(e), e]));
  const newEdges = new Map(after.edges.map((e) => [key(e), e]));
  for (const n of after.neurons) {
    if (oldNeurons.has(n.name)) continue;
    ops.push(n.kind === "softmax_layer" ? { op: "add_neuron", name: n.name, kind: n.kind, biases: n.biases }
      : { op: "add_neuron", name: n.name, kind: n.kind, bias: n.bias });
  }
  for (const [k, e] of newEdges) if (!oldEdges.has(k)) ops.push({ op: "connect", src: e[0], dst: e[1], w: e[2] });
  if (!same(before.outputs, after.outputs)) ops.push({ op: "set_outputs", outputs: after.outputs });
  for (const [k, e] of oldEdges) if (!newEdges.has(k)) ops.push({ op: "disconnect", src: e[0], dst: e[1] });
  for (const n of before.neurons) if (!newNeurons.has(n.name)) ops.push({ op: "remove_neuron", name: n.name });
  for (const n of after.neurons) {
    const old = oldNeurons.get(n.name);
    if (old !== undefined && old.kind !== n.kind) ops.push({ op: "set_kind", name: n.name, kind: n.kind });
  }
  for (const [k, e] of newEdges) {
    if (oldEdges.has(k) && oldEdges.get(k)[2] !== e[2]) ops.push({ op: "set_weight", src: e[0], dst: e[1], w: e[2] });
  }
  for (const n of after.neurons) {
    const old = oldNeurons.get(n.name);
    if (old === undefined || old.kind !== n.kind) continue;
    if (n.kind === "softmax_layer") {
      n.biases.forEach((b, u) => {
        if (old.biases[u] !== b) ops.push({ op: "set_bias", neuron: n.name + "." + (u + 1), b });
      });
    } else if (old.bias !== n.bias) {
      ops.push({ op: "set_bias", neuron: n.name, b: n.bias });
    }
  }
  return ops;
}

/* The operations from the kernel's state `before` to the page's state `after`. */
export function stateEdits(before, after) {
  const ops = networkEdits(before.model, after.model);
  if (!same(before.data, after.data)) ops.push({ op: "set_data", X: after.data.X, y: after.data.y });
  if (!same(before.x, after.x)) ops.push({ op: "set_input", x: after.x });
  for (const [page, python] of Object.entries(SETTINGS)) {
    if (before[page] !== after[page]) ops.push({ op: "set_setting", key: python, value: after[page] });
  }
  if (!same(before.y, after.y)) ops.push({ op: "set_target", y: after.y });
  return ops;
}

export function render({ model, el }) {
  let known = JSON.parse(JSON.stringify(model.get("state")));
  let quiet = false;
  let host = null;
  let lab = null;

  function report(state) {
    if (quiet) return;
    const now = JSON.parse(JSON.stringify(state));
    const ops = stateEdits(known, now);
    known = now;
    if (ops.length) model.send({ type: "edits", ops });
  }

  /* Mount the lab on a fresh element with the kernel's `state` (the old one stops training). */
  function show(state, message) {
    if (host !== null) {
      quiet = true;
      host.querySelector('[aria-label="Pause training"]').click();
      quiet = false;
    }
    known = JSON.parse(JSON.stringify(state));
    host = document.createElement("div");
    host.className = "ng-widget";
    el.replaceChildren(host);
    lab = mount(host, { ...state, fragment: false }, { change: report });
    if (message) lab.ready.then(() => (host.querySelector('[role="status"]').textContent = message));
  }

  model.on("msg:custom", (msg) => {
    if (msg.type === "state") show(msg.state, msg.message);
    if (msg.type === "epoch") {
      quiet = true;
      lab.showEpoch(msg.model, msg.epoch).finally(() => {
        quiet = false;
        known = { ...known, model: JSON.parse(JSON.stringify(msg.model)) };
      });
    }
  });
  show(known, "");
  return () => el.replaceChildren();
}
