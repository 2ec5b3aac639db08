'use strict';
// Node CommonJS entry of @zkpolicy/verifier: wasm-bindgen's Node glue loads the
// WebAssembly module synchronously on require.
const glue = require('./zkpolicy_verifier_node.cjs');

exports.verify = glue.verify;
exports.loadVerifierKey = glue.loadVerifierKey;
exports.VerifierKeyHandle = glue.VerifierKeyHandle;
exports.inspectVerifierKey = glue.inspectVerifierKey;
exports.inspectProof = glue.inspectProof;
// The module is loaded already; these exist so that code written for browsers
// (`await init()`) runs unchanged.
exports.default = async function init() {};
exports.initSync = function initSync() {};
