#include "wasmhost/wasm_host.hh"

#include "null_stream.hh"
#include "runtime/guest_runtime.hh"

namespace wasmhost {

WasmHost::WasmHost(std::string wasm_path, WasmHostOptions options)
    : options_(options), own_plugin_(std::make_shared<Plugin>(std::move(wasm_path), options)),
      plugin_(own_plugin_), engine_(own_plugin_->engine()) {
  setupWasi();
}

WasmHost::WasmHost(std::vector<uint8_t> wasm_bytes, std::string name, WasmHostOptions options)
    : options_(options),
      own_plugin_(std::make_shared<Plugin>(std::move(wasm_bytes), std::move(name), options)),
      plugin_(own_plugin_), engine_(own_plugin_->engine()) {
  setupWasi();
}

WasmHost::WasmHost(std::shared_ptr<const Plugin> plugin, WasmHostOptions options)
    : options_(std::move(options)), plugin_(std::move(plugin)), engine_(plugin_->engine()) {
  // The engine, and so which limits it can enforce, is the plugin's: the
  // instance refuses what it cannot honour now, not with a trap later.
  instance_.emplace(plugin_, options_);
  setupWasi();
}

WasmHost::~WasmHost() = default;

std::ostream &WasmHost::narration() {
  if (options_.narration != nullptr) {
    return *options_.narration;
  }
  if (options_.log_sink == nullptr) {
    return detail::nullStream();
  }
  if (sink_narration_ == nullptr) {
    sink_narration_ = std::make_shared<runtime::LogStream>(
        *options_.log_sink, runtime::LogLevel::Info, "host", options_.log_limits.max_line_bytes);
  }
  return *sink_narration_;
}

Plugin &WasmHost::mutablePlugin(std::string_view what) {
  if (!own_plugin_ || own_plugin_->isPrepared()) {
    throw std::logic_error("Cannot " + std::string(what) +
                           " on a pre-instantiated module: do it before prepareInstances().");
  }
  return *own_plugin_;
}

PluginInstance &WasmHost::requireInstance() {
  if (!instance_) {
    throw std::logic_error("host not initialized (call initialize() first)");
  }
  return *instance_;
}

wasmtime::TrapError WasmHost::notInitialized(std::string_view func_name) {
  return wasmtime::Error("cannot call '" + std::string(func_name) + "': host not initialized");
}

std::vector<uint8_t> WasmHost::readWasmFile() {
  return Plugin::readModuleFile(plugin_->name(), options_.max_module_bytes);
}

void WasmHost::loadAndCompile() {
  // The constructor compiled the module (`Plugin`); loading it again would
  // give a second engine. Kept for the article's sequence of steps.
}

void WasmHost::setupWasi() {
  if (wasi_configured_) {
    return;
  }
  narration() << "[Host Setup] Configuring WASI..." << std::endl;
  // Each store gets its WASI context when it is made (`PluginInstance`).
  wasi_configured_ = true;
  narration() << "[Host Setup] WASI configured for Store." << std::endl;
  if (own_plugin_ && !own_plugin_->isPrepared()) { // a prepared plugin has WASI already
    linkWasiImports();
  }
}

void WasmHost::linkWasiImports() {
  if (!wasi_configured_) {
    throw std::logic_error("linkWasiImports needs setupWasi first");
  }
  mutablePlugin("link WASI").linkWasi();
}

std::shared_ptr<const Plugin> WasmHost::prepareInstances() {
  if (own_plugin_ && !own_plugin_->isPrepared()) {
    narration() << "[Host Setup] Pre-instantiating module (InstancePre)..." << std::endl;
    own_plugin_->prepare();
    narration() << "[Host Setup] Imports resolved once for every instance." << std::endl;
  }
  return plugin_;
}

PluginInstance &WasmHost::ensureInstance() {
  if (!instance_) {
    // Imports are resolved (and type-checked) first: what fails there is a
    // link error, worded as one of instantiation.
    if (!own_plugin_->isPrepared()) {
      try {
        own_plugin_->prepare();
      } catch (const Error &error) {
        std::string message = error.what();
        const std::string prefix =
            "Module pre-instantiation failed: '" + own_plugin_->name() + "': ";
        if (message.rfind(prefix, 0) == 0) {
          message.erase(0, prefix.size());
        }
        throw Error(error.kind(), "Module instantiation failed: " + message);
      }
    }
    instance_.emplace(plugin_, options_);
  }
  if (pending_store_data_.has_value()) {
    instance_->store().context().set_data(pending_store_data_);
  }
  return *instance_;
}

void WasmHost::instantiateModule() { ensureInstance().instantiate(); }

void WasmHost::getMemory() { requireInstance().findMemory(); }

void WasmHost::initialize() {
  if (isInitialized()) {
    throw std::logic_error("WasmHost is already initialized");
  }
  ensureInstance().initialize();
}

void WasmHost::reinstantiate() { requireInstance().reinstantiate(); }

void WasmHost::reload(const std::string &wasm_path) {
  if (!instance_) {
    throw std::logic_error("reload() needs an initialized host (call initialize() first)");
  }
  reload(Plugin::readModuleFile(wasm_path, plugin_->options().max_module_bytes), wasm_path);
}

void WasmHost::reload(std::vector<uint8_t> wasm_bytes, std::string name) {
  // After a failed `reinstantiate` too: the instance is there, not initialized.
  if (!instance_) {
    throw std::logic_error("reload() needs an initialized host (call initialize() first)");
  }
  if (instance_->profilesGuest()) {
    throw std::logic_error(
        "a host that records a guest profile cannot reload: the profile is of '" + plugin_->name() +
        "'");
  }
  narration() << "[Host Setup] Reloading the module from '" << name << "'..." << std::endl;
  std::shared_ptr<const Plugin> next = plugin_->withModule(std::move(wasm_bytes), name);
  try {
    instance_->replacePlugin(next);
  } catch (const Error &error) {
    // Instantiation's messages do not name the module.
    const std::string message = error.what();
    if (message.find("'" + name + "'") != std::string::npos) {
      throw;
    }
    throw Error(error.kind(), "cannot reload '" + name + "': " + message);
  }
  // Set-up steps no longer apply (the new plugin is prepared): none goes to
  // the old one either.
  own_plugin_.reset();
  plugin_ = std::move(next);
  narration() << "[Host Setup] Reloaded '" << plugin_->name() << "'." << std::endl;
}

wasmtime::TrapResult<std::vector<wasmtime::Val>>
WasmHost::callDynamic(const wasmtime::Func &func, const std::vector<wasmtime::Val> &args) {
  return requireInstance().callDynamic(func, args);
}

wasmtime::Result<wasmtime::Func> WasmHost::getFunction(std::string_view func_name) {
  if (!instance_) {
    return wasmtime::Error("cannot call '" + std::string(func_name) + "': host not initialized");
  }
  return instance_->getFunction(func_name);
}

int32_t WasmHost::getPluginDataOffset(std::string_view func_name) {
  return requireInstance().getPluginDataOffset(func_name);
}

std::string WasmHost::describeTrap(const wasmtime::TrapError &error) const {
  if (instance_) {
    return instance_->describeTrap(error);
  }
  return PluginInstance::trapKind(error) + ": " + error.message();
}

} // namespace wasmhost
