/* A model file, untrusted: the checks of Python's loader (neurograph/io/files.py,
 * check_document), ported rule for rule, with the lab's size limit. A file that fails gets a
 * FormatError naming the field (and the neuron), what it must be and what it is. */

/* The largest model file the page opens, in bytes (16 MB). */
export const MAX_MODEL_BYTES = 16 * 2 ** 20;
export const FORMAT_VERSION = 1;
export const FILE_KINDS = ["sigmoid", "perceptron", "softmax_layer", "tanh", "relu"];

export class FormatError extends Error {}

/* A short picture of a value for a message (never more than `limit` characters). */
export function shown(value, limit = 60) {
  let text;
  try {
    text = value === undefined ? "nothing" : JSON.stringify(value);
  } catch {
    text = String(value);
  }
  return text.length > limit ? text.slice(0, limit) + "…" : text;
}

const isReal = (v) => typeof v === "number" && Number.isFinite(v);

/* Parse a model file's text: JSON of at most MAX_MODEL_BYTES, then checkDocument. */
export function parseModel(text, where = "the file") {
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > MAX_MODEL_BYTES) {
    throw new FormatError(where + " is " + (bytes / 2 ** 20).toFixed(1) + " MB; the lab opens " +
      "model files up to 16 MB (use Python's ng.load for a larger one)");
  }
  let doc;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new FormatError(where + " is not valid JSON (truncated or corrupt?): " + err.message);
  }
  return checkModel(doc);
}

/* Check a parsed document as ng.load does; returns it. */
export function checkModel(doc) {
  if (doc === null || typeof doc !== "object" || Array.isArray(doc) || doc.format !== "neurograph") {
    throw new FormatError("not a neurograph network (expected 'format': 'neurograph')");
  }
  checkDocument(doc);
  return doc;
}

/* The rules of io.files.check_document. */
export function checkDocument(doc) {
  if (doc.version !== FORMAT_VERSION) {
    throw new FormatError("unsupported version " + shown(doc.version) +
      "; this neurograph reads version 1 (the integer)");
  }
  for (const key of ["inputs", "neurons", "edges", "outputs"]) {
    if (!Array.isArray(doc[key])) {
      throw new FormatError("field '" + key + "' must be a list, got " + shown(doc[key]));
    }
  }
  const meta = doc.meta === undefined ? {} : doc.meta;
  if (meta === null || typeof meta !== "object" || Array.isArray(meta)) {
    throw new FormatError("field 'meta' must be an object, got " + shown(meta));
  }
  const labels = doc.labels;
  if (labels !== undefined && labels !== null &&
      !(Array.isArray(labels) && labels.every((label) => typeof label === "string"))) {
    throw new FormatError("field 'labels' must be a list of strings, one per output, got " +
      shown(labels));
  }
  for (const item of doc.neurons) {
    if (item === null || typeof item !== "object" || typeof item.name !== "string") {
      throw new FormatError("each neuron needs a 'name' string, got " + shown(item, 80));
    }
    if (!FILE_KINDS.includes(item.kind)) {
      throw new FormatError("neuron '" + item.name + "': 'kind' must be one of " +
        FILE_KINDS.join(", ") + ", got " + shown(item.kind, 40));
    }
    if (item.kind === "softmax_layer") {
      const b = item.biases;
      if (!(Array.isArray(b) && b.length > 0 && b.every(isReal))) {
        throw new FormatError("neuron '" + item.name + "': 'biases' must be a non-empty list " +
          "of finite numbers, got " + shown(b, 80));
      }
    } else if (!isReal(item.bias)) {
      throw new FormatError("neuron '" + item.name + "': 'bias' must be a finite number, got " +
        shown(item.bias, 80));
    }
  }
  for (const key of ["inputs", "outputs"]) {
    const bad = doc[key].find((v) => typeof v !== "string");
    if (bad !== undefined) {
      throw new FormatError("field '" + key + "' must list neuron names (strings), got " +
        shown(bad));
    }
  }
  for (const edge of doc.edges) {
    if (!(Array.isArray(edge) && edge.length === 3 && typeof edge[0] === "string" &&
          typeof edge[1] === "string" && isReal(edge[2]))) {
      throw new FormatError("each edge must be [source, target, weight], got " + shown(edge, 80));
    }
  }
  const names = new Set();
  for (const name of [...doc.inputs, ...doc.neurons.map((n) => n.name)]) {
    if (names.has(name)) throw new FormatError("the name '" + name + "' is used twice");
    names.add(name);
  }
  if (doc.outputs.length === 0) throw new FormatError("field 'outputs' lists no neuron");
  if (labels && labels.length !== doc.outputs.length) {
    throw new FormatError("field 'labels' must have one label per output (" +
      doc.outputs.length + "), got " + labels.length);
  }
}
