//! The compute suite of the benchmark (feature `bench`): small kernels of the
//! kinds a plugin runs, each a pure function of its size `n` returning a
//! checksum, so that `bench-rs` can run the very same code natively and as
//! wasm (`bench_kernel_<name>` in guest-bench.wasm) and check that both agree.
//! None is written to suit either side: they are plain, idiomatic Rust.

/// A kernel: its name (`compute.<name>.*` in the results) and its function.
pub struct Kernel {
    pub name: &'static str,
    pub run: fn(u32) -> u64,
}

/// Every kernel of the suite, in report order.
pub const KERNELS: &[Kernel] = &[
    Kernel {
        name: "collatz",
        run: kernel_collatz,
    },
    Kernel {
        name: "hash",
        run: kernel_hash,
    },
    Kernel {
        name: "sort",
        run: kernel_sort,
    },
    Kernel {
        name: "matmul",
        run: kernel_matmul,
    },
    Kernel {
        name: "search",
        run: kernel_search,
    },
    Kernel {
        name: "parse",
        run: kernel_parse,
    },
    Kernel {
        name: "nbody",
        run: kernel_nbody,
    },
];

/// The kernel named `name`.
pub fn kernel(name: &str) -> Option<&'static Kernel> {
    KERNELS.iter().find(|kernel| kernel.name == name)
}

/// A small deterministic generator (xorshift64*), the same on both sides.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

/// Total Collatz steps over `1..=n` ([`super::collatz_total_steps`]):
/// scalar integer work, one dependent chain.
pub fn kernel_collatz(n: u32) -> u64 {
    super::collatz_total_steps(n)
}

/// Integer hashing: `n` 64-bit words through a multiply-xorshift mixer,
/// folded into one FNV-1a-style accumulator.
pub fn kernel_hash(n: u32) -> u64 {
    let mut acc = 0xcbf2_9ce4_8422_2325u64;
    for i in 0..u64::from(n) {
        let mut x = i.wrapping_add(0x9e37_79b9_7f4a_7c15);
        x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        x ^= x >> 31;
        acc = (acc ^ x).wrapping_mul(0x0000_0100_0000_01b3);
    }
    acc
}

/// Sorts `n` pseudo-random 32-bit keys (`sort_unstable`) and returns a
/// position-weighted checksum.
pub fn kernel_sort(n: u32) -> u64 {
    let mut rng = Rng::new(0x5eed);
    let mut keys: Vec<u32> = (0..n).map(|_| rng.next() as u32).collect();
    keys.sort_unstable();
    keys.iter().enumerate().fold(0u64, |sum, (i, &key)| {
        sum.wrapping_add(u64::from(key).wrapping_mul(i as u64 + 1))
    })
}

