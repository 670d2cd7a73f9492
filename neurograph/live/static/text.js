/* The events of a pass as text: each step's equation with the numbers, written exactly as
 * Python's str(event) writes it (neurograph/graph/events.py), so that the lab's status line
 * and the debugger agree character for character. */

import { KINDS } from "./engine.js";

const MAX_TERMS = 4;
const MAX_OUTPUTS = 10;

/* Python's format(v, ".{p}g"): p significant digits, rounded half to even, then the shorter
 * of fixed and scientific notation, trailing zeros dropped. */
export function formatG(v, p = 6) {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  const sign = v < 0 ? "-" : "";
  const [kept, exp] = roundedDigits(Math.abs(v), p);
  if (exp < -4 || exp >= p) {
    let m = kept[0] + "." + kept.slice(1);
    m = m.replace(/0+$/, "").replace(/\.$/, "");
    const e = Math.abs(exp) < 10 ? "0" + Math.abs(exp) : String(Math.abs(exp));
    return sign + m + "e" + (exp < 0 ? "-" : "+") + e;
  }
  let text;
  if (exp < 0) text = "0." + "0".repeat(-exp - 1) + kept;
  else text = kept.slice(0, exp + 1) + "." + kept.slice(exp + 1);
  if (text.includes(".")) text = text.replace(/0+$/, "").replace(/\.$/, "");
  return sign + text;
}

/* The first p significant digits of x > 0, rounded half to even, and the exponent of the
 * first. JavaScript rounds exact ties away from zero, so a possible tie (the next digits
 * "50") is rounded here from 61 significant digits. */
function roundedDigits(x, p) {
  const probe = x.toExponential(p + 1).replace(".", "");
  if (probe.slice(p, p + 2) !== "50") {
    const [mantissa, power] = x.toExponential(p - 1).split("e");
    return [mantissa.replace(".", ""), Number(power)];
  }
  const [mantissa, power] = x.toExponential(60).split("e");
  const digits = mantissa.replace(".", "");
  let exp = Number(power);
  let kept = digits.slice(0, p);
  const rest = digits.slice(p);
  const up = rest[0] > "5" || (rest[0] === "5" && (/[1-9]/.test(rest.slice(1)) ||
    Number(kept[kept.length - 1]) % 2 === 1));
  if (up) {
    const n = (BigInt(kept) + 1n).toString();
    if (n.length > p) exp += 1;
    kept = n.slice(0, p);
  }
  return [kept, exp];
}

/* A factor: four significant digits, a negative one in parentheses (events._num). */
export function num(v) {
  const x = v + 0; // turns -0 into 0
  return x >= 0 ? formatG(x, 4) : "(" + formatG(x, 4) + ")";
}

/* A result: four significant digits (events._val). */
export function val(v) {
  return formatG(v + 0, 4);
}

/* The correctly rounded sum of `values` (Shewchuk's algorithm, as Python's math.fsum): the
 * same number whatever the order, in every engine. */
export function fsum(values) {
  const partials = [];
  for (let x of values) {
    let i = 0;
    for (let y of partials) {
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) partials[i++] = lo;
      x = hi;
    }
    partials.length = i;
    partials.push(x);
  }
  let n = partials.length;
  if (n === 0) return 0;
  let hi = partials[--n];
  let lo = 0;
  while (n > 0) {
    const x = hi;
    const y = partials[--n];
    hi = x + y;
    lo = y - (hi - x);
    if (lo !== 0) break;
  }
  // round half to even where the rest of the partials says which way (CPython's fsum)
  if (n > 0 && ((lo < 0 && partials[n - 1] < 0) || (lo > 0 && partials[n - 1] > 0))) {
    const y = lo * 2;
    const x = hi + y;
    if (y === x - hi) hi = x;
  }
  return hi;
}

/* Indices of the `limit` entries of largest magnitude, in their original order. */
function largest(values, limit) {
  const all = values.map((_, i) => i);
  if (values.length <= limit) return all;
  const by = all.slice().sort((i, j) => Math.abs(values[j]) - Math.abs(values[i]) || i - j);
  return by.slice(0, limit).sort((i, j) => i - j);
}

/* Σ w·a as its terms "w × a + …" (events.terms). */
export function terms(w, a, limit = MAX_TERMS) {
  if (w.length === 0) return "0";
  const products = w.map((v, i) => v * a[i]);
  const kept = largest(products, limit);
  const text = kept.map((i) => num(w[i]) + " × " + num(a[i])).join(" + ");
  if (w.length <= limit) return text;
  const rest = fsum(products.filter((_, i) => !kept.includes(i)));
  return text + " + … (" + (w.length - limit) + " more, sum " + val(rest) + ")";
}

