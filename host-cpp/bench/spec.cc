#include "spec.hh"

#include <stdexcept>

namespace wasmhost::bench {

const Spec &Spec::get() {
  static const Spec spec;
  return spec;
}

namespace {

std::string asText(const nlohmann::json &value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

} // namespace

Spec::Spec() {
  try {
    json_ = nlohmann::json::parse(kSpecText);
    for (const auto &kernel : json_.at("kernels")) {
      kernels_.push_back(kernel.get<std::string>());
    }
    lists_["{kernel}"] = kernels_;
    for (const auto &[placeholder, list] :
         {std::pair{"{alloc}", "allocators"}, {"{n}", "instances"}, {"{threads}", "threads"}}) {
      for (const auto &value : json_.at("scale").at(list)) {
        lists_[placeholder].push_back(asText(value));
      }
    }
    for (const auto &figure : json_.at("figures")) {
      for (const auto &key : expand(figure.at("key").get<std::string>())) {
        figures_.push_back({key, figure.at("unit").get<std::string>(),
                            figure.at("by").get<std::string>(), figure.value("same_as", "")});
      }
    }
    for (const auto &check : json_.at("checks")) {
      const bool geomean = check.value("geomean", false);
      const auto numerators = expand(check.at("numerator").get<std::string>());
      const auto denominators = check.contains("denominator")
                                    ? expand(check.at("denominator").get<std::string>())
                                    : std::vector<std::string>{};
      const auto names = expand(check.at("name").get<std::string>());
      const std::string op = check.value("op", "");
      const double bound = check.value("bound", 0.0);
      if (geomean) {
        checks_.push_back({names.front(), check.at("key").get<std::string>(), numerators,
                           denominators, true, op, bound});
        continue;
      }
      for (size_t i = 0; i < numerators.size(); ++i) {
        Check one{names.at(i), "", {numerators[i]}, {}, false, op, bound};
        if (denominators.empty()) {
          one.key = "target." + numerators[i];
        } else {
          one.denominators = {denominators.at(i)};
          one.key = "ratio." + numerators[i] + "/" + denominators[i];
        }
        checks_.push_back(std::move(one));
      }
    }
  } catch (const nlohmann::json::exception &error) {
    throw std::runtime_error(std::string("spec.json: ") + error.what());
  }
}

std::vector<std::string> Spec::expand(const std::string &text) const {
  std::vector<std::string> out{text};
  for (const auto &[placeholder, values] : lists_) {
    std::vector<std::string> next;
    for (const auto &item : out) {
      const auto at = item.find(placeholder);
      if (at == std::string::npos) {
        next.push_back(item);
        continue;
      }
      for (const auto &value : values) {
        std::string expanded = item;
        expanded.replace(at, placeholder.size(), value);
        next.push_back(std::move(expanded));
      }
    }
    out = std::move(next);
  }
  return out;
}

const nlohmann::json &Spec::sizes(std::string_view mode) const {
  return json_.at("sizes").at(std::string(mode));
}

const FigureSpec &Spec::figure(std::string_view key) const {
  for (const auto &figure : figures_) {
    if (figure.key == key) {
      return figure;
    }
  }
  throw std::runtime_error("spec.json declares no figure '" + std::string(key) + "'");
}

} // namespace wasmhost::bench
