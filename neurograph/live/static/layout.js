/* The lab's diagram: the network as Graphviz DOT in neurograph's house style (left to right,
 * one rank per level, as ng.draw lays it out), laid out by Graphviz compiled to WebAssembly
 * (the vendored @viz-js/viz, the global `Viz`). The page then rewrites the value lines and
 * the colours in place; a new layout is needed only when the structure changes. */

/* Up to this many inputs each is drawn; more are drawn as one node ("784 inputs"). */
export const MAX_DRAWN_INPUTS = 32;
/* Up to this many edges, the edges carry their weight as a label. */
export const MAX_LABELLED_EDGES = 60;

const INK = "#333333";

/* A DOT string literal: the text in double quotes, with quotes and backslashes escaped. */
function quoted(text) {
  return "\"" + String(text).replace(/\\/g, "\\\\").replace(/"/g, "\\\"").replace(/\n/g, "\\n") + "\"";
}

/* Each node's depth: inputs 0, every other node one more than its deepest source (a softmax
 * layer's units share a depth). */
export function depths(net) {
  const depth = new Array(net.nodes.length).fill(0);
  for (const step of net.steps) {
    let d = 1;
    for (const j of step) for (const k of net.src[j]) d = Math.max(d, depth[k] + 1);
    for (const j of step) depth[j] = d;
  }
  return depth;
}

/* The DOT source of the network; node j has the SVG id "ng-n{j}", edge i of neuron j
 * "ng-e{j}-{i}", the collapsed inputs "ng-inputs". */
export function dotSource(net) {
  const depth = depths(net);
  const collapsed = net.nInputs > MAX_DRAWN_INPUTS;
  const lines = [
    "digraph network {",
    "rankdir=LR; newrank=true; ranksep=0.9; nodesep=0.22; bgcolor=\"transparent\";",
    "node [fontname=\"Helvetica\", fontsize=10, style=filled, fillcolor=\"#ffffff\", " +
      "color=\"" + INK + "\", fixedsize=true];",
    "edge [fontname=\"Helvetica\", fontsize=9, arrowsize=0.6, color=\"#888888\"];",
  ];
  const ranks = new Map();
  net.nodes.forEach((node, j) => {
    if (collapsed && j < net.nInputs) return;
    if (!ranks.has(depth[j])) ranks.set(depth[j], []);
    ranks.get(depth[j]).push(j);
    if (j < net.nInputs) {
      lines.push("n" + j + " [id=\"ng-n" + j + "\", shape=circle, width=0.75, color=\"#999999\", " +
        "fillcolor=\"#eeeeee\", label=" + quoted(node.name + "\na = 0.000") + "];");
      return;
    }
    const shape = node.kind === "perceptron" ? "square, width=1.05" : "circle, width=1.15";
    lines.push("n" + j + " [id=\"ng-n" + j + "\", shape=" + shape + ", label=" +
      quoted(node.name + "\nz = 0.000\na = 0.000\nδ = 0.000") + "];");
  });
  if (collapsed) {
    lines.push("inputs [id=\"ng-inputs\", shape=box, width=1.1, color=\"#999999\", " +
      "fillcolor=\"#eeeeee\", label=" + quoted(net.nInputs + " inputs\nx1 … x" + net.nInputs) + "];");
  }
  for (const js of ranks.values()) {
    lines.push("{rank=same; " + js.map((j) => "n" + j).join("; ") + ";}");
  }
  const edges = net.src.reduce((s, src) => s + src.length, 0);
  const labelled = edges <= MAX_LABELLED_EDGES;
  const seen = new Set();
  net.src.forEach((src, j) => {
    src.forEach((k, i) => {
      if (collapsed && k < net.nInputs) {
        if (!seen.has(j)) lines.push("inputs -> n" + j + " [id=\"ng-in" + j + "\"];");
        seen.add(j);
        return;
      }
      const label = labelled ? ", label=" + quoted("0.000") : "";
      lines.push("n" + k + " -> n" + j + " [id=\"ng-e" + j + "-" + i + "\"" + label + "];");
    });
  });
  lines.push("}");
  return lines.join("\n");
}

/* Lay the network out; resolves to the SVG element, with `parts`: per node its shape and
 * value texts, per edge its path and label. */
let instance = null;
export async function drawNetwork(net) {
  if (instance === null) instance = window.Viz.instance(); // compiles the wasm once
  const viz = await instance;
  const svg = viz.renderSVGElement(dotSource(net));
  const nodes = net.nodes.map((_, j) => {
    const g = svg.getElementById("ng-n" + j);
    if (g === null) return null;
    const texts = Array.from(g.querySelectorAll("text"));
    const shape = g.querySelector("ellipse, polygon");
    return { g, shape, name: texts[0], lines: texts.slice(1) };
  });
  const edges = net.src.map((src, j) =>
    src.map((_, i) => {
      const g = svg.getElementById("ng-e" + j + "-" + i);
      if (g === null) return null;
      return { g, path: g.querySelector("path"), label: g.querySelector("text") };
    }));
  return { svg, nodes, edges };
}
