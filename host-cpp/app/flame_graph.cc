#include "flame_graph.hh"

#include <algorithm>
#include <locale>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace wasmhost::app {
namespace {

using nlohmann::json;

[[noreturn]] void invalid(const std::string &why) {
  throw std::runtime_error("not a Firefox profile of the guest profiler: " + why);
}

const json &member(const json &object, const char *key, const std::string &where) {
  if (!object.is_object() || !object.contains(key)) {
    invalid(where + " has no '" + key + "'");
  }
  return object.at(key);
}

const json &arrayMember(const json &object, const char *key, const std::string &where) {
  const json &value = member(object, key, where);
  if (!value.is_array()) {
    invalid(where + "." + key + " is not an array");
  }
  return value;
}

/// `column[index]` as an index below `limit`, or nullopt for null.
std::optional<size_t> indexAt(const json &column, size_t index, size_t limit,
                              const std::string &what) {
  if (index >= column.size()) {
    invalid(what + " has no entry " + std::to_string(index));
  }
  const json &value = column[index];
  if (value.is_null()) {
    return std::nullopt;
  }
  if (!value.is_number_unsigned() || value.get<uint64_t>() >= limit) {
    invalid(what + "[" + std::to_string(index) + "] is not an index below " +
            std::to_string(limit));
  }
  return value.get<size_t>();
}

/// Folds the samples of one thread into `profile`.
void foldThread(const json &thread, const json *shared_strings, FoldedProfile &profile) {
  const json *strings = nullptr;
  if (thread.contains("stringArray")) {
    strings = &arrayMember(thread, "stringArray", "thread");
  } else if (shared_strings != nullptr) {
    strings = shared_strings;
  } else {
    invalid("no stringArray");
  }
  const json &samples = member(thread, "samples", "thread");
  const json &sample_stacks = arrayMember(samples, "stack", "samples");
  const json *weights = samples.contains("weight") && samples.at("weight").is_array()
                            ? &samples.at("weight")
                            : nullptr;
  const json &stack_table = member(thread, "stackTable", "thread");
  const json &prefixes = arrayMember(stack_table, "prefix", "stackTable");
  const json &stack_frames = arrayMember(stack_table, "frame", "stackTable");
  const json &frame_funcs =
      arrayMember(member(thread, "frameTable", "thread"), "func", "frameTable");
  const json &func_names = arrayMember(member(thread, "funcTable", "thread"), "name", "funcTable");

  // Samples by stack index first: a profile repeats few stacks many times.
  std::map<size_t, uint64_t> by_stack;
  for (size_t i = 0; i < sample_stacks.size(); ++i) {
    uint64_t weight = 1;
    if (weights != nullptr && i < weights->size() && !(*weights)[i].is_null()) {
      if (!(*weights)[i].is_number_integer() || (*weights)[i].get<int64_t>() < 0) {
        invalid("samples.weight[" + std::to_string(i) + "] is not a count");
      }
      weight = (*weights)[i].get<uint64_t>();
    }
    profile.samples += weight;
    const auto stack = indexAt(sample_stacks, i, prefixes.size(), "samples.stack");
    if (!stack) {
      profile.empty_samples += weight;
      continue;
    }
    by_stack[*stack] += weight;
  }

  for (const auto &[stack, weight] : by_stack) {
    std::vector<std::string> frames; // innermost first
    // A prefix always comes before its stack: the walk ends.
    for (std::optional<size_t> at = stack; at;) {
      const auto frame = indexAt(stack_frames, *at, frame_funcs.size(), "stackTable.frame");
      const auto func =
          frame ? indexAt(frame_funcs, *frame, func_names.size(), "frameTable.func") : std::nullopt;
      const auto name =
          func ? indexAt(func_names, *func, strings->size(), "funcTable.name") : std::nullopt;
      if (!name || !(*strings)[*name].is_string()) {
        invalid("stack " + std::to_string(*at) + " has no function name");
      }
      frames.push_back((*strings)[*name].get<std::string>());
      const auto prefix = indexAt(prefixes, *at, prefixes.size(), "stackTable.prefix");
      if (prefix && *prefix >= *at) {
        invalid("stackTable.prefix[" + std::to_string(*at) + "] does not come before it");
      }
      at = prefix;
    }
    std::reverse(frames.begin(), frames.end());
    if (frames.size() > kMaxFlameGraphDepth) {
      const size_t more = frames.size() - (kMaxFlameGraphDepth - 1);
      frames.resize(kMaxFlameGraphDepth - 1);
      std::string marker = "["; // (not "[" + ...: a false -Wrestrict of GCC 12)
      marker += std::to_string(more);
      marker += " more frames]";
      frames.push_back(std::move(marker));
    }
    profile.stacks.push_back(FoldedStack{std::move(frames), weight});
  }
}

/// `name` without the hash rustc appends to a mangled path
/// (`guest::core::bench::collatz_total_steps::h70004a5afb3c84ec`).
std::string withoutRustHash(const std::string &name) {
  constexpr size_t kHash = 3 + 16; // "::h" and 16 hex digits
  if (name.size() <= kHash || name.compare(name.size() - kHash, 3, "::h") != 0) {
    return name;
  }
  const bool hex = std::all_of(name.end() - 16, name.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  });
  return hex ? name.substr(0, name.size() - kHash) : name;
}

