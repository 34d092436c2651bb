//! `dealscore synth`: write the generator's output as JSON (deals) and JSON Lines (activities).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

use dealscore_cli::synth::{Synth, SynthArgs};

use crate::fail::Failure;

/// Creates the file and any missing parent folders.
fn create(path: &std::path::Path) -> Result<File, Failure> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Failure::io(dir, &e))?;
    }
    File::create(path).map_err(|e| Failure::io(path, &e))
}

pub fn run(args: &SynthArgs) -> Result<(), Failure> {
    let mut synth = Synth::from_args(args).map_err(Failure::usage)?;
    if let Some(path) = &args.planted_model_out {
        let toml = toml::to_string(&dealscore_cli::synth::planted_model()).expect("a model serialises as TOML");
        let header = "# The planted points table of `dealscore synth --outcomes`: the outcomes were drawn from\n\
                      # the energy under this model 14 days before each deal closed.\n";
        std::fs::write(path, format!("{header}{toml}")).map_err(|e| Failure::io(path, &e))?;
    }
    if let Some(path) = &args.deals_out {
        let file = create(path)?;
        let mut w = BufWriter::new(file);
        serde_json::to_writer(&mut w, synth.deals()).map_err(|e| Failure::io(path, &e.into()))?;
        writeln!(w).and_then(|()| w.flush()).map_err(|e| Failure::io(path, &e))?;
    }
    let (path, sink): (PathBuf, Box<dyn Write>) = match &args.out {
        Some(p) => (p.clone(), Box::new(create(p)?)),
        None => ("stdout".into(), Box::new(std::io::stdout().lock())),
    };
    let mut w = BufWriter::with_capacity(1 << 16, sink);
    for a in synth.by_ref() {
        serde_json::to_writer(&mut w, &a).map_err(|e| Failure::io(&path, &e.into()))?;
        w.write_all(b"\n").map_err(|e| Failure::io(&path, &e))?;
    }
    w.flush().map_err(|e| Failure::io(&path, &e))
}
