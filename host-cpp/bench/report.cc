#include "report.hh"

#include <sched.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <sstream>
#include <stdexcept>

#include <wasmtime.h>

namespace wasmhost::bench {

Summary summarize(const Figure &figure) {
  return {figure.key,   figure.unit,  figure.median(),
          figure.min(), figure.max(), static_cast<int>(figure.samples.size()),
          figure.by};
}

std::string cpuModel() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  std::string line;
  while (std::getline(cpuinfo, line)) {
    if (line.rfind("model name", 0) == 0) {
      if (auto colon = line.find(':'); colon != std::string::npos) {
        return line.substr(line.find_first_not_of(' ', colon + 1));
      }
    }
  }
  return "unknown CPU";
}

long usableCpus() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    return CPU_COUNT(&set);
  }
  return 0;
}

std::string loadAverage() {
  std::ifstream loadavg("/proc/loadavg");
  std::string one_minute;
  return loadavg >> one_minute ? one_minute : std::string("unknown");
}

const std::vector<Check> &checks() {
  static const std::vector<Check> list{
      {"h2g wasmhost_typed / c_api", "call.h2g.wasmhost_typed_ns", "call.h2g.c_api_ns", "<=", 1.1},
      {"g2h wasmhost / c_api", "call.g2h.wasmhost_ns", "call.g2h.c_api_ns", "<=", 1.1},
      {"h2g wasmhost_by_name / wasmhost_typed", "call.h2g.wasmhost_by_name_ns",
       "call.h2g.wasmhost_typed_ns", "<=", 1.5},
      {"mem bulk / memcpy", "mem.bulk_gbps", "mem.memcpy_gbps", ">=", 0.8},
      {"start deserialize / compile", "start.deserialize_ms", "start.compile_ms", "<=", 0.1},
      {"start instantiate_pre_pooling_us", "start.instantiate_pre_pooling_us", "", "<=", 6},
      {"compute wasm / native", "compute.wasm_ms", "compute.native_ms", "<=", 1.5},
      {"h2g c_api / rust", "call.h2g.c_api_ns", "call.h2g.rust_ns", "", 0},
      {"g2h c_api / rust", "call.g2h.c_api_ns", "call.g2h.rust_ns", "", 0},
      {"g2h wasmhost / rust", "call.g2h.wasmhost_ns", "call.g2h.rust_ns", "", 0},
      {"h2g wasmhost_typed / native call", "call.h2g.wasmhost_typed_ns", "call.native_ns", "", 0},
      {"start instantiate / instantiate_pre_pooling", "start.instantiate_us",
       "start.instantiate_pre_pooling_us", "", 0},
  };
  return list;
}

const std::vector<std::string> &expectedKeys() {
  static const std::vector<std::string> keys{
      "call.h2g.wasmhost_by_name_ns",
      "call.h2g.wasmhost_typed_ns",
      "call.h2g.c_api_ns",
      "call.h2g.rust_ns",
      "call.native_ns",
      "call.g2h.wasmhost_ns",
      "call.g2h.c_api_ns",
      "call.g2h.rust_ns",
      "mem.point_write_ns",
      "mem.point_read_ns",
      "mem.bulk_gbps",
      "mem.memcpy_gbps",
      "start.compile_ms",
      "start.deserialize_ms",
      "start.instantiate_us",
      "start.instantiate_pre_pooling_us",
      "compute.wasm_ms",
      "compute.native_ms",
  };
  return keys;
}

Report::Report(RunInfo info, std::vector<Summary> figures)
    : info_(std::move(info)), figures_(std::move(figures)) {}

const Summary *Report::find(std::string_view key) const {
  for (const auto &figure : figures_) {
    if (figure.key == key) {
      return &figure;
    }
  }
  return nullptr;
}

std::optional<double> Report::value(const Check &check) const {
  const Summary *numerator = find(check.numerator);
  if (numerator == nullptr) {
    return std::nullopt;
  }
  if (check.denominator.empty()) {
    return numerator->median;
  }
  const Summary *denominator = find(check.denominator);
  if (denominator == nullptr || !(denominator->median > 0)) {
    return std::nullopt;
  }
  return numerator->median / denominator->median;
}

namespace {

bool met(const Check &check, double value) {
  return check.op == "<=" ? value <= check.bound : value >= check.bound;
}

std::string boundText(const Check &check) {
  std::ostringstream out;
  out << check.op << " " << check.bound;
  return out.str();
}

std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
    }
    out += c;
  }
  return out + "\"";
}

