//! leakscope-server (to be built).
