//! leakscope-scan (to be built).
