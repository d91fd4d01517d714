#include "plugin_world.hh"

#include <stdexcept>

namespace wasmhost::app::world {

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
    if (component::hasFlags(checks, flag)) {
      out << separator << name;
      separator = ", ";
    }
  }
  return out << "}";
}

void Journal::append(std::string line) {
  if (lines.size() >= kMaxLines || bytes + line.size() > kMaxBytes) {
    throw std::length_error("journal '" + title + "' is full: the host keeps at most " +
                            std::to_string(kMaxLines) + " lines and " + std::to_string(kMaxBytes) +
                            " bytes per journal");
  }
  bytes += line.size();
  lines.push_back(std::move(line));
}

component::HostResource<Journal> &defineHostInterface(component::ComponentHost &host,
                                                      ComponentHostState &state) {
  host.defineFunction(kHostInterface, "log-value",
                      [&state](int32_t value) { state.hostLogValue(value); });
  host.defineFunction(kHostInterface, "get-shared-value",
                      [&state]() -> int32_t { return state.hostGetSharedValue(); });
  host.defineFunction(kHostInterface, "set-shared-value",
                      [&state](int32_t value) { state.hostSetSharedValue(value); });
  return host.defineResource<Journal>(kHostInterface, "journal")
      .constructor([&state](std::string title) {
        if (state.journals.size() >= ComponentHostState::kKeptJournals) {
          state.journals.erase(state.journals.begin());
        }
        state.journals.push_back({title, {}});
        if (state.narration != nullptr) {
          *state.narration << "[Host Target] journal \"" << title << "\" created by the guest"
                           << std::endl;
        }
        return Journal{std::move(title), {}, 0};
      })
      .method("append",
              [&state](Journal &journal, std::string line) {
                journal.append(line);
                // The record of the newest journal with this title.
                for (auto it = state.journals.rbegin(); it != state.journals.rend(); ++it) {
                  if (it->title == journal.title) {
                    if (it->lines.size() < Journal::kMaxLines) {
                      it->lines.push_back(std::move(line));
                    }
                    break;
                  }
                }
              })
      .method("len", [](Journal &journal) -> uint32_t {
        return static_cast<uint32_t>(journal.lines.size());
      });
}

} // namespace wasmhost::app::world
