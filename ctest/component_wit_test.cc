// The C++ <-> WIT typed layer (issue #12) over real components:
// guest-echo.wasm (world echo, ctest/wit/echo.wit) for every type mapping,
// the mismatches, the resources; guest-component(-hostile).wasm (world
// plugin) for the failures a call or an instantiation classifies.
#include <bit>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <tuple>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "plugin_world.hh"
#include "test_options.hh"
#include "test_paths.hh"
#include "wasmhost/component/component_host.hh"

namespace echo {

struct Pair {
  uint32_t a = 0;
  uint32_t b = 0;
  bool operator==(const Pair &) const = default;
};
struct Rec {
  std::string name;
  std::vector<int32_t> values;
  std::optional<uint8_t> tag;
  bool operator==(const Rec &) const = default;
};
/// `variant var { none, num(s64), text(string), pt(pair) }`.
struct Var : std::variant<std::monostate, int64_t, std::string, Pair> {
  using variant::variant;
};
enum class Color : uint8_t { red, green, blue };
enum class Perms : uint8_t { none = 0, read = 1, write = 2, exec = 4 };
/// flags many { m0, ..., m31 }: bit i is mi.
enum class Many : uint32_t { none = 0, m0 = 1, m31 = 0x80000000U, all = 0xFFFFFFFFU };

// Types that are almost echo's, for the mismatches.
struct RecOtherName { // tag is called label
  std::string name;
  std::vector<int32_t> values;
  std::optional<uint8_t> label;
};
struct RecOtherOrder { // values before name
  std::vector<int32_t> values;
  std::string name;
  std::optional<uint8_t> tag;
};
enum class ColorMissingCase : uint8_t { red, green };
enum class PermsOtherNames : uint8_t { none = 0, read = 1, write = 2, run = 4 };

} // namespace echo

WASMHOST_WIT_RECORD(echo::Pair, a, b);
WASMHOST_WIT_RECORD(echo::Rec, name, values, tag);
WASMHOST_WIT_VARIANT(echo::Var, "none", "num", "text", "pt");
WASMHOST_WIT_ENUM(echo::Color, "red", "green", "blue");
WASMHOST_WIT_FLAGS(echo::Perms, "read", "write", "exec");
WASMHOST_WIT_FLAGS(echo::Many, "m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10",
                   "m11", "m12", "m13", "m14", "m15", "m16", "m17", "m18", "m19", "m20", "m21",
                   "m22", "m23", "m24", "m25", "m26", "m27", "m28", "m29", "m30", "m31");
WASMHOST_WIT_RECORD(echo::RecOtherName, name, values, label);
WASMHOST_WIT_RECORD(echo::RecOtherOrder, values, name, tag);
WASMHOST_WIT_ENUM(echo::ColorMissingCase, "red", "green");
WASMHOST_WIT_FLAGS(echo::PermsOtherNames, "read", "write", "run");

namespace {

using test_options::quiet;
using wasmhost::Error;
using wasmhost::ErrorKind;
using wasmhost::WasmHostOptions;
using wasmhost::component::Borrow;
using wasmhost::component::ComponentHost;
using wasmhost::component::Resource;
using wasmhost::component::Result;
using namespace echo;

constexpr const char *kHostEcho = "wasmhost:echo/host-echo@0.1.0";
constexpr const char *kThings = "wasmhost:echo/things@0.1.0";

using Unit = std::monostate;
using ResultS32String = Result<int32_t, std::string>;
using ResultUnit = Result<Unit, Unit>;
using ResultErrString = Result<Unit, std::string>;
using Triple = std::tuple<uint32_t, std::string, bool>;

/// What the host functions received, one list per kind (every kind has its
/// own C++ type).
using Seen =
    std::tuple<std::vector<bool>, std::vector<uint8_t>, std::vector<int8_t>, std::vector<uint16_t>,
               std::vector<int16_t>, std::vector<uint32_t>, std::vector<int32_t>,
               std::vector<uint64_t>, std::vector<int64_t>, std::vector<float>, std::vector<double>,
               std::vector<char32_t>, std::vector<std::string>, std::vector<std::vector<uint8_t>>,
               std::vector<std::vector<std::string>>, std::vector<std::optional<std::string>>,
               std::vector<std::optional<std::optional<uint32_t>>>, std::vector<ResultS32String>,
               std::vector<ResultUnit>, std::vector<ResultErrString>, std::vector<Triple>,
               std::vector<Rec>, std::vector<Var>, std::vector<Color>, std::vector<Perms>,
               std::vector<Many>, std::vector<std::vector<Rec>>>;

/// A host `host-counter`.
struct Counter {
  uint32_t value = 0;
};

/// Equal, floats by their bits (-0.0 is not 0.0; NaN by isnan).
template <typename T> bool same(const T &a, const T &b) { return a == b; }
template <> bool same(const float &a, const float &b) {
  return (std::isnan(a) && std::isnan(b)) ||
         std::bit_cast<uint32_t>(a) == std::bit_cast<uint32_t>(b);
}
template <> bool same(const double &a, const double &b) {
  return (std::isnan(a) && std::isnan(b)) ||
         std::bit_cast<uint64_t>(a) == std::bit_cast<uint64_t>(b);
}

bool has(const std::string &text, const std::string &part) {
  return text.find(part) != std::string::npos;
}

/// guest-echo.wasm with every import of interface host-echo defined: host-K
/// records x and returns it, host-counter counts. `skip` leaves one
/// definition out; `wrong_u32` defines host-u32 as `int64_t(int64_t)`.
class EchoHost {
public:
  explicit EchoHost(WasmHostOptions options = quiet())
      : host(test_paths::kGuestEchoWasm, options) {}