/// Multiplies two `n`×`n` matrices of `f64` (i-k-j loops) and returns the
/// bits of the sum of the product's elements.
pub fn kernel_matmul(n: u32) -> u64 {
    let n = n as usize;
    let mut rng = Rng::new(0x3a7);
    let mut value = || (rng.next() >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
    let a: Vec<f64> = (0..n * n).map(|_| value()).collect();
    let b: Vec<f64> = (0..n * n).map(|_| value()).collect();
    let mut c = vec![0.0f64; n * n];
    for i in 0..n {
        for k in 0..n {
            let aik = a[i * n + k];
            let row_b = &b[k * n..(k + 1) * n];
            let row_c = &mut c[i * n..(i + 1) * n];
            for (cij, bkj) in row_c.iter_mut().zip(row_b) {
                *cij += aik * bkj;
            }
        }
    }
    c.iter().sum::<f64>().to_bits()
}

/// Counts the occurrences of a few needles in `n` bytes of text from a
/// small alphabet, with `str::matches` (the standard library's search).
pub fn kernel_search(n: u32) -> u64 {
    const ALPHABET: &[u8] = b"abcdefgh ";
    let mut rng = Rng::new(0x5ea7c4);
    let text: String = (0..n)
        .map(|_| ALPHABET[(rng.next() % ALPHABET.len() as u64) as usize] as char)
        .collect();
    ["abc", "hgfe", "a b", "deadbeef", "cab bac"]
        .iter()
        .enumerate()
        .map(|(i, needle)| (i as u64 + 1) * text.matches(needle).count() as u64)
        .sum()
}

/// Generates about `n` bytes of JSON-like text (objects of numbers, strings
/// and arrays), then tokenizes and parses it by hand: the sum of the numbers
/// and the count of each kind of token, folded.
pub fn kernel_parse(n: u32) -> u64 {
    let mut rng = Rng::new(0x75e);
    let mut text = String::with_capacity(n as usize + 64);
    while text.len() < n as usize {
        let id = rng.next() % 100_000;
        let size = rng.next() % 5;
        text.push_str("{\"id\": ");
        text.push_str(&id.to_string());
        text.push_str(", \"name\": \"item");
        text.push_str(&(id % 977).to_string());
        text.push_str("\", \"tags\": [");
        for tag in 0..size {
            if tag > 0 {
                text.push_str(", ");
            }
            text.push_str(&(rng.next() % 1000).to_string());
        }
        text.push_str("], \"ok\": true}\n");
    }
    let bytes = text.as_bytes();
    let (mut numbers, mut strings, mut punctuation, mut words) = (0u64, 0u64, 0u64, 0u64);
    let mut sum = 0u64;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b' ' | b'\n' | b'\t' => i += 1,
            b'{' | b'}' | b'[' | b']' | b':' | b',' => {
                punctuation += 1;
                i += 1;
            }
            b'"' => {
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    i += if bytes[i] == b'\\' { 2 } else { 1 };
                }
                i += 1;
                strings += 1;
            }
            b'0'..=b'9' | b'-' => {
                let negative = bytes[i] == b'-';
                i += usize::from(negative);
                let mut value = 0u64;
                while i < bytes.len() && bytes[i].is_ascii_digit() {
                    value = value * 10 + u64::from(bytes[i] - b'0');
                    i += 1;
                }
                sum = if negative {
                    sum.wrapping_sub(value)
                } else {
                    sum.wrapping_add(value)
                };
                numbers += 1;
            }
            _ => {
                while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
                    i += 1;
                }
                words += 1;
            }
        }
    }
    sum ^ (numbers << 40) ^ (strings << 28) ^ (punctuation << 12) ^ words
}

