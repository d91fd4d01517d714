#!/usr/bin/env python3
"""flame_graph_check.py GRAPH.svg FUNCTION: parses a flame graph of
`host --profile guest=FILE` as XML (Python's xml.etree) and prints

    samples: <n> with guest frames
    function: <name> in <n> samples

for the one box whose name ends with FUNCTION (its <title> reads
"NAME (N samples, P%)"; the bottom box is "all"). It checks that the file is
an SVG document, that every box has a title, a rectangle inside the picture
and a width proportional to its samples, and that a callee is never wider
than the box below it. Exit status 0 when FUNCTION has a box with samples,
1 when not, 2 when the file is not such a flame graph."""

import re
import sys
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"
TITLE = re.compile(r"^(?P<name>.*) \((?P<samples>\d+) samples, (?P<percent>[0-9.]+)%\)$")


def fail(why):
    print(f"flame_graph_check: {why}", file=sys.stderr)
    sys.exit(2)


def main():
    if len(sys.argv) != 3:
        fail("usage: flame_graph_check.py GRAPH.svg FUNCTION")
    path, wanted = sys.argv[1], sys.argv[2]
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as error:
        fail(f"{path} is not well-formed XML: {error}")
    if root.tag != SVG + "svg":
        fail(f"the root element is {root.tag}, not an SVG <svg>")
    width = float(root.get("width"))
    height = float(root.get("height"))

    boxes = []
    for group in root.iter(SVG + "g"):
        title = group.find(SVG + "title")
        rect = group.find(SVG + "rect")
        if title is None and rect is None:
            continue  # the frames' container
        if title is None or rect is None:
            fail("a box without a title or a rectangle")
        match = TITLE.match(title.text or "")
        if not match:
            fail(f"a title that is not 'NAME (N samples, P%)': {title.text!r}")
        x, y, w = (float(rect.get(a)) for a in ("x", "y", "width"))
        if not (0 <= x and x + w <= width + 0.01 and 0 <= y < height and w > 0):
            fail(f"the box of {match['name']} lies outside the picture")
        boxes.append((match["name"], int(match["samples"]), float(match["percent"]), x, y, w))

    if not boxes or boxes[0][0] != "all":
        fail("the first box is not 'all'")
    total = boxes[0][1]
    all_width = boxes[0][5]
    for name, samples, percent, x, y, w in boxes:
        if abs(w - all_width * samples / total) > 0.02:
            fail(f"the box of {name} is {w} wide for {samples} of {total} samples")
        if abs(percent - 100.0 * samples / total) > 0.006:
            fail(f"the box of {name} says {percent}% for {samples} of {total} samples")
        # The box below this one (one frame lower, overlapping it) is its caller.
        below = [b for b in boxes if abs(b[4] - (y + 16)) < 0.01 and b[3] <= x + 0.01
                 and x + w <= b[3] + b[5] + 0.02]
        if name != "all" and (len(below) != 1 or below[0][1] < samples):
            fail(f"the box of {name} does not stand on one wider caller")

    found = [b for b in boxes if b[0].endswith(wanted)]
    print(f"samples: {total} with guest frames")
    if len(found) != 1:
        print(f"function: {len(found)} boxes end with '{wanted}'")
        return 1
    print(f"function: {found[0][0]} in {found[0][1]} samples")
    return 0 if found[0][1] > 0 else 1


if __name__ == "__main__":
    sys.exit(main())