  void defineAll(const std::string &skip = "", bool wrong_u32 = false,
                 size_t counter_max_live = ComponentHost::kDefaultMaxLiveResources) {
    define<bool>("bool", skip);
    define<uint8_t>("u8", skip);
    define<int8_t>("s8", skip);
    define<uint16_t>("u16", skip);
    define<int16_t>("s16", skip);
    if (wrong_u32) {
      host.defineFunction(kHostEcho, "host-u32", [](int64_t x) -> int64_t { return x; });
    } else {
      define<uint32_t>("u32", skip);
    }
    define<int32_t>("s32", skip);
    define<uint64_t>("u64", skip);
    define<int64_t>("s64", skip);
    define<float>("f32", skip);
    define<double>("f64", skip);
    define<char32_t>("char", skip);
    define<std::string>("string", skip);
    define<std::vector<uint8_t>>("list-u8", skip);
    define<std::vector<std::string>>("list-string", skip);
    define<std::optional<std::string>>("option-string", skip);
    define<std::optional<std::optional<uint32_t>>>("option-option-u32", skip);
    define<ResultS32String>("result-s32-string", skip);
    define<ResultUnit>("result-unit", skip);
    define<ResultErrString>("result-err-string", skip);
    define<Triple>("tuple", skip);
    define<Rec>("rec", skip);
    define<Var>("var", skip);
    define<Color>("color", skip);
    define<Perms>("perms", skip);
    define<Many>("many", skip);
    define<std::vector<Rec>>("list-rec", skip);
    if (skip != "host-counter") {
      counters = &host.defineResource<Counter>(kHostEcho, "host-counter", counter_max_live)
                      .constructor([](uint32_t start) { return Counter{start}; })
                      .method("bump", [](Counter &counter) -> uint32_t { return ++counter.value; });
    }
  }

  template <typename T> std::vector<T> &seen() { return std::get<std::vector<T>>(seen_); }

  ComponentHost host;
  wasmhost::component::HostResource<Counter> *counters = nullptr;

private:
  template <typename T> void define(const std::string &kind, const std::string &skip) {
    if (skip == "host-" + kind) {
      return;
    }
    host.defineFunction(kHostEcho, "host-" + kind, [this](T x) -> T {
      seen<T>().push_back(x);
      return x;
    });
  }
  Seen seen_;
};

class ComponentWit : public ::testing::Test {
protected:
  void SetUp() override {
    echo.defineAll();
    echo.host.instantiate();
  }

  /// echo-K(value) (through host-K, which must see value) and id-K(value)
  /// both return value.
  template <typename T> void roundTrip(const std::string &kind, const T &value) {
    SCOPED_TRACE("kind " + kind);
    auto &seen = echo.seen<T>();
    seen.clear();
    auto echoed = echo.host.func<T(T)>("echo-" + kind).call(value);
    ASSERT_TRUE(echoed) << echoed.err_ref().what();
    ASSERT_EQ(seen.size(), 1U) << "host-" << kind << " was called once";
    EXPECT_TRUE(same<T>(seen[0], value)) << "host-" << kind << " saw the value";
    EXPECT_TRUE(same(echoed.ok_ref(), value)) << "echo-" << kind;
    auto identical = echo.host.func<T(T)>("id-" + kind).call(value);
    ASSERT_TRUE(identical) << identical.err_ref().what();
    EXPECT_TRUE(same(identical.ok_ref(), value)) << "id-" << kind;
    EXPECT_EQ(seen.size(), 1U) << "id-" << kind << " does not call the host";
  }