/// The n-body simulation of the Computer Language Benchmarks Game (the Sun
/// and the four giant planets), `n` steps: the bits of the final energy.
/// Indexed loops over the three axes, as the benchmark's programs write it.
#[allow(clippy::needless_range_loop)]
pub fn kernel_nbody(n: u32) -> u64 {
    const PI: f64 = std::f64::consts::PI;
    const SOLAR_MASS: f64 = 4.0 * PI * PI;
    const DAYS_PER_YEAR: f64 = 365.24;
    #[derive(Clone, Copy)]
    struct Body {
        position: [f64; 3],
        velocity: [f64; 3],
        mass: f64,
    }
    let planet = |position: [f64; 3], velocity: [f64; 3], mass: f64| Body {
        position,
        velocity: velocity.map(|v| v * DAYS_PER_YEAR),
        mass: mass * SOLAR_MASS,
    };
    let mut bodies = [
        planet([0.0; 3], [0.0; 3], 1.0),
        planet(
            [
                4.841_431_442_464_72,
                -1.160_320_044_027_428_4,
                -0.103_622_044_471_123_1,
            ],
            [
                1.660_076_642_744_037e-3,
                7.699_011_184_197_404e-3,
                -6.904_600_169_720_63e-5,
            ],
            9.547_919_384_243_266e-4,
        ),
        planet(
            [
                8.343_366_718_244_58,
                4.124_798_564_124_305,
                -4.035_234_171_143_214e-1,
            ],
            [
                -2.767_425_107_268_624e-3,
                4.998_528_012_349_172e-3,
                2.304_172_975_737_639_3e-5,
            ],
            2.858_859_806_661_308e-4,
        ),
        planet(
            [
                12.894_369_562_139_131,
                -15.111_151_401_698_631,
                -2.233_075_788_926_557_3e-1,
            ],
            [
                2.964_601_375_647_616e-3,
                2.378_471_739_594_809_5e-3,
                -2.965_895_685_402_375_6e-5,
            ],
            4.366_244_043_351_563e-5,
        ),
        planet(
            [
                15.379_697_114_850_917,
                -25.919_314_609_987_964,
                1.792_587_729_503_711_8e-1,
            ],
            [
                2.680_677_724_903_893_2e-3,
                1.628_241_700_382_423e-3,
                -9.515_922_545_197_159e-5,
            ],
            5.151_389_020_466_114_5e-5,
        ),
    ];
    // Offset the Sun's momentum.
    let mut momentum = [0.0f64; 3];
    for body in &bodies {
        for axis in 0..3 {
            momentum[axis] += body.velocity[axis] * body.mass;
        }
    }
    for axis in 0..3 {
        bodies[0].velocity[axis] = -momentum[axis] / SOLAR_MASS;
    }
    let dt = 0.01;
    for _ in 0..n {
        for i in 0..bodies.len() {
            for j in i + 1..bodies.len() {
                let d: [f64; 3] =
                    std::array::from_fn(|axis| bodies[i].position[axis] - bodies[j].position[axis]);
                let distance2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
                let magnitude = dt / (distance2 * distance2.sqrt());
                let (mass_i, mass_j) = (bodies[i].mass, bodies[j].mass);
                for axis in 0..3 {
                    bodies[i].velocity[axis] -= d[axis] * mass_j * magnitude;
                    bodies[j].velocity[axis] += d[axis] * mass_i * magnitude;
                }
            }
        }
        for body in &mut bodies {
            for axis in 0..3 {
                body.position[axis] += dt * body.velocity[axis];
            }
        }
    }
    let mut energy = 0.0f64;
    for i in 0..bodies.len() {
        let v = bodies[i].velocity;
        energy += 0.5 * bodies[i].mass * (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
        for j in i + 1..bodies.len() {
            let d: [f64; 3] =
                std::array::from_fn(|axis| bodies[i].position[axis] - bodies[j].position[axis]);
            energy -=
                bodies[i].mass * bodies[j].mass / (d[0] * d[0] + d[1] * d[1] + d[2] * d[2]).sqrt();
        }
    }
    energy.to_bits()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kernel_is_found_by_name_and_deterministic() {
        assert!(KERNELS.len() >= 6);
        for kernel in KERNELS {
            assert_eq!(
                super::kernel(kernel.name).map(|k| k.name),
                Some(kernel.name)
            );
            assert_eq!((kernel.run)(200), (kernel.run)(200), "{}", kernel.name);
        }
        assert!(super::kernel("no such kernel").is_none());
    }

    #[test]
    fn kernels_compute_what_they_say() {
        assert_eq!(kernel_collatz(10), 67);
        assert_eq!(kernel_hash(0), 0xcbf2_9ce4_8422_2325);
        assert_ne!(kernel_hash(1), kernel_hash(2));
        assert_eq!(kernel_sort(0), 0);
        // A 1x1 product is one multiplication.
        let mut rng = Rng::new(0x3a7);
        let a = (rng.next() >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
        let b = (rng.next() >> 11) as f64 / (1u64 << 53) as f64 - 0.5;
        assert_eq!(f64::from_bits(kernel_matmul(1)), a * b);
        assert_eq!(kernel_search(0), 0);
        assert!(kernel_search(100_000) > 0);
        assert_ne!(kernel_parse(1000), 0);
    }

    #[test]
    fn nbody_energy_matches_the_benchmarks_game() {
        // The reference output: -0.169075164 at the start, -0.169087605
        // after 1000 steps.
        assert!((f64::from_bits(kernel_nbody(0)) + 0.169_075_164).abs() < 1e-9);
        assert!((f64::from_bits(kernel_nbody(1000)) + 0.169_087_605).abs() < 1e-9);
    }
}
