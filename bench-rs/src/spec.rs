//! The benchmark's declaration, `host-cpp/bench/spec.json`, shared with
//! `host-bench` and the bench smoke test: the figures (key, unit, who
//! measures), the sizes of a `full` and a `smoke` run, the kernels.

use std::collections::BTreeMap;

use serde_json::Value;
use wasmtime::{Result, bail, format_err};

const SPEC: &str = include_str!("../../host-cpp/bench/spec.json");

/// How much work each figure does per repetition, for one mode.
pub struct Sizes {
    pub mode: String,
    pub reps: usize,
    /// Host-to-guest calls of `bench_add` per repetition.
    pub calls: u32,
    /// Guest-to-host calls (`bench_call_host(n)`) per repetition.
    pub host_calls: i32,
    /// Rounds of the component calls per repetition.
    pub component_rounds: u32,
    /// Repetitions of each kernel (fewer than `reps`: each takes tens of ms).
    pub kernel_reps: usize,
    /// Each kernel of the suite and its size, in the spec's order.
    pub kernels: Vec<(String, u32)>,
}

pub struct Spec {
    json: Value,
    /// Every concrete figure key and its (unit, by).
    figures: BTreeMap<String, (String, String)>,
}

fn field<'a>(value: &'a Value, name: &str) -> Result<&'a Value> {
    value
        .get(name)
        .ok_or_else(|| format_err!("spec.json: no '{name}'"))
}

fn number(value: &Value, name: &str) -> Result<u64> {
    field(value, name)?
        .as_u64()
        .ok_or_else(|| format_err!("spec.json: '{name}' is not a whole number"))
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|item| match item {
                    Value::String(text) => text.clone(),
                    other => other.to_string(),
                })
                .collect()
        })
        .unwrap_or_default()
}

impl Spec {
    pub fn load() -> Result<Spec> {
        let json: Value = serde_json::from_str(SPEC)?;
        let lists: Vec<(&str, Vec<String>)> = vec![
            ("{kernel}", strings(field(&json, "kernels")?)),
            (
                "{alloc}",
                strings(field(field(&json, "scale")?, "allocators")?),
            ),
            ("{n}", strings(field(field(&json, "scale")?, "instances")?)),
            (
                "{threads}",
                strings(field(field(&json, "scale")?, "threads")?),
            ),
        ];
        let mut figures = BTreeMap::new();
        for figure in field(&json, "figures")?
            .as_array()
            .ok_or_else(|| format_err!("spec.json: 'figures' is not a list"))?
        {
            let text = |name| -> Result<String> {
                Ok(field(figure, name)?
                    .as_str()
                    .ok_or_else(|| format_err!("spec.json: a figure's '{name}' is no text"))?
                    .to_string())
            };
            let mut keys = vec![text("key")?];
            for (placeholder, values) in &lists {
                keys = keys
                    .into_iter()
                    .flat_map(|key| {
                        if key.contains(placeholder) {
                            values.iter().map(|v| key.replace(placeholder, v)).collect()
                        } else {
                            vec![key]
                        }
                    })
                    .collect();
            }
            for key in keys {
                figures.insert(key, (text("unit")?, text("by")?));
            }
        }
        Ok(Spec { json, figures })
    }

    pub fn sizes(&self, mode: &str) -> Result<Sizes> {
        let sizes = field(field(&self.json, "sizes")?, mode)?;
        let kernel_sizes = field(sizes, "kernels")?;
        let kernels = strings(field(&self.json, "kernels")?)
            .into_iter()
            .map(|name| {
                let size = u32::try_from(number(kernel_sizes, &name)?)?;
                Ok((name, size))
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Sizes {
            mode: mode.to_string(),
            reps: usize::try_from(number(sizes, "reps")?)?,
            calls: u32::try_from(number(sizes, "calls")?)?,
            host_calls: i32::try_from(number(sizes, "host_calls")?)?,
            component_rounds: u32::try_from(number(sizes, "component_rounds")?)?,
            kernel_reps: usize::try_from(number(sizes, "kernel_reps")?)?,
            kernels,
        })
    }

    /// The unit of `key`, which must be a figure this comparator measures.
    pub fn unit(&self, key: &str) -> Result<String> {
        match self.figures.get(key) {
            Some((unit, by)) if by == "host-bench-rs" => Ok(unit.clone()),
            Some((_, by)) => bail!("spec.json: '{key}' is measured by {by}, not host-bench-rs"),
            None => bail!("spec.json declares no figure '{key}'"),
        }
    }

    /// Every figure the comparator must measure.
    pub fn own_keys(&self) -> Vec<&str> {
        self.figures
            .iter()
            .filter(|(_, (_, by))| by == "host-bench-rs")
            .map(|(key, _)| key.as_str())
            .collect()
    }
}