  EchoHost echo;
};

// --- 1. Round trips of every kind. --------------------------------------------

TEST_F(ComponentWit, Bool) {
  roundTrip("bool", false);
  roundTrip("bool", true);
}

TEST_F(ComponentWit, IntegersAtTheirEdges) {
  for (uint8_t v : {uint8_t{0}, uint8_t{1}, std::numeric_limits<uint8_t>::max()}) {
    roundTrip("u8", v);
  }
  for (int8_t v : {int8_t{0}, std::numeric_limits<int8_t>::min(),
                   std::numeric_limits<int8_t>::max(), int8_t{-1}}) {
    roundTrip("s8", v);
  }
  for (uint16_t v : {uint16_t{0}, std::numeric_limits<uint16_t>::max()}) {
    roundTrip("u16", v);
  }
  for (int16_t v : {int16_t{0}, std::numeric_limits<int16_t>::min(),
                    std::numeric_limits<int16_t>::max(), int16_t{-1}}) {
    roundTrip("s16", v);
  }
  for (uint32_t v : {uint32_t{0}, std::numeric_limits<uint32_t>::max(), uint32_t{0x80000000U}}) {
    roundTrip("u32", v);
  }
  for (int32_t v : {int32_t{0}, std::numeric_limits<int32_t>::min(),
                    std::numeric_limits<int32_t>::max(), int32_t{-1}}) {
    roundTrip("s32", v);
  }
  for (uint64_t v : {uint64_t{0}, std::numeric_limits<uint64_t>::max(), uint64_t{1} << 63}) {
    roundTrip("u64", v);
  }
  for (int64_t v : {int64_t{0}, std::numeric_limits<int64_t>::min(),
                    std::numeric_limits<int64_t>::max(), int64_t{-1}}) {
    roundTrip("s64", v);
  }
}

TEST_F(ComponentWit, FloatsNanZeroInfinityDenormal) {
  for (float v : {0.0F, -0.0F, 1.5F, std::numeric_limits<float>::infinity(),
                  -std::numeric_limits<float>::infinity(), std::numeric_limits<float>::denorm_min(),
                  std::numeric_limits<float>::min(), std::numeric_limits<float>::max(),
                  std::numeric_limits<float>::lowest(), std::numeric_limits<float>::quiet_NaN()}) {
    roundTrip("f32", v);
  }
  for (double v :
       {0.0, -0.0, -2.25, std::numeric_limits<double>::infinity(),
        -std::numeric_limits<double>::infinity(), std::numeric_limits<double>::denorm_min(),
        std::numeric_limits<double>::min(), std::numeric_limits<double>::max(),
        std::numeric_limits<double>::lowest(), std::numeric_limits<double>::quiet_NaN()}) {
    roundTrip("f64", v);
  }
  // -0.0 keeps its sign (same() compares bits; this says so plainly).
  auto negative_zero = echo.host.func<double(double)>("echo-f64").call(-0.0);
  ASSERT_TRUE(negative_zero);
  EXPECT_TRUE(std::signbit(negative_zero.ok_ref()));
  auto nan = echo.host.func<float(float)>("id-f32").call(std::numeric_limits<float>::quiet_NaN());
  ASSERT_TRUE(nan);
  EXPECT_TRUE(std::isnan(nan.ok_ref()));
}

TEST_F(ComponentWit, CharScalarValues) {
  for (char32_t v : {U'\0', U'a', U'\u00e9', U'\u20ac', U'\U0001F980', char32_t{0xD7FF},
                     char32_t{0xE000}, char32_t{0x10FFFF}}) {
    roundTrip("char", v);
  }
}

TEST_F(ComponentWit, Strings) {
  roundTrip("string", std::string());
  roundTrip("string", std::string("Grüße vom 🦀 an C++ ✓"));
  roundTrip("string", std::string("a\0b\0", 4));
  std::string mebibyte(size_t{1} << 20, 'x');
  for (size_t i = 0; i < mebibyte.size(); i += 4096) {
    mebibyte[i] = static_cast<char>('a' + (i / 4096) % 26);
  }
  roundTrip("string", mebibyte);
}

TEST_F(ComponentWit, Lists) {
  roundTrip("list-u8", std::vector<uint8_t>());
  std::vector<uint8_t> bytes(size_t{1} << 20);
  for (size_t i = 0; i < bytes.size(); ++i) {
    bytes[i] = static_cast<uint8_t>(i * 7);
  }
  roundTrip("list-u8", bytes);
  roundTrip("list-string", std::vector<std::string>());
  roundTrip("list-string", std::vector<std::string>{"", "one", std::string("\0", 1), "🦀"});
  std::vector<std::string> many_strings(10000);
  for (size_t i = 0; i < many_strings.size(); ++i) {
    many_strings[i] = "string " + std::to_string(i);
  }
  roundTrip("list-string", many_strings);
}

TEST_F(ComponentWit, Options) {
  roundTrip("option-string", std::optional<std::string>());
  roundTrip("option-string", std::optional<std::string>(""));
  roundTrip("option-string", std::optional<std::string>("some"));
  using Nested = std::optional<std::optional<uint32_t>>;
  roundTrip("option-option-u32", Nested());
  roundTrip("option-option-u32", Nested(std::optional<uint32_t>()));
  roundTrip("option-option-u32", Nested(std::optional<uint32_t>(0)));
  roundTrip("option-option-u32", Nested(std::optional<uint32_t>(UINT32_MAX)));
}

TEST_F(ComponentWit, ResultsOfEachForm) {
  roundTrip("result-s32-string", ResultS32String::ok(-7));
  roundTrip("result-s32-string", ResultS32String::ok(std::numeric_limits<int32_t>::min()));
  roundTrip("result-s32-string", ResultS32String::err(""));
  roundTrip("result-s32-string", ResultS32String::err("bad 🦀"));
  roundTrip("result-unit", ResultUnit::ok({}));
  roundTrip("result-unit", ResultUnit::err({}));
  roundTrip("result-err-string", ResultErrString::ok({}));
  roundTrip("result-err-string", ResultErrString::err("refused"));
  auto err = echo.host.func<ResultUnit(ResultUnit)>("id-result-unit").call(ResultUnit::err({}));
  ASSERT_TRUE(err);
  EXPECT_FALSE(err.ok_ref().is_ok());
}

TEST_F(ComponentWit, Tuple) {
  roundTrip("tuple", Triple{0, "", false});
  roundTrip("tuple", Triple{UINT32_MAX, "tuple ✓", true});
}

TEST_F(ComponentWit, RecordWithAndWithoutTag) {
  roundTrip("rec", Rec{});
  roundTrip("rec", Rec{"no tag", {1, -2, INT32_MIN, INT32_MAX}, std::nullopt});
  roundTrip("rec", Rec{"tag 0", {}, uint8_t{0}});
  roundTrip("rec", Rec{"tag 255", {42}, uint8_t{255}});
}

TEST_F(ComponentWit, EveryVariantCase) {
  roundTrip("var", Var(std::monostate()));
  roundTrip("var", Var(int64_t{0}));
  roundTrip("var", Var(std::numeric_limits<int64_t>::min()));
  roundTrip("var", Var(std::string()));
  roundTrip("var", Var(std::string("text ✓")));
  roundTrip("var", Var(Pair{0, UINT32_MAX}));
  auto pt = echo.host.func<Var(Var)>("id-var").call(Var(Pair{3, 4}));
  ASSERT_TRUE(pt);
  ASSERT_EQ(pt.ok_ref().index(), 3U);
  EXPECT_EQ(std::get<Pair>(pt.ok_ref()), (Pair{3, 4}));
}

TEST_F(ComponentWit, EveryEnumCase) {
  for (Color c : {Color::red, Color::green, Color::blue}) {
    roundTrip("color", c);
  }
}

TEST_F(ComponentWit, Flags) {
  using wasmhost::component::operator|;
  roundTrip("perms", Perms::none);
  roundTrip("perms", Perms::read);
  roundTrip("perms", Perms::write);
  roundTrip("perms", Perms::exec);
  roundTrip("perms", Perms::read | Perms::exec);
  roundTrip("perms", Perms::read | Perms::write | Perms::exec);
  roundTrip("many", Many::none);
  roundTrip("many", Many::all);
  roundTrip("many", Many::m0);
  roundTrip("many", Many::m31);
  roundTrip("many", static_cast<Many>(0x00010000U));
  roundTrip("many", static_cast<Many>(0xA5A5A5A5U));
}

TEST_F(ComponentWit, ListOfRecords) {
  roundTrip("list-rec", std::vector<Rec>());
  roundTrip("list-rec", std::vector<Rec>{Rec{"a", {1}, std::nullopt}, Rec{"", {}, uint8_t{7}},
                                         Rec{"ç", {-1, -2, -3}, uint8_t{255}}});
  std::vector<Rec> thousand(1000);
  for (size_t i = 0; i < thousand.size(); ++i) {
    thousand[i] = Rec{"rec " + std::to_string(i),
                      {static_cast<int32_t>(i)},
                      i % 2 == 0 ? std::optional<uint8_t>(static_cast<uint8_t>(i)) : std::nullopt};
  }
  roundTrip("list-rec", thousand);
}

// --- 2. Mismatches. ------------------------------------------------------------

/// `fn` throws `Error` of `kind` whose message holds every one of `parts`.
template <typename F>
void expectError(F &&fn, ErrorKind kind, const std::vector<std::string> &parts) {
  try {
    fn();
    ADD_FAILURE() << "no error";
  } catch (const Error &error) {
    EXPECT_EQ(error.kind(), kind) << error.what();
    for (const auto &part : parts) {
      EXPECT_TRUE(has(error.what(), part)) << "'" << part << "' in: " << error.what();
    }
  }
}

TEST_F(ComponentWit, WrongIntegerWidthIsSignature) {
  expectError([&] { (void)echo.host.func<uint64_t(uint64_t)>("id-u32"); }, ErrorKind::Signature,
              {"export 'id-u32'", "func(x: u32) -> u32", "func(u64) -> u64"});
  expectError([&] { (void)echo.host.func<int32_t(int32_t)>("id-u32"); }, ErrorKind::Signature,
              {"'id-u32'", "func(x: u32) -> u32", "func(s32) -> s32"});
}

TEST_F(ComponentWit, WrongArityOrResultIsSignature) {
  expectError([&] { (void)echo.host.func<uint32_t(uint32_t, uint32_t)>("id-u32"); },
              ErrorKind::Signature, {"'id-u32'", "func(x: u32) -> u32", "func(u32, u32) -> u32"});
  expectError([&] { (void)echo.host.func<void(uint32_t)>("id-u32"); }, ErrorKind::Signature,
              {"'id-u32'", "func(x: u32) -> u32", "the host's C++ type is func(u32)"});
}

TEST_F(ComponentWit, RecordWithAnotherFieldNameIsSignature) {
  expectError([&] { (void)echo.host.func<RecOtherName(RecOtherName)>("id-rec"); },
              ErrorKind::Signature,
              {"'id-rec'", "record { name: string, values: list<s32>, tag: option<u8> }",
               "record { name: string, values: list<s32>, label: option<u8> }"});
}

TEST_F(ComponentWit, RecordWithAnotherFieldOrderIsSignature) {
  expectError([&] { (void)echo.host.func<RecOtherOrder(RecOtherOrder)>("id-rec"); },
              ErrorKind::Signature,
              {"'id-rec'", "record { name: string, values: list<s32>, tag: option<u8> }",
               "record { values: list<s32>, name: string, tag: option<u8> }"});
}

TEST_F(ComponentWit, EnumWithAMissingCaseIsSignature) {
  expectError([&] { (void)echo.host.func<ColorMissingCase(ColorMissingCase)>("id-color"); },
              ErrorKind::Signature,
              {"'id-color'", "enum { red, green, blue }", "func(enum { red, green })"});
}

TEST_F(ComponentWit, FlagsWithOtherNamesIsSignature) {
  expectError([&] { (void)echo.host.func<PermsOtherNames(PermsOtherNames)>("id-perms"); },
              ErrorKind::Signature,
              {"'id-perms'", "flags { read, write, exec }", "flags { read, write, run }"});
  // 32 flags are not 3.
  expectError([&] { (void)echo.host.func<Perms(Perms)>("id-many"); }, ErrorKind::Signature,
              {"'id-many'", "flags { m0, m1,", "m31 }", "func(flags { read, write, exec })"});
}

TEST_F(ComponentWit, OptionVersusPlainIsSignature) {
  expectError([&] { (void)echo.host.func<std::string(std::string)>("id-option-string"); },
              ErrorKind::Signature,
              {"'id-option-string'", "func(x: option<string>) -> option<string>",
               "func(string) -> string"});
  expectError(
      [&] {
        (void)echo.host.func<std::optional<std::string>(std::optional<std::string>)>("id-string");
      },
      ErrorKind::Signature,
      {"'id-string'", "func(x: string) -> string", "func(option<string>) -> option<string>"});
  // option<option<u32>> is not option<u32>.
  expectError(
      [&] {
        (void)echo.host.func<std::optional<uint32_t>(std::optional<uint32_t>)>(
            "id-option-option-u32");
      },
      ErrorKind::Signature, {"option<option<u32>>", "func(option<u32>) -> option<u32>"});
}

TEST_F(ComponentWit, ResultFormsAreDistinct) {
  expectError([&] { (void)echo.host.func<ResultUnit(ResultUnit)>("id-result-err-string"); },
              ErrorKind::Signature,
              {"'id-result-err-string'", "result<_, string>", "func(result<_, _>)"});
}

TEST_F(ComponentWit, MissingExportIsLink) {
  expectError([&] { (void)echo.host.func<uint32_t(uint32_t)>("id-u128"); }, ErrorKind::Link,
              {"exports no function 'id-u128'"});
  expectError([&] { (void)echo.host.func<uint32_t(uint32_t)>("wasmhost:echo/nothing@0.1.0", "f"); },
              ErrorKind::Link, {"exports no interface 'wasmhost:echo/nothing@0.1.0'"});
  expectError([&] { (void)echo.host.func<Resource(std::string)>(kThings, "[constructor]widget"); },
              ErrorKind::Link, {"'wasmhost:echo/things@0.1.0#[constructor]widget'"});
}

TEST(ComponentImports, HostFunctionOfAnotherTypeIsSignatureAtInstantiate) {
  EchoHost echo;
  echo.defineAll("", /*wrong_u32=*/true);
  expectError([&] { echo.host.instantiate(); }, ErrorKind::Signature,
              {"import 'wasmhost:echo/host-echo@0.1.0#host-u32'", "func(x: u32) -> u32",
               "the host's C++ type is func(s64) -> s64"});
  EXPECT_FALSE(echo.host.isInstantiated());
}

TEST(ComponentImports, UndefinedImportIsLink) {
  EchoHost echo;
  echo.defineAll("host-u32");
  // Wasmtime's chain on one line: the interface, then the function.
  expectError([&] { echo.host.instantiate(); }, ErrorKind::Link,
              {"cannot instantiate component '",
               "guest-echo.wasm': component imports instance "
               "`wasmhost:echo/host-echo@0.1.0`, but a matching implementation was not found in "
               "the linker: instance export `host-u32` has the wrong type: function "
               "implementation is missing"});
  EXPECT_FALSE(echo.host.isInstantiated());
}

TEST(ComponentImports, UndefinedHostResourceIsLink) {
  EchoHost echo;
  echo.defineAll("host-counter");
  expectError(
      [&] { echo.host.instantiate(); }, ErrorKind::Link,
      {"`wasmhost:echo/host-echo@0.1.0`", "`host-counter`", "resource implementation is missing"});
}

TEST(ComponentImports, DefiningAfterInstantiateIsLogicError) {
  EchoHost echo;
  echo.defineAll();
  echo.host.instantiate();
  EXPECT_THROW(echo.host.defineFunction(kHostEcho, "host-bool", [](bool x) { return x; }),
               std::logic_error);
  EXPECT_THROW(echo.host.instantiate(), std::logic_error);
}

// --- 3. Values WIT cannot carry. -------------------------------------------------

TEST_F(ComponentWit, CharThatIsNotAScalarValueIsGuestDataBeforeTheCall) {
  for (char32_t bad :
       {char32_t{0xD800}, char32_t{0xDFFF}, char32_t{0x110000}, char32_t{0xFFFFFFFF}}) {
    for (const char *name : {"id-char", "echo-char"}) {
      auto called = echo.host.func<char32_t(char32_t)>(name).call(bad);
      ASSERT_FALSE(called) << name;
      EXPECT_EQ(called.err_ref().kind(), ErrorKind::GuestData);
      EXPECT_TRUE(has(called.err_ref().what(), std::string("'") + name + "' was not called"))
          << called.err_ref().what();
      EXPECT_TRUE(has(called.err_ref().what(),
                      "char: " + std::to_string(uint32_t{bad}) + " is not a Unicode scalar value"))
          << called.err_ref().what();
    }
  }
  EXPECT_TRUE(echo.seen<char32_t>().empty()) << "the guest was not entered";
  // The instance is still usable.
  auto fine = echo.host.func<char32_t(char32_t)>("echo-char").call(U'\U0010FFFF');
  ASSERT_TRUE(fine) << fine.err_ref().what();
  EXPECT_EQ(fine.ok_ref(), U'\U0010FFFF');
}

TEST_F(ComponentWit, FlagsAndEnumValuesOutsideTheirCasesAreGuestData) {
  auto flags = echo.host.func<Perms(Perms)>("id-perms").call(static_cast<Perms>(8));
  ASSERT_FALSE(flags);
  EXPECT_EQ(flags.err_ref().kind(), ErrorKind::GuestData);
  EXPECT_TRUE(has(flags.err_ref().what(), "bits beyond its 3 flags")) << flags.err_ref().what();
  auto color = echo.host.func<Color(Color)>("id-color").call(static_cast<Color>(3));
  ASSERT_FALSE(color);
  EXPECT_EQ(color.err_ref().kind(), ErrorKind::GuestData);
  EXPECT_TRUE(has(color.err_ref().what(), "3 is not one of its cases")) << color.err_ref().what();
}

TEST(ComponentImports, HostFunctionReturningABadCharFailsTheGuestsCall) {
  EchoHost echo;
  echo.defineAll("host-char");
  echo.host.defineFunction(kHostEcho, "host-char", [](char32_t) -> char32_t { return 0xD800; });
  echo.host.instantiate();
  auto called = echo.host.func<char32_t(char32_t)>("echo-char").call(U'a');
  ASSERT_FALSE(called);
  EXPECT_EQ(called.err_ref().kind(), ErrorKind::Trap);
  EXPECT_TRUE(has(called.err_ref().what(), "host function 'host-char' failed: char: 55296 is not "
                                           "a Unicode scalar value"))
      << called.err_ref().what();
}

// --- 4. Resources. ----------------------------------------------------------------

struct Things {
  explicit Things(ComponentHost &host)
      : make(host.func<Resource(std::string)>(kThings, "[constructor]thing")),
        label(host.func<std::string(Borrow)>(kThings, "[method]thing.label")),
        set_label(host.func<void(Borrow, std::string)>(kThings, "[method]thing.set-label")) {}
  wasmhost::component::TypedFunc<Resource(std::string)> make;
  wasmhost::component::TypedFunc<std::string(Borrow)> label;
  wasmhost::component::TypedFunc<void(Borrow, std::string)> set_label;

