//! leakscope-verify (to be built).
