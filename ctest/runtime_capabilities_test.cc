// WASI capabilities, denied by default (WasmHostOptions::wasi): the runtime
// guest reads and writes files, lists its environment and arguments, and
// the host checks what it may reach against what was granted.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "plugin_world.hh"
#include "runtime_guest.hh"
#include "test_options.hh"
#include "test_paths.hh"
#include "wasmhost/component/component_host.hh"
#include "wasmhost/errors.hh"

namespace {

using runtime_test::RuntimeGuest;
using runtime_test::TemporaryFolder;
using test_options::quiet;
using wasmhost::Error;
using wasmhost::ErrorKind;
using wasmhost::Preopen;
using wasmhost::WasmHostOptions;

void writeFile(const std::filesystem::path &path, const std::string &content) {
  std::ofstream(path, std::ios::binary) << content;
}

std::string readFile(const std::filesystem::path &path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream content;
  content << file.rdbuf();
  return content.str();
}

WasmHostOptions granting(Preopen preopen) {
  auto options = quiet();
  options.wasi.preopens.push_back(std::move(preopen));
  return options;
}

/// A folder `granted` (preopened at /data) inside a folder that also holds
/// `outside.txt`, which the guest must never read.
struct GrantedFolder {
  GrantedFolder() {
    std::filesystem::create_directories(granted);
    writeFile(outside_file, "the host's secret");
  }
  TemporaryFolder root;
  std::filesystem::path granted = root.path / "granted";
  std::filesystem::path outside_file = root.path / "outside.txt";
};

TEST(Capabilities, AReadOnlyFolderIsReadableAndNotWritable) {
  GrantedFolder folder;
  writeFile(folder.granted / "hello.txt", "granted content\n");
  RuntimeGuest guest(granting({folder.granted.string(), "/data", /*read_only=*/true}));

  EXPECT_EQ(guest.call("runtime_read_file", "/data/hello.txt"), "ok:granted content\n");
  const std::string write = guest.call("runtime_write_file", "/data/new.txt", "refused");
  EXPECT_EQ(write.rfind("err:permission denied: ", 0), 0u) << write;
  EXPECT_FALSE(std::filesystem::exists(folder.granted / "new.txt"));
  // Nor may it change an existing file.
  const std::string overwrite = guest.call("runtime_write_file", "/data/hello.txt", "changed");
  EXPECT_EQ(overwrite.rfind("err:permission denied: ", 0), 0u) << overwrite;
  EXPECT_EQ(readFile(folder.granted / "hello.txt"), "granted content\n");
}

TEST(Capabilities, AReadWriteFolderIsWritable) {
  GrantedFolder folder;
  RuntimeGuest guest(granting({folder.granted.string(), "/data", /*read_only=*/false}));

  EXPECT_EQ(guest.call("runtime_write_file", "/data/out.txt", "written by the guest"), "ok:20");
  EXPECT_EQ(readFile(folder.granted / "out.txt"), "written by the guest");
  EXPECT_EQ(guest.call("runtime_read_file", "/data/out.txt"), "ok:written by the guest");
}

TEST(Capabilities, NothingIsReachableWithoutAGrant) {
  GrantedFolder folder;
  {
    RuntimeGuest guest(quiet());
    const std::string read = guest.call("runtime_read_file", folder.outside_file.string());
    EXPECT_EQ(read.rfind("err:not found: ", 0), 0u) << read;
    const std::string passwd = guest.call("runtime_read_file", "/etc/passwd");
    EXPECT_EQ(passwd.rfind("err:not found: ", 0), 0u) << passwd;
  }
  // A grant reaches its folder only.
  RuntimeGuest guest(granting({folder.granted.string(), "/data", true}));
  const std::string read = guest.call("runtime_read_file", folder.outside_file.string());
  EXPECT_EQ(read.rfind("err:not found: ", 0), 0u) << read;
  const std::string other = guest.call("runtime_read_file", "/other/outside.txt");
  EXPECT_EQ(other.rfind("err:not found: ", 0), 0u) << other;
}

TEST(Capabilities, DotDotCannotEscapeThePreopen) {
  GrantedFolder folder;
  RuntimeGuest guest(granting({folder.granted.string(), "/data", false}));
  // outside.txt is right above the granted folder.
  const std::string up = guest.call("runtime_read_file", "/data/../outside.txt");
  EXPECT_EQ(up.rfind("err:permission denied: ", 0), 0u) << up;
  EXPECT_EQ(up.find("secret"), std::string::npos);
  const std::string passwd = guest.call("runtime_read_file", "/data/../../../../etc/passwd");
  EXPECT_EQ(passwd.rfind("err:permission denied: ", 0), 0u) << passwd;
  const std::string write = guest.call("runtime_write_file", "/data/../escaped.txt", "x");
  EXPECT_EQ(write.rfind("err:permission denied: ", 0), 0u) << write;
  EXPECT_FALSE(std::filesystem::exists(folder.root.path / "escaped.txt"));
}

TEST(Capabilities, ASymlinkPointingOutsideIsRefused) {
  GrantedFolder folder;
  std::filesystem::create_symlink(folder.outside_file, folder.granted / "link.txt");
  std::filesystem::create_directory_symlink(folder.root.path, folder.granted / "up");
  RuntimeGuest guest(granting({folder.granted.string(), "/data", false}));

  const std::string link = guest.call("runtime_read_file", "/data/link.txt");
  EXPECT_EQ(link.rfind("err:permission denied: ", 0), 0u) << link;
  EXPECT_EQ(link.find("secret"), std::string::npos);
  const std::string through = guest.call("runtime_read_file", "/data/up/outside.txt");
  EXPECT_EQ(through.rfind("err:permission denied: ", 0), 0u) << through;
  const std::string write = guest.call("runtime_write_file", "/data/link.txt", "overwritten");
  EXPECT_EQ(write.rfind("err:permission denied: ", 0), 0u) << write;
  EXPECT_EQ(readFile(folder.outside_file), "the host's secret");
}

TEST(Capabilities, OnlyTheGrantedEnvironmentIsVisible) {
  ASSERT_EQ(::setenv("WASMHOST_TEST_HOST_ONLY", "not for the guest", 1), 0);
  {
    RuntimeGuest guest(quiet());
    EXPECT_EQ(guest.call("runtime_env"), "");
  }
  auto options = quiet();
  options.wasi.env = {{"GREETING", "hello"}, {"EMPTY", ""}, {"SPACED", "a b=c"}};
  RuntimeGuest guest(options);
  EXPECT_EQ(guest.call("runtime_env"), "EMPTY=\nGREETING=hello\nSPACED=a b=c");
  ::unsetenv("WASMHOST_TEST_HOST_ONLY");
}

TEST(Capabilities, TheGrantedArgumentsAreVisibleAfterTheModulesName) {
  {
    RuntimeGuest guest(quiet());
    EXPECT_EQ(guest.call("runtime_args"), "");
  }
  auto options = quiet();
  options.wasi.args = {"--verbose", "two words", ""};
  RuntimeGuest guest(options);
  EXPECT_EQ(guest.call("runtime_args"), "guest-runtime.wasm\n--verbose\ntwo words\n");
  auto [count] = wasmhost::callOrThrow<std::tuple<int32_t>>(guest.host, "runtime_args_count");
  EXPECT_EQ(count, 4);
}

/// The message of the `Error` a host made from `options` throws when it
/// makes its instance, which must be of kind `Io`.
std::string refusal(const WasmHostOptions &options) {
  try {
    RuntimeGuest guest(options);
  } catch (const Error &error) {
    EXPECT_EQ(error.kind(), ErrorKind::Io) << error.what();
    return error.what();
  } catch (const std::exception &error) {
    ADD_FAILURE() << "not a wasmhost::Error: " << error.what();
    return error.what();
  }
  ADD_FAILURE() << "the options were accepted";
  return "";
}

TEST(Capabilities, AMissingOrNonFolderHostPathIsRefusedNamingIt) {
  GrantedFolder folder;
  const auto missing = (folder.root.path / "missing").string();
  EXPECT_EQ(refusal(granting({missing, "/data", true})),
            "preopen '" + missing + "' at '/data': the host folder does not exist");
  const auto file = folder.outside_file.string();
  EXPECT_EQ(refusal(granting({file, "/data", true})),
            "preopen '" + file + "' at '/data': the host path is not a folder");
  EXPECT_EQ(refusal(granting({"", "/data", true})),
            "preopen '' at '/data': the host folder does not exist");
}

TEST(Capabilities, GuestPathsMustBeAbsoluteAndUnique) {
  GrantedFolder folder;
  const auto host = folder.granted.string();
  EXPECT_EQ(refusal(granting({host, "data", true})),
            "preopen '" + host + "' at 'data': the guest path must be absolute (start with '/')");
  EXPECT_EQ(refusal(granting({host, "", true})),
            "preopen '" + host + "' at '': the guest path must be absolute (start with '/')");
  auto twice = granting({host, "/data", true});
  twice.wasi.preopens.push_back({folder.root.path.string(), "/data", false});
  EXPECT_EQ(refusal(twice), "preopen '" + folder.root.path.string() +
                                "' at '/data': the guest path '/data' is granted twice");
}

TEST(Capabilities, BadEnvironmentNamesAndValuesAreRefused) {
  auto options = quiet();
  options.wasi.env = {{"A=B", "x"}};
  EXPECT_EQ(refusal(options),
            "environment variable 'A=B': a name must be non-empty, without '=' or NUL");
  options.wasi.env = {{"", "x"}};
  EXPECT_EQ(refusal(options),
            "environment variable '': a name must be non-empty, without '=' or NUL");
  options.wasi.env = {{"NUL", std::string("a\0b", 3)}};
  EXPECT_EQ(refusal(options), "environment variable 'NUL': the value holds a NUL byte");
  options.wasi.env.clear();
  options.wasi.args = {std::string("a\0b", 3)};
  EXPECT_EQ(refusal(options), "guest argument 'a\\0b' holds a NUL byte");
  options.wasi.args.clear();
  options.wasi.env = {{std::string("A\0B", 3), "x"}};
  EXPECT_EQ(refusal(options),
            "environment variable 'A\\0B': a name must be non-empty, without '=' or NUL");
}

} // namespace

