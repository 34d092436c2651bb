//! Library side of the `dealscore` command: the synthetic-data generator, shared with the
//! benchmarks so they score exactly what `dealscore synth` writes, and the CSV record reader,
//! shared with the fuzz targets.

pub mod csv_activity;
pub mod synth;
