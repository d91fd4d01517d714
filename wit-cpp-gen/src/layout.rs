//! Line layout as the repo's `.clang-format` (LLVM, 100 columns) does it, for
//! the shapes the generator writes: a call or declaration whose arguments are
//! bin-packed after the open parenthesis, constructor initializer lists and
//! `///` comments. Lines are written with their indentation.

/// The column limit of the repo's `.clang-format`.
pub const COLUMNS: usize = 100;

fn spaces(count: usize) -> String {
    " ".repeat(count)
}

/// `head` + `args` joined with ", " + `tail` on one line at `indent` when it
/// fits; else the arguments bin-packed, aligned after `head` (which ends
/// with the open bracket); else, when even that leaves no room, broken
/// after the bracket and indented by 4 more.
pub fn packed(indent: usize, head: &str, args: &[String], tail: &str) -> String {
    let one = format!("{}{}{}{}", spaces(indent), head, args.join(", "), tail);
    if one.len() <= COLUMNS || args.is_empty() {
        return one + "\n";
    }
    let aligned = indent + head.len();
    let widest = args.iter().map(|a| a.len()).max().unwrap_or(0) + 1 + tail.len();
    if aligned + widest <= COLUMNS {
        return pack(format!("{}{}", spaces(indent), head), aligned, args, tail);
    }
    let mut out = format!("{}{}\n", spaces(indent), head.trim_end());
    out += &pack(spaces(indent + 4), indent + 4, args, tail);
    out
}

/// Greedy packing: `first` starts the first line, later lines start at
/// column `column`; arguments end in "," except the last, which ends in
/// `tail`.
fn pack(first: String, column: usize, args: &[String], tail: &str) -> String {
    let mut out = String::new();
    let mut line = first;
    let mut line_empty = true;
    for (i, arg) in args.iter().enumerate() {
        let end = if i + 1 == args.len() { tail } else { "," };
        let piece = if line_empty {
            format!("{arg}{end}")
        } else {
            format!(" {arg}{end}")
        };
        if !line_empty && line.len() + piece.len() > COLUMNS {
            out += &line;
            out.push('\n');
            line = format!("{}{arg}{end}", spaces(column));
        } else {
            line += &piece;
        }
        line_empty = false;
    }
    out += &line;
    out.push('\n');
    out
}

/// A constructor's initializer list (`: a(x), b(y)`) and empty body, after
/// the constructor's declaration line: on the declaration's line when all
/// fit, else on the next lines at `indent + 6`, bin-packed; an initializer
/// too long for a line is broken inside its parentheses (`a(` then the
/// rest at 4 more), or before the arguments of its last call.
pub fn initializers(indent: usize, declaration: &str, inits: &[String]) -> String {
    if inits.is_empty() {
        return format!("{}{declaration} {{}}\n", spaces(indent));
    }
    let one = format!(
        "{}{declaration} : {} {{}}",
        spaces(indent),
        inits.join(", ")
    );
    if one.len() <= COLUMNS {
        return one + "\n";
    }
    let column = indent + 6;
    let mut out = format!("{}{declaration}\n", spaces(indent));
    let mut line = format!("{}: ", spaces(indent + 4));
    let mut empty = true;
    for (i, init) in inits.iter().enumerate() {
        let end = if i + 1 == inits.len() { " {}" } else { "," };
        let piece = format!("{init}{end}");
        if !empty && line.len() + 1 + piece.len() <= COLUMNS {
            line += " ";
            line += &piece;
            continue;
        }
        if !empty {
            out += &line;
            out.push('\n');
            line = spaces(column);
        }
        if column + piece.len() <= COLUMNS {
            line += &piece;
            empty = false;
            continue;
        }
        // Broken inside: `name(` + inner + `)`.
        let open = init.find('(').unwrap() + 1;
        let inner = &init[open..init.len() - 1];
        if column + 4 + inner.len() + 1 + end.len() <= COLUMNS {
            out += &format!(
                "{line}{}\n{}{inner}){end}\n",
                &init[..open],
                spaces(column + 4)
            );
        } else {
            let split = init.rfind(">(").map(|p| p + 2).unwrap_or(open);
            out += &format!(
                "{line}{}\n{}{}{end}\n",
                &init[..split],
                spaces(column + 4),
                &init[split..]
            );
        }
        line = spaces(column);
        empty = true;
    }
    if !empty {
        out += &line;
        out.push('\n');
    }
    out
}

/// WIT docs as `///` lines at `indent`, each line of the docs kept, one too
/// long wrapped at spaces.
pub fn doc(indent: usize, docs: &Option<String>) -> String {
    let Some(text) = docs else {
        return String::new();
    };
    let prefix = format!("{}/// ", spaces(indent));
    let mut out = String::new();
    for raw in text.trim_end().lines() {
        let line = raw.trim_end();
        if line.is_empty() {
            out += &format!("{}///\n", spaces(indent));
            continue;
        }
        let mut current = String::new();
        for word in line.split(' ') {
            if !current.is_empty() && prefix.len() + current.len() + 1 + word.len() > COLUMNS {
                out += &format!("{prefix}{current}\n");
                current.clear();
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current += word;
        }
        out += &format!("{prefix}{current}\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_on_one_line() {
        assert_eq!(
            packed(0, "f(", &["a".into(), "b".into()], ");"),
            "f(a, b);\n"
        );
    }

    #[test]
    fn packs_aligned_after_the_bracket() {
        let args: Vec<String> = (0..30).map(|i| format!("\"name{i}\"")).collect();
        let out = packed(0, "WASMHOST_WIT_ENUM(x::Y, ", &args, ");");
        for line in out.lines() {
            assert!(line.len() <= COLUMNS, "{line}");
        }
        let second = out.lines().nth(1).unwrap();
        assert!(second.starts_with(&spaces("WASMHOST_WIT_ENUM(".len())));
    }

    #[test]
    fn long_doc_lines_wrap() {
        let text = Some(format!("{} end", "word ".repeat(30)));
        let out = doc(2, &text);
        assert!(out.lines().count() == 2);
        assert!(out
            .lines()
            .all(|l| l.len() <= COLUMNS && l.starts_with("  /// ")));
    }
}
