// loadManifest: every key read into WasmHostOptions, and every kind of bad
// manifest refused with the file, the key path and the value in its message.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "cli.hh"
#include "run_modes.hh"
#include "sha256.hh"
#include "wasmhost/errors.hh"
#include "wasmhost/runtime/manifest.hh"
#include "wasmhost/runtime/size.hh"

namespace {

namespace fs = std::filesystem;
using wasmhost::Error;
using wasmhost::ErrorKind;
using wasmhost::loadManifest;
using wasmhost::Manifest;

/// A folder of its own for each test, removed after it.
class ManifestTest : public ::testing::Test {
protected:
  void SetUp() override {
    const auto *info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("wasmhost-manifest-" + std::string(info->name()) + "-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const std::string &name, const std::string &text) const {
    const fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  /// The message of the `Error` loading `text` throws; fails unless its kind is `kind`.
  std::string errorOf(const std::string &text, ErrorKind kind = ErrorKind::Manifest) const {
    const fs::path path = write("m.json", text);
    try {
      loadManifest(path);
    } catch (const Error &error) {
      EXPECT_EQ(error.kind(), kind) << error.what();
      EXPECT_NE(std::string(error.what()).find("manifest '" + path.string() + "'"),
                std::string::npos)
          << error.what();
      return error.what();
    }
    ADD_FAILURE() << "loaded: " << text;
    return "";
  }

  fs::path dir_;
};

#define EXPECT_HAS(text, part) EXPECT_NE((text).find(part), std::string::npos) << (text)

TEST_F(ManifestTest, OnlyWasmPathIsRequiredAndTheRestKeepsTheDefaults) {
  const Manifest manifest = loadManifest(write("m.json", R"({"wasm": {"path": "guest.wasm"}})"));
  EXPECT_EQ(manifest.wasm_path, dir_ / "guest.wasm"); // against the manifest's folder
  EXPECT_FALSE(manifest.wasm_sha256);
  const wasmhost::WasmHostOptions defaults;
  EXPECT_EQ(manifest.options.timeout_ms, defaults.timeout_ms);
  EXPECT_EQ(manifest.options.fuel, defaults.fuel);
  EXPECT_FALSE(manifest.options.max_memory_bytes);
  EXPECT_EQ(manifest.options.max_tables, defaults.max_tables);
  EXPECT_EQ(manifest.options.max_table_elements, defaults.max_table_elements);
  EXPECT_EQ(manifest.options.compile_timeout_ms, defaults.compile_timeout_ms);
  EXPECT_TRUE(manifest.options.guest_stdout);
  EXPECT_TRUE(manifest.options.guest_stderr);
  EXPECT_TRUE(manifest.options.wasi.preopens.empty());
  EXPECT_TRUE(manifest.options.wasi.env.empty());
  EXPECT_TRUE(manifest.options.wasi.args.empty());
  EXPECT_TRUE(manifest.options.config.empty());
  EXPECT_FALSE(manifest.pool_size);
  EXPECT_EQ(manifest.keys, (std::set<std::string, std::less<>>{"wasm.path"}));
}

TEST_F(ManifestTest, ReadsEveryKey) {
  write("guest.wasm", "not checked without sha256");
  const Manifest manifest = loadManifest(write("m.json", R"({
    "wasm": {"path": "guest.wasm"},
    "limits": {"timeout_ms": 500, "fuel": 7, "max_memory": "64M", "max_tables": 2,
               "max_table_elements": 1000, "compile_timeout_ms": 3000},
    "wasi": {"preopens": [{"host": "data", "guest": "/data", "mode": "ro"},
                          {"host": "/tmp/out", "guest": "/out", "mode": "rw"},
                          {"host": "x", "guest": "/x"}],
             "env": {"NAME": "value", "EMPTY": ""}, "args": ["a", "b c"],
             "stdout": false, "stderr": false},
    "config": {"key": "value", "greeting": "Grüße"},
    "pool": {"size": 4}})"));
  const auto &options = manifest.options;
  EXPECT_EQ(options.timeout_ms, 500u);
  EXPECT_EQ(options.fuel, 7u);
  EXPECT_EQ(options.max_memory_bytes, uint64_t{64} << 20);
  EXPECT_EQ(options.max_tables, 2u);
  EXPECT_EQ(options.max_table_elements, 1000u);
  EXPECT_EQ(options.compile_timeout_ms, 3000u);
  ASSERT_EQ(options.wasi.preopens.size(), 3u);
  EXPECT_EQ(options.wasi.preopens[0].host_path, (dir_ / "data").string());
  EXPECT_EQ(options.wasi.preopens[0].guest_path, "/data");
  EXPECT_TRUE(options.wasi.preopens[0].read_only);
  EXPECT_EQ(options.wasi.preopens[1].host_path, "/tmp/out"); // absolute: as given
  EXPECT_FALSE(options.wasi.preopens[1].read_only);
  EXPECT_TRUE(options.wasi.preopens[2].read_only); // mode defaults to ro
  EXPECT_EQ(options.wasi.env,
            (std::map<std::string, std::string>{{"NAME", "value"}, {"EMPTY", ""}}));
  EXPECT_EQ(options.wasi.args, (std::vector<std::string>{"a", "b c"}));
  EXPECT_FALSE(options.guest_stdout);
  EXPECT_FALSE(options.guest_stderr);
  EXPECT_EQ(options.config,
            (std::map<std::string, std::string>{{"key", "value"}, {"greeting", "Grüße"}}));
  EXPECT_EQ(manifest.pool_size, 4u);
  for (const char *key :
       {"wasm.path", "limits.timeout_ms", "limits.fuel", "limits.max_memory", "limits.max_tables",
        "limits.max_table_elements", "limits.compile_timeout_ms", "wasi.preopens", "wasi.env",
        "wasi.args", "wasi.stdout", "wasi.stderr", "config", "pool.size"}) {
    EXPECT_TRUE(manifest.has(key)) << key;
  }
  EXPECT_FALSE(manifest.has("wasm.sha256"));
}

TEST_F(ManifestTest, MaxMemoryIsANumberOrASizeWithASuffix) {
  const auto memory = [this](const std::string &value) {
    return loadManifest(
               write("m.json",
                     R"({"wasm": {"path": "g.wasm"}, "limits": {"max_memory": )" + value + "}}"))
        .options.max_memory_bytes;
  };
  EXPECT_EQ(memory("65536"), 65536u);
  EXPECT_EQ(memory("\"65536\""), 65536u);
  EXPECT_EQ(memory("\"64k\""), 65536u);
  EXPECT_EQ(memory("\"2G\""), uint64_t{2} << 30);
  EXPECT_EQ(memory("1048576.0"), 1048576u); // JSON Schema's integer
  for (const char *bad : {"\"64Q\"", "\"\"", "\"-1M\"", "-1", "1.5", "true", "\"16777216T\"",
                          "\"99999999999999999999\""}) {
    const std::string message = errorOf(
        R"({"wasm": {"path": "g.wasm"}, "limits": {"max_memory": )" + std::string(bad) + "}}");
    EXPECT_HAS(message, "limits.max_memory needs a size in bytes (a whole number, or a string "
                        "with suffix K, M or G), not " +
                            std::string(bad));
  }
}

TEST_F(ManifestTest, WrongTypesNameTheKeyAndTheValue) {
  const std::pair<const char *, const char *> cases[] = {
      {R"({"wasm": {"path": "g"}, "limits": {"timeout_ms": "fast"}})",
       R"(limits.timeout_ms needs a whole number of milliseconds, not "fast")"},
      {R"({"wasm": {"path": "g"}, "limits": {"timeout_ms": -5}})",
       "limits.timeout_ms needs a whole number of milliseconds, not -5"},
      {R"({"wasm": {"path": "g"}, "limits": {"fuel": 2.5}})",
       "limits.fuel needs a whole number, not 2.5"},
      {R"({"wasm": {"path": "g"}, "limits": {"max_tables": null}})",
       "limits.max_tables needs a whole number, not null"},
      {R"({"wasm": {"path": "g"}, "limits": {"max_table_elements": 18446744073709551616}})",
       "limits.max_table_elements needs a whole number, not 1.8446744073709552e+19"},
      {R"({"wasm": {"path": "g"}, "limits": {"compile_timeout_ms": [1]}})",
       "limits.compile_timeout_ms needs a whole number of milliseconds, not [1]"},
      {R"({"wasm": {"path": 7}})", "wasm.path needs a file name, not 7"},
      {R"({"wasm": {"path": ""}})", "wasm.path needs a file name, not an empty string"},
      {R"({"wasm": {"path": "g", "sha256": "abc"}})",
       R"(wasm.sha256 needs 64 hexadecimal digits, not "abc")"},
      {R"({"wasm": {"path": "g", "sha256": "zz00000000000000000000000000000000000000000000000000000000000000"}})",
       R"(wasm.sha256 needs 64 hexadecimal digits, not "zz000)"},
      {R"({"wasm": "g.wasm"})", R"(wasm must be an object, not "g.wasm")"},
      {R"({"wasm": {"path": "g"}, "limits": 5})", "limits must be an object, not 5"},
      {R"({"wasm": {"path": "g"}, "wasi": {"stdout": "yes"}})",
       R"(wasi.stdout needs true or false, not "yes")"},
      {R"({"wasm": {"path": "g"}, "wasi": {"stderr": 0}})",
       "wasi.stderr needs true or false, not 0"},
      {R"({"wasm": {"path": "g"}, "wasi": {"args": "a"}})",
       R"(wasi.args must be an array of strings, not "a")"},
      {R"({"wasm": {"path": "g"}, "wasi": {"args": ["a", 1]}})",
       "wasi.args[1] needs a string, not 1"},
      {R"({"wasm": {"path": "g"}, "wasi": {"env": {"A": 1}}})", "wasi.env.A needs a string, not 1"},
      {R"({"wasm": {"path": "g"}, "wasi": {"env": {"A=B": "c"}}})",
       R"(wasi.env has a variable name WASI cannot carry (empty, or with '=' or NUL): "A=B")"},
      {R"({"wasm": {"path": "g"}, "wasi": {"env": {"A": "a\u0000b"}}})",
       "wasi.env.A needs a string without a NUL character"},
      {R"({"wasm": {"path": "g"}, "wasi": {"env": []}})", "wasi.env must be an object, not []"},
      {R"({"wasm": {"path": "g"}, "wasi": {"preopens": {}}})",
       "wasi.preopens must be an array, not {}"},
      {R"({"wasm": {"path": "g"}, "wasi": {"preopens": ["data"]}})",
       R"(wasi.preopens[0] must be an object with host, guest and mode, not "data")"},
      {R"({"wasm": {"path": "g"}, "wasi": {"preopens": [{"guest": "/d"}]}})",
       "wasi.preopens[0].host is missing"},
      {R"({"wasm": {"path": "g"}, "wasi": {"preopens": [{"host": "d"}]}})",
       "wasi.preopens[0].guest is missing"},
      {R"({"wasm": {"path": "g"}, "wasi": {"preopens": [{"host": "d", "guest": "d"}]}})",
       R"(wasi.preopens[0].guest needs an absolute guest path (starting with /), not "d")"},
      {R"({"wasm": {"path": "g"}, "wasi": {"preopens": [{"host": "d", "guest": "/d", "mode": "w"}]}})",
       R"(wasi.preopens[0].mode needs "ro" or "rw", not "w")"},
      {R"({"wasm": {"path": "g"}, "config": {"k": 1}})", "config.k needs a string, not 1"},
      {R"({"wasm": {"path": "g"}, "config": "k=v"})", R"(config must be an object, not "k=v")"},
      {R"({"wasm": {"path": "g"}, "pool": {"size": 0}})",
       "pool.size needs at least 1 instance, not 0"},
      {R"({"wasm": {"path": "g"}, "pool": {"size": "4"}})",
       R"(pool.size needs a whole number of instances, not "4")"},
      {R"([1, 2])", "the top level must be a JSON object, not [1,2]"},
  };
  for (const auto &[text, expected] : cases) {
    EXPECT_HAS(errorOf(text), expected);
  }
}

TEST_F(ManifestTest, LongValuesAreCutInMessages) {
  const std::string message =
      errorOf(R"({"wasm": {"path": "g"}, "limits": {"fuel": ")" + std::string(500, 'x') + "\"}}");
  EXPECT_HAS(message, "limits.fuel needs a whole number, not \"xxxx");
  EXPECT_HAS(message, "...");
  EXPECT_LT(message.size(), 200u);
}

TEST_F(ManifestTest, UnknownKeysAreErrorsNamingTheirPath) {
  EXPECT_HAS(errorOf(R"({"wasm": {"path": "g"}, "limits": {"timeot_ms": 200}})"),
             "unknown key limits.timeot_ms (limits has: timeout_ms, fuel, max_memory, max_tables, "
             "max_table_elements, compile_timeout_ms)");
  EXPECT_HAS(errorOf(R"({"wasm": {"path": "g"}, "plugins": {}})"),
             "unknown key plugins (the top level has: wasm, limits, wasi, config, pool)");
  EXPECT_HAS(errorOf(R"({"wasm": {"path": "g", "hash": "x"}})"),
             "unknown key wasm.hash (wasm has: path, sha256)");
  EXPECT_HAS(errorOf(R"({"wasm": {"path": "g"}, "wasi": {"inherit_env": true}})"),
             "unknown key wasi.inherit_env");
  EXPECT_HAS(
      errorOf(
          R"({"wasm": {"path": "g"}, "wasi": {"preopens": [{"host": "d", "guest": "/d", "ro": true}]}})"),
      "unknown key wasi.preopens[0].ro (wasi.preopens[0] has: host, guest, mode)");
  EXPECT_HAS(errorOf(R"({"wasm": {"path": "g"}, "pool": {"max": 1}})"), "unknown key pool.max");
}

TEST_F(ManifestTest, AMissingWasmPathIsAnError) {
  EXPECT_HAS(errorOf(R"({})"), "wasm.path is missing: the manifest must name the wasm file");
  EXPECT_HAS(errorOf(R"({"wasm": {"sha256": "00"}})"), "wasm.path is missing");
  EXPECT_HAS(errorOf(R"({"limits": {"fuel": 1}})"), "wasm.path is missing");
}

TEST_F(ManifestTest, ASyntaxErrorNamesItsLineAndColumn) {
  EXPECT_HAS(errorOf("{\n  \"wasm\": {\"path\": \"g\"},\n  \"limits\": {\"fuel\": 1,}\n}"),
             "invalid JSON at line 3, column 24: syntax error while parsing object key");
  EXPECT_HAS(errorOf("{\"wasm\": {\"path\": 'g'}}"), "invalid JSON at line 1, column 19: ");
  EXPECT_HAS(errorOf(""), "invalid JSON at line 1, column 1: ");
  EXPECT_HAS(errorOf("{\"wasm\": {\"path\": \"g\"}}\n{}"), "invalid JSON at line 2, column 1: ");
  // Comments are not JSON.
  EXPECT_HAS(errorOf("{\n// the guest\n\"wasm\": {\"path\": \"g\"}}"),
             "invalid JSON at line 2, column 1");
}

std::string sha256Of(const std::string &text) {
  return wasmhost::Sha256::hex(wasmhost::Sha256::of(
      std::span<const uint8_t>(reinterpret_cast<const uint8_t *>(text.data()), text.size())));
}

TEST_F(ManifestTest, Sha256IsChecked) {
  const fs::path wasm = write("guest.wasm", "the bytes");
  const std::string good = sha256Of("the bytes");
  std::string upper = good;
  for (char &c : upper) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  const Manifest manifest = loadManifest(
      write("m.json", R"({"wasm": {"path": "guest.wasm", "sha256": ")" + upper + "\"}}"));
  EXPECT_EQ(manifest.wasm_sha256, good); // lower case
  EXPECT_TRUE(manifest.has("wasm.sha256"));
  const std::string wrong = sha256Of("other bytes");
  EXPECT_HAS(errorOf(R"({"wasm": {"path": "guest.wasm", "sha256": ")" + wrong + "\"}}"),
             "wasm.sha256 is " + wrong + " but '" + wasm.string() + "' has SHA-256 " + good);
  // A missing wasm file with a sha256 to check: it cannot be read.
  EXPECT_HAS(
      errorOf(R"({"wasm": {"path": "nope.wasm", "sha256": ")" + good + "\"}}", ErrorKind::Io),
      "cannot open module '" + (dir_ / "nope.wasm").string() + "'");
}

