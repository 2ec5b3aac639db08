//! Setup and proving (feature `prover`): the proving key, assignments and proofs.

use super::files::{read_key_file, write_key_file, PK_MAGIC};
use super::{
    check_key_params, context_digest, files, key_digest, Names, PolicyError, PolicyProof, Profile, VerifierKey,
};
use crate::frontend::circuit::{self, CircuitError};
use crate::frontend::model::{codec, Model};
use crate::frontend::visibility::InputVisibility;
use crate::snark::error::{FormatError, ProveError};
use crate::snark::spartan;
use ark_bn254::{Fr, G1Affine};

/// What a prover needs: the verifier key plus the compiled circuit (for the
/// witness) and the Spartan proving key. `Send + Sync`: load once, prove many.
#[derive(Clone, Debug)]
pub struct ProvingKey {
    pub(super) vk: VerifierKey,
    circuit: circuit::Circuit,
    pub(super) snark: spartan::ProvingKey,
}

/// [`setup_with_profile`] with the default profile, [`Profile::Small`]: the smallest
/// proofs.
pub fn setup(
    model: &Model,
    visibility: &InputVisibility,
    names: &Names,
) -> Result<(ProvingKey, VerifierKey), PolicyError> {
    setup_with_profile(model, visibility, names, Profile::default())
}

/// Compiles the model and builds both keys, whose proofs trade size for proving time
/// as `profile` says. Deterministic: the same model, visibility, names and profile
/// give byte-identical keys, and keys whose only difference is the policy's name have
/// the same digest. `InputVisibility::all(Visibility::Public, n)` gives the all-public
/// statement of format version 1.
pub fn setup_with_profile(
    model: &Model,
    visibility: &InputVisibility,
    names: &Names,
    profile: Profile,
) -> Result<(ProvingKey, VerifierKey), PolicyError> {
    model.validate().map_err(CircuitError::from)?;
    visibility.check_len(model.input_len)?;
    names.inputs.check_len(model.input_len)?;
    crate::snark::encoding::check_limit("policy name", names.policy.len() as u64, files::MAX_POLICY_NAME as u64)
        .map_err(PolicyError::KeyFormat)?;
    check_key_params(model)?;
    let model_bytes = codec::encode(model);
    let circuit = circuit::compile_with(model, visibility)?;
    let digest = key_digest(&model_bytes, visibility, &names.inputs, profile);
    let (snark_pk, snark_vk) = spartan::preprocess(circuit.r1cs.clone(), profile, Some(digest))?;
    let vk = VerifierKey {
        model: model.clone(),
        model_bytes,
        visibility: visibility.clone(),
        names: names.clone(),
        snark: snark_vk,
    };
    let pk = ProvingKey { vk: vk.clone(), circuit, snark: snark_pk };
    check_key_files(&pk, &vk)?;
    Ok((pk, vk))
}

/// Setup's guarantee that every reader accepts the keys it makes: the proving-key
/// file decodes, within every limit of the file and model decoders, to the same
/// model, visibility, names and profile, and the verifier-key file has the same contents
/// under its own magic (both are written by the same function). Linear in the key
/// size; nothing is recompiled.
fn check_key_files(pk: &ProvingKey, vk: &VerifierKey) -> Result<(), PolicyError> {
    let pk_bytes = pk.to_bytes();
    let (model, visibility, names, profile) = ProvingKey::decode_model(&pk_bytes)?;
    if model != vk.model || visibility != vk.visibility || names != vk.names || profile != vk.profile() {
        return Err(PolicyError::KeyModel(codec::CodecError::Invalid(
            "model, visibility, names or profile (they do not survive encoding)",
        )));
    }
    let vk_bytes = vk.to_bytes();
    if files::detect(&vk_bytes) != Some(files::FileKind::VerifierKey) || vk_bytes.get(4..) != pk_bytes.get(4..) {
        return Err(PolicyError::KeyFormat(FormatError::Invalid {
            what: "verifier key (it differs from the proving key)",
        }));
    }
    Ok(())
}