/// One box of the flame graph: a function in one calling context.
struct Node {
  uint64_t samples = 0;
  std::map<std::string, std::unique_ptr<Node>> children; // alphabetical, as flamegraph.pl
};

/// `text` as XML character data: markup escaped, and what XML 1.0 cannot
/// carry (C0 controls but tab, newline and return; U+FFFE, U+FFFF) as U+FFFD.
std::string xmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    switch (c) {
    case '&':
      out += "&amp;";
      continue;
    case '<':
      out += "&lt;";
      continue;
    case '>':
      out += "&gt;";
      continue;
    case '"':
      out += "&quot;";
      continue;
    case '\'':
      out += "&apos;";
      continue;
    default:
      break;
    }
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
      out += "\xEF\xBF\xBD";
    } else if (c == 0xEF && i + 2 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) == 0xBF &&
               (static_cast<unsigned char>(text[i + 2]) == 0xBE ||
                static_cast<unsigned char>(text[i + 2]) == 0xBF)) {
      out += "\xEF\xBF\xBD";
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

/// The first `count` characters (code points) of UTF-8 `text`.
std::string_view utf8Prefix(std::string_view text, size_t count) {
  size_t i = 0;
  for (size_t seen = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (seen == count) {
        break;
      }
      ++seen;
    }
  }
  return text.substr(0, i);
}

size_t utf8Length(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

/// flamegraph.pl's "hot" palette, from a hash of the name: the same
/// function has the same colour in every graph.
std::string colourOf(std::string_view name) {
  uint64_t hash = 1469598103934665603ULL; // FNV-1a
  for (char c : name) {
    hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  }
  const unsigned red = 205 + static_cast<unsigned>(hash % 50);
  const unsigned green = static_cast<unsigned>((hash / 50) % 230);
  const unsigned blue = static_cast<unsigned>((hash / (50 * 230)) % 55);
  return "rgb(" + std::to_string(red) + "," + std::to_string(green) + "," + std::to_string(blue) +
         ")";
}

struct Layout {
  static constexpr double kWidth = 1200;
  static constexpr double kPad = 10;
  static constexpr double kFrameHeight = 16;
  static constexpr double kTop = 56;
  static constexpr double kBottom = 10;
  static constexpr double kMinWidth = 0.1;  // narrower boxes (and their callees) are left out
  static constexpr double kCharWidth = 7.2; // 12 px monospace
  double height = 0;
  uint64_t total = 0;
};

void drawNode(std::ostream &svg, const Layout &layout, const std::string &name, const Node &node,
              size_t depth, double x) {
  const double width = (Layout::kWidth - 2 * Layout::kPad) * static_cast<double>(node.samples) /
                       static_cast<double>(layout.total);
  if (width < Layout::kMinWidth) {
    return;
  }
  const double y =
      layout.height - Layout::kBottom - static_cast<double>(depth + 1) * Layout::kFrameHeight;
  const double percent =
      100.0 * static_cast<double>(node.samples) / static_cast<double>(layout.total);
  const std::string escaped = xmlEscape(name);
  svg << "<g><title>" << escaped << " (" << node.samples << " samples, " << percent
      << "%)</title><rect x=\"" << x << "\" y=\"" << y << "\" width=\"" << width << "\" height=\""
      << Layout::kFrameHeight - 1 << "\" rx=\"2\" fill=\"" << colourOf(name) << "\"/>";
  const auto fits = static_cast<size_t>((width - 6) / Layout::kCharWidth);
  if (fits >= 3) {
    const size_t length = utf8Length(name);
    const std::string label =
        length <= fits ? name : std::string(utf8Prefix(name, fits - 2)) + "..";
    svg << "<text x=\"" << x + 3 << "\" y=\"" << y + 11.5 << "\">" << xmlEscape(label) << "</text>";
  }
  svg << "</g>\n";
  double child_x = x;
  for (const auto &[child_name, child] : node.children) {
    drawNode(svg, layout, child_name, *child, depth + 1, child_x);
    child_x += (Layout::kWidth - 2 * Layout::kPad) * static_cast<double>(child->samples) /
               static_cast<double>(layout.total);
  }
}

} // namespace

