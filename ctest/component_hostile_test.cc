// The plugin world's host interface (the app's `world::ComponentHostState`)
// against guest-component-hostile.wasm's journal floods: a guest that
// appends lines forever, or creates journals forever, ends with a trap naming
// the host's bound, and the host holds no more than that bound meanwhile.
// (Through the CLI `fill-journal` cannot be called: its list<string>
// parameter is not a command-line argument.)
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "plugin_world.hh"
#include "test_options.hh"
#include "test_paths.hh"
#include "wasmhost/component/component_host.hh"

namespace {

using wasmhost::Error;
using wasmhost::ErrorKind;
using wasmhost::app::world::ComponentHostState;
using wasmhost::app::world::Journal;
using wasmhost::component::ComponentHost;

struct HostileComponent : ::testing::Test {
  HostileComponent() : host(test_paths::kGuestComponentHostileWasm, test_options::quiet()) {}

  /// `fill-journal(title, [])`'s error; fails the test when it returns.
  Error fillJournalError(const std::string &title) {
    auto fill = host.func<uint32_t(std::string, std::vector<std::string>)>("fill-journal");
    auto result = fill.call(title, {});
    EXPECT_FALSE(result) << "fill-journal(\"" << title << "\") returned " << result.ok();
    return result ? Error(ErrorKind::Io, "returned") : result.err();
  }

  ComponentHostState state;
  ComponentHost host;

  void SetUp() override {
    wasmhost::plugin::host::add_to_linker(host, state);
    host.instantiate();
  }
};

TEST_F(HostileComponent, FloodingOneJournalTrapsAtItsLineBound) {
  const Error error = fillJournalError("flood-lines");
  EXPECT_EQ(error.kind(), ErrorKind::Trap) << error.what();
  EXPECT_NE(std::string(error.what())
                .find("host function '[method]journal.append' failed: "
                      "journal 'flood-lines' is full: the host keeps at "
                      "most 10000 lines"),
            std::string::npos)
      << error.what();
  // The host kept the bound, not more: one journal of 10000 lines.
  EXPECT_EQ(state.live_journals, 1U);
  ASSERT_EQ(state.journals.size(), 1U);
  EXPECT_EQ(state.journals.back().title, "flood-lines");
  ASSERT_EQ(state.journals.back().lines.size(), Journal::kMaxLines);
  EXPECT_EQ(state.journals.back().lines.front(), "line 0");
  EXPECT_EQ(state.journals.back().lines.back(), "line 9999");
}

TEST_F(HostileComponent, CreatingJournalsForeverTrapsAtTheLiveBound) {
  const Error error = fillJournalError("flood-journals");
  EXPECT_EQ(error.kind(), ErrorKind::Trap) << error.what();
  EXPECT_NE(std::string(error.what())
                .find("host function '[constructor]journal' failed: the "
                      "host keeps at most 1024 live 'journal' resources"),
            std::string::npos)
      << error.what();
  // Every handle the guest kept is live, up to the bound; the records of
  // them are bounded apart from that.
  EXPECT_EQ(state.created_journals, ComponentHost::kDefaultMaxLiveResources);
  EXPECT_EQ(state.live_journals, ComponentHost::kDefaultMaxLiveResources);
  ASSERT_EQ(state.journals.size(), ComponentHostState::kKeptJournals);
  EXPECT_EQ(state.journals.back().title, "journal 1023");
}

TEST_F(HostileComponent, OrdinaryInputsBehave) {
  auto fill = host.func<uint32_t(std::string, std::vector<std::string>)>("fill-journal");
  auto length = fill.call("notes", {"a", "b"});
  ASSERT_TRUE(length) << length.err().what();
  EXPECT_EQ(length.ok(), 2U);
  EXPECT_EQ(state.live_journals, 0U) << "the guest dropped its handle";
  EXPECT_EQ(state.created_journals, 1U);
}

} // namespace

namespace {

// Hosts sharing one compiled component: each has its own store, guest state
// and host state; the second compiles nothing and is told apart by its own
// errors.
TEST_F(HostileComponent, ASharingHostHasItsOwnInstanceAndState) {
  ComponentHost second = ComponentHost::sharingComponentOf(host);
  ComponentHostState second_state;
  wasmhost::plugin::host::add_to_linker(second, second_state);
  second.instantiate();
  host.func<void(int32_t)>("set-plugin-value")(777);
  EXPECT_EQ(second.func<int32_t()>("get-plugin-value")(), 100);
  EXPECT_EQ(host.func<int32_t()>("get-plugin-value")(), 777);
  host.func<void(int32_t)>("trigger-host-calls")(7);
  EXPECT_EQ(state.shared_host_value, 54);
  EXPECT_EQ(second_state.shared_host_value, 42);
  EXPECT_EQ(second.name(), host.name());
  // A trap in one instance leaves the other callable.
  auto trapped = host.func<uint64_t(uint64_t, uint64_t)>("just-add").call(1, 0);
  ASSERT_FALSE(trapped);
  EXPECT_EQ(trapped.err().kind(), ErrorKind::Trap);
  EXPECT_EQ(second.func<uint64_t(uint64_t, uint64_t)>("just-add")(40, 2), uint64_t{42});
}

TEST_F(HostileComponent, ASharingHostRefusesCallsBeforeItsInstantiate) {
  ComponentHost second = ComponentHost::sharingComponentOf(host);
  EXPECT_THROW(second.func<int32_t()>("get-plugin-value"), std::logic_error);
}

} // namespace