  Resource thing(const std::string &text) const {
    auto made = make.call(text);
    if (!made) {
      throw made.err();
    }
    return std::move(made.ok_ref());
  }
};

TEST_F(ComponentWit, GuestResourceConstructorAndMethods) {
  Things things(echo.host);
  Resource thing = things.thing("first");
  ASSERT_TRUE(thing.valid());
  auto label = things.label.call(thing);
  ASSERT_TRUE(label) << label.err_ref().what();
  EXPECT_EQ(label.ok_ref(), "first");
  auto set = things.set_label.call(thing, "second ✓");
  ASSERT_TRUE(set) << set.err_ref().what();
  EXPECT_EQ(things.label.call(thing).ok_ref(), "second ✓");
  // Two things are two.
  Resource other = things.thing("other");
  EXPECT_EQ(things.label.call(other).ok_ref(), "other");
  EXPECT_EQ(things.label.call(thing).ok_ref(), "second ✓");
  // Moved: the old handle is empty, the new one works.
  Resource moved = std::move(thing);
  EXPECT_FALSE(thing.valid()); // NOLINT(bugprone-use-after-move): what a move leaves
  EXPECT_EQ(things.label.call(moved).ok_ref(), "second ✓");
  EXPECT_THROW((void)thing.handle(), std::logic_error);
}

TEST_F(ComponentWit, ResourceTypesAreChecked) {
  expectError(
      [&] { (void)echo.host.func<std::string(std::string)>(kThings, "[constructor]thing"); },
      ErrorKind::Signature,
      {"'wasmhost:echo/things@0.1.0#[constructor]thing'", "func(label: string) -> own<resource>",
       "func(string) -> string"});
  expectError([&] { (void)echo.host.func<std::string(Resource)>(kThings, "[method]thing.label"); },
              ErrorKind::Signature,
              {"[method]thing.label", "func(self: borrow<resource>) -> string",
               "func(own<resource>) -> string"});
}

TEST_F(ComponentWit, DroppedResourceIsRefusedByAStaleBorrow) {
  Things things(echo.host);
  Resource thing = things.thing("doomed");
  // A copy of the handle that the Resource's drop does not see: with no
  // store, it is never dropped itself, only forgotten.
  Resource stale(thing.handle(), nullptr);
  thing.drop();
  EXPECT_FALSE(thing.valid());
  thing.drop(); // twice is nothing
  auto label = things.label.call(stale);
  ASSERT_FALSE(label);
  EXPECT_EQ(label.err_ref().kind(), ErrorKind::Trap);
  EXPECT_TRUE(
      has(label.err_ref().what(), "'wasmhost:echo/things@0.1.0#[method]thing.label' failed"))
      << label.err_ref().what();
  // Wasmtime's word for it: the handle's table slot is empty.
  EXPECT_TRUE(has(label.err_ref().what(), "unknown handle index")) << label.err_ref().what();
}

TEST_F(ComponentWit, DestroyedResourceIsDropped) {
  Things things(echo.host);
  std::optional<Resource> stale;
  {
    Resource thing = things.thing("scoped");
    stale.emplace(thing.handle(), nullptr);
    EXPECT_EQ(things.label.call(*stale).ok_ref(), "scoped");
  } // thing's destructor drops it in the guest
  auto label = things.label.call(*stale);
  ASSERT_FALSE(label);
  EXPECT_EQ(label.err_ref().kind(), ErrorKind::Trap);
  EXPECT_TRUE(has(label.err_ref().what(), "unknown handle index")) << label.err_ref().what();
#if WASMTIME_VERSION_MAJOR == 48 && WASMTIME_VERSION_MINOR == 0 && WASMTIME_VERSION_PATCH == 0
  // Wasmtime 48.0.0 (the wheel provider) marks the instance as trapped even
  // so, and refuses every later call.
  expectError([&] { (void)things.thing("next"); }, ErrorKind::Trap,
              {"refuses further calls (cannot enter component instance)"});
#else
  // The bad handle failed before the guest ran: another thing works after it.
  Resource next = things.thing("next");
  EXPECT_EQ(things.label.call(next).ok_ref(), "next");
#endif
}

TEST_F(ComponentWit, AssigningOverAResourceDropsTheOldOne) {
  Things things(echo.host);
  Resource thing = things.thing("old");
  Resource stale(thing.handle(), nullptr);
  thing = things.thing("new");
  EXPECT_EQ(things.label.call(thing).ok_ref(), "new");
  auto label = things.label.call(stale);
  ASSERT_FALSE(label);
  EXPECT_TRUE(has(label.err_ref().what(), "unknown handle index")) << label.err_ref().what();
}

TEST_F(ComponentWit, BorrowOfADroppedResourceIsLogicError) {
  Things things(echo.host);
  Resource thing = things.thing("gone");
  thing.drop();
  EXPECT_THROW((void)things.label.call(thing), std::logic_error);
}

TEST_F(ComponentWit, OwnedResourceCannotBePassedBack) {
  // set-label takes a borrow; an own argument would be refused at lowering.
  Things things(echo.host);
  Resource thing = things.thing("kept");
  EXPECT_THROW((void)wasmhost::component::Wit<Resource>::lower(thing),
               wasmhost::component::WitError);
}

TEST(ComponentResources, ResourceOutlivingItsHostIsForgotten) {
  std::optional<Resource> survivor;
  {
    auto echo = std::make_unique<EchoHost>();
    echo->defineAll();
    echo->host.instantiate();
    Things things(echo->host);
    survivor.emplace(things.thing("survivor"));
    ASSERT_TRUE(survivor->valid());
  }
  EXPECT_TRUE(survivor->valid());
  survivor->drop(); // the store is gone: forgotten, no crash
  EXPECT_FALSE(survivor->valid());
  // And one that is only destroyed.
  std::optional<Resource> destroyed;
  {
    EchoHost echo;
    echo.defineAll();
    echo.host.instantiate();
    destroyed.emplace(Things(echo.host).thing("destroyed"));
  }
  destroyed.reset();
}

TEST(ComponentResources, HostResourceCountsAndIsDroppedByTheGuest) {
  EchoHost echo;
  echo.defineAll("", false, /*counter_max_live=*/1);
  echo.host.instantiate();
  ASSERT_NE(echo.counters, nullptr);
  EXPECT_EQ(echo.counters->maxLive(), 1U);
  auto use = echo.host.func<uint32_t(uint32_t, uint32_t)>("use-host-counter");
  for (uint32_t round = 0; round < 5; ++round) {
    auto counted = use.call(10 * round, round);
    ASSERT_TRUE(counted) << counted.err_ref().what();
    EXPECT_EQ(counted.ok_ref(), 10 * round + round);
    EXPECT_EQ(echo.counters->live(), 0U) << "the guest dropped its counter";
  }
  // bump wraps.
  auto wrapped = use.call(UINT32_MAX, 2);
  ASSERT_TRUE(wrapped);
  EXPECT_EQ(wrapped.ok_ref(), 1U);
  EXPECT_EQ(echo.counters->live(), 0U);
}

TEST(ComponentResources, HostResourcePastMaxLiveFailsTheCall) {
  EchoHost echo;
  echo.defineAll("", false, /*counter_max_live=*/0);
  echo.host.instantiate();
  auto counted = echo.host.func<uint32_t(uint32_t, uint32_t)>("use-host-counter").call(1, 1);
  ASSERT_FALSE(counted);
  EXPECT_EQ(counted.err_ref().kind(), ErrorKind::Trap);
  EXPECT_TRUE(has(counted.err_ref().what(),
                  "host function '[constructor]host-counter' failed: the host keeps at most 0 live "
                  "'host-counter' resources"))
      << counted.err_ref().what();
  EXPECT_EQ(echo.counters->live(), 0U);
}

// --- 5. callError: each kind from a real run. ---------------------------------------

/// guest-component(-hostile).wasm with the plugin world's host interface.
struct PluginHost {
  PluginHost(const char *path, WasmHostOptions options) : host(path, withStderr(options)) {
    wasmhost::plugin::host::add_to_linker(host, state);
  }
  WasmHostOptions withStderr(WasmHostOptions options) {
    options.guest_stderr_stream = &guest_stderr;
    return options;
  }
  auto justAdd() { return host.func<uint64_t(uint64_t, uint64_t)>("just-add"); }

