// The bindings wasmhost-wit-cpp generates from wit/plugin.wit (issue #13),
// against guest-component.wasm: the host interface implemented through the
// generated abstract classes and registered with the generated
// add_to_linker, the world's exports called through the generated class, a
// guest counter through its generated RAII class. The header is generated at
// build time (ctest/CMakeLists.txt), so a change of the WIT that the code
// below no longer matches is a compile error here.
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "plugin_bindings.hh"
#include "test_options.hh"
#include "test_paths.hh"

namespace {

namespace plugin = wasmhost::plugin;
using test_options::quiet;
using wasmhost::Error;
using wasmhost::ErrorKind;
using wasmhost::component::ComponentHost;

/// A journal the host keeps for the guest: its lines in `lines` (shared with
/// the test, which outlives it).
class TestJournal : public plugin::host::Journal {
public:
  explicit TestJournal(std::vector<std::string> &lines) : lines_(lines) {}
  void append(std::string line) override { lines_.push_back(std::move(line)); }
  uint32_t len() override { return static_cast<uint32_t>(lines_.size()); }

private:
  std::vector<std::string> &lines_;
};

/// Interface `host`, recording what the guest did.
class TestHost : public plugin::host::Host {
public:
  void log_value(int32_t value) override { logged.push_back(value); }
  int32_t get_shared_value() override { return shared; }
  void set_shared_value(int32_t value) override { shared = value; }
  std::unique_ptr<plugin::host::Journal> new_journal(std::string title) override {
    titles.push_back(title);
    journal_lines.emplace_back();
    return std::make_unique<TestJournal>(journal_lines.back());
  }