/* "[name: value, …]" keeping the `limit` values of largest magnitude (events.labelled). */
export function labelled(names, values, limit = MAX_TERMS) {
  const kept = largest(values, limit);
  const text = kept.map((i) => names[i] + ": " + val(values[i])).join(", ");
  const more = values.length > limit ? ", … (" + (values.length - limit) + " more)" : "";
  return "[" + text + more + "]";
}

/* A neuron's name as the pictures write it: a labelled output reads L3.8 · "7". */
export function displayName(net, j) {
  const pos = net.outputs.indexOf(j);
  const name = net.nodes[j].name;
  return net.labels === null || pos < 0 ? name : name + " · \"" + net.labels[pos] + "\"";
}

/* The lines of one neuron's forward step (eqs. 4 and 3). */
export function forwardLines(net, j) {
  const node = net.nodes[j];
  const w = net.w[j];
  const aIn = net.src[j].map((k) => net.a[k]);
  const z = "z[" + node.name + "] = Σ w·a + b = " + terms(w, aIn) + " + " + num(node.bias) +
    " = " + val(net.z[j]);
  let a;
  if (node.kind === "perceptron") a = "a[" + node.name + "] = step(z) = " + formatG(net.a[j]);
  else if (node.kind === "softmax") a = "a[" + node.name + "] = e^z / Σ e^z = " + val(net.a[j]);
  else a = "a[" + node.name + "] = " + KINDS[node.kind].symbol + "(z) = " + val(net.a[j]);
  return [z, a];
}

const FORMULAS = {
  QuadraticCost: "½ Σ (a − y)²",
  CrossEntropyCost: "−Σ [y ln a + (1 − y) ln(1 − a)]",
  LogLikelihoodCost: "−ln a_y",
};

/* The form of BP1 the cost uses for these outputs (CostEvent.rule). */
function rule(net, cost) {
  const kinds = new Set(net.outputs.map((j) => net.nodes[j].kind));
  const only = kinds.size === 1 ? [...kinds][0] : null;
  const simplified = { CrossEntropyCost: "sigmoid", LogLikelihoodCost: "softmax" };
  if (only !== null && only === simplified[cost.name]) return "a − y";
  if (only === "softmax") return "(softmax Jacobian) · ∇_a C";
  const f = only !== null ? KINDS[only].symbol : "f"; // f' of the outputs' one kind
  if (cost.name === "QuadraticCost") return "(a − y) ⊙ " + f + "'(z^L)";
  return "∇_a C ⊙ " + f + "'(z^L)";
}

/* The true label and the prediction (outputs.class_verdict). */
function verdict(net, y) {
  if (net.outputs.length < 2) return "";
  const className = (i) =>
    net.labels !== null ? "\"" + net.labels[i] + "\"" : net.nodes[net.outputs[i]].name;
  const parts = [];
  if (y !== null) parts.push("true label " + className(y.indexOf(Math.max(...y))));
  const a = net.outputs.map((j) => net.a[j]);
  const best = a.indexOf(Math.max(...a));
  const shownA = formatG(a[best], 3);
  const name = net.nodes[net.outputs[best]].name;
  parts.push("prediction " + (net.labels !== null
    ? className(best) + " (" + name + ", a = " + shownA + ")"
    : name + " (a = " + shownA + ")"));
  return parts.join(", ");
}

/* The lines of the cost step: C, the outputs against the targets, δ^L (BP1). */
export function costLines(net, cost) {
  const names = net.outputs.map((j) => displayName(net, j));
  const a = net.outputs.map((j) => net.a[j]);
  const y = net.targetVector;
  const delta = net.outputs.map((j) => net.direct[j]);
  let c = "C = " + FORMULAS[cost.name] + " = " + val(net.cost);
  const nonzero = y.filter((v) => v !== 0).length;
  if (cost.name === "LogLikelihoodCost" && nonzero === 1) {
    const j = y.findIndex((v) => v !== 0);
    c = "C = −ln a_y = −ln a[" + names[j] + "] = −ln " + val(a[j]) + " = " + val(net.cost);
  }
  const shownOutputs = names.slice(0, MAX_OUTPUTS);
  const pairs = shownOutputs.map((name, j) => name + ": " + val(a[j]) + " vs " + val(y[j]));
  const more = names.length > MAX_OUTPUTS ? ", … (" + (names.length - MAX_OUTPUTS) + " more)" : "";
  const lines = [
    c,
    "a vs y = [" + pairs.join(", ") + more + "]",
    "(BP1) δ^L = " + rule(net, cost) + " = " + labelled(names, delta, MAX_OUTPUTS),
  ];
  const oneHot = nonzero === 1 && Math.max(...y) === 1;
  const said = verdict(net, oneHot ? y : null);
  return said ? [...lines, said] : lines;
}

