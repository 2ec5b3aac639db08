// The verification page: loads @zkpolicy/verifier (copied to vendor/verifier/ by
// web/prepare.sh), verifies the bundled sample on load, then whatever the user picks,
// drops or pastes. Everything runs locally; the only requests are for this site's
// own files (the module, its .wasm and the samples).
import init, { verify, inspectProof, inspectVerifierKey } from './vendor/verifier/zkpolicy_verifier.js';

const WASM_URL = new URL('./vendor/verifier/zkpolicy_verifier_bg.wasm', import.meta.url);
const SAMPLE_DIR = new URL('./samples/', import.meta.url);

/** The request context approve-bound.proof is bound to (SAMPLE_CONTEXT in scripts/fixtures.sh): "x402 sample payment #1". */
const SAMPLE_CONTEXT = '783430322073616d706c65207061796d656e74202331';

/** The bundled samples (written by scripts/make-web-samples.sh); `context` is the hex given to verify(). */
const SAMPLES = {
  approve: { label: 'Approved request', proof: 'approve.proof', vk: 'whitelist.vk' },
  'approve-bound': {
    label: 'Approved request, bound to a payment', proof: 'approve-bound.proof', vk: 'whitelist.vk', context: SAMPLE_CONTEXT,
  },
  'deny-json': { label: 'Denied request (JSON form)', proof: 'deny.proof.json', vk: 'whitelist.vk', asText: true },
  tampered: { label: 'Forged approval', proof: 'forged-approve.proof', vk: 'whitelist.vk' },
  'wrong-key': { label: 'Key of another policy', proof: 'approve.proof', vk: 'simple_velocity.vk' },
  'fraud-approve': { label: 'Fraud policy (100 trees), approved', proof: 'fraud_gbdt-approve.proof', vk: 'fraud_gbdt.vk' },
  'fraud-deny': { label: 'Fraud policy (100 trees), denied', proof: 'fraud_gbdt-deny.proof', vk: 'fraud_gbdt.vk' },
};

const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------- formatting

function fmtNumber(x) {
  return Number.isInteger(x) ? String(x) : String(Number(x.toFixed(6)));
}

function fmtBytes(n) {
  if (n < 1024) return `${n} bytes`;
  return `${(n / 1024).toFixed(1)} KB (${n.toLocaleString('en')} bytes)`;
}

function fmtMs(ms) {
  return `${ms < 10 ? ms.toFixed(2) : ms.toFixed(1)} ms`;
}

function shortHex(hex) {
  return hex ? `${hex.slice(0, 12)}…` : 'unknown';
}

/** Hex (as verify() accepted it: even length, optional 0x) as its bytes read as text, if printable ASCII. */
function hexAsText(hex) {
  const digits = hex.replace(/^0x/, '');
  const codes = digits.match(/../g).map((pair) => parseInt(pair, 16));
  return codes.every((c) => c >= 0x20 && c < 0x7f) ? String.fromCharCode(...codes) : null;
}

/** A request context given to verify(): its hex, and its text when it is printable. */
function contextShown(hex) {
  const text = hexAsText(hex);
  return [el('code', { className: 'hex' }, hex), text ? ` (“${text}”)` : ''];
}

/** The decision rule of a model in words. */
function describeRule(model) {
  const d = model.decision;
  if (d.kind === 'threshold') return `approve if output ${d.index} ≥ ${fmtNumber(d.threshold)}, else deny`;
  return d.labels.length ? `the largest output picks one of: ${d.labels.join(', ')}` : 'the largest output picks the class';
}

function el(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}

/** A list of numbers: inline when short, else a summary with the full list on demand. */
function numberList(values) {
  const all = `[${values.map(fmtNumber).join(', ')}]`;
  if (values.length <= 8) return el('code', {}, all);
  const nonZero = values.flatMap((v, i) => (v === 0 ? [] : [`#${i} = ${fmtNumber(v)}`]));
  const summary = nonZero.length <= 6
    ? `${values.length} values; non-zero: ${nonZero.join(', ') || 'none'}`
    : `${values.length} values: ${values.slice(0, 6).map(fmtNumber).join(', ')}, …`;
  return el('details', {}, el('summary', {}, summary), el('code', { className: 'list' }, all));
}

/** How many inputs have each visibility, e.g. "all private" or "2 public, 3 private". */
function visibilityCounts(visibility) {
  const counts = new Map();
  for (const v of visibility) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts.size === 1 ? `all ${visibility[0]}` : [...counts].map(([v, n]) => `${n} ${v}`).join(', ');
}

