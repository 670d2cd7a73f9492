/* The lab's engine: the JavaScript twin of neurograph's graph engine (neurograph/graph/).
 *
 * Each kind of neuron owns its rules, as the Python classes do: its activation f, its
 * derivative f' and the symbol its equations print. The forward rule (z = Σ_k w_jk a_k + b,
 * a = f(z)) and the backward rule (δ_j = δ^L_j + f'(z_j) Σ_k w_kj δ_k, BP1 and BP2) stand
 * side by side in Network below; a softmax layer normalises its units jointly and sends its
 * error back through the softmax Jacobian. The costs give C, and the output error δ^L (BP1)
 * in the book's saturation-proof forms, as neurograph/graph/costs.py does. Browser tests
 * check z, a, δ, ∂C/∂w and one SGD step against Python's to 1e-12.
 */

/* σ(z) = 1 / (1 + e^{-z}) (eq. 3), computed so that e^x never sees a large positive x. */
export function sigmoid(z) {
  const e = Math.exp(-Math.abs(z));
  return z >= 0 ? 1 / (1 + e) : e / (1 + e);
}

/* σ'(z) = σ(z)(1 − σ(z)), written as e^{-|z|} / (1 + e^{-|z|})². */
export function sigmoidPrime(z) {
  const e = Math.exp(-Math.abs(z));
  return e / ((1 + e) * (1 + e));
}

/* The kinds of neuron, by the kind a neurograph file writes. */
export const KINDS = {
  sigmoid: {
    symbol: "σ",
    activation: sigmoid,
    activationPrime: sigmoidPrime,
  },
  perceptron: {
    symbol: "step",
    activation: (z) => (z > 0 ? 1 : 0),
    activationPrime: null, // no useful derivative: backpropagation refuses it
  },
  tanh: {
    symbol: "tanh",
    activation: Math.tanh,
    activationPrime: (z) => {
      const t = Math.tanh(z);
      return 1 - t * t;
    },
  },
  relu: {
    symbol: "ReLU",
    activation: (z) => (z > 0 ? z : 0),
    activationPrime: (z) => (z > 0 ? 1 : 0), // ReLU'(0) = 0
  },
};
export const SOFTMAX = "softmax_layer";

/* a_j = e^{z_j} / Σ_i e^{z_i} over one layer (eq. 78), stably: z − max z first. */
export function softmax(z) {
  const top = Math.max(...z);
  const e = z.map((v) => Math.exp(v - top));
  const total = e.reduce((s, v) => s + v, 0);
  return e.map((v) => v / total);
}

/* The product of the softmax Jacobian with g: a_j (g_j − Σ_i a_i g_i). */
export function softmaxVjp(a, g) {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i] * g[i];
  return a.map((v, i) => v * (g[i] - dot));
}

/* ln a and ln(1 − a) of a softmax layer, exact when one unit takes all (costs._log_softmax). */
function logSoftmax(z) {
  const top = Math.max(...z);
  const lse = top + Math.log(z.reduce((s, v) => s + Math.exp(v - top), 0));
  const logA = z.map((v) => v - lse);
  const best = z.indexOf(top);
  const others = z.reduce((s, v, i) => (i === best ? s : s + Math.exp(v - top)), 0);
  const rest = Math.log(others) + top - lse;
  const logRest = logA.map((v, i) => (i === best ? rest : Math.log1p(-Math.exp(v))));
  return { logA, logRest };
}

/* The costs (Nielsen eqs. 6, 63, 80): value(kind, z, a, y) and delta(kind, z, a, y), the
 * output error δ^L of one block of outputs ("sigmoid": elementwise neurons of one kind,
 * "softmax": one whole layer, or another kind's name with its f'). */
function generalDelta(cost, kind, z, a, y) {
  const g = a.map((v, i) => cost.gradA(v, y[i]));
  if (kind === "softmax") return softmaxVjp(a, g);
  const prime = kind === "sigmoid" ? sigmoidPrime : KINDS[kind].activationPrime;
  return g.map((v, i) => v * prime(z[i])); // (BP1) δ^L = ∇_a C ⊙ σ'(z^L)
}

