//! Library side of the `dealscore` command: the synthetic-data generator, shared with the
//! benchmarks so they score exactly what `dealscore synth` writes.

pub mod synth;