std::string number(double value) {
  std::ostringstream out;
  out << std::setprecision(6) << value;
  return out.str();
}

/// The check's key in the JSON: `target.<figure>` for a figure's own target,
/// `ratio.<figure>/<figure>` for a ratio.
std::string checkKey(const Check &check) {
  return check.denominator.empty() ? "target." + check.numerator
                                   : "ratio." + check.numerator + "/" + check.denominator;
}

} // namespace

void Report::print(std::ostream &out) const {
  out << "Wasmtime " << WASMTIME_VERSION << ", " << info_.cpu << ", " << info_.cpus
      << " CPUs (nproc), load average " << info_.load << " at the start; " << info_.mode
      << " run, median of " << info_.reps << " repetitions\n\n";
  out << std::left << std::setw(36) << "figure" << std::right << std::setw(12) << "median"
      << std::setw(12) << "min" << std::setw(12) << "max"
      << "  " << std::left << std::setw(6) << "unit"
      << "by\n";
  for (const auto &key : expectedKeys()) {
    out << std::left << std::setw(36) << key << std::right;
    if (const Summary *figure = find(key)) {
      out << std::fixed << std::setprecision(3) << std::setw(12) << figure->median << std::setw(12)
          << figure->min << std::setw(12) << figure->max << "  " << std::left << std::setw(6)
          << figure->unit << figure->by << "\n";
    } else {
      out << std::setw(12) << "n/a"
          << "  (run the Rust comparator: scripts/bench.sh)\n";
    }
  }
  out << "\n"
      << std::left << std::setw(46) << "ratio of medians" << std::right << std::setw(10) << "value"
      << std::setw(10) << "target"
      << "  verdict\n";
  for (const auto &check : checks()) {
    const auto value = this->value(check);
    out << std::left << std::setw(46) << check.name << std::right << std::setw(10);
    if (value) {
      out << std::fixed << std::setprecision(3) << *value;
    } else {
      out << "n/a";
    }
    out << std::setw(10) << (check.op.empty() ? "-" : boundText(check)) << "  ";
    if (check.op.empty()) {
      out << "(for information)";
    } else if (!value) {
      out << "n/a (figure missing)";
    } else {
      out << (met(check, *value) ? "met" : "MISSED");
    }
    out << "\n";
  }
  out.unsetf(std::ios::fixed);
}

void Report::writeJson(const std::string &path) const {
  std::ostringstream json;
  json << "{\n  \"meta\": {\"tool\": \"host-bench\", \"mode\": " << quoted(info_.mode)
       << ", \"reps\": " << info_.reps << ", \"wasmtime\": " << quoted(WASMTIME_VERSION)
       << ", \"cpu\": " << quoted(info_.cpu) << ", \"nproc\": " << info_.cpus
       << ", \"loadavg\": " << quoted(info_.load)
       << ", \"rust_results\": " << quoted(info_.rust_results) << "}";
  for (const auto &figure : figures_) {
    json << ",\n  " << quoted(figure.key) << ": {\"median\": " << number(figure.median)
         << ", \"min\": " << number(figure.min) << ", \"max\": " << number(figure.max)
         << ", \"unit\": " << quoted(figure.unit) << ", \"reps\": " << figure.reps
         << ", \"by\": " << quoted(figure.by) << "}";
  }
  for (const auto &check : checks()) {
    const auto value = this->value(check);
    json << ",\n  " << quoted(checkKey(check))
         << ": {\"value\": " << (value ? number(*value) : "null");
    if (!check.op.empty()) {
      json << ", \"target\": " << quoted(boundText(check))
           << ", \"met\": " << (value ? (met(check, *value) ? "true" : "false") : "null");
    }
    json << "}";
  }
  json << "\n}\n";
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!(file << json.str())) {
    throw std::runtime_error("cannot write '" + path + "'");
  }
}

// --- Reading the flat JSON format. --------------------------------------------

namespace {

class FlatJsonParser {
public:
  explicit FlatJsonParser(std::string_view text) : text_(text) {}