/** The values an input may take (the key's `input_domains` entry), in words. */
function domainText(domain) {
  if (domain.kind === 'integers') {
    return domain.max - domain.min === 1 ? `${domain.min} or ${domain.max}` : `an integer in ${domain.min}..${domain.max}`;
  }
  return `in [${fmtNumber(domain.min)}, ${fmtNumber(domain.max)}]`;
}

/**
 * The model's inputs as a valid proof establishes them, each by its name in the key: the
 * proven value (and unit) of each public input; for a private one only that it is private
 * (its value is not in the proof) and lies in its domain.
 */
function inputList(result) {
  const { public_inputs: values, input_visibility: visibility, model } = result;
  const hidden = values.filter((x) => x === null).length;
  const hiddenNote = hidden === values.length ? 'Their values are' : hidden ? 'The private ones are' : '';
  const summary = el('p', { className: 'inputs-summary' }, `${values.length} inputs, ${visibilityCounts(visibility)}.` +
    (hiddenNote && ` ${hiddenNote} hidden by the zero-knowledge proof, which shows only that each lies in its ` +
      'domain.'));
  const list = el('ol', { className: 'inputs' }, ...values.map((x, i) => {
    const unit = result.input_units[i];
    const item = el('li', {},
      el('span', { className: 'name' }, result.input_names[i]), ' ',
      el('span', { className: 'visibility' }, `(${visibility[i]})`), ' ',
      el('span', { className: 'value' }, x !== null ? `= ${fmtNumber(x)}${unit ? ` ${unit}` : ''}`
        : result.input_commitments[i] ? el('code', { className: 'hex', title: 'Pedersen commitment to the hidden value' },
          `commitment ${result.input_commitments[i]}`)
          : `hidden, ${domainText(model.input_domains[i])}`));
    item.dataset.visibility = visibility[i];
    return item;
  }));
  if (values.length <= 8) return el('div', {}, summary, list);
  return el('div', {}, summary, el('details', {}, el('summary', {}, `Each of the ${values.length} inputs`), list));
}

// ---------------------------------------------------------------- explanations

/** Why a proof was rejected, in words, from the package's `code` and the two inspections. */
function explain(result, claim, subject) {
  if (result.code === 'WRONG_CONTEXT') return explainContext(claim, subject);
  // verify() decodes the key first: no digest means the key itself was refused.
  const keyAtFault = result.vk_digest === null;
  const file = keyAtFault ? `the verifier key (${subject.vkName})` : `the proof (${subject.proofName})`;
  switch (result.code) {
    case 'NOT_ZKPOLICY':
      return ['Not a zkpolicy file',
        `${cap(file)} is not a zkpolicy file at all: it has neither a zkpolicy header nor the JSON proof form.`];
    case 'WRONG_FILE_KIND':
      return ['Wrong kind of file',
        `${cap(file)} is a zkpolicy file of another kind — for example a key where the proof belongs, ` +
        'or a proving key (.pk) instead of the verifier key (.vk). Swap or replace the file.'];
    case 'UNSUPPORTED_VERSION':
      return ['Unsupported format version',
        `${cap(file)} was written by a zkpolicy release with another file format; this verifier reads ` +
        `format version ${result.format_version}. Re-create it with a matching zkpolicy release.`];
    case 'MALFORMED_KEY':
      return ['Damaged verifier key',
        'The verifier key has a zkpolicy header but its contents do not decode into a valid policy: ' +
        'it is truncated or corrupted.'];
    case 'MALFORMED_PROOF':
      return ['Damaged proof',
        'The proof has a zkpolicy header (or is JSON) but does not decode: it is truncated, corrupted, ' +
        'or its JSON fields (base64, key digest) do not agree.'];
    case 'WRONG_KEY':
      return ['Proof made for another key',
        `The proof was made for the verifier key ${shortHex(claim.vk_digest)}, but the key given is ` +
        `${shortHex(result.vk_digest)}${result.model ? ` (policy “${result.model.name}”)` : ''}. ` +
        'Use the .vk from the same zkpolicy setup as the proving key.'];
    case 'PUBLIC_VALUES':
      return ['Public values do not fit the policy',
        `The proof’s public input or outputs have the wrong number of values or are out of range for the ` +
        `policy${result.model ? ` “${result.model.name}”` : ''}.`];
    case 'REJECTED':
      return ['Proof rejected: tampered or forged',
        'The proof decodes and names this key, but the cryptographic check fails: its public input, ' +
        'its outputs or the proof bytes were changed after it was made. The decision it claims is not proven.'];
    default:
      return ['Not verified', 'The verifier refused the proof.'];
  }
}

