//! Integration tests of the `keys` crate.

mod binding;
mod di;
mod di_direct;
mod did;
mod ecdsa;
mod jwt;
mod keypair;
mod support;
