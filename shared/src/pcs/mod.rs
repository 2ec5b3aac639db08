//! Polynomial commitments: transparent Pedersen generators and Hyrax over BN254 G1.

pub mod generators;
pub mod hyrax;
