#include "wasmhost/component/wit.hh"

#include "wasmhost/component/component_host.hh"
#include "wasmhost/component/resource.hh"

namespace wasmhost::component {

namespace {

std::string describeOptional(const std::optional<wc::ValType> &type) {
  return type ? describe(*type) : "_";
}

} // namespace

std::string describe(const wc::ValType &type) {
  switch (type.kind()) {
  case WASMTIME_COMPONENT_VALTYPE_BOOL:
    return "bool";
  case WASMTIME_COMPONENT_VALTYPE_S8:
    return "s8";
  case WASMTIME_COMPONENT_VALTYPE_S16:
    return "s16";
  case WASMTIME_COMPONENT_VALTYPE_S32:
    return "s32";
  case WASMTIME_COMPONENT_VALTYPE_S64:
    return "s64";
  case WASMTIME_COMPONENT_VALTYPE_U8:
    return "u8";
  case WASMTIME_COMPONENT_VALTYPE_U16:
    return "u16";
  case WASMTIME_COMPONENT_VALTYPE_U32:
    return "u32";
  case WASMTIME_COMPONENT_VALTYPE_U64:
    return "u64";
  case WASMTIME_COMPONENT_VALTYPE_F32:
    return "f32";
  case WASMTIME_COMPONENT_VALTYPE_F64:
    return "f64";
  case WASMTIME_COMPONENT_VALTYPE_CHAR:
    return "char";
  case WASMTIME_COMPONENT_VALTYPE_STRING:
    return "string";
  case WASMTIME_COMPONENT_VALTYPE_LIST:
    return "list<" + describe(type.list().element()) + ">";
  case WASMTIME_COMPONENT_VALTYPE_RECORD: {
    const wc::RecordType record = type.record();
    std::string spelled = "record { ";
    for (size_t i = 0; i < record.field_count(); ++i) {
      auto field = record.field_nth(i);
      spelled += (i == 0 ? "" : ", ") + std::string(field->first) + ": " + describe(field->second);
    }
    return spelled + " }";
  }
  case WASMTIME_COMPONENT_VALTYPE_TUPLE: {
    const wc::TupleType tuple = type.tuple();
    std::string spelled = "tuple<";
    for (size_t i = 0; i < tuple.types_count(); ++i) {
      spelled += (i == 0 ? "" : ", ") + describe(*tuple.types_nth(i));
    }
    return spelled + ">";
  }
  case WASMTIME_COMPONENT_VALTYPE_VARIANT: {
    const wc::VariantType variant = type.variant();
    std::string spelled = "variant { ";
    for (size_t i = 0; i < variant.case_count(); ++i) {
      auto nth = variant.case_nth(i);
      spelled += (i == 0 ? "" : ", ") + std::string(nth->first);
      if (nth->second) {
        spelled += "(" + describe(*nth->second) + ")";
      }
    }
    return spelled + " }";
  }
  case WASMTIME_COMPONENT_VALTYPE_ENUM: {
    const wc::EnumType enumeration = type.enum_();
    std::string spelled = "enum { ";
    for (size_t i = 0; i < enumeration.names_count(); ++i) {
      spelled += (i == 0 ? "" : ", ") + std::string(*enumeration.names_nth(i));
    }
    return spelled + " }";
  }
  case WASMTIME_COMPONENT_VALTYPE_OPTION:
    return "option<" + describe(type.option().ty()) + ">";
  case WASMTIME_COMPONENT_VALTYPE_RESULT:
    return "result<" + describeOptional(type.result().ok()) + ", " +
           describeOptional(type.result().err()) + ">";
  case WASMTIME_COMPONENT_VALTYPE_FLAGS: {
    const wc::FlagsType flags = type.flags();
    std::string spelled = "flags { ";
    for (size_t i = 0; i < flags.names_count(); ++i) {
      spelled += (i == 0 ? "" : ", ") + std::string(*flags.names_nth(i));
    }
    return spelled + " }";
  }
  case WASMTIME_COMPONENT_VALTYPE_OWN:
    return "own<resource>";
  case WASMTIME_COMPONENT_VALTYPE_BORROW:
    return "borrow<resource>";
  default:
    return "(a type the host does not map: future, stream, error-context or map)";
  }
}

std::string describe(const wc::FuncType &type) {
  std::string spelled = "func(";
  for (size_t i = 0; i < type.param_count(); ++i) {
    auto param = type.param_nth(i);
    spelled += (i == 0 ? "" : ", ") + std::string(param->first) + ": " + describe(param->second);
  }
  spelled += ")";
  if (auto result = type.result()) {
    spelled += " -> " + describe(*result);
  }
  return spelled;
}

namespace detail {

std::string_view kindOf(const wc::Val &val) {
  if (val.is_bool())
    return "bool";
  if (val.is_u8())
    return "u8";
  if (val.is_s8())
    return "s8";
  if (val.is_u16())
    return "u16";
  if (val.is_s16())
    return "s16";
  if (val.is_u32())
    return "u32";
  if (val.is_s32())
    return "s32";
  if (val.is_u64())
    return "u64";
  if (val.is_s64())
    return "s64";
  if (val.is_f32())
    return "f32";
  if (val.is_f64())
    return "f64";
  if (val.is_string())
    return "string";
  if (val.is_list())
    return "list";
  if (val.is_record())
    return "record";
  if (val.is_tuple())
    return "tuple";
  if (val.is_variant())
    return "variant";
  if (val.is_option())
    return "option";
  if (val.is_enum())
    return "enum";
  if (val.is_result())
    return "result";
  if (val.is_flags())
    return "flags";
  if (val.is_resource())
    return "resource";
  if (wc::Val::to_capi(&val)->kind == WASMTIME_COMPONENT_CHAR)
    return "char";
  return "map";
}

void wrongShape(std::string_view expected, const wc::Val &val) {
  throw WitError("expected " + std::string(expected) + ", got a " + std::string(kindOf(val)));
}

std::string witName(std::string_view identifier) {
  // A trailing `_` escapes a C++ keyword (`class_` is WIT's `class`): no WIT
  // name ends in '-'.
  if (identifier.size() > 1 && identifier.back() == '_') {
    identifier.remove_suffix(1);
  }
  std::string name(identifier);
  for (char &c : name) {
    if (c == '_') {
      c = '-';
    }
  }
  return name;
}

} // namespace detail

char32_t Wit<char32_t>::lift(const wc::Val &val) {
  if (wc::Val::to_capi(&val)->kind != WASMTIME_COMPONENT_CHAR) {
    detail::wrongShape("char", val);
  }
  return static_cast<char32_t>(wc::Val::to_capi(&val)->of.character);
}

// --- Resources. -----------------------------------------------------------------

const wc::ResourceAny &Resource::handle() const {
  if (!handle_) {
    throw std::logic_error("the resource handle was dropped (or moved from)");
  }
  return *handle_;
}

void Resource::drop() {
  if (!handle_) {
    return;
  }
  auto handle = std::move(*handle_);
  handle_.reset();
  if (store_ == nullptr || store_->host == nullptr) {
    return; // the store, and the resource with it, is gone
  }
  store_->host->dropResource(handle);
}

void Resource::dropQuietly() noexcept {
  try {
    drop();
  } catch (...) {
    // A destructor cannot report it: the guest's destructor trapped, and
    // the instance says so at its next call.
  }
}

wc::Val Wit<Resource>::lower(const Resource & /*resource*/) {
  throw WitError("passing an owned resource (own<R>) to the guest is not supported: pass a "
                 "Borrow");
}

Resource Wit<Resource>::lift(const wc::Val &val) {
  if (!val.is_resource()) {
    detail::wrongShape("own<resource>", val);
  }
  return Resource(val.get_resource(), detail::lifting_store);
}

Borrow Wit<Borrow>::lift(const wc::Val & /*val*/) {
  throw WitError("a borrowed guest resource cannot be kept by the host");
}

} // namespace wasmhost::component