/** WRONG_CONTEXT: the proof and the verifier disagree on the request the proof is for. */
function explainContext(claim, subject) {
  if (!subject.context) {
    return ['Proof bound to a request: its context is needed',
      'This proof is bound to a request context (for example the payment it authorizes) and is valid ' +
      'only for that request, but no request context was given. Enter the context of the request you ' +
      'are checking.'];
  }
  if (!claim.context_digest) {
    return ['Proof not bound to any request',
      'A request context was given, but this proof is bound to none: anyone who has seen it could replay ' +
      'it for any request, so it does not show that this request was approved. Leave the context empty ' +
      'only if you accept such proofs.'];
  }
  return ['Proof made for another request',
    'This proof is bound to another request context than the one given: it was made for another request ' +
    '(for example another payment) and proves nothing about this one. Either the proof is replayed or ' +
    'mixed up, or the context was mistyped.'];
}

function cap(s) {
  return s[0].toUpperCase() + s.slice(1);
}

// ---------------------------------------------------------------- rendering

const resultBox = $('result');

function setRow(id, content) {
  const dd = $(id);
  const row = dd.closest('.row');
  row.hidden = content == null;
  if (content != null) dd.replaceChildren(content);
}

/** Shows a verification outcome. `subject` names what was verified. */
function render(result, claim, verifyMs, subject) {
  const valid = result.valid;
  const verdict = $('verdict');
  verdict.textContent = valid ? 'VALID' : 'INVALID';
  verdict.className = `verdict ${valid ? 'valid' : 'invalid'}`;
  $('verdict-subject').textContent = valid
    ? `— the policy decided “${result.decision}” (${subject.label})`
    : `— ${subject.label}`;

  const explanation = $('explanation');
  explanation.hidden = valid;
  if (!valid) {
    const [title, text] = explain(result, claim, subject);
    $('explanation-title').textContent = title;
    $('explanation-text').textContent = text;
    $('reason').textContent = `${result.code}: ${result.reason}`;
    $('reason').parentElement.hidden = false;
  }

  const model = result.model;
  setRow('d-decision', valid
    ? el('span', { className: `decision ${result.decision === 'approve' ? 'approve' : result.decision === 'deny' ? 'deny' : ''}` }, result.decision)
    : document.createTextNode('none — nothing is proven'));
  setRow('d-model', model
    ? document.createTextNode(`${model.name}: ${model.input_len} inputs → ${model.layers.join(' → ')}; ${describeRule(model)}`)
    : null);
  setRow('d-outputs', valid ? numberList(result.outputs) : null);
  setRow('d-inputs', valid ? inputList(result) : null);
  setRow('d-digest', result.vk_digest ? el('code', { className: 'hex' }, result.vk_digest) : null);
  setRow('d-claimed', !valid && claim.vk_digest ? el('code', { className: 'hex' }, claim.vk_digest) : null);
  setRow('d-context', contextRow(result, claim, subject));
  const size = claim.size_bytes == null
    ? `${fmtBytes(subject.proofBytes)} (the file; it does not decode as a proof)`
    : claim.encoding === 'json'
      ? `${fmtBytes(claim.size_bytes)} binary; ${fmtBytes(subject.proofBytes)} as JSON`
      : fmtBytes(claim.size_bytes);
  setRow('d-size', document.createTextNode(size));
  const time = subject.pageLoadMs == null
    ? fmtMs(verifyMs)
    : `${fmtMs(verifyMs)} (verdict ${fmtMs(subject.pageLoadMs)} after the page started loading)`;
  setRow('d-time', document.createTextNode(time));
  setRow('d-version', document.createTextNode(String(result.format_version)));
  $('details').hidden = false;

  Object.assign(resultBox.dataset, {
    runs: Number(resultBox.dataset.runs ?? 0) + 1,
    state: 'done',
    verdict: valid ? 'valid' : 'invalid',
    code: result.code ?? '',
    decision: result.decision ?? '',
    verifyMs: verifyMs.toFixed(3),
  });
  if (subject.pageLoadMs != null) resultBox.dataset.verdictAtMs = subject.pageLoadMs.toFixed(1);
}

/**
 * The "Context" row: for a valid proof, the digest of the request context it is bound to
 * (and the context given), or that it is bound to none; for a rejected proof that decodes,
 * what it claims and what was given.
 */