  std::vector<int32_t> logged;
  int32_t shared = 42;
  std::vector<std::string> titles;
  // A deque's elements stay where they are as it grows (a journal keeps a
  // reference to its lines); a vector of vectors would move them.
  std::deque<std::vector<std::string>> journal_lines;
};

struct GeneratedBindings : ::testing::Test {
  GeneratedBindings() : host(test_paths::kGuestComponentWasm, quiet()) {
    plugin::host::add_to_linker(host, impl);
    host.instantiate();
    world.emplace(host);
  }
  TestHost impl;
  ComponentHost host;
  std::optional<plugin::Plugin> world;
};

TEST_F(GeneratedBindings, JustAdd) {
  EXPECT_EQ(world->just_add(15, 27), 42U);
  EXPECT_EQ(world->just_add(UINT64_MAX, 2), 1U); // wraps
  EXPECT_EQ(world->simple_add(1, 1), 2U);
}

TEST_F(GeneratedBindings, TriggerHostCallsReachesTheHostImplementation) {
  world->trigger_host_calls(7);
  EXPECT_EQ(impl.logged, std::vector<int32_t>{14});
  EXPECT_EQ(impl.shared, 42 + 7 + 5);
  world->trigger_host_calls(7);
  EXPECT_EQ(impl.logged, (std::vector<int32_t>{14, 14}));
  EXPECT_EQ(impl.shared, 54 + 7 + 5);
}

TEST_F(GeneratedBindings, RecordsOptionsAndPluginState) {
  const plugin::Point sum = world->point_add({100, 200}, {30, 70});
  EXPECT_EQ(sum, (plugin::Point{130, 270}));
  EXPECT_EQ(world->get_plugin_value(), 100);
  world->set_plugin_value(777);
  EXPECT_EQ(world->get_plugin_value(), 777);
  EXPECT_EQ(world->transform_string("abc"), "CBA");

  const std::optional<plugin::Summary> summary = world->summarize({3, -1, 10});
  ASSERT_TRUE(summary.has_value());
  EXPECT_EQ(*summary, (plugin::Summary{-1, 10, 12, 3}));
  EXPECT_FALSE(world->summarize({}).has_value());
}

TEST_F(GeneratedBindings, ResultsAndVariants) {
  const auto ok = world->parse_point(" 3 , -4 ");
  ASSERT_TRUE(ok.is_ok());
  EXPECT_EQ(ok.ok(), (plugin::Point{3, -4}));

  const auto empty = world->parse_point("");
  ASSERT_FALSE(empty.is_ok());
  EXPECT_EQ(empty.err().index(), 0U); // empty

  const auto nan = world->parse_point("1,x");
  ASSERT_FALSE(nan.is_ok());
  EXPECT_EQ(nan.err(), plugin::ParseError(std::in_place_index<1>, "x"));

  const auto fields = world->parse_point("1,2,3");
  ASSERT_FALSE(fields.is_ok());
  EXPECT_EQ(fields.err(), plugin::ParseError(std::in_place_index<2>, 3U));
}

TEST_F(GeneratedBindings, EnumsAndFlags) {
  EXPECT_EQ(world->classify({0, 0}), plugin::Shape::dot);
  EXPECT_EQ(world->classify({0, 5}), plugin::Shape::line);
  EXPECT_EQ(world->classify({2, 5}), plugin::Shape::area);

  using plugin::Checks;
  EXPECT_EQ(world->check(4), Checks::positive | Checks::even | Checks::small);
  EXPECT_EQ(world->check(-3), Checks::small);
  EXPECT_EQ(world->check(1001), Checks::positive);
  EXPECT_EQ(world->check(-200), Checks::even);
  EXPECT_EQ(world->check(-201), Checks::none);
}

TEST_F(GeneratedBindings, GuestCounterIsAnRaiiObject) {
  plugin::counters::Counter counter = world->counters().new_counter(10);
  EXPECT_EQ(counter.increment(5), 15);
  EXPECT_EQ(counter.increment(-20), -5);
  EXPECT_EQ(counter.value(), -5);
  plugin::counters::Counter other = world->counters().new_counter(INT64_MAX);
  EXPECT_EQ(other.increment(1), INT64_MIN); // wraps
  EXPECT_EQ(counter.value(), -5);           // its own

  plugin::counters::Counter moved = std::move(counter);
  EXPECT_EQ(moved.value(), -5);
  moved.resource().drop();
  EXPECT_FALSE(moved.resource().valid());
  EXPECT_THROW((void)moved.value(), std::logic_error);
}

TEST_F(GeneratedBindings, HostJournalThroughTheAbstractClass) {
  EXPECT_EQ(world->fill_journal("notes", {"a", "b", "c"}), 3U);
  EXPECT_EQ(impl.titles, std::vector<std::string>{"notes"});
  ASSERT_EQ(impl.journal_lines.size(), 1U);
  EXPECT_EQ(impl.journal_lines[0], (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(world->fill_journal("empty", {}), 0U);
  EXPECT_EQ(impl.titles, (std::vector<std::string>{"notes", "empty"}));
}

/// A constructor that makes no object fails the guest's call (the host
/// stores no null journal).
class NullJournalHost : public TestHost {
public:
  std::unique_ptr<plugin::host::Journal> new_journal(std::string /*title*/) override {
    return nullptr;
  }
};

TEST(GeneratedBindingsErrors, ANullHostObjectFailsTheGuestsCall) {
  NullJournalHost impl;
  ComponentHost host(test_paths::kGuestComponentWasm, quiet());
  plugin::host::add_to_linker(host, impl);
  host.instantiate();
  plugin::Plugin world(host);
  try {
    (void)world.fill_journal("x", {"a"});
    FAIL() << "fill-journal returned";
  } catch (const Error &error) {
    EXPECT_EQ(error.kind(), ErrorKind::Trap) << error.what();
    EXPECT_NE(std::string(error.what())
                  .find("host function '[constructor]journal' failed: the host's constructor of "
                        "'journal' made no object"),
              std::string::npos)
        << error.what();
  }
}

TEST(GeneratedBindingsErrors, TheWorldClassNeedsAnInstance) {
  ComponentHost host(test_paths::kGuestComponentWasm, quiet());
  try {
    plugin::Plugin world(host);
    FAIL() << "bound before instantiate()";
  } catch (const std::logic_error &error) {
    EXPECT_NE(std::string(error.what()).find("is not instantiated (instantiate())"),
              std::string::npos)
        << error.what();
  }
}

} // namespace
