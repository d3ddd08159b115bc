//! The Open Badges 3.0 verifier: input detection, baking and unbaking, the
//! verification pipeline with its report (and Open Badges 2.0 assertions,
//! [`ob2`]), and the verifier HTTP service.

// Tests may unwrap: a panic there is a failing test, with its message.
#![cfg_attr(test, allow(clippy::unwrap_used))]

pub mod bake;
pub mod i18n;
pub mod input;
mod list_memo;
pub mod net;
pub mod ob2;
mod options;
pub mod pipeline;
pub mod proof;
mod reason;
pub mod render;
pub mod report;
pub mod service;
pub mod status;
pub mod view;