FoldedProfile foldFirefoxProfile(std::string_view text) {
  json profile_json;
  try {
    profile_json = json::parse(text.begin(), text.end());
  } catch (const json::exception &error) {
    invalid(std::string("invalid JSON: ") + error.what());
  }
  FoldedProfile profile;
  const json &meta = member(profile_json, "meta", "the profile");
  if (meta.contains("interval") && meta.at("interval").is_number()) {
    profile.interval_ms = meta.at("interval").get<double>();
  }
  const json *shared_strings = nullptr;
  if (profile_json.contains("shared") && profile_json.at("shared").contains("stringArray")) {
    shared_strings = &arrayMember(profile_json.at("shared"), "stringArray", "shared");
  }
  try {
    for (const json &thread : arrayMember(profile_json, "threads", "the profile")) {
      foldThread(thread, shared_strings, profile);
    }
  } catch (const json::exception &error) {
    invalid(error.what());
  }
  return profile;
}

std::string flameGraphSvg(const FoldedProfile &profile, std::string_view title) {
  Node root;
  size_t depth = 0;
  for (const auto &stack : profile.stacks) {
    Node *node = &root;
    node->samples += stack.samples;
    for (const auto &frame : stack.frames) {
      auto &child = node->children[withoutRustHash(frame)];
      if (!child) {
        child = std::make_unique<Node>();
      }
      node = child.get();
      node->samples += stack.samples;
    }
    depth = std::max(depth, stack.frames.size());
  }

  Layout layout;
  layout.total = root.samples;
  layout.height =
      Layout::kTop + static_cast<double>(depth + 1) * Layout::kFrameHeight + Layout::kBottom;
  std::ostringstream svg;
  svg.imbue(std::locale::classic());
  svg.setf(std::ios::fixed);
  svg.precision(2);
  svg << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      << "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"" << Layout::kWidth
      << "\" height=\"" << layout.height << "\" viewBox=\"0 0 " << Layout::kWidth << " "
      << layout.height << "\" font-family=\"monospace\" font-size=\"12\">\n"
      << "<rect x=\"0\" y=\"0\" width=\"" << Layout::kWidth << "\" height=\"" << layout.height
      << "\" fill=\"#f8f8f0\"/>\n"
      << "<text x=\"" << Layout::kWidth / 2 << "\" y=\"22\" text-anchor=\"middle\" "
      << "font-size=\"16\">" << xmlEscape(title) << "</text>\n"
      << "<text x=\"" << Layout::kWidth / 2 << "\" y=\"42\" text-anchor=\"middle\" fill=\"#555\">"
      << root.samples << " samples with guest frames (at each call and every " << std::defaultfloat
      << profile.interval_ms << std::fixed << " ms); " << profile.empty_samples
      << " more without (taken after a return)</text>\n";
  if (root.samples == 0) {
    svg << "<text x=\"" << Layout::kWidth / 2 << "\" y=\"" << Layout::kTop + 12
        << "\" text-anchor=\"middle\">no sample had a guest frame</text>\n";
  } else {
    svg << "<g id=\"frames\">\n";
    drawNode(svg, layout, "all", root, 0, Layout::kPad);
    svg << "</g>\n";
  }
  svg << "</svg>\n";
  return svg.str();
}

} // namespace wasmhost::app
