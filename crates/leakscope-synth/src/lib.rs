//! leakscope-synth (to be built).
