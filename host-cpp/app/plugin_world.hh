/**
 * \file plugin_world.hh
 * The host's side of the world `wasmhost:plugin@0.1.0` (wit/plugin.wit) on
 * its generated bindings (`plugin_bindings.hh`, made at build time by
 * wasmhost_wit_bindings()): interface `host` implemented on the article's
 * host state, with bounded journals, and the world's value types printed as
 * WIT's value syntax writes them.
 */
#ifndef WASMHOST_APP_PLUGIN_WORLD_HH
#define WASMHOST_APP_PLUGIN_WORLD_HH

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "article_host.hh"
#include "plugin_bindings.hh"

namespace wasmhost::plugin::types {

std::ostream &operator<<(std::ostream &out, const Point &point);
std::ostream &operator<<(std::ostream &out, const Summary &summary);
std::ostream &operator<<(std::ostream &out, const ParseError &error);
std::ostream &operator<<(std::ostream &out, Shape shape);
std::ostream &operator<<(std::ostream &out, Checks checks);

} // namespace wasmhost::plugin::types

namespace wasmhost::app::world {

/// What the host observes of the guest through interface `host`: the
/// article's shared value and records, and the journals the guest made.
/// Registered with `plugin::host::add_to_linker(component_host, state)`
/// (the journals at most `ComponentHost::kDefaultMaxLiveResources` live).
struct ComponentHostState : HostState, plugin::host::Host {
  /// Titles and lines of every journal the guest created, in order (the last
  /// `kKeptJournals`).
  struct JournalRecord {
    std::string title;
    std::vector<std::string> lines;
    uint64_t id = 0; ///< the journal's, in creation order
  };
  static constexpr size_t kKeptJournals = 16;
  std::vector<JournalRecord> journals;
  /// How many journals the host holds for the guest now.
  size_t live_journals = 0;
  /// How many journals the guest created.
  uint64_t created_journals = 0;

  void log_value(int32_t value) override { hostLogValue(value); }
  int32_t get_shared_value() override { return hostGetSharedValue(); }
  void set_shared_value(int32_t value) override { hostSetSharedValue(value); }
  std::unique_ptr<plugin::host::Journal> new_journal(std::string title) override;
};

/// A host `journal`, bounded: a guest cannot make the host keep more than
/// `kMaxLines` lines or `kMaxBytes` bytes in one (`append` throws, the guest
/// traps). Its lines are also recorded in its state's `journals` while its
/// record is kept there.
class Journal final : public plugin::host::Journal {
public:
  static constexpr size_t kMaxLines = 10000;
  static constexpr size_t kMaxBytes = size_t{1} << 20;
  /// Journal `id` of `state` (the id of its record).
  Journal(ComponentHostState &state, std::string title, uint64_t id);
  Journal(const Journal &) = delete;
  Journal &operator=(const Journal &) = delete;
  ~Journal() override;
  void append(std::string line) override;
  uint32_t len() override { return static_cast<uint32_t>(lines_); }

private:
  ComponentHostState &state_;
  std::string title_;
  uint64_t id_;
  size_t lines_ = 0;
  size_t bytes_ = 0;
};

} // namespace wasmhost::app::world

#endif // WASMHOST_APP_PLUGIN_WORLD_HH
