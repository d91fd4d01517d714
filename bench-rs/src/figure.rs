//! One measured figure (a sample per repetition), and the JSON that
//! `host-bench` reads: `{"meta": {...}, "<key>": {"median", "min", "max",
//! "unit", "reps"}, ...}`.

use std::fmt;
use std::fmt::Write as _;
use std::path::Path;

use wasmtime::{Result, ensure};

pub struct Figure {
    pub key: &'static str,
    pub unit: &'static str,
    /// One value per repetition, sorted.
    samples: Vec<f64>,
}

impl Figure {
    pub fn median(&self) -> f64 {
        let n = self.samples.len();
        if n % 2 == 1 {
            self.samples[n / 2]
        } else {
            (self.samples[n / 2 - 1] + self.samples[n / 2]) / 2.0
        }
    }
    pub fn min(&self) -> f64 {
        self.samples[0]
    }
    pub fn max(&self) -> f64 {
        self.samples[self.samples.len() - 1]
    }
}

impl fmt::Display for Figure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:<28} median {:>10.3} {:<2}  (min {:.3}, max {:.3}, {} reps)",
            self.key,
            self.median(),
            self.unit,
            self.min(),
            self.max(),
            self.samples.len()
        )
    }
}

/// Runs `sample` once to warm up, then `reps` times; each run measures itself
/// and returns one value in `unit`.
pub fn measure(
    key: &'static str,
    unit: &'static str,
    reps: usize,
    mut sample: impl FnMut() -> Result<f64>,
) -> Result<Figure> {
    sample()?;
    let mut samples = Vec::with_capacity(reps);
    for _ in 0..reps {
        let value = sample()?;
        ensure!(value.is_finite(), "{key}: measured {value}");
        samples.push(value);
    }
    samples.sort_by(f64::total_cmp);
    Ok(Figure { key, unit, samples })
}

pub fn write_json(path: &Path, mode: &str, reps: usize, figures: &[Figure]) -> Result<()> {
    let mut json = String::new();
    write!(
        json,
        "{{\n  \"meta\": {{\"tool\": \"host-bench-rs\", \"mode\": \"{mode}\", \"reps\": {reps}, \
         \"wasmtime\": \"48.0.8\"}}"
    )?;
    for figure in figures {
        write!(
            json,
            ",\n  \"{}\": {{\"median\": {}, \"min\": {}, \"max\": {}, \"unit\": \"{}\", \
             \"reps\": {}}}",
            figure.key,
            figure.median(),
            figure.min(),
            figure.max(),
            figure.unit,
            figure.samples.len()
        )?;
    }
    json.push_str("\n}\n");
    std::fs::write(path, json)?;
    Ok(())
}
