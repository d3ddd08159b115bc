//! The verifier's integration tests, one binary (`cargo test -p verifier --test it`).

mod bake_png;
mod bake_svg;
mod detect;
mod detect_fuzz;
mod fuzz;
mod fuzz_harness;
mod limits;
mod net;
mod ob2;
mod render;
mod sample_credential;
mod samples;
mod service;
mod suites;
mod summaries;
mod third_party;