impl ProvingKey {
    /// Encodes the key.
    pub fn to_bytes(&self) -> Vec<u8> {
        write_key_file(PK_MAGIC, &self.vk)
    }

    /// Decodes a key and rebuilds its circuit and Spartan keys.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, PolicyError> {
        let (model, visibility, names, profile) = Self::decode_model(bytes)?;
        setup_with_profile(&model, &visibility, &names, profile).map(|(pk, _)| pk)
    }

    /// Decodes only the model, the visibility, the names and the profile of a proving
    /// key file (the first half of [`ProvingKey::from_bytes`]; [`setup_with_profile`] is
    /// the second).
    pub fn decode_model(bytes: &[u8]) -> Result<(Model, InputVisibility, Names, Profile), PolicyError> {
        let file = read_key_file(bytes, PK_MAGIC, "ZKPK (zkpolicy proving key)").map_err(PolicyError::KeyFormat)?;
        let names = Names { policy: file.name, inputs: file.inputs };
        Ok((codec::decode(file.model)?, file.visibility, names, file.profile))
    }
}

/// The commitment to a committed input: `x·V + blind·H` with `x` the quantized
/// input (scale `2^s`, as a field element: `p − |x|` for negative `x`) and `V`, `H`
/// the generators of [`crate::snark::pedersen::generators`]. An issuer computes this for a
/// value it attests and hands `blind` to the prover, who passes it to
/// [`ProvingKey::prove_assignment`]; the verified proof then shows the same point.
pub fn commit_input(value: i64, blind: Fr) -> G1Affine {
    use ark_ec::CurveGroup;
    crate::snark::pedersen::commit_value(crate::snark::r1cs::fr_from_i64(value), blind).into_affine()
}

/// A satisfying assignment of the circuit for one input: the evaluation trace,
/// the public values and the witness. The first half of [`prove`].
#[derive(Clone, Debug)]
pub struct Assignment {
    /// Every intermediate value of the evaluation.
    pub trace: crate::frontend::model::Trace,
    pub(super) public: Vec<Fr>,
    pub(super) witness: Vec<Fr>,
}

impl ProvingKey {
    /// The matching verifier key.
    pub fn verifier_key(&self) -> &VerifierKey {
        &self.vk
    }

    /// The model this key proves.
    pub fn model(&self) -> &Model {
        &self.vk.model
    }

    /// Evaluates the model on a quantized input and builds the witness.
    pub fn assign(&self, input: &[i64]) -> Result<Assignment, PolicyError> {
        let model = self.model();
        let trace = model.eval(input)?;
        let public_input = self.public_input(&trace.input);
        let public = circuit::public_values(&public_input, trace.logits());
        let witness = self.circuit.witness(model, &trace)?;
        Ok(Assignment { trace, public, witness })
    }

    /// The public elements of a full input, in order.
    pub(super) fn public_input(&self, input: &[i64]) -> Vec<i64> {
        self.vk.visibility.public_indices().map(|i| input[i]).collect()
    }

    /// Number of committed inputs, i.e. of blinds [`ProvingKey::prove_assignment`] takes.
    pub fn num_committed(&self) -> usize {
        self.vk.visibility.committed_indices().count()
    }

    /// Proves an assignment made by [`ProvingKey::assign`], in zero knowledge with a
    /// CSPRNG freshly seeded from the OS RNG. `blinds` holds one blind per committed
    /// input, in input order (see [`commit_input`]); empty if there are none.
    /// `context` binds the proof to a request (see [`prove`]). The second half of
    /// [`prove`].
    pub fn prove_assignment(
        &self,
        a: &Assignment,
        blinds: &[Fr],
        context: Option<&[u8]>,
    ) -> Result<PolicyProof, PolicyError> {
        self.prove_assignment_with_rng(a, blinds, context, &mut spartan::os_seeded_rng())
    }

