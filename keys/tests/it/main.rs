//! Integration tests of the `keys` crate.

mod binding;
mod context_limits;
mod di;
mod di_direct;
mod did;
mod ecdsa;
mod ecdsa_sd;
mod ed25519_2018;
mod jwt;
mod keypair;
mod rdfc;
mod support;
