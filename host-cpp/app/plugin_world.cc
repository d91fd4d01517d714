#include "plugin_world.hh"

#include <stdexcept>
#include <utility>

namespace wasmhost::plugin::types {

std::ostream &operator<<(std::ostream &out, const Point &point) {
  return out << "{x: " << point.x << ", y: " << point.y << "}";
}

std::ostream &operator<<(std::ostream &out, const Summary &summary) {
  return out << "{min: " << summary.min << ", max: " << summary.max << ", sum: " << summary.sum
             << ", count: " << summary.count << "}";
}

std::ostream &operator<<(std::ostream &out, const ParseError &error) {
  switch (error.index()) {
  case 0:
    return out << "empty";
  case 1:
    return out << "not-a-number(\"" << std::get<1>(error) << "\")";
  default:
    return out << "wrong-field-count(" << std::get<2>(error) << ")";
  }
}

std::ostream &operator<<(std::ostream &out, Shape shape) {
  static constexpr const char *kNames[] = {"dot", "line", "area"};
  const auto index = static_cast<size_t>(shape);
  return out << (index < 3 ? kNames[index] : "?");
}

std::ostream &operator<<(std::ostream &out, Checks checks) {
  out << "{";
  const char *separator = "";
  for (const auto &[flag, name] :
       {std::pair{Checks::positive, "positive"}, std::pair{Checks::even, "even"},
        std::pair{Checks::small, "small"}}) {
    if ((checks & flag) == flag) {
      out << separator << name;
      separator = ", ";
    }
  }
  return out << "}";
}

} // namespace wasmhost::plugin::types

namespace wasmhost::app::world {

std::unique_ptr<plugin::host::Journal> ComponentHostState::new_journal(std::string title) {
  if (journals.size() >= kKeptJournals) {
    journals.erase(journals.begin());
  }
  const uint64_t id = created_journals++;
  journals.push_back({title, {}, id});
  if (narration != nullptr) {
    *narration << "[Host Target] journal \"" << title << "\" created by the guest" << std::endl;
  }
  return std::make_unique<Journal>(*this, std::move(title), id);
}

Journal::Journal(ComponentHostState &state, std::string title, uint64_t id)
    : state_(state), title_(std::move(title)), id_(id) {
  ++state_.live_journals;
}

Journal::~Journal() { --state_.live_journals; }

void Journal::append(std::string line) {
  if (lines_ >= kMaxLines || bytes_ + line.size() > kMaxBytes) {
    throw std::length_error("journal '" + title_ + "' is full: the host keeps at most " +
                            std::to_string(kMaxLines) + " lines and " + std::to_string(kMaxBytes) +
                            " bytes per journal");
  }
  ++lines_;
  bytes_ += line.size();
  for (auto &record : state_.journals) {
    if (record.id == id_) {
      record.lines.push_back(std::move(line));
      break;
    }
  }
}

} // namespace wasmhost::app::world