  std::map<std::string, JsonRecord, std::less<>> parse() {
    auto records = parseObject<std::map<std::string, JsonRecord, std::less<>>>(
        [this] { return parseObject<JsonRecord>([this] { return parseScalar(); }); });
    skipSpace();
    if (pos_ != text_.size()) {
      error("text after the top-level object");
    }
    return records;
  }

private:
  [[noreturn]] void error(const std::string &what) const {
    throw std::runtime_error("invalid results JSON at offset " + std::to_string(pos_) + ": " +
                             what);
  }

  void skipSpace() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) {
      ++pos_;
    }
  }

  bool consume(char c) {
    skipSpace();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  void expect(char c) {
    if (!consume(c)) {
      error(std::string("expected '") + c + "'");
    }
  }

  std::string parseString() {
    expect('"');
    std::string out;
    while (pos_ < text_.size() && text_[pos_] != '"') {
      char c = text_[pos_++];
      if (c == '\\') {
        if (pos_ >= text_.size()) {
          break;
        }
        const char escaped = text_[pos_++];
        switch (escaped) {
        case 'n':
          c = '\n';
          break;
        case 't':
          c = '\t';
          break;
        case 'r':
          c = '\r';
          break;
        case 'b':
          c = '\b';
          break;
        case 'f':
          c = '\f';
          break;
        case 'u':
          if (pos_ + 4 > text_.size()) {
            error("short \\u escape");
          }
          pos_ += 4;
          c = '?'; // only ASCII matters here
          break;
        default:
          c = escaped; // \" \\ \/
        }
      }
      out += c;
    }
    expect('"');
    return out;
  }

  JsonScalar parseScalar() {
    skipSpace();
    if (pos_ >= text_.size()) {
      error("unexpected end");
    }
    const char c = text_[pos_];
    if (c == '"') {
      return parseString();
    }
    for (auto [word, value] : {std::pair<std::string_view, JsonScalar>{"true", true},
                               {"false", false},
                               {"null", nullptr}}) {
      if (text_.substr(pos_, word.size()) == word) {
        pos_ += word.size();
        return value;
      }
    }
    const std::string token(text_.substr(pos_, text_.find_first_of(",} \n\r\t", pos_) - pos_));
    char *end = nullptr;
    const double value = std::strtod(token.c_str(), &end);
    if (token.empty() || end != token.c_str() + token.size()) {
      error("expected a string, number, true, false or null");
    }
    pos_ += token.size();
    return value;
  }

  /// `{"key": value, ...}` with `parse_value` for the values.
  template <typename Members, typename ParseValue> Members parseObject(ParseValue parse_value) {
    Members members;
    expect('{');
    if (consume('}')) {
      return members;
    }
    do {
      std::string key = parseString();
      expect(':');
      members[std::move(key)] = parse_value();
    } while (consume(','));
    expect('}');
    return members;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

} // namespace

std::map<std::string, JsonRecord, std::less<>> parseFlatJson(std::string_view text) {
  return FlatJsonParser(text).parse();
}

std::vector<Summary> readFigures(const std::string &path, std::string &mode) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    throw std::runtime_error("cannot open '" + path + "'");
  }
  std::ostringstream text;
  text << file.rdbuf();
  std::vector<Summary> figures;
  std::string by = "?";
  for (const auto &entry : parseFlatJson(text.str())) {
    // Not a structured binding: clang 14 (the sanitizer and fuzz build)
    // cannot capture those in a lambda.
    const auto &key = entry.first;
    const auto &record = entry.second;
    auto number = [&record](std::string_view field) -> std::optional<double> {
      auto found = record.find(field);
      if (found == record.end() || !std::holds_alternative<double>(found->second)) {
        return std::nullopt;
      }
      return std::get<double>(found->second);
    };
    auto text_field = [&record](std::string_view field) -> std::string {
      auto found = record.find(field);
      return found != record.end() && std::holds_alternative<std::string>(found->second)
                 ? std::get<std::string>(found->second)
                 : std::string();
    };
    if (key == "meta") {
      mode = text_field("mode");
      by = text_field("tool");
      continue;
    }
    const auto median = number("median");
    const auto min = number("min");
    const auto max = number("max");
    const auto unit = text_field("unit");
    if (median && min && max && !unit.empty()) {
      figures.push_back(
          {key, unit, *median, *min, *max, static_cast<int>(number("reps").value_or(0)), ""});
    }
  }
  for (auto &figure : figures) {
    figure.by = by;
  }
  return figures;
}

} // namespace wasmhost::bench
