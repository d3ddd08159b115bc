//! The Open Badges 3.0 verifier: input detection, baking and unbaking, and the
//! verification pipeline with its report.

pub mod bake;
pub mod i18n;
pub mod input;
pub mod net;
pub mod pipeline;
pub mod proof;
pub mod render;
pub mod report;
pub mod status;