    /// [`ProvingKey::prove_assignment`] with the caller's randomness: a seeded RNG
    /// gives reproducible proofs for tests and golden vectors, and is not
    /// zero-knowledge across proofs made with the same seed.
    ///
    /// Spartan checks every constraint before proving; if one fails (the
    /// evaluator and the circuit disagree — a bug), the circuit's labelled check
    /// names it by layer, neuron and role instead of a bare row number.
    pub fn prove_assignment_with_rng<R: ark_std::rand::RngCore + ark_std::rand::CryptoRng>(
        &self,
        a: &Assignment,
        blinds: &[Fr],
        context: Option<&[u8]>,
        rng: &mut R,
    ) -> Result<PolicyProof, PolicyError> {
        self.prove_precomputed(self.precompute_with_rng(rng), a, blinds, context, &mut |_| {})
    }

    /// The witness-independent part of one proof with this key, done before a request
    /// arrives: its randomness (from a CSPRNG freshly seeded from the OS RNG) and the
    /// commitments that depend on it alone ([`spartan::Precomputed`]).
    /// [`ProvingKey::prove_precomputed`] consumes it; a service can keep a few ready.
    pub fn precompute(&self) -> spartan::Precomputed {
        self.precompute_with_rng(&mut spartan::os_seeded_rng())
    }

    /// [`ProvingKey::precompute`] with the caller's randomness: proving with
    /// `precompute_with_rng(rng)` gives the same proof as
    /// [`ProvingKey::prove_assignment_with_rng`] with the same `rng`.
    pub fn precompute_with_rng<R: ark_std::rand::RngCore + ark_std::rand::CryptoRng>(
        &self,
        rng: &mut R,
    ) -> spartan::Precomputed {
        spartan::Precomputed::new(&self.snark, &self.vk.committed_witness_indices(), rng)
    }

    /// [`ProvingKey::prove_assignment`] with its witness-independent part done
    /// beforehand by [`ProvingKey::precompute`] on this key, consuming it (a
    /// precomputation serves one proof). `on_phase` is called as each step of the
    /// SNARK ends ([`spartan::ProvePhase::ALL`]), so that a caller with a clock can
    /// time them. A precomputation made with another key is refused
    /// ([`crate::snark::error::ProveError::PrecomputedKey`]).
    pub fn prove_precomputed(
        &self,
        precomputed: spartan::Precomputed,
        a: &Assignment,
        blinds: &[Fr],
        context: Option<&[u8]>,
        on_phase: &mut impl FnMut(spartan::ProvePhase),
    ) -> Result<PolicyProof, PolicyError> {
        let committed = self.vk.committed_witness_indices();
        let context_digest = context.map(context_digest);
        let statement = spartan::Statement {
            public: &a.public,
            committed: &committed,
            context: context_digest.as_ref().map_or(&[], |d| d.as_slice()),
        };
        let snark = match spartan::prove_precomputed(&self.snark, precomputed, statement, &a.witness, blinds, on_phase)
        {
            Err(e @ ProveError::Unsatisfied { .. }) => {
                self.circuit.check(&a.public, &a.witness)?;
                return Err(e.into());
            }
            other => other?,
        };
        let input = self.public_input(&a.trace.input);
        Ok(PolicyProof {
            key_digest: self.vk.digest(),
            context_digest,
            input,
            logits: a.trace.logits().to_vec(),
            snark,
        })
    }
}

/// `n` fresh uniform blinds for committed inputs, from the OS RNG.
pub fn fresh_blinds(n: usize) -> Vec<Fr> {
    let mut rng = spartan::os_seeded_rng();
    (0..n).map(|_| crate::snark::pedersen::random_scalar(&mut rng)).collect()
}

/// Proves one evaluation of the policy on a quantized input.
///
/// `context`: bytes that the verifier will also know, such as the hash of the
/// payment payload or a request id. The proof then verifies only under the same
/// context (see [`verify`](super::verify)), so it cannot be replayed for another request. `None`
/// makes a proof bound to no context, which anyone who sees it can reuse.
///
/// Committed inputs get fresh random blinds, which are discarded: use
/// [`ProvingKey::prove_assignment`] to choose them.
pub fn prove(pk: &ProvingKey, input: &[i64], context: Option<&[u8]>) -> Result<PolicyProof, PolicyError> {
    pk.prove_assignment(&pk.assign(input)?, &fresh_blinds(pk.num_committed()), context)
}