TEST(ManifestFile, AMissingFileIsAnIoError) {
  try {
    loadManifest("/nonexistent/m.json");
    ADD_FAILURE() << "loaded";
  } catch (const Error &error) {
    EXPECT_EQ(error.kind(), ErrorKind::Io);
    EXPECT_STREQ(error.what(),
                 "cannot open manifest '/nonexistent/m.json': No such file or directory");
  }
  try {
    loadManifest("/");
    ADD_FAILURE() << "loaded";
  } catch (const Error &error) {
    EXPECT_EQ(error.kind(), ErrorKind::Io);
    EXPECT_STREQ(error.what(), "cannot read manifest '/': Is a directory");
  }
}

TEST_F(ManifestTest, AManifestLargerThanOneMebibyteIsRefused) {
  std::string text = R"({"wasm": {"path": "g"}, "config": {"pad": ")";
  text += std::string(wasmhost::kMaxManifestBytes, 'x') + "\"}}";
  EXPECT_HAS(errorOf(text, ErrorKind::Io),
             "larger than 1048576 bytes (1 MiB), the most a manifest may be");
  // Exactly the bound: read.
  const std::string prefix = R"({"wasm": {"path": "g"}, "config": {"pad": ")";
  const size_t pad = wasmhost::kMaxManifestBytes - prefix.size() - 3;
  const std::string fits = prefix + std::string(pad, 'x') + "\"}}";
  ASSERT_EQ(fits.size(), wasmhost::kMaxManifestBytes);
  EXPECT_EQ(loadManifest(write("fits.json", fits)).options.config.at("pad").size(), pad);
}

