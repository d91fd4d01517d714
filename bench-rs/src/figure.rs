//! One measured figure (a sample per repetition), and the JSON that
//! `host-bench` reads: `{"meta": {...}, "<key>": {"median", "min", "max",
//! "unit", "reps"}, ...}`.

use std::fmt;
use std::path::Path;

use wasmtime::{Result, ensure};

pub struct Figure {
    pub key: String,
    pub unit: String,
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

/// One of several figures measured in turns by [`measure_interleaved`].
pub struct Candidate<'a> {
    key: String,
    unit: String,
    sample: Box<dyn FnMut() -> Result<f64> + 'a>,
}

impl<'a> Candidate<'a> {
    pub fn new(
        key: impl Into<String>,
        unit: impl Into<String>,
        sample: impl FnMut() -> Result<f64> + 'a,
    ) -> Self {
        Self {
            key: key.into(),
            unit: unit.into(),
            sample: Box::new(sample),
        }
    }
}

/// Runs each candidate's `sample` once to warm up, then `reps` times in
/// turns (a repetition of each, then the next...), so that a noisy phase of
/// the machine hits all of them alike. Each run measures itself and returns
/// one value in its unit.
pub fn measure_interleaved(reps: usize, mut candidates: Vec<Candidate<'_>>) -> Result<Vec<Figure>> {
    for candidate in &mut candidates {
        (candidate.sample)()?;
    }
    let mut samples = vec![Vec::with_capacity(reps); candidates.len()];
    for _ in 0..reps {
        for (candidate, values) in candidates.iter_mut().zip(&mut samples) {
            let value = (candidate.sample)()?;
            ensure!(
                value.is_finite() && value > 0.0,
                "{}: measured {value}",
                candidate.key
            );
            values.push(value);
        }
    }
    Ok(candidates
        .into_iter()
        .zip(samples)
        .map(|(candidate, mut samples)| {
            samples.sort_by(f64::total_cmp);
            Figure {
                key: candidate.key,
                unit: candidate.unit,
                samples,
            }
        })
        .collect())
}

/// [`measure_interleaved`] for one figure.
pub fn measure(
    key: &str,
    unit: &str,
    reps: usize,
    sample: impl FnMut() -> Result<f64>,
) -> Result<Figure> {
    let mut figures = measure_interleaved(reps, vec![Candidate::new(key, unit, sample)])?;
    Ok(figures.remove(0))
}

/// Writes `figures` in the format `host-bench` reads (serde_json, no
/// hand-written JSON): `{"meta": {...}, "<key>": {"median", "min", "max",
/// "unit", "reps"}, ...}`.
pub fn write_json(path: &Path, mode: &str, reps: usize, figures: &[Figure]) -> Result<()> {
    let mut json = serde_json::Map::new();
    json.insert(
        "meta".into(),
        serde_json::json!({"tool": "host-bench-rs", "mode": mode, "reps": reps, "wasmtime": "48.0.8"}),
    );
    for figure in figures {
        json.insert(
            figure.key.clone(),
            serde_json::json!({
                "median": figure.median(),
                "min": figure.min(),
                "max": figure.max(),
                "unit": figure.unit,
                "reps": figure.samples.len(),
            }),
        );
    }
    std::fs::write(path, serde_json::to_string_pretty(&json)? + "\n")?;
    Ok(())
}