function contextRow(result, claim, subject) {
  const given = subject.context ? contextShown(subject.context) : ['none given'];
  if (result.valid) {
    if (!result.context_digest) return document.createTextNode('none — not bound to a request (replayable)');
    return el('div', {}, 'bound to the request context ', ...given, el('br'),
      'digest ', el('code', { className: 'hex' }, result.context_digest));
  }
  if (!claim.valid) return null;
  const bound = claim.context_digest
    ? ['the proof is bound to a request context with digest ', el('code', { className: 'hex' }, claim.context_digest)]
    : ['the proof is bound to no request'];
  return el('div', {}, ...bound, el('br'), 'context given: ', ...given);
}

function renderFailure(title, message) {
  const verdict = $('verdict');
  verdict.textContent = title;
  verdict.className = 'verdict invalid';
  $('verdict-subject').textContent = '';
  $('explanation').hidden = false;
  $('explanation-title').textContent = '';
  $('explanation-text').textContent = message;
  $('reason').parentElement.hidden = true;
  $('details').hidden = true;
  Object.assign(resultBox.dataset, {
    runs: Number(resultBox.dataset.runs ?? 0) + 1,
    state: 'error',
    verdict: '',
    code: '',
    decision: '',
  });
}

/**
 * Verifies `proof` (bytes, or the JSON form as a string) against `vk` bytes and the request
 * context `subject.context` (hex, or null for none) and shows the result. Only the verify()
 * call is timed.
 */
function check(proof, vk, subject) {
  let result;
  let verifyMs;
  try {
    const t0 = performance.now();
    result = verify(proof, vk, { context: subject.context });
    verifyMs = performance.now() - t0;
  } catch (e) {
    if (e.code === 'ERR_INVALID_ARG_VALUE') {
      // The context field: not hex, or too long. Nothing was verified.
      renderFailure('Not a valid request context', `${cap(e.message.replace(/^The "context" option is invalid: /, ''))}.`);
      return;
    }
    // The package throws only on arguments of the wrong type; anything else is a verifier bug.
    renderFailure('Verifier error', `The verifier failed unexpectedly (${e.message}). Please report this.`);
    return;
  }
  const claim = inspectProof(proof);
  const pageLoadMs = subject.initial ? performance.now() : null;
  const proofBytes = typeof proof === 'string' ? new TextEncoder().encode(proof).length : proof.length;
  render(result, claim, verifyMs, { ...subject, proofBytes, pageLoadMs });
}

// ---------------------------------------------------------------- samples

async function fetchSample(name, asText) {
  const res = await fetch(new URL(name, SAMPLE_DIR));
  if (!res.ok) throw new Error(`sample ${name}: HTTP ${res.status}`);
  return asText ? res.text() : new Uint8Array(await res.arrayBuffer());
}

function loadSample(key) {
  const s = SAMPLES[key];
  return Promise.all([fetchSample(s.proof, s.asText), fetchSample(s.vk, false)]).then(([proof, vk]) => ({
    proof,
    vk,
    subject: { label: `sample “${s.label}”`, proofName: s.proof, vkName: s.vk, context: s.context ?? null },
  }));
}

// ---------------------------------------------------------------- user files

/** The files chosen or dropped: { name, bytes } or null. */
const chosen = { proof: null, vk: null };
/** Reads in progress; Verify waits for them so a just-picked file is not missed. */
const reading = new Set();

/** Keeps `task` (reading files) in `reading` until it settles; a failed read is shown. */
function track(task) {
  const settled = task
    .catch((e) => renderFailure('Could not read the file', e.message))
    .finally(() => reading.delete(settled));
  reading.add(settled);
  return settled;
}

function describeProof(bytes) {
  const p = inspectProof(bytes);
  if (!p.valid) return [`Not readable as a proof: ${p.reason}`, true];
  const n = p.quantized_input.length;
  return [`${p.encoding === 'json' ? 'JSON' : 'Binary'} proof, ` +
    `${n || 'no'} public input value${n === 1 ? '' : 's'}, ` +
    `made for key ${shortHex(p.vk_digest)}, ` +
    (p.context_digest ? `bound to a request context (digest ${shortHex(p.context_digest)})` : 'bound to no request'), false];
}

function describeKey(bytes) {
  const k = inspectVerifierKey(bytes);
  if (!k.valid) return [`Not readable as a verifier key: ${k.reason}`, true];
  return [`Policy “${k.model.name}”, ${k.model.input_len} inputs (${visibilityCounts(k.input_visibility)}), ` +
    `${k.num_constraints.toLocaleString('en')} constraints, ${k.profile} profile; key ${shortHex(k.vk_digest)}`, false];
}

function showChoice(kind) {
  const file = chosen[kind];
  const info = $(`${kind}-info`);
  if (!file) {
    info.textContent = '';
    info.classList.remove('problem');
    return;
  }
  const [text, problem] = kind === 'proof' ? describeProof(file.bytes) : describeKey(file.bytes);
  info.textContent = `${file.name}, ${fmtBytes(file.bytes.length)}: ${text}`;
  info.classList.toggle('problem', problem);
}