  std::ostringstream guest_stderr;
  wasmhost::app::world::ComponentHostState state;
  ComponentHost host;
};

TEST(ComponentCallError, TrapFromUnreachable) {
  PluginHost plugin(test_paths::kGuestComponentHostileWasm, quiet());
  plugin.host.instantiate();
  auto add = plugin.justAdd();
  ASSERT_EQ(add.call(40, 2).ok_ref(), 42U);
  auto trapped = add.call(1, 0);
  ASSERT_FALSE(trapped);
  EXPECT_EQ(trapped.err_ref().kind(), ErrorKind::Trap);
  EXPECT_TRUE(has(trapped.err_ref().what(), "'just-add' failed: "));
  EXPECT_TRUE(has(trapped.err_ref().what(), "unreachable")) << trapped.err_ref().what();
}

TEST(ComponentCallError, AfterATrapTheInstanceRefusesFurtherCalls) {
  PluginHost plugin(test_paths::kGuestComponentHostileWasm, quiet());
  plugin.host.instantiate();
  auto add = plugin.justAdd();
  ASSERT_FALSE(add.call(1, 0));
  auto next = add.call(40, 2);
  ASSERT_FALSE(next);
  EXPECT_EQ(next.err_ref().kind(), ErrorKind::Trap);
  EXPECT_TRUE(has(next.err_ref().what(), "refuses further calls")) << next.err_ref().what();
}

TEST(ComponentCallError, PanicIsTrapWithTheMessageOnStderr) {
  PluginHost plugin(test_paths::kGuestComponentHostileWasm, quiet());
  plugin.host.instantiate();
  auto panicked = plugin.justAdd().call(3, 0);
  ASSERT_FALSE(panicked);
  EXPECT_EQ(panicked.err_ref().kind(), ErrorKind::Trap);
  EXPECT_TRUE(has(plugin.guest_stderr.str(), "hostile panic")) << plugin.guest_stderr.str();
}

TEST(ComponentCallError, TimeLimitIsTrapNamingIt) {
  WasmHostOptions options = quiet();
  options.timeout_ms = 100;
  PluginHost plugin(test_paths::kGuestComponentHostileWasm, options);
  plugin.host.instantiate();
  auto add = plugin.justAdd();
  const auto start = std::chrono::steady_clock::now();
  auto spun = add.call(2, 0);
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(spun);
  EXPECT_EQ(spun.err_ref().kind(), ErrorKind::Trap);
  EXPECT_TRUE(has(spun.err_ref().what(), "'just-add' failed: wasm trap: interrupt (time limit of "
                                         "100 ms)"))
      << spun.err_ref().what();
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST(ComponentCallError, FuelIsTrapNamingTheBudget) {
  WasmHostOptions options = quiet();
  options.timeout_ms = 0;
  options.fuel = 1000000;
  PluginHost plugin(test_paths::kGuestComponentHostileWasm, options);
  plugin.host.instantiate();
  auto add = plugin.justAdd();
  ASSERT_EQ(add.call(40, 2).ok_ref(), 42U) << "a normal call fits in the budget";
  auto spun = add.call(2, 0);
  ASSERT_FALSE(spun);
  EXPECT_EQ(spun.err_ref().kind(), ErrorKind::Trap);
  EXPECT_TRUE(has(spun.err_ref().what(), "all fuel consumed by WebAssembly (fuel budget of "
                                         "1000000)"))
      << spun.err_ref().what();
}

TEST(ComponentCallError, TinyMemoryLimitRefusesTheInstantiation) {
  WasmHostOptions options = quiet();
  options.max_memory_bytes = 64 * 1024;
  PluginHost plugin(test_paths::kGuestComponentWasm, options);
  expectError([&] { plugin.host.instantiate(); }, ErrorKind::Limit,
              {"instantiating component", "failed: ", "max_memory_bytes"});
  EXPECT_FALSE(plugin.host.isInstantiated());
}

TEST(ComponentCallError, HostFunctionThrowingIsTrapWithItsMessage) {
  EchoHost echo;
  echo.defineAll("host-u32");
  echo.host.defineFunction(kHostEcho, "host-u32", [](uint32_t x) -> uint32_t {
    throw std::runtime_error("the host refuses " + std::to_string(x));
  });
  echo.host.instantiate();
  auto called = echo.host.func<uint32_t(uint32_t)>("echo-u32").call(7);
  ASSERT_FALSE(called);
  EXPECT_EQ(called.err_ref().kind(), ErrorKind::Trap);
  EXPECT_TRUE(has(called.err_ref().what(),
                  "'echo-u32' failed: host function 'host-u32' failed: the host refuses 7"))
      << called.err_ref().what();
}

TEST(ComponentCallError, ClassifiesWasmtimeWording) {
  EchoHost echo;
  echo.defineAll();
  echo.host.instantiate();
  const Error limit = echo.host.callError(
      "'x'", wasmtime::Error("memory minimum size of 17 pages exceeds memory limits"));
  EXPECT_EQ(limit.kind(), ErrorKind::Limit);
  EXPECT_TRUE(has(limit.what(), "'x' failed: memory minimum size of 17 pages exceeds memory limits "
                                "(raise --max-memory"))
      << limit.what();
  const Error link = echo.host.callError("'x'", wasmtime::Error("unknown import: `env::f`"));
  EXPECT_EQ(link.kind(), ErrorKind::Link);
  const Error other = echo.host.callError("'x'", wasmtime::Error("something else\n\nCaused by:\n"
                                                                 "    the cause"));
  EXPECT_EQ(other.kind(), ErrorKind::Trap);
  EXPECT_EQ(std::string(other.what()), "'x' failed: the cause");
}

} // namespace