/* The lines of one neuron's backward step: δ (BP1 and/or BP2), ∂C/∂b (BP3), ∂C/∂w (BP4). */
export function backwardLines(net, j) {
  const node = net.nodes[j];
  const name = node.name;
  const targets = net.succ[j];
  const back = terms(targets.map(([k, pos]) => net.w[k][pos]), targets.map(([k]) => net.delta[k]));
  const delta = net.delta[j];
  const bp1 = "δ^L (BP1, from the cost)";
  const softmax = node.kind === "softmax";
  let value;
  if (targets.length === 0) {
    value = "δ[" + name + "] = " + bp1 + " = " + val(delta);
  } else if (softmax) {
    value = "δ[" + name + "] = a·(g − Σ a·g), g = ∂C/∂a + Σ w·δ = ∂C/∂a + " + back + " = " +
      val(delta) + "  (softmax Jacobian)";
  } else {
    const f = KINDS[node.kind].symbol;
    const prime = val(KINDS[node.kind].activationPrime(net.z[j]));
    value = net.direct[j] === 0
      ? "δ[" + name + "] = " + f + "'(z) · Σ w·δ = " + prime + " × (" + back + ") = " + val(delta)
      : "δ[" + name + "] = (BP1) + " + f + "'(z) · Σ w·δ = " + val(net.direct[j]) + " + " +
        prime + " × (" + back + ") = " + val(delta);
  }
  const names = net.src[j].map((k) => net.nodes[k].name);
  const grads = Array.from(net.grad[j]);
  let g = labelled(names, grads);
  g = grads.length === 1
    ? "a·δ = " + num(net.a[net.src[j][0]]) + " × " + num(delta) + " = " + g
    : "a·δ = " + g;
  return [value, "(BP3) ∂C/∂b = δ = " + val(delta), "(BP4) ∂C/∂w = " + g];
}

/* The lines of one neuron's gradient-descent step (eqs. 20, 21), for one example. */
export function updateLines(net, j, eta) {
  const node = net.nodes[j];
  const name = node.name;
  const delta = net.delta[j];
  const b = "b[" + name + "] ← b − η ∂C/∂b = " + val(node.bias) + " − " + val(eta) + " × " +
    num(delta) + " = " + val(node.bias - eta * delta);
  const grads = Array.from(net.grad[j]);
  const w = net.w[j];
  const changes = largest(grads, MAX_TERMS)
    .map((i) => net.nodes[net.src[j][i]].name + ": " + val(w[i]) + " → " +
      val(w[i] - eta * grads[i]))
    .join(", ");
  const more = grads.length > MAX_TERMS ? ", … (" + (grads.length - MAX_TERMS) + " more)" : "";
  return [b, "w[" + name + " ← k] ← w − η ∂C/∂w = [" + changes + more + "]"];
}

/* How many events a pass has: forward, then (after a backward pass) the cost, backward and,
 * with eta, the update. */
export function passLength(net, eta) {
  const n = net.steps.flat().length;
  if (!net.backwardDone) return n;
  return n + 1 + n + (eta === null ? 0 : n);
}

/* Event k (0-based) of a pass, after net.forward(x) and net.backward(y, cost): {phase, neuron,
 * text}, in the debugger's order (forward, cost, backward, and with eta the update). */
export function eventAt(net, cost, eta, k) {
  const order = net.steps.flat();
  const n = order.length;
  if (k < n) return { phase: "forward", neuron: order[k], text: forwardLines(net, order[k]).join(";  ") };
  if (k === n) return { phase: "cost", neuron: null, text: costLines(net, cost).join(";  ") };
  if (k <= 2 * n) {
    const j = order[2 * n - k]; // the reverse order (a softmax layer's units reversed too)
    return { phase: "backward", neuron: j, text: backwardLines(net, j).join(";  ") };
  }
  const j = order[k - 2 * n - 1];
  return { phase: "update", neuron: j, text: updateLines(net, j, eta).join(";  ") };
}

/* Every event of a pass (see eventAt). */
export function passEvents(net, cost, eta) {
  const found = [];
  for (let k = 0; k < passLength(net, eta); k++) found.push(eventAt(net, cost, eta, k));
  return found;
}
