//! Polynomial commitments: Hyrax over the Pedersen commitments of [`crate::snark::pedersen`].

pub mod hyrax;
