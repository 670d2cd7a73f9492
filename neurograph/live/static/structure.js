/* Changes of structure, made on a copy of the network's document (`next`) from the Network
 * `net` it describes: a neuron added beside another or removed, a hidden layer added before
 * the output layer or removed, a neuron's kind changed. New weights are drawn as
 * ng.layered's "default" (standard deviation 1/√n_in) from the seeded generator `rand`, and
 * `fresh(prefix)` gives a name no node has. The lab builds a new Network from `next`. */

import { depths } from "./layout.js";

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
export function gauss(rand) {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

const weightFor = (rand, nIn) => gauss(rand) / Math.sqrt(Math.max(1, nIn));
const nameOf = (net) => (k) => net.nodes[k].name;

/* The non-input neurons' names (a softmax layer by its name) grouped by depth. */
export function levels(net) {
  const depth = depths(net);
  const found = new Map();
  net.order.forEach((name) => {
    const j = net.index.has(name) ? net.index.get(name) : net.index.get(name + ".1");
    if (!found.has(depth[j])) found.set(depth[j], []);
    found.get(depth[j]).push(name);
  });
  return [...found.keys()].sort((p, q) => p - q).map((d) => found.get(d));
}

/* A new neuron beside neuron `model`: its kind, fed by its sources, feeding its targets. */
export function addNeuron(net, next, model, rand, fresh) {
  const neuron = fresh("h");
  const at = next.neurons.findIndex((n) => n.name === net.nodes[model].owner) + 1;
  next.neurons.splice(at, 0, { name: neuron, kind: net.nodes[model].kind, bias: gauss(rand) });
  const sources = net.src[model].map(nameOf(net));
  for (const s of sources) next.edges.push([s, neuron, weightFor(rand, sources.length)]);
  for (const [k] of net.succ[model]) next.edges.push([neuron, net.nodes[k].name, weightFor(rand, sources.length)]);
}

/* Neuron `j` removed, with its edges. */
export function removeNeuron(net, next, j) {
  const gone = net.nodes[j].name;
  next.neurons = next.neurons.filter((n) => n.name !== gone);
  next.edges = next.edges.filter(([s, t]) => s !== gone && t !== gone);
}

/* A hidden layer inserted before the output layer: the sources of the outputs feed the new
 * layer (as wide as they are, 2 to 16), which feeds the outputs. */
export function addLayer(net, next, rand, fresh) {
  const outputs = new Set(net.outputs.map(nameOf(net)));
  const feeding = [...new Set(net.outputs.flatMap((j) => net.src[j].map(nameOf(net))))];
  const width = Math.max(2, Math.min(16, feeding.length));
  const names = Array.from({ length: width }, () => fresh("h"));
  const at = next.neurons.findIndex((n) => net.outputs.some((j) => net.nodes[j].owner === n.name));
  next.neurons.splice(at, 0, ...names.map((name) => ({ name, kind: "sigmoid", bias: gauss(rand) })));
  next.edges = next.edges.filter(([, t]) => !outputs.has(t));
  for (const s of feeding) for (const h of names) next.edges.push([s, h, weightFor(rand, feeding.length)]);
  for (const h of names) for (const t of outputs) next.edges.push([h, t, weightFor(rand, width)]);
}

/* The hidden layer just before the outputs removed: its sources feed its targets directly.
 * Returns false when there is none. */
export function removeLayer(net, next, rand) {
  const all = levels(net);
  if (all.length < 2) return false;
  const last = new Set(all[all.length - 2]);
  const gone = new Set(net.nodes.filter((n) => last.has(n.owner)).map((n) => n.name));
  if (net.outputs.some((j) => gone.has(net.nodes[j].name))) return false;
  const around = (pick) => [...new Set([...gone].flatMap((n) => pick(net.index.get(n))))];
  const sources = around((j) => net.src[j].map(nameOf(net)));
  const targets = around((j) => net.succ[j].map(([k]) => net.nodes[k].name));
  next.neurons = next.neurons.filter((n) => !last.has(n.name));
  next.edges = next.edges.filter(([s, t]) => !gone.has(s) && !gone.has(t));
  const kept = new Set(next.edges.map(([s, t]) => s + "\u0000" + t));
  for (const t of targets) {
    for (const s of sources) {
      if (!kept.has(s + "\u0000" + t)) next.edges.push([s, t, weightFor(rand, sources.length)]);
    }
  }
  return true;
}

/* Rename nodes in the edges and the outputs. */
function rename(next, names) {
  next.edges = next.edges.map(([s, t, w]) => [names.get(s) || s, names.get(t) || t, w]);
  next.outputs = next.outputs.map((o) => names.get(o) || o);
}

/* Neuron `j` of another kind: "softmax" makes all the outputs one softmax layer; another kind
 * for a softmax unit makes its layer separate neurons of that kind. */
export function setKind(net, next, j, kind, fresh) {
  const owner = net.nodes[j].owner;
  if (kind === "softmax") {
    const outs = net.outputs.map((o) => net.nodes[o]);
    const owners = new Set(outs.map((n) => n.owner));
    const first = next.neurons.findIndex((n) => owners.has(n.name));
    const layer = fresh("softmax");
    next.neurons = next.neurons.filter((n) => !owners.has(n.name));
    next.neurons.splice(first, 0, { name: layer, kind: "softmax_layer", biases: outs.map((n) => n.bias) });
    rename(next, new Map(outs.map((n, u) => [n.name, layer + "." + (u + 1)])));
  } else if (net.nodes[j].kind === "softmax") {
    const units = net.nodes.filter((n) => n.owner === owner);
    const names = new Map(units.map((n) => [n.name, fresh("o")]));
    const at = next.neurons.findIndex((n) => n.name === owner);
    next.neurons.splice(at, 1, ...units.map((n) => ({ name: names.get(n.name), kind, bias: n.bias })));
    rename(next, names);
  } else {
    next.neurons.find((n) => n.name === owner).kind = kind;
  }
}
