#include "report.hh"

#include <sched.h>

#include <cmath>
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
  double log_sum = 0;
  for (size_t i = 0; i < check.numerators.size(); ++i) {
    const Summary *numerator = find(check.numerators[i]);
    if (numerator == nullptr) {
      return std::nullopt;
    }
    double ratio = numerator->median;
    if (!check.denominators.empty()) {
      const Summary *denominator = find(check.denominators.at(i));
      if (denominator == nullptr || !(denominator->median > 0)) {
        return std::nullopt;
      }
      ratio /= denominator->median;
    }
    if (!check.geomean) {
      return ratio;
    }
    if (!(ratio > 0)) {
      return std::nullopt;
    }
    log_sum += std::log(ratio);
  }
  return std::exp(log_sum / static_cast<double>(check.numerators.size()));
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

} // namespace

void Report::print(std::ostream &out) const {
  out << "Wasmtime " << WASMTIME_VERSION << ", " << info_.cpu << ", " << info_.cpus
      << " CPUs (nproc), load average " << info_.load << " at the start; " << info_.mode
      << " run, median of " << info_.reps << " repetitions\n\n";
  out << std::left << std::setw(40) << "figure" << std::right << std::setw(12) << "median"
      << std::setw(12) << "min" << std::setw(12) << "max"
      << "  " << std::left << std::setw(6) << "unit"
      << "by\n";
  for (const auto &declared : Spec::get().figures()) {
    const std::string &key = declared.key;
    out << std::left << std::setw(40) << key << std::right;
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
      << std::left << std::setw(52) << "ratio of medians" << std::right << std::setw(10) << "value"
      << std::setw(10) << "target"
      << "  verdict\n";
  for (const auto &check : Spec::get().checks()) {
    const auto value = this->value(check);
    out << std::left << std::setw(52) << check.name << std::right << std::setw(10);
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
  nlohmann::ordered_json json;
  json["meta"] = {{"tool", "host-bench"},
                  {"mode", info_.mode},
                  {"reps", info_.reps},
                  {"wasmtime", WASMTIME_VERSION},
                  {"cpu", info_.cpu},
                  {"nproc", info_.cpus},
                  {"loadavg", info_.load},
                  {"rust_results", info_.rust_results},
                  {"spec", "host-cpp/bench/spec.json"}};
  for (const auto &figure : figures_) {
    json[figure.key] = {{"median", figure.median}, {"min", figure.min},   {"max", figure.max},
                        {"unit", figure.unit},     {"reps", figure.reps}, {"by", figure.by}};
  }
  for (const auto &check : Spec::get().checks()) {
    const auto value = this->value(check);
    nlohmann::ordered_json record;
    record["value"] = value ? nlohmann::json(*value) : nlohmann::json(nullptr);
    if (!check.op.empty()) {
      record["target"] = boundText(check);
      record["met"] = value ? nlohmann::json(met(check, *value)) : nlohmann::json(nullptr);
    }
    json[check.key] = std::move(record);
  }
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  if (!(file << json.dump(2) << "\n")) {
    throw std::runtime_error("cannot write '" + path + "'");
  }
}

std::vector<Summary> readFigures(const std::string &path, std::string &mode) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    throw std::runtime_error("cannot open '" + path + "'");
  }
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(file);
  } catch (const nlohmann::json::exception &error) {
    throw std::runtime_error("'" + path + "' is not JSON: " + error.what());
  }
  if (!json.is_object()) {
    throw std::runtime_error("'" + path + "' is not a JSON object");
  }
  std::vector<Summary> figures;
  for (const auto &[key, record] : json.items()) {
    if (key == "meta") {
      mode = record.value("mode", "");
      continue;
    }
    const FigureSpec &declared = Spec::get().figure(key);
    if (declared.by != "host-bench-rs") {
      throw std::runtime_error("'" + path + "' has '" + key + "', which " + declared.by +
                               " measures");
    }
    try {
      figures.push_back({key, record.at("unit").get<std::string>(),
                         record.at("median").get<double>(), record.at("min").get<double>(),
                         record.at("max").get<double>(), record.value("reps", 0), declared.by});
    } catch (const nlohmann::json::exception &error) {
      throw std::runtime_error("'" + path + "': '" + key + "': " + error.what());
    }
    if (figures.back().unit != declared.unit) {
      throw std::runtime_error("'" + path + "': '" + key + "' is in " + figures.back().unit +
                               ", spec.json says " + declared.unit);
    }
  }
  return figures;
}

} // namespace wasmhost::bench