async function readFile(file) {
  return { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) };
}

/** Where a dropped file belongs: judged by the package's own decoders, then by its name. */
function slotOf(file) {
  const foreign = (code) => code === 'NOT_ZKPOLICY' || code === 'WRONG_FILE_KIND';
  const asProof = inspectProof(file.bytes);
  if (asProof.valid || !foreign(asProof.code)) return 'proof';
  const asKey = inspectVerifierKey(file.bytes);
  if (asKey.valid || !foreign(asKey.code)) return 'vk';
  return /\.vk$/i.test(file.name) ? 'vk' : 'proof';
}

// ---------------------------------------------------------------- wiring

function wire() {
  const form = $('form');
  for (const kind of ['proof', 'vk']) {
    $(`${kind}-file`).addEventListener('change', (ev) => {
      const file = ev.target.files[0];
      track((async () => {
        chosen[kind] = file ? await readFile(file) : null;
        showChoice(kind);
      })());
    });
  }

  const zone = $('dropzone');
  const hasFiles = (ev) => ev.dataTransfer && [...ev.dataTransfer.types].includes('Files');
  // A file dropped outside the box must not make the browser navigate away from the page.
  window.addEventListener('dragover', (ev) => hasFiles(ev) && ev.preventDefault());
  window.addEventListener('drop', (ev) => hasFiles(ev) && ev.preventDefault());
  zone.addEventListener('dragover', (ev) => {
    if (!hasFiles(ev)) return;
    ev.preventDefault();
    ev.dataTransfer.dropEffect = 'copy';
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', (ev) => {
    if (!zone.contains(ev.relatedTarget)) zone.classList.remove('over');
  });
  zone.addEventListener('drop', async (ev) => {
    if (!hasFiles(ev)) return;
    ev.preventDefault();
    ev.stopPropagation();
    zone.classList.remove('over');
    const files = [...ev.dataTransfer.files];
    await track((async () => {
      for (const file of await Promise.all(files.map(readFile))) {
        const slot = slotOf(file);
        chosen[slot] = file;
        $(`${slot}-file`).value = ''; // the dropped file replaces a picked one
        showChoice(slot);
      }
    })());
  });

  form.addEventListener('reset', () => {
    chosen.proof = chosen.vk = null;
    showChoice('proof');
    showChoice('vk');
  });

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    await Promise.allSettled([...reading]);
    const pasted = $('proof-json').value.trim();
    const proof = pasted ? { name: 'pasted JSON', data: pasted } : chosen.proof && { name: chosen.proof.name, data: chosen.proof.bytes };
    const missing = [!proof && 'a proof (file or pasted JSON)', !chosen.vk && 'a verifier key (.vk)'].filter(Boolean);
    if (missing.length) {
      renderFailure('Nothing to verify yet', `Choose ${missing.join(' and ')}.`);
      return;
    }
    const context = $('context').value.trim() || null;
    check(proof.data, chosen.vk.bytes, {
      label: `${proof.name} with ${chosen.vk.name}${context ? ' and the request context given' : ''}`,
      proofName: proof.name,
      vkName: chosen.vk.name,
      context,
    });
    revealResult();
  });

  for (const button of document.querySelectorAll('[data-sample]')) {
    button.addEventListener('click', async () => {
      try {
        const s = await loadSample(button.dataset.sample);
        check(s.proof, s.vk, s.subject);
      } catch (e) {
        renderFailure('Sample not available', e.message);
      }
      revealResult();
    });
  }
}

/** On narrow screens the result is above the form: bring it into view. */
function revealResult() {
  const card = resultBox.closest('section');
  if (card.getBoundingClientRect().top < 0) card.scrollIntoView({ block: 'start' });
}

// ---------------------------------------------------------------- start

// The .wasm and the sample start downloading together, before anything else runs
// (the sample's outcome is kept as a value so a failure is reported, not unhandled).
const sample = loadSample('approve').then((files) => ({ files }), (error) => ({ error }));
try {
  await init({ module_or_path: fetch(WASM_URL) });
} catch (e) {
  renderFailure('Verifier failed to load', `The WebAssembly verifier could not be loaded: ${e.message}`);
  throw e;
}
wire();
const { files, error } = await sample;
if (files) check(files.proof, files.vk, { ...files.subject, initial: true });
else renderFailure('Sample not available', `${error.message} (run scripts/make-web-samples.sh)`);
