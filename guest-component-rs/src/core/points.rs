//! `parse-point` and `classify`.

use super::Point;

/// The world's `parse-error` variant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    /// The text was "" (only the empty string: "  " has one field).
    Empty,
    /// The first field that is not an `i32`, trimmed.
    NotANumber(String),
    /// The number of ','-separated fields, when it is not 2.
    WrongFieldCount(u32),
}

/// The world's `shape` enum.
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub enum Shape {
    Dot,
    Line,
    Area,
}

/// "x,y" -> point. In order: "" is [`ParseError::Empty`]; the text is split
/// at every ',' and each field trimmed (`str::trim`, Unicode whitespace);
/// other than 2 fields is [`ParseError::WrongFieldCount`] (checked before
/// any number); else the first field that `i32::from_str` refuses is
/// [`ParseError::NotANumber`] with that field, trimmed ("+7" is 7, "" and
/// "1.0" are not numbers).
pub fn parse_point(text: &str) -> Result<Point, ParseError> {
    if text.is_empty() {
        return Err(ParseError::Empty);
    }
    let fields: Vec<&str> = text.split(',').map(str::trim).collect();
    if fields.len() != 2 {
        // More than u32::MAX fields cannot reach here (the text would be
        // over 4 GiB, past a wasm32 memory); saturate rather than wrap.
        return Err(ParseError::WrongFieldCount(
            u32::try_from(fields.len()).unwrap_or(u32::MAX),
        ));
    }
    let number = |field: &str| {
        field
            .parse::<i32>()
            .map_err(|_| ParseError::NotANumber(field.to_owned()))
    };
    Ok(Point {
        x: number(fields[0])?,
        y: number(fields[1])?,
    })
}

/// x = y = 0: [`Shape::Dot`]; exactly one of x, y is 0: [`Shape::Line`];
/// else [`Shape::Area`].
pub fn classify(p: Point) -> Shape {
    match (p.x == 0, p.y == 0) {
        (true, true) => Shape::Dot,
        (true, false) | (false, true) => Shape::Line,
        (false, false) => Shape::Area,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nan(field: &str) -> Result<Point, ParseError> {
        Err(ParseError::NotANumber(field.to_owned()))
    }

    #[test]
    fn parses_two_numbers_with_whitespace_around_each() {
        assert_eq!(parse_point("3,4"), Ok(Point { x: 3, y: 4 }));
        assert_eq!(parse_point(" -3 ,\t+4\n"), Ok(Point { x: -3, y: 4 }));
        assert_eq!(
            parse_point("-2147483648,2147483647"),
            Ok(Point {
                x: i32::MIN,
                y: i32::MAX
            })
        );
        // str::trim trims Unicode whitespace too (U+3000 IDEOGRAPHIC SPACE).
        assert_eq!(parse_point("\u{3000}1,2\u{3000}"), Ok(Point { x: 1, y: 2 }));
    }

    #[test]
    fn only_the_empty_string_is_empty() {
        assert_eq!(parse_point(""), Err(ParseError::Empty));
        assert_eq!(parse_point(" "), Err(ParseError::WrongFieldCount(1)));
    }

    #[test]
    fn field_count_is_checked_before_the_numbers() {
        assert_eq!(parse_point("1"), Err(ParseError::WrongFieldCount(1)));
        assert_eq!(parse_point("1,2,3"), Err(ParseError::WrongFieldCount(3)));
        assert_eq!(parse_point("a,b,c"), Err(ParseError::WrongFieldCount(3)));
        assert_eq!(parse_point(",,"), Err(ParseError::WrongFieldCount(3)));
        assert_eq!(parse_point("x"), Err(ParseError::WrongFieldCount(1)));
    }

    #[test]
    fn the_first_bad_field_is_reported_trimmed() {
        assert_eq!(parse_point(" a , b "), nan("a"));
        assert_eq!(parse_point("1, b "), nan("b"));
        assert_eq!(parse_point(","), nan(""));
        assert_eq!(parse_point("1,"), nan(""));
        assert_eq!(parse_point("1.5,2"), nan("1.5"));
        assert_eq!(parse_point("2147483648,0"), nan("2147483648"));
        assert_eq!(parse_point("0,-2147483649"), nan("-2147483649"));
        assert_eq!(parse_point("1 2,3"), nan("1 2"));
        assert_eq!(parse_point("0x10,3"), nan("0x10"));
        assert_eq!(parse_point("-,3"), nan("-"));
    }

    #[test]
    fn classify_by_zero_coordinates() {
        assert_eq!(classify(Point { x: 0, y: 0 }), Shape::Dot);
        assert_eq!(classify(Point { x: 0, y: 5 }), Shape::Line);
        assert_eq!(classify(Point { x: -5, y: 0 }), Shape::Line);
        assert_eq!(classify(Point { x: 1, y: -1 }), Shape::Area);
        assert_eq!(
            classify(Point {
                x: i32::MIN,
                y: i32::MAX
            }),
            Shape::Area
        );
    }
}
