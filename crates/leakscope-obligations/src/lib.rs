//! leakscope-obligations (to be built).