export const COSTS = {
  quadratic: {
    name: "QuadraticCost",
    gradA: (a, y) => a - y,
    value(kind, z, a, y) {
      let total = 0;
      for (let i = 0; i < a.length; i++) total += (a[i] - y[i]) * (a[i] - y[i]);
      return 0.5 * total;
    },
    delta(kind, z, a, y) {
      return generalDelta(this, kind, z, a, y);
    },
  },
  "cross-entropy": {
    name: "CrossEntropyCost",
    gradA: (a, y) => (a - y) / (a * (1 - a)),
    value(kind, z, a, y) {
      let total = 0;
      if (kind === "sigmoid") {
        // ln a = −softplus(−z), ln(1 − a) = −softplus(z): exact where a rounds to 0 or 1
        for (let i = 0; i < z.length; i++) {
          total += y[i] * logAddExp0(-z[i]) + (1 - y[i]) * logAddExp0(z[i]);
        }
        return total;
      }
      const { logA, logRest } =
        kind === "softmax"
          ? logSoftmax(z)
          : { logA: a.map(Math.log), logRest: a.map((v) => Math.log1p(-v)) };
      for (let i = 0; i < a.length; i++) {
        total -= (y[i] > 0 ? y[i] * logA[i] : 0) + (y[i] < 1 ? (1 - y[i]) * logRest[i] : 0);
      }
      return total;
    },
    delta(kind, z, a, y) {
      if (kind === "sigmoid") return a.map((v, i) => v - y[i]); // (66) δ^L = a − y
      if (kind !== "softmax") return generalDelta(this, kind, z, a, y);
      // δ_j = h_j r_j − a_j Σ_{i≠j} h_i with r_i = 1 − a_i from z and h_i = (a_i − y_i)/r_i
      const { logA, logRest } = logSoftmax(z);
      const rest = logRest.map(Math.exp);
      const h = y.map((v, i) => (v >= 1 ? -1 : -1 + (1 - v) / rest[i]));
      const top = logA.indexOf(Math.max(...logA));
      const total = h.reduce((s, v) => s + v, 0);
      const withoutTop = h.reduce((s, v, i) => (i === top ? s : s + v), 0);
      return h.map((v, j) => {
        const others = j === top ? withoutTop : total - v;
        return 1 - y[j] - rest[j] - Math.exp(logA[j]) * others;
      });
    },
  },
  "log-likelihood": {
    name: "LogLikelihoodCost",
    gradA: (a, y) => -y / a,
    value(kind, z, a, y) {
      const logA = kind === "softmax" ? logSoftmax(z).logA : a.map(Math.log);
      let total = 0;
      for (let i = 0; i < a.length; i++) if (y[i] > 0) total -= y[i] * logA[i];
      return total;
    },
    delta(kind, z, a, y) {
      if (kind !== "softmax") return generalDelta(this, kind, z, a, y);
      const sum = y.reduce((s, v) => s + v, 0);
      return a.map((v, i) => v * sum - y[i]); // (84) δ^L = a − y when Σ y = 1
    },
  },
};

