//! leakscope-corpus (to be built).