namespace {

using wasmhost::component::ComponentHost;

TEST(Capabilities, AComponentGetsTheSameChecksAndItsOutputTheSameSink) {
  GrantedFolder folder;
  const auto missing = (folder.root.path / "missing").string();
  {
    auto options = quiet();
    options.wasi.preopens.push_back({missing, "/data", true});
    wasmhost::app::world::ComponentHostState state;
    ComponentHost host(test_paths::kGuestComponentWasm, options);
    wasmhost::plugin::host::add_to_linker(host, state);
    try {
      host.instantiate();
      ADD_FAILURE() << "instantiated";
    } catch (const Error &error) {
      EXPECT_EQ(error.kind(), ErrorKind::Io);
      EXPECT_EQ(std::string(error.what()),
                "preopen '" + missing + "' at '/data': the host folder does not exist");
    }
  }
  runtime_test::CapturingSink sink;
  auto options = quiet();
  options.wasi.preopens.push_back({folder.granted.string(), "/data", true});
  options.wasi.env = {{"GREETING", "hello"}};
  options.log_sink = &sink;
  {
    wasmhost::app::world::ComponentHostState state;
    ComponentHost host(test_paths::kGuestComponentWasm, options);
    wasmhost::plugin::host::add_to_linker(host, state);
    host.instantiate();
    auto just_add = host.func<uint64_t(uint64_t, uint64_t)>("just-add");
    auto sum = just_add.call(15, 27);
    ASSERT_TRUE(sum) << sum.err().what();
    EXPECT_EQ(sum.ok(), 42u);
  }
  const auto lines = sink.from("guest.stdout");
  EXPECT_NE(std::find(lines.begin(), lines.end(), "[WASM Core] perform_basic_add: 15 + 27"),
            lines.end());
}

} // namespace