TEST_F(ManifestTest, OnTheCommandLineAnExplicitFlagWins) {
  namespace cli = wasmhost::app::cli;
  const Manifest manifest = loadManifest(write("m.json", R"({"wasm": {"path": "g.wasm"},
      "limits": {"timeout_ms": 200, "fuel": 5, "max_memory": "1M", "compile_timeout_ms": 7,
                 "max_tables": 2},
      "wasi": {"env": {"A": "b"}, "stdout": false}, "config": {"k": "v"}})"));
  cli::Options options =
      cli::parseOptions({"--manifest", "m.json", "--timeout-ms", "100", "--max-memory=2M"});
  EXPECT_EQ(options.manifest_path, "m.json");
  EXPECT_TRUE(options.module_path.empty());
  EXPECT_TRUE(options.given_flags.contains("--timeout-ms"));
  EXPECT_TRUE(options.given_flags.contains("--manifest"));
  EXPECT_FALSE(options.given_flags.contains("--fuel"));
  cli::applyManifest(options, manifest);
  EXPECT_EQ(options.module_path, (dir_ / "g.wasm").string());
  EXPECT_EQ(options.timeout_ms, 100u);                    // the flag
  EXPECT_EQ(options.max_memory_bytes, uint64_t{2} << 20); // the flag
  EXPECT_EQ(options.fuel, 5u);                            // the manifest
  EXPECT_EQ(options.compile_timeout_ms, 7u);              // the manifest
  const auto host_options = wasmhost::app::hostOptionsFor(options, nullptr);
  EXPECT_EQ(host_options.timeout_ms, 100u);
  EXPECT_EQ(host_options.fuel, 5u);
  EXPECT_EQ(host_options.max_tables, 2u);
  EXPECT_FALSE(host_options.guest_stdout);
  EXPECT_EQ(host_options.wasi.env.at("A"), "b");
  EXPECT_EQ(host_options.config.at("k"), "v");
  // A module and a manifest: a usage error; neither: missing module.
  EXPECT_THROW(cli::parseOptions({"--manifest", "m.json", "g.wasm"}), cli::UsageError);
  EXPECT_THROW(cli::parseOptions({"--manifest="}), cli::UsageError);
  EXPECT_THROW(cli::parseOptions({"--quiet"}), cli::UsageError);
}

TEST(ByteSize, ParsesCountsAndSuffixes) {
  EXPECT_EQ(wasmhost::parseCount("0"), 0u);
  EXPECT_EQ(wasmhost::parseCount("18446744073709551615"), UINT64_MAX);
  for (const char *bad : {"", "-1", "+1", " 1", "1 ", "0x10", "18446744073709551616", "1.0"}) {
    EXPECT_FALSE(wasmhost::parseCount(bad)) << bad;
  }
  EXPECT_EQ(wasmhost::parseByteSize("1k"), 1024u);
  EXPECT_EQ(wasmhost::parseByteSize("3M"), 3u << 20);
  EXPECT_EQ(wasmhost::parseByteSize("1g"), 1u << 30);
  EXPECT_EQ(wasmhost::parseByteSize("17179869183G"), uint64_t{17179869183} << 30);
  for (const char *bad : {"", "K", "64Q", "1KB", "17179869184G", "-1K"}) {
    EXPECT_FALSE(wasmhost::parseByteSize(bad)) << bad;
  }
}

} // namespace
