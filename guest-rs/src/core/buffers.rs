//! Buffers shared with the host, the safe alternative to fixed offsets: the
//! layout of a block, the packed `(offset, length)` of a returned string, and
//! the `strings` scenario's transformation.

use std::alloc::Layout;

/// The layout of a block the host asks for with `guest_alloc(size, align)`
/// and gives back with `guest_free(ptr, size, align)`: `None` unless `align`
/// is a power of two and `size` rounded up to it fits in `isize`.
pub fn buffer_layout(size: usize, align: usize) -> Option<Layout> {
    Layout::from_size_align(size, align).ok()
}

/// A `(pointer, length)` pair returned to the host in one `i64`: the offset
/// in the high 32 bits, the length in the low 32 bits. `0` (a null pointer)
/// means "no result".
pub fn pack_slice(offset: u32, len: u32) -> u64 {
    (u64::from(offset) << 32) | u64::from(len)
}

/// The inverse of [`pack_slice`].
pub fn unpack_slice(packed: u64) -> (u32, u32) {
    // Both halves fit in u32 by construction: the casts drop nothing.
    ((packed >> 32) as u32, (packed & 0xFFFF_FFFF) as u32)
}

/// The `strings` scenario's transformation: the characters in reverse order,
/// upper-cased (`"Grüße 🦀"` becomes `"🦀 ESSÜRG"`). Works on `char`s, so
/// multi-byte UTF-8 sequences stay intact; the result may be longer than the
/// input (`ß` becomes `SS`).
pub fn transform_text(input: &str) -> String {
    let output: String = input.chars().rev().flat_map(char::to_uppercase).collect();
    println!("[WASM Core] transform_text: {input:?} -> {output:?}");
    output
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffer_layout_accepts_powers_of_two_only() {
        let layout = buffer_layout(24, 4).expect("valid layout");
        assert_eq!((layout.size(), layout.align()), (24, 4));
        assert_eq!(buffer_layout(0, 1).map(|l| l.size()), Some(0));
        assert!(buffer_layout(8, 3).is_none());
        assert!(buffer_layout(8, 0).is_none());
        assert!(buffer_layout(usize::MAX, 8).is_none());
    }

    #[test]
    fn slices_pack_offset_high_and_length_low() {
        assert_eq!(pack_slice(0x0010_2030, 5), 0x0010_2030_0000_0005);
        assert_eq!(
            unpack_slice(pack_slice(u32::MAX, u32::MAX)),
            (u32::MAX, u32::MAX)
        );
        assert_eq!(unpack_slice(0), (0, 0));
    }

    #[test]
    fn transform_reverses_characters_and_upper_cases() {
        assert_eq!(
            transform_text("Grüße vom 🦀 an C++ ✓"),
            "✓ ++C NA 🦀 MOV ESSÜRG"
        );
        assert_eq!(transform_text("é"), "É");
        assert_eq!(transform_text(""), "");
        // ß upper-cases to two characters: the output can be longer.
        assert_eq!(transform_text("ß").chars().count(), 2);
    }
}