/* ln(1 + e^x) without overflow (NumPy's logaddexp(0, x)). */
function logAddExp0(x) {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

export class EngineError extends Error {}

/* A network built from a checked neurograph document (model.js checks it): its nodes in the
 * order the passes visit them (inputs first, then a topological order with ties broken by
 * the order added, a softmax layer's units side by side), each neuron's incoming weights and
 * the values of the latest passes. */
export class Network {
  constructor(doc) {
    this.meta = doc.meta || {};
    this.labels = doc.labels === undefined ? null : doc.labels.slice();
    const items = doc.inputs.map((name) => ({ name, kind: "input", units: [name] }));
    for (const n of doc.neurons) {
      const units =
        n.kind === SOFTMAX ? n.biases.map((_, j) => n.name + "." + (j + 1)) : [n.name];
      items.push({ name: n.name, kind: n.kind, units, biases: n.biases || [n.bias] });
    }
    const owner = new Map();
    items.forEach((item, rank) => item.units.forEach((u) => owner.set(u, rank)));
    const preds = new Map();
    for (const [s, t, w] of doc.edges) {
      if (!owner.has(s) || !owner.has(t)) {
        throw new EngineError("edge " + s + " -> " + t + ": no neuron named " +
          (owner.has(s) ? t : s) + "; edges join the file's inputs and neurons");
      }
      if (items[owner.get(t)].kind === "input") {
        throw new EngineError("edge " + s + " -> " + t + ": an input takes no edges");
      }
      if (!preds.has(t)) preds.set(t, []);
      if (preds.get(t).some(([k]) => k === s)) {
        throw new EngineError("edge " + s + " -> " + t + " is listed twice");
      }
      preds.get(t).push([s, w]);
    }
    const order = topologicalOrder(items, preds, owner);
    this.nodes = [];
    this.steps = [];
    for (const rank of order) {
      const item = items[rank];
      const step = [];
      item.units.forEach((name, u) => {
        step.push(this.nodes.length);
        this.nodes.push({
          name,
          kind: item.kind === SOFTMAX ? "softmax" : item.kind,
          owner: item.name,
          bias: item.kind === "input" ? 0 : item.biases[u],
        });
      });
      if (item.kind !== "input") this.steps.push(step);
    }
    this.nInputs = doc.inputs.length;
    this.index = new Map(this.nodes.map((node, j) => [node.name, j]));
    this.src = this.nodes.map(() => []);
    this.w = this.nodes.map(() => []);
    this.succ = this.nodes.map(() => []);
    for (const step of this.steps) {
      for (const j of step) {
        for (const [s, w] of preds.get(this.nodes[j].name) || []) {
          this.succ[this.index.get(s)].push([j, this.src[j].length]);
          this.src[j].push(this.index.get(s));
          this.w[j].push(w);
        }
      }
    }
    this.outputs = doc.outputs.map((name) => {
      const j = this.index.get(name);
      if (j === undefined || j < this.nInputs) {
        throw new EngineError("output " + name + " is not a neuron of the file");
      }
      return j;
    });
    this.order = items.filter((item) => item.kind !== "input").map((item) => item.name);
    this.clear();
  }

  /* Forget the values of the latest passes. */
  clear() {
    const n = this.nodes.length;
    this.z = new Float64Array(n);
    this.a = new Float64Array(n);
    this.delta = new Float64Array(n);
    this.direct = new Float64Array(n);
    this.grad = this.w.map((w) => new Float64Array(w.length));
    this.forwardDone = false;
    this.backwardDone = false;
  }

  /* The blocks of outputs the cost sees: [kind, node indices, positions among the outputs];
   * a softmax layer is one block and must be all of the outputs' units of that layer. Worked
   * out once (the structure of a Network never changes). */
  blocks() {
    if (this.found === undefined) {
      try {
        this.found = { blocks: this.outputBlocks(), error: null };
      } catch (err) {
        this.found = { blocks: null, error: err };
      }
    }
    if (this.found.error !== null) throw this.found.error;
    return this.found.blocks;
  }

  outputBlocks() {
    const found = [];
    const seen = new Set();
    this.outputs.forEach((j, pos) => {
      const node = this.nodes[j];
      if (node.kind !== "softmax") {
        found.push([node.kind, [j], [pos]]);
        return;
      }
      if (seen.has(node.owner)) return;
      seen.add(node.owner);
      const units = this.steps.find((step) => this.nodes[step[0]].owner === node.owner);
      const where = units.map((u) => this.outputs.indexOf(u));
      if (where.includes(-1)) {
        throw new EngineError("outputs include " + node.name + " but not all units of " +
          node.owner + "; take all of a softmax layer's units as outputs");
      }
      found.push(["softmax", units, where]);
    });
    return found;
  }

  /* Why backpropagation cannot run (null when it can): the rule of plan.backprop_refusal. */
  refusal(cost) {
    const perceptron = this.nodes.find((node) => node.kind === "perceptron");
    if (perceptron) {
      return "Perceptron '" + perceptron.name + "' has no useful derivative, so " +
        "backpropagation cannot pass through it; choose another Kind (sigmoid)";
    }
    let kinds;
    try {
      kinds = this.blocks().map((block) => block[0]);
    } catch (err) {
      return err.message;
    }
    if (cost.name === "LogLikelihoodCost" && (kinds.length !== 1 || kinds[0] !== "softmax")) {
      return "LogLikelihoodCost needs the outputs to be the units of one softmax layer; " +
        "choose cross-entropy or make the output layer softmax";
    }
    return null;
  }

  /* The forward pass: for each neuron in order, z = Σ_k w_jk a_k + b (eq. 4), a = f(z). */
  forward(x) {
    const { z, a } = this;
    for (let i = 0; i < this.nInputs; i++) a[i] = x[i];
    for (const step of this.steps) {
      for (const j of step) {
        const src = this.src[j];
        const w = this.w[j];
        let sum = 0;
        for (let k = 0; k < src.length; k++) sum += w[k] * a[src[k]];
        z[j] = sum + this.nodes[j].bias;
      }
      if (step.length === 1 && this.nodes[step[0]].kind !== "softmax") {
        const j = step[0];
        a[j] = KINDS[this.nodes[j].kind].activation(z[j]); // (eq. 3) a = σ(z), or its kin
      } else {
        const out = softmax(step.map((j) => z[j])); // (eq. 78) over the whole layer
        step.forEach((j, u) => (a[j] = out[u]));
      }
    }
    this.forwardDone = true;
    this.backwardDone = false;
    return this.outputs.map((j) => a[j]);
  }

  /* The desired output vector: a label's one-hot vector, or the target itself. */
  target(y) {
    if (typeof y === "number") {
      const t = new Array(this.outputs.length).fill(0);
      if (this.outputs.length === 1) return [y];
      t[y] = 1;
      return t;
    }
    return y.slice();
  }

  /* The backward pass after a forward pass; returns the cost C. Each neuron gets
   * δ_j = δ^L_j + f'(z_j) Σ_k w_kj δ_k (BP1, BP2; the softmax Jacobian for a softmax layer),
   * ∂C/∂b_j = δ_j (BP3) and each incoming edge ∂C/∂w_jk = a_k δ_j (BP4). */
  backward(y, cost) {
    const refusal = this.refusal(cost);
    if (refusal !== null) throw new EngineError(refusal);
    const target = this.target(y);
    const { z, a, delta, direct } = this;
    direct.fill(0);
    let value = 0;
    for (const [kind, block, where] of this.blocks()) {
      const zb = block.map((j) => z[j]);
      const ab = block.map((j) => a[j]);
      const yb = where.map((p) => target[p]);
      const d = cost.delta(kind, zb, ab, yb); // (BP1)
      block.forEach((j, i) => (direct[j] = d[i]));
      value += cost.value(kind, zb, ab, yb);
    }
    for (let s = this.steps.length - 1; s >= 0; s--) {
      const step = this.steps[s];
      if (this.nodes[step[0]].kind === "softmax") {
        const back = step.map((j) => this.sentBack(j)); // (BP2) Σ_k w_kj δ_k
        const d = softmaxVjp(step.map((j) => a[j]), back);
        step.forEach((j, u) => (delta[j] = direct[j] + d[u]));
      } else {
        const j = step[0];
        const prime = KINDS[this.nodes[j].kind].activationPrime(z[j]);
        delta[j] = direct[j] + prime * this.sentBack(j); // (BP1) + (BP2)
      }
      for (const j of step) {
        const src = this.src[j];
        for (let k = 0; k < src.length; k++) this.grad[j][k] = a[src[k]] * delta[j]; // (BP4)
      }
    }
    this.backwardDone = true;
    this.cost = value;
    this.targetVector = target;
    return value;
  }

  /* Σ_k w_kj δ_k over the neurons k that neuron j feeds (the errors it receives, BP2). */
  sentBack(j) {
    const succ = this.succ[j];
    let sum = 0;
    for (let i = 0; i < succ.length; i++) {
      const k = succ[i][0];
      sum += this.w[k][succ[i][1]] * this.delta[k];
    }
    return sum;
  }

  /* One step of mini-batch SGD on the examples xs, ys (eqs. 20, 21, 93):
   * w ← (1 − ηλ/n) w − (η/m) Σ_x ∂C_x/∂w and b ← b − (η/m) Σ_x ∂C_x/∂b, n the training set's
   * size (default: the mini-batch's). */
  sgdStep(xs, ys, cost, eta, lmbda = 0, n = xs.length) {
    const m = xs.length;
    const nablaW = this.w.map((w) => new Float64Array(w.length));
    const nablaB = new Float64Array(this.nodes.length);
    for (let e = 0; e < m; e++) {
      this.forward(xs[e]);
      this.backward(ys[e], cost);
      for (let j = this.nInputs; j < this.nodes.length; j++) {
        nablaB[j] += this.delta[j];
        const g = this.grad[j];
        const sum = nablaW[j];
        for (let k = 0; k < g.length; k++) sum[k] += g[k];
      }
    }
    const decay = 1 - (eta * lmbda) / n;
    for (const step of this.steps) {
      for (const j of step) {
        const w = this.w[j];
        for (let k = 0; k < w.length; k++) w[k] = decay * w[k] - (eta / m) * nablaW[j][k];
        this.nodes[j].bias -= (eta / m) * nablaB[j];
      }
    }
    this.forwardDone = this.backwardDone = false;
  }

  /* The network as the document ng.save writes (labels and meta kept). */
  toDocument() {
    const neurons = [];
    const edges = [];
    const inputs = this.nodes.slice(0, this.nInputs).map((node) => node.name);
    const byOwner = new Map();
    for (const step of this.steps) byOwner.set(this.nodes[step[0]].owner, step);
    for (const name of this.order) {
      const step = byOwner.get(name);
      for (const j of step) {
        this.src[j].forEach((k, i) => edges.push([this.nodes[k].name, this.nodes[j].name, this.w[j][i]]));
      }
      const first = this.nodes[step[0]];
      if (first.kind === "softmax") {
        neurons.push({ name, kind: SOFTMAX, biases: step.map((j) => this.nodes[j].bias) });
      } else {
        neurons.push({ name, kind: first.kind, bias: first.bias });
      }
    }
    const doc = {
      format: "neurograph",
      version: 1,
      inputs,
      neurons,
      edges,
      outputs: this.outputs.map((j) => this.nodes[j].name),
    };
    if (this.labels !== null) doc.labels = this.labels.slice();
    doc.meta = JSON.parse(JSON.stringify(this.meta));
    return doc;
  }
}

/* Kahn's algorithm over the items (inputs, neurons, softmax layers), always taking the ready
 * item added first: networkx's lexicographical_topological_sort keyed by the order added. */
function topologicalOrder(items, preds, owner) {
  const after = items.map(() => new Set());
  const waiting = items.map(() => 0);
  items.forEach((item, t) => {
    for (const unit of item.units) {
      for (const [s] of preds.get(unit) || []) {
        const from = owner.get(s);
        if (!after[from].has(t)) {
          after[from].add(t);
          waiting[t] += 1;
        }
      }
    }
  });
  const order = [];
  const ready = new Set(items.map((_, i) => i).filter((i) => waiting[i] === 0));
  while (ready.size > 0) {
    const next = Math.min(...ready);
    ready.delete(next);
    order.push(next);
    for (const t of after[next]) {
      waiting[t] -= 1;
      if (waiting[t] === 0) ready.add(t);
    }
  }
  if (order.length < items.length) {
    const stuck = items.filter((_, i) => waiting[i] > 0).map((item) => item.name);
    throw new EngineError("the network has a cycle through " + stuck.slice(0, 4).join(", ") +
      "; a network must be a DAG");
  }
  return order;
}
