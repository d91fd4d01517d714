//! Re-exports every `extern "C"` symbol of the Wasmtime C API so that the
//! `staticlib` produced from this crate is a drop-in `libwasmtime.a`.
pub use wasmtime_c_api::*;
