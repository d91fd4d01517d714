//! `wasmhost-wit-cpp`: C++ host bindings for a WIT world, on wasmhost's
//! typed component layer (`wasmhost/component/component_host.hh`). See
//! docs/wit-bindings.md for the mapping; [`generate`] writes one header.

mod layout;
mod names;

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{anyhow, bail, Result};
use wit_parser::{
    Docs, Function, FunctionKind, Handle, InterfaceId, Resolve, Type, TypeDefKind, TypeId,
    TypeOwner, WorldId, WorldItem, WorldKey,
};

use layout::{doc, initializers, packed, COLUMNS};
pub use names::{pascal, snake};

const CH: &str = "wasmhost::component";

/// Reads the WIT package in `dir` (with its `deps/`) and writes the bindings
/// of `world` (a name in that package, or a full `ns:pkg/world` id).
pub fn generate_from_dir(dir: &Path, world: &str) -> Result<String> {
    if !dir.is_dir() {
        bail!("'{}' is not a directory of WIT files", dir.display());
    }
    let mut resolve = Resolve::default();
    // wit-parser's rendering names the file, line and column of a syntax error.
    let (package, _) = match resolve.push_dir(dir) {
        Ok(pushed) => pushed,
        Err(e) => bail!("{}", one_line(&resolve.render_error(&e))),
    };
    let world = resolve
        .select_world(&[package], Some(world))
        .map_err(|e| anyhow!("{}", one_line(&format!("{e:#}"))))?;
    generate(&resolve, world)
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A namespace path, `["wasmhost", "plugin", "types"]`.
type Ns = Vec<String>;

#[derive(Clone)]
struct Iface {
    id: InterfaceId,
    /// The name the component gives it: "wasmhost:plugin/host@0.1.0".
    wit_name: String,
    ns: Ns,
    /// The accessor of an exported interface in the world class; the class
    /// name of an imported one's abstract class.
    snake: String,
    pascal: String,
    imported: bool,
    exported: bool,
}

/// A function parameter or result as the generated code passes it.
enum Slot {
    /// A value type: its C++ type, whether it is passed by value.
    Value(String, bool),
    /// `borrow<R>` of a guest resource (exports only).
    Borrow(TypeId),
    /// `own<R>` of a guest resource, as a result (exports only).
    Own(TypeId),
}

struct Gen<'a> {
    resolve: &'a Resolve,
    world: WorldId,
    world_ns: Ns,
    ifaces: Vec<Iface>,
    by_id: HashMap<InterfaceId, usize>,
    out: String,
}

/// The bindings of `world` as one C++ header.
pub fn generate(resolve: &Resolve, world: WorldId) -> Result<String> {
    let w = &resolve.worlds[world];
    let package = w
        .package
        .ok_or_else(|| anyhow!("world '{}' belongs to no package", w.name))?;
    let world_ns = package_ns(resolve, package);
    let mut ifaces: Vec<Iface> = Vec::new();
    let mut by_id = HashMap::new();
    for (items, imported) in [(&w.imports, true), (&w.exports, false)] {
        for (key, item) in items {
            let WorldItem::Interface { id, .. } = item else {
                continue;
            };
            let index = *by_id.entry(*id).or_insert_with(|| {
                let iface = &resolve.interfaces[*id];
                let name = match (&iface.name, key) {
                    (Some(name), _) => name.clone(),
                    (None, WorldKey::Name(name)) => name.clone(),
                    (None, WorldKey::Interface(_)) => "interface".to_string(),
                };
                let mut ns = match iface.package {
                    Some(p) => package_ns(resolve, p),
                    None => world_ns.clone(),
                };
                ns.push(snake(&name));
                ifaces.push(Iface {
                    id: *id,
                    wit_name: resolve.name_world_key(key),
                    ns,
                    snake: snake(&name),
                    pascal: pascal(&name),
                    imported: false,
                    exported: false,
                });
                ifaces.len() - 1
            });
            if imported {
                ifaces[index].imported = true;
            } else {
                ifaces[index].exported = true;
            }
        }
    }
    // The arena's order is topological: an interface after those it uses.
    ifaces.sort_by_key(|i| i.id.index());
    let by_id = ifaces.iter().enumerate().map(|(n, i)| (i.id, n)).collect();
    let mut gen = Gen {
        resolve,
        world,
        world_ns,
        ifaces,
        by_id,
        out: String::new(),
    };
    gen.check()?;
    gen.emit()?;
    Ok(gen.out)
}

fn package_ns(resolve: &Resolve, package: wit_parser::PackageId) -> Ns {
    let name = &resolve.packages[package].name;
    vec![snake(&name.namespace), snake(&name.name)]
}

/// A comment of the generator's own, wrapped.
fn comment(indent: usize, text: &str) -> String {
    doc(indent, &Some(text.to_string()))
}

fn docs_of(docs: &Docs) -> &Option<String> {
    &docs.contents
}

impl<'a> Gen<'a> {
    fn world_name(&self) -> String {
        let w = &self.resolve.worlds[self.world];
        let package = &self.resolve.packages[w.package.unwrap()].name;
        let version = package
            .version
            .as_ref()
            .map(|v| format!("@{v}"))
            .unwrap_or_default();
        format!("{}:{}/{}{version}", package.namespace, package.name, w.name)
    }

    fn class_name(&self) -> String {
        pascal(&self.resolve.worlds[self.world].name)
    }

    // --- Checks: what the generator cannot map yet, named. ----------------

    fn check(&self) -> Result<()> {
        let w = &self.resolve.worlds[self.world];
        for items in [&w.imports, &w.exports] {
            for item in items.values() {
                match item {
                    WorldItem::Function(f) if f.kind.is_async() => {
                        bail!(
                            "function '{}': async functions cannot be mapped to C++ yet",
                            f.name
                        )
                    }
                    WorldItem::Type { id, .. } => {
                        if let TypeDefKind::Resource = self.resolve.types[*id].kind {
                            bail!(
                                "resource '{}' of the world itself cannot be mapped to C++ yet (define it in an interface)",
                                self.type_name(*id)
                            );
                        }
                    }
                    _ => {}
                }
            }
        }
        for iface in &self.ifaces {
            if iface.imported && iface.exported {
                bail!(
                    "interface '{}' is both imported and exported: that cannot be mapped to C++ yet",
                    iface.wit_name
                );
            }
            let i = &self.resolve.interfaces[iface.id];
            for f in i.functions.values() {
                if f.kind.is_async() {
                    bail!(
                        "function '{}' of interface '{}': async functions cannot be mapped to C++ yet",
                        f.name,
                        iface.wit_name
                    );
                }
            }
        }
        let class = self.class_name();
        for (_, ty) in self.world_types() {
            if pascal(&self.type_name(ty)) == class {
                bail!(
                    "type '{}' of the world has the name of its class '{class}'",
                    self.type_name(ty)
                );
            }
        }
        Ok(())
    }

    fn type_name(&self, id: TypeId) -> String {
        self.resolve.types[id].name.clone().unwrap_or_default()
    }

    /// The types the world defines itself (`use` in the world).
    fn world_types(&self) -> Vec<(String, TypeId)> {
        let w = &self.resolve.worlds[self.world];
        let mut seen = HashSet::new();
        let mut types = Vec::new();
        for item in w.imports.values().chain(w.exports.values()) {
            if let WorldItem::Type { id, .. } = item {
                if seen.insert(*id) {
                    types.push((self.type_name(*id), *id));
                }
            }
        }
        types.sort_by_key(|(_, id)| id.index());
        types
    }

    fn types_of(&self, owner: TypeOwner) -> Vec<TypeId> {
        self.resolve
            .types
            .iter()
            .filter(|(_, t)| t.owner == owner && t.name.is_some())
            .map(|(id, _)| id)
            .collect()
    }

    fn ns_of(&self, id: TypeId) -> Ns {
        match self.resolve.types[id].owner {
            TypeOwner::Interface(i) => self.ifaces[self.by_id[&i]].ns.clone(),
            _ => self.world_ns.clone(),
        }
    }

    /// `name` in namespace `ns`, as code in namespace `ctx` spells it.
    fn qualify(&self, ns: &Ns, name: &str, ctx: &Ns) -> String {
        if ns == ctx {
            name.to_string()
        } else if ns.len() >= 2 && ctx.len() >= 2 && ns[..2] == ctx[..2] {
            let mut parts: Vec<String> = ns[2..].to_vec();
            parts.push(name.to_string());
            parts.join("::")
        } else {
            let mut parts = ns.clone();
            parts.push(name.to_string());
            parts.join("::")
        }
    }

    fn full_name(&self, id: TypeId) -> String {
        let mut parts = self.ns_of(id);
        parts.push(pascal(&self.type_name(id)));
        parts.join("::")
    }

    /// Follows `type x = y` aliases to the definition.
    fn definition(&self, mut id: TypeId) -> TypeId {
        while let TypeDefKind::Type(Type::Id(next)) = self.resolve.types[id].kind {
            id = next;
        }
        id
    }

    /// Whether a value of `ty` is passed by value (a scalar, enum or flags).
    fn is_scalar(&self, ty: &Type) -> bool {
        match ty {
            Type::String | Type::ErrorContext => false,
            Type::Id(id) => match &self.resolve.types[*id].kind {
                TypeDefKind::Enum(_) | TypeDefKind::Flags(_) => true,
                TypeDefKind::Type(t) => self.is_scalar(t),
                _ => false,
            },
            _ => true,
        }
    }

    /// The C++ type of `ty` in code of namespace `ctx`; `what` names the
    /// item for an error.
    fn cpp(&self, ty: &Type, ctx: &Ns, what: &str) -> Result<String> {
        Ok(match ty {
            Type::Bool => "bool".into(),
            Type::U8 => "uint8_t".into(),
            Type::U16 => "uint16_t".into(),
            Type::U32 => "uint32_t".into(),
            Type::U64 => "uint64_t".into(),
            Type::S8 => "int8_t".into(),
            Type::S16 => "int16_t".into(),
            Type::S32 => "int32_t".into(),
            Type::S64 => "int64_t".into(),
            Type::F32 => "float".into(),
            Type::F64 => "double".into(),
            Type::Char => "char32_t".into(),
            Type::String => "std::string".into(),
            Type::ErrorContext => {
                bail!("{what}: 'error-context' (async) cannot be mapped to C++ yet")
            }
            Type::Id(id) => {
                let def = &self.resolve.types[*id];
                if let Some(name) = &def.name {
                    if let TypeDefKind::Resource = def.kind {
                        bail!("{what}: resource '{name}' used as a value");
                    }
                    if let TypeDefKind::Handle(_) = def.kind {
                        bail!("{what}: the handle type '{name}' cannot be mapped to C++ yet");
                    }
                    if self.resource_of_alias(*id).is_some() {
                        bail!("{what}: resource '{name}' used as a value");
                    }
                    return Ok(self.qualify(&self.ns_of(*id), &pascal(name), ctx));
                }
                self.anonymous(&def.kind, ctx, what)?
            }
        })
    }

    fn payload(&self, ty: &Option<Type>, ctx: &Ns, what: &str) -> Result<String> {
        match ty {
            Some(t) => self.cpp(t, ctx, what),
            None => Ok("std::monostate".into()),
        }
    }

    fn anonymous(&self, kind: &TypeDefKind, ctx: &Ns, what: &str) -> Result<String> {
        Ok(match kind {
            TypeDefKind::Option(t) => format!("std::optional<{}>", self.cpp(t, ctx, what)?),
            TypeDefKind::List(t) => format!("std::vector<{}>", self.cpp(t, ctx, what)?),
            TypeDefKind::Tuple(t) => {
                let parts = t
                    .types
                    .iter()
                    .map(|t| self.cpp(t, ctx, what))
                    .collect::<Result<Vec<_>>>()?;
                format!("std::tuple<{}>", parts.join(", "))
            }
            TypeDefKind::Result(r) => format!(
                "{CH}::Result<{}, {}>",
                self.payload(&r.ok, ctx, what)?,
                self.payload(&r.err, ctx, what)?
            ),
            TypeDefKind::Type(t) => self.cpp(t, ctx, what)?,
            TypeDefKind::Handle(_) => {
                bail!("{what}: a resource handle inside another type cannot be mapped to C++ yet")
            }
            TypeDefKind::Future(_) => bail!("{what}: 'future' (async) cannot be mapped to C++ yet"),
            TypeDefKind::Stream(_) => bail!("{what}: 'stream' (async) cannot be mapped to C++ yet"),
            TypeDefKind::Map(_, _) => bail!("{what}: 'map' cannot be mapped to C++ yet"),
            TypeDefKind::FixedLengthList(_, _) => {
                bail!("{what}: a fixed-length list cannot be mapped to C++ yet")
            }
            other => bail!("{what}: an anonymous '{}' type", other.as_str()),
        })
    }

    /// The resource an alias (`use i.{r}`) stands for.
    fn resource_of_alias(&self, id: TypeId) -> Option<TypeId> {
        let def = self.definition(id);
        matches!(self.resolve.types[def].kind, TypeDefKind::Resource).then_some(def)
    }

    /// A top-level parameter or result of a function in `ctx`.
    fn slot(&self, ty: &Type, ctx: &Ns, what: &str, exported: bool, result: bool) -> Result<Slot> {
        if let Type::Id(id) = ty {
            let def = self.definition(*id);
            if let TypeDefKind::Handle(handle) = &self.resolve.types[def].kind {
                let (resource, own) = match handle {
                    Handle::Own(r) => (self.definition(*r), true),
                    Handle::Borrow(r) => (self.definition(*r), false),
                };
                let resource_name = self.type_name(resource);
                let guest = match self.resolve.types[resource].owner {
                    TypeOwner::Interface(i) => self.ifaces[self.by_id[&i]].exported,
                    _ => false,
                };
                if !exported || !guest {
                    bail!(
                        "{what}: a handle of resource '{resource_name}' as a parameter or result of {} cannot be mapped to C++ yet",
                        if exported { "an export (the resource is the host's)" } else { "a host function" }
                    );
                }
                return match (own, result) {
                    (true, true) => Ok(Slot::Own(resource)),
                    (false, false) => Ok(Slot::Borrow(resource)),
                    (true, false) => bail!(
                        "{what}: own<{resource_name}> as a parameter (passing ownership to the guest) cannot be mapped to C++ yet"
                    ),
                    (false, true) => bail!("{what}: a borrow<{resource_name}> result"),
                };
            }
        }
        Ok(Slot::Value(self.cpp(ty, ctx, what)?, self.is_scalar(ty)))
    }

    // --- Emission. ---------------------------------------------------------

    fn emit(&mut self) -> Result<()> {
        self.emit_prologue();
        self.emit_types()?;
        self.emit_macros()?;
        for n in 0..self.ifaces.len() {
            if self.ifaces[n].imported {
                self.emit_import(n)?;
            }
        }
        self.emit_world_imports()?;
        for n in 0..self.ifaces.len() {
            if self.ifaces[n].exported {
                self.emit_export_interface(n)?;
            }
        }
        self.emit_world_class()?;
        self.emit_resource_aliases()?;
        let guard = self.guard();
        writeln!(self.out, "\n#endif // {guard}").unwrap();
        Ok(())
    }

    fn guard(&self) -> String {
        let mut parts = self.world_ns.clone();
        parts.push(snake(&self.resolve.worlds[self.world].name));
        format!("{}_BINDINGS_HH", parts.join("_").to_uppercase())
    }

    fn emit_prologue(&mut self) {
        let world = self.world_name();
        let ns = self.world_ns.join("::");
        let class = self.class_name();
        let guard = self.guard();
        let text = format!(
            "The C++ host bindings of the WIT world `{world}`, generated by wasmhost-wit-cpp: do not edit.\n\
             Namespace `{ns}` (the package's namespace and name; the version is dropped: the \
             interface names the component is linked with keep it), one nested namespace per \
             interface. Names: kebab-case -> snake_case (types PascalCase), a C++ keyword gets a trailing `_`.\n\
             Exports: `{class}` binds an instantiated `ComponentHost`'s exports. \
             Imports: implement each interface's abstract class and pass it to `add_to_linker` before `instantiate()`.\n\
             See docs/wit-bindings.md."
        );
        let mut out = String::from("/**\n");
        for line in doc(0, &Some(text)).lines() {
            out += &format!(" * {}\n", line.trim_start_matches("/// "));
        }
        out += " */\n";
        // The wrapping above is for `/// `; " * " is one column shorter.
        self.out += &out;
        writeln!(self.out, "#ifndef {guard}\n#define {guard}\n").unwrap();
        for header in [
            "cstdint", "memory", "optional", "string", "tuple", "utility", "variant", "vector",
        ] {
            writeln!(self.out, "#include <{header}>").unwrap();
        }
        self.out += "\n#include \"wasmhost/component/component_host.hh\"\n";
    }

    fn open(&mut self, ns: &Ns) {
        writeln!(self.out, "\nnamespace {} {{\n", ns.join("::")).unwrap();
    }

    fn close(&mut self, ns: &Ns) {
        writeln!(self.out, "\n}} // namespace {}", ns.join("::")).unwrap();
    }

    /// Types: one namespace per interface, then the world's own.
    fn emit_types(&mut self) -> Result<()> {
        for n in 0..self.ifaces.len() {
            let iface = self.ifaces[n].clone();
            let types: Vec<TypeId> = self
                .types_of(TypeOwner::Interface(iface.id))
                .into_iter()
                .filter(|t| self.resource_of_alias(*t).is_none())
                .collect();
            let mut body = String::new();
            writeln!(
                body,
                "/// The name the component gives the interface.\ninline constexpr const char *kInterface = \"{}\";",
                iface.wit_name
            )
            .unwrap();
            for ty in types {
                body.push('\n');
                body += &self.type_definition(ty, &iface.ns)?;
            }
            let i = &self.resolve.interfaces[iface.id];
            self.out += "\n";
            self.out += &doc(0, docs_of(&i.docs)).replacen("///", "//", usize::MAX);
            let ns = iface.ns.clone();
            self.out += &format!("namespace {} {{\n\n", ns.join("::"));
            self.out += &body;
            self.close(&ns);
        }
        let world_types: Vec<TypeId> = self
            .world_types()
            .into_iter()
            .map(|(_, t)| t)
            .filter(|t| self.resource_of_alias(*t).is_none())
            .collect();
        if !world_types.is_empty() {
            let ns = self.world_ns.clone();
            self.open(&ns);
            let mut first = true;
            for ty in world_types {
                if !first {
                    self.out.push('\n');
                }
                first = false;
                self.out += &self.type_definition(ty, &ns)?;
            }
            self.close(&ns);
        }
        Ok(())
    }

    fn type_definition(&self, id: TypeId, ns: &Ns) -> Result<String> {
        let def = &self.resolve.types[id];
        let wit = def.name.clone().unwrap();
        let name = pascal(&wit);
        let what = format!("type '{wit}'");
        let mut out = doc(0, docs_of(&def.docs));
        match &def.kind {
            TypeDefKind::Record(record) => {
                if record.fields.len() > 16 {
                    bail!("{what}: a record of more than 16 fields cannot be mapped to C++ yet");
                }
                writeln!(out, "struct {name} {{").unwrap();
                for field in &record.fields {
                    let ty =
                        self.cpp(&field.ty, ns, &format!("field '{}' of {what}", field.name))?;
                    let init = match self.scalar_kind(&field.ty) {
                        Some(Scalar::Number) => " = 0",
                        Some(Scalar::Bool) => " = false",
                        Some(Scalar::Enum) => "{}",
                        None => "",
                    };
                    out += &doc(2, docs_of(&field.docs));
                    writeln!(out, "  {ty} {}{init};", snake(&field.name)).unwrap();
                }
                writeln!(
                    out,
                    "  bool operator==(const {name} &) const = default;\n}};"
                )
                .unwrap();
            }
            TypeDefKind::Variant(variant) => {
                let mut alternatives = Vec::new();
                for case in &variant.cases {
                    alternatives.push(self.payload(
                        &case.ty,
                        ns,
                        &format!("case '{}' of {what}", case.name),
                    )?);
                }
                let mut cases = String::new();
                for (i, case) in variant.cases.iter().enumerate() {
                    let payload = case
                        .ty
                        .as_ref()
                        .map(|_| format!(" ({})", alternatives[i]))
                        .unwrap_or_default();
                    let line = format!("{i}: {}{payload}", case.name);
                    let d = case.docs.contents.as_deref().map(one_line);
                    let line = match d {
                        Some(d) => format!("{line}: {d}"),
                        None => line,
                    };
                    cases += &doc(0, &Some(format!("- {line}")));
                }
                if def.docs.contents.is_none() {
                    out += &format!("/// `variant {wit}`, one alternative per case, in order:\n");
                } else {
                    out += "///\n/// One alternative per case, in order:\n";
                }
                out += &cases;
                out += &packed(
                    0,
                    &format!("struct {name} : std::variant<"),
                    &alternatives,
                    "> {",
                );
                writeln!(out, "  using variant::variant;\n}};").unwrap();
            }
            TypeDefKind::Enum(e) => {
                let bits = match e.cases.len() {
                    0..=256 => "uint8_t",
                    257..=65536 => "uint16_t",
                    _ => "uint32_t",
                };
                let cases: Vec<String> = e.cases.iter().map(|c| snake(&c.name)).collect();
                if e.cases.iter().any(|c| c.docs.contents.is_some()) {
                    writeln!(out, "enum class {name} : {bits} {{").unwrap();
                    for (case, cpp) in e.cases.iter().zip(&cases) {
                        out += &doc(2, docs_of(&case.docs));
                        writeln!(out, "  {cpp},").unwrap();
                    }
                    out += "};\n";
                } else {
                    out += &packed(0, &format!("enum class {name} : {bits} {{ "), &cases, " };");
                }
            }
            TypeDefKind::Flags(flags) => {
                let count = flags.flags.len();
                let bits = match count {
                    0..=8 => "uint8_t",
                    9..=16 => "uint16_t",
                    _ => "uint32_t",
                };
                if flags.flags.iter().any(|f| f.name == "none") {
                    bail!("{what}: a flag named 'none' (the generated empty set) cannot be mapped to C++ yet");
                }
                writeln!(out, "enum class {name} : {bits} {{").unwrap();
                writeln!(out, "  none = 0,").unwrap();
                for (i, flag) in flags.flags.iter().enumerate() {
                    out += &doc(2, docs_of(&flag.docs));
                    writeln!(out, "  {} = 1U << {i},", snake(&flag.name)).unwrap();
                }
                out += "};\n";
                for (op, doc_text) in [("|", "The union"), ("&", "The intersection")] {
                    writeln!(out, "/// {doc_text} of two sets of flags.").unwrap();
                    let line = format!(
                        "constexpr {name} operator{op}({name} a, {name} b) {{ return static_cast<{name}>(static_cast<{bits}>(a) {op} static_cast<{bits}>(b)); }}"
                    );
                    if line.len() <= COLUMNS {
                        writeln!(out, "{line}").unwrap();
                    } else {
                        writeln!(out, "constexpr {name} operator{op}({name} a, {name} b) {{")
                            .unwrap();
                        out += &packed(
                            2,
                            &format!("return static_cast<{name}>("),
                            &[format!(
                                "static_cast<{bits}>(a) {op} static_cast<{bits}>(b)"
                            )],
                            ");",
                        );
                        out += "}\n";
                    }
                }
            }
            TypeDefKind::Type(_)
            | TypeDefKind::Option(_)
            | TypeDefKind::List(_)
            | TypeDefKind::Tuple(_)
            | TypeDefKind::Result(_) => {
                let target = self.anonymous(&def.kind, ns, &what)?;
                out += &packed(0, &format!("using {name} = "), &[target], ";");
            }
            TypeDefKind::Resource => return Ok(String::new()),
            TypeDefKind::Handle(_) => {
                bail!("{what}: a named handle type cannot be mapped to C++ yet")
            }
            _ => {
                self.anonymous(&def.kind, ns, &what)?;
                bail!("{what}: cannot be mapped to C++ yet");
            }
        }
        Ok(out)
    }

    fn scalar_kind(&self, ty: &Type) -> Option<Scalar> {
        match ty {
            Type::Bool => Some(Scalar::Bool),
            Type::String | Type::ErrorContext => None,
            Type::Id(id) => match &self.resolve.types[*id].kind {
                TypeDefKind::Enum(_) | TypeDefKind::Flags(_) => Some(Scalar::Enum),
                TypeDefKind::Type(t) => self.scalar_kind(t),
                _ => None,
            },
            _ => Some(Scalar::Number),
        }
    }

    /// The typed layer's declarations of every record, variant, enum and
    /// flags type, at global scope.
    fn emit_macros(&mut self) -> Result<()> {
        let mut lines = String::new();
        for (id, def) in self.resolve.types.iter() {
            let owned = match def.owner {
                TypeOwner::Interface(i) => self.by_id.contains_key(&i),
                TypeOwner::World(w) => w == self.world,
                TypeOwner::None => false,
            };
            if !owned || def.name.is_none() {
                continue;
            }
            let full = self.full_name(id);
            let quoted = |names: Vec<&String>| -> Vec<String> {
                names.iter().map(|n| format!("\"{n}\"")).collect()
            };
            let (mac, mut args) = match &def.kind {
                TypeDefKind::Record(r) => (
                    "RECORD",
                    r.fields.iter().map(|f| snake(&f.name)).collect::<Vec<_>>(),
                ),
                TypeDefKind::Variant(v) => {
                    ("VARIANT", quoted(v.cases.iter().map(|c| &c.name).collect()))
                }
                TypeDefKind::Enum(e) => ("ENUM", quoted(e.cases.iter().map(|c| &c.name).collect())),
                TypeDefKind::Flags(f) => {
                    ("FLAGS", quoted(f.flags.iter().map(|c| &c.name).collect()))
                }
                _ => continue,
            };
            args.insert(0, full);
            lines += &packed(0, &format!("WASMHOST_WIT_{mac}("), &args, ");");
        }
        if !lines.is_empty() {
            self.out += "\n// The typed layer's WIT mappings of the types above.\n";
            self.out += &lines;
        }
        Ok(())
    }

    /// The functions of interface `id` by resource ("" for freestanding
    /// ones), in declaration order.
    fn functions(&self, id: InterfaceId) -> Vec<&'a Function> {
        self.resolve.interfaces[id].functions.values().collect()
    }

    fn resources_of(&self, id: InterfaceId) -> Vec<TypeId> {
        self.types_of(TypeOwner::Interface(id))
            .into_iter()
            .filter(|t| matches!(self.resolve.types[*t].kind, TypeDefKind::Resource))
            .collect()
    }

    // --- Imports. -----------------------------------------------------------

    /// A host function's C++ parameters (by value) and result.
    fn host_signature(
        &self,
        f: &Function,
        ns: &Ns,
        what: &str,
        skip_self: bool,
    ) -> Result<HostSignature> {
        let mut params = Vec::new();
        for p in f.params.iter().skip(usize::from(skip_self)) {
            let Slot::Value(ty, scalar) = self.slot(&p.ty, ns, what, false, false)? else {
                unreachable!()
            };
            params.push((ty, snake(&p.name), scalar));
        }
        let constructor = matches!(f.kind, FunctionKind::Constructor(_));
        let result = match &f.result {
            None => None,
            Some(_) if constructor => None,
            Some(t) => {
                let Slot::Value(ty, _) = self.slot(t, ns, what, false, true)? else {
                    unreachable!()
                };
                Some(ty)
            }
        };
        Ok((params, result))
    }

    fn emit_import(&mut self, n: usize) -> Result<()> {
        let iface = self.ifaces[n].clone();
        let functions = self.functions(iface.id);
        if functions.is_empty() {
            return Ok(());
        }
        let ns = iface.ns.clone();
        let mut classes = String::new();
        let mut virtuals = String::new();
        let mut registrations = String::new();
        let wit_iface = &iface.wit_name;
        // Resources: an abstract class each, their methods.
        for resource in self.resources_of(iface.id) {
            let wit = self.type_name(resource);
            let class = pascal(&wit);
            let var = format!("{}_resource", snake(&wit));
            classes += &doc(0, docs_of(&self.resolve.types[resource].docs));
            writeln!(
                classes,
                "class {class} {{\npublic:\n  virtual ~{class}() = default;"
            )
            .unwrap();
            writeln!(
                registrations,
                "  auto &{var} = host.defineResource<{class}>(kInterface, \"{wit}\");"
            )
            .unwrap();
            for f in &functions {
                if f.kind.resource() != Some(resource) {
                    continue;
                }
                let what = format!("function '{}' of interface '{wit_iface}'", f.name);
                match f.kind {
                    FunctionKind::Method(_) => {
                        let (params, result) = self.host_signature(f, &ns, &what, true)?;
                        let method = snake(f.item_name());
                        classes += &doc(2, docs_of(&f.docs));
                        let decl_params: Vec<String> =
                            params.iter().map(|(t, n, _)| format!("{t} {n}")).collect();
                        classes += &declaration(
                            2,
                            &format!(
                                "virtual {} {method}(",
                                result.clone().unwrap_or_else(|| "void".into())
                            ),
                            &decl_params,
                            ") = 0;",
                        );
                        let mut lambda_params = vec![format!("{class} &self")];
                        lambda_params.extend(decl_params.iter().cloned());
                        let call = format!("self.{method}({})", forward_args(&params));
                        registrations += &register(
                            &format!("{var}.method(\"{}\", ", f.item_name()),
                            "[]",
                            &lambda_params,
                            &call,
                            result.is_some(),
                        );
                    }
                    FunctionKind::Constructor(_) => {
                        let (params, _) = self.host_signature(f, &ns, &what, false)?;
                        let factory = format!("new_{}", snake(&wit));
                        virtuals += &doc(2, docs_of(&f.docs));
                        if f.docs.contents.is_none() {
                            writeln!(
                                virtuals,
                                "  /// The constructor of resource `{wit}`: a new object (not null)."
                            )
                            .unwrap();
                        }
                        let decl_params: Vec<String> =
                            params.iter().map(|(t, n, _)| format!("{t} {n}")).collect();
                        virtuals += &declaration(
                            2,
                            &format!("virtual std::unique_ptr<{class}> {factory}("),
                            &decl_params,
                            ") = 0;",
                        );
                        let call = format!("impl.{factory}({})", forward_args(&params));
                        registrations += &register(
                            &format!("{var}.constructor("),
                            "[&impl]",
                            &decl_params,
                            &call,
                            true,
                        );
                    }
                    FunctionKind::Static(_) => {
                        let (params, result) = self.host_signature(f, &ns, &what, false)?;
                        let method = format!("{}_{}", snake(&wit), snake(f.item_name()));
                        virtuals += &doc(2, docs_of(&f.docs));
                        let decl_params: Vec<String> =
                            params.iter().map(|(t, n, _)| format!("{t} {n}")).collect();
                        virtuals += &declaration(
                            2,
                            &format!(
                                "virtual {} {method}(",
                                result.clone().unwrap_or_else(|| "void".into())
                            ),
                            &decl_params,
                            ") = 0;",
                        );
                        let call = format!("impl.{method}({})", forward_args(&params));
                        registrations += &register(
                            &format!("host.defineFunction(kInterface, \"{}\", ", f.name),
                            "[&impl]",
                            &decl_params,
                            &call,
                            result.is_some(),
                        );
                    }
                    _ => unreachable!(),
                }
            }
            classes += "};\n\n";
        }
        // Freestanding functions.
        let mut free = String::new();
        let mut free_registrations = String::new();
        for f in &functions {
            if f.kind.resource().is_some() {
                continue;
            }
            let what = format!("function '{}' of interface '{wit_iface}'", f.name);
            let (virtual_fn, registration) = self.host_function(f, &ns, &what, "kInterface")?;
            free += &virtual_fn;
            free_registrations += &registration;
        }
        let class = iface.pascal.clone();
        self.open(&ns);
        self.out += &classes;
        let i = &self.resolve.interfaces[iface.id];
        self.out += &doc(0, docs_of(&i.docs));
        self.out += &comment(
            0,
            &format!(
                "What the host implements of interface `{wit_iface}` (imported by the world)."
            ),
        );
        self.emit_import_class(
            &class,
            &(free + &virtuals),
            &format!("Defines every function and resource of `{wit_iface}` in `host` as `impl`'s (which outlives `host`'s instance), before `host.instantiate()`."),
            &(free_registrations + &registrations),
        );
        self.close(&ns);
        Ok(())
    }

    /// The abstract class `class` of an import (its `members`), then its
    /// `add_to_linker` (documented by `linker_doc`) with `registrations`.
    fn emit_import_class(
        &mut self,
        class: &str,
        members: &str,
        linker_doc: &str,
        registrations: &str,
    ) {
        writeln!(
            self.out,
            "class {class} {{\npublic:\n  virtual ~{class}() = default;"
        )
        .unwrap();
        self.out += members;
        self.out += "};\n\n";
        self.out += &comment(0, linker_doc);
        self.out += &packed(
            0,
            "inline void add_to_linker(",
            &[
                format!("{CH}::ComponentHost &host"),
                format!("{class} &impl"),
            ],
            ") {",
        );
        self.out += registrations;
        self.out += "}\n";
    }

    /// An imported function: its pure virtual declaration (with its docs) in
    /// the abstract class, and its registration in `add_to_linker`, whose
    /// `defineFunction` takes `interface` (a C++ expression) first.
    fn host_function(
        &self,
        f: &Function,
        ns: &Ns,
        what: &str,
        interface: &str,
    ) -> Result<(String, String)> {
        let (params, result) = self.host_signature(f, ns, what, false)?;
        let method = snake(&f.name);
        let decl_params: Vec<String> = params.iter().map(|(t, n, _)| format!("{t} {n}")).collect();
        let mut virtual_fn = doc(2, docs_of(&f.docs));
        virtual_fn += &declaration(
            2,
            &format!(
                "virtual {} {method}(",
                result.clone().unwrap_or_else(|| "void".into())
            ),
            &decl_params,
            ") = 0;",
        );
        let call = format!("impl.{method}({})", forward_args(&params));
        let registration = register(
            &format!("host.defineFunction({interface}, \"{}\", ", f.name),
            "[&impl]",
            &decl_params,
            &call,
            result.is_some(),
        );
        Ok((virtual_fn, registration))
    }

    fn emit_world_imports(&mut self) -> Result<()> {
        let w = &self.resolve.worlds[self.world];
        let functions: Vec<&Function> = w
            .imports
            .values()
            .filter_map(|item| match item {
                WorldItem::Function(f) => Some(f),
                _ => None,
            })
            .collect();
        if functions.is_empty() {
            return Ok(());
        }
        let ns = self.world_ns.clone();
        let class = format!("{}Imports", self.class_name());
        let mut virtuals = String::new();
        let mut registrations = String::new();
        for f in functions {
            let what = format!("function '{}' of the world", f.name);
            let (virtual_fn, registration) = self.host_function(f, &ns, &what, "\"\"")?;
            virtuals += &virtual_fn;
            registrations += &registration;
        }
        self.open(&ns);
        writeln!(
            self.out,
            "/// What the host implements of the functions the world imports itself."
        )
        .unwrap();
        self.emit_import_class(
            &class,
            &virtuals,
            "Defines the world's own imports in `host` as `impl`'s (which outlives `host`'s instance), before `host.instantiate()`.",
            &registrations,
        );
        self.close(&ns);
        Ok(())
    }

    // --- Exports. -----------------------------------------------------------

    /// An export's method: its declaration parts, the TypedFunc signature
    /// and the call expression.
    fn export_method(
        &self,
        f: &Function,
        ns: &Ns,
        what: &str,
        skip_self: bool,
        exports_of: &dyn Fn(TypeId) -> Result<String>,
    ) -> Result<ExportMethod> {
        let mut decl = Vec::new();
        let mut sig = Vec::new();
        let mut args = Vec::new();
        if skip_self {
            sig.push(format!("{CH}::Borrow"));
            args.push("resource_".to_string());
        }
        for p in f.params.iter().skip(usize::from(skip_self)) {
            let name = snake(&p.name);
            match self.slot(&p.ty, ns, what, true, false)? {
                Slot::Value(ty, scalar) => {
                    decl.push(if scalar {
                        format!("{ty} {name}")
                    } else {
                        format!("const {ty} &{name}")
                    });
                    sig.push(ty);
                    args.push(name);
                }
                Slot::Borrow(resource) => {
                    let class = self.qualify(
                        &self.ns_of(resource),
                        &pascal(&self.type_name(resource)),
                        ns,
                    );
                    decl.push(format!("const {class} &{name}"));
                    sig.push(format!("{CH}::Borrow"));
                    args.push(format!("{name}.resource()"));
                }
                Slot::Own(_) => unreachable!(),
            }
        }
        let (result, sig_result, wrap) = match &f.result {
            None => ("void".to_string(), "void".to_string(), None),
            Some(t) => match self.slot(t, ns, what, true, true)? {
                Slot::Value(ty, _) => (ty.clone(), ty, None),
                Slot::Own(resource) => {
                    let class = self.qualify(
                        &self.ns_of(resource),
                        &pascal(&self.type_name(resource)),
                        ns,
                    );
                    let exports = exports_of(resource)?;
                    (
                        class.clone(),
                        format!("{CH}::Resource"),
                        Some((class, exports)),
                    )
                }
                Slot::Borrow(_) => unreachable!(),
            },
        };
        Ok(ExportMethod {
            decl,
            result,
            signature: format!("{sig_result}({})", sig.join(", ")),
            args,
            wrap,
        })
    }

    fn emit_export_interface(&mut self, n: usize) -> Result<()> {
        let iface = self.ifaces[n].clone();
        let ns = iface.ns.clone();
        let functions = self.functions(iface.id);
        let wit_iface = iface.wit_name.clone();
        let this_iface = iface.id;
        let exports_of = |resource: TypeId| -> Result<String> {
            match self.resolve.types[resource].owner {
                TypeOwner::Interface(i) if i == this_iface => Ok("*this".to_string()),
                _ => bail!(
                    "resource '{}' made by a function of another interface cannot be mapped to C++ yet",
                    self.type_name(resource)
                ),
            }
        };
        let resource_exports = |resource: TypeId| -> Result<String> {
            match self.resolve.types[resource].owner {
                TypeOwner::Interface(i) if i == this_iface => Ok("*exports_".to_string()),
                _ => bail!(
                    "resource '{}' made by a function of another interface cannot be mapped to C++ yet",
                    self.type_name(resource)
                ),
            }
        };
        let mut out = String::new();
        let mut members = Vec::new(); // (name, signature, wit name)
        let mut exports_methods = String::new();
        let mut resource_definitions = String::new();
        let resources = self.resources_of(iface.id);
        if !resources.is_empty() {
            writeln!(out, "class Exports;\n").unwrap();
        }
        for resource in resources {
            let wit = self.type_name(resource);
            let class = pascal(&wit);
            out += &doc(0, docs_of(&self.resolve.types[resource].docs));
            out += &comment(
                0,
                &format!("An owned `{wit}` of the guest (dropped with this object), made by `Exports::new_{}`; valid while the `Exports` that made it lives. Move-only.", snake(&wit)),
            );
            writeln!(out, "class {class} {{\npublic:").unwrap();
            out += &packed(
                2,
                &format!("{class}("),
                &[
                    "const Exports &exports".to_string(),
                    format!("{CH}::Resource resource"),
                ],
                ")",
            );
            writeln!(
                out,
                "      : exports_(&exports), resource_(std::move(resource)) {{}}"
            )
            .unwrap();
            let mut reserved: HashSet<String> = ["resource".to_string()].into();
            for f in &functions {
                if f.kind.resource() != Some(resource) {
                    continue;
                }
                let what = format!("function '{}' of interface '{wit_iface}'", f.name);
                let member = format!("{}_{}_", snake(&wit), snake(f.item_name()));
                match f.kind {
                    FunctionKind::Method(_) => {
                        let name = snake(f.item_name());
                        if !reserved.insert(name.clone()) {
                            bail!("{what}: its C++ name '{name}' is taken in class {class}");
                        }
                        let m = self.export_method(f, &ns, &what, true, &resource_exports)?;
                        out += &doc(2, docs_of(&f.docs));
                        out += &declare_only(2, &m, &name, " const;");
                        resource_definitions += &define_outside(
                            &m,
                            &format!("{class}::{name}"),
                            &format!("exports_->{member}"),
                        );
                        members.push((member, m.signature, f.name.clone()));
                    }
                    FunctionKind::Constructor(_) => {
                        let name = format!("new_{}", snake(&wit));
                        let m = self.export_method(f, &ns, &what, false, &exports_of)?;
                        let m = ExportMethod {
                            result: class.clone(),
                            wrap: Some((class.clone(), "*this".into())),
                            ..m
                        };
                        exports_methods += &doc(2, docs_of(&f.docs));
                        if f.docs.contents.is_none() {
                            writeln!(
                                exports_methods,
                                "  /// A new `{wit}` (the resource's constructor)."
                            )
                            .unwrap();
                        }
                        exports_methods += &inline_method(2, &m, &name, &member);
                        members.push((member, m.signature, f.name.clone()));
                    }
                    FunctionKind::Static(_) => {
                        let name = format!("{}_{}", snake(&wit), snake(f.item_name()));
                        let m = self.export_method(f, &ns, &what, false, &exports_of)?;
                        exports_methods += &doc(2, docs_of(&f.docs));
                        exports_methods += &inline_method(2, &m, &name, &member);
                        members.push((member, m.signature, f.name.clone()));
                    }
                    _ => unreachable!(),
                }
            }
            writeln!(
                out,
                "  /// The handle (`drop()` ends the resource now).\n  {CH}::Resource &resource() {{ return resource_; }}\n  [[nodiscard]] const {CH}::Resource &resource() const {{ return resource_; }}\n\nprivate:\n  const Exports *exports_;\n  {CH}::Resource resource_;\n}};\n"
            )
            .unwrap();
        }
        for f in &functions {
            if f.kind.resource().is_some() {
                continue;
            }
            let what = format!("function '{}' of interface '{wit_iface}'", f.name);
            let name = snake(&f.name);
            let member = format!("{name}_");
            let m = self.export_method(f, &ns, &what, false, &exports_of)?;
            exports_methods += &doc(2, docs_of(&f.docs));
            exports_methods += &inline_method(2, &m, &name, &member);
            members.push((member, m.signature, f.name.clone()));
        }
        let i = &self.resolve.interfaces[iface.id];
        out += &doc(0, docs_of(&i.docs));
        out += &comment(
            0,
            &format!("The guest's exports of interface `{wit_iface}`, bound to an instance: valid while its `ComponentHost`'s instance lives. Calls throw `wasmhost::Error`."),
        );
        writeln!(out, "class Exports {{\npublic:").unwrap();
        writeln!(
            out,
            "  /// Binds the exports of `host` (instantiated). Throws `wasmhost::Error` (`Link`, `Signature`)\n  /// when the component's exports are not the interface's."
        )
        .unwrap();
        let inits: Vec<String> = members
            .iter()
            .map(|(m, _, wit)| format!("{m}(host.bindFunc(kInterface, \"{wit}\"))"))
            .collect();
        out += &initializers(
            2,
            &format!("explicit Exports({CH}::ComponentHost &host)"),
            &inits,
        );
        writeln!(
            out,
            "  Exports(const Exports &) = delete;\n  Exports &operator=(const Exports &) = delete;"
        )
        .unwrap();
        out += &exports_methods;
        out += "\nprivate:\n";
        for resource in self.resources_of(iface.id) {
            writeln!(out, "  friend class {};", pascal(&self.type_name(resource))).unwrap();
        }
        for (m, sig, _) in &members {
            out += &member(2, &format!("{CH}::TypedFunc<{sig}>"), m);
        }
        out += "};\n";
        if !resource_definitions.is_empty() {
            out += "\n";
            out += &resource_definitions;
        }
        self.open(&ns);
        self.out += &out;
        self.close(&ns);
        Ok(())
    }

    fn emit_world_class(&mut self) -> Result<()> {
        let ns = self.world_ns.clone();
        let class = self.class_name();
        let w = &self.resolve.worlds[self.world];
        let exported: Vec<Iface> = self.ifaces.iter().filter(|i| i.exported).cloned().collect();
        let exports_of = |resource: TypeId| -> Result<String> {
            match self.resolve.types[resource].owner {
                TypeOwner::Interface(i) => {
                    let iface = &self.ifaces[self.by_id[&i]];
                    Ok(format!("{}_", iface.snake))
                }
                _ => bail!("resource '{}' of the world", self.type_name(resource)),
            }
        };
        let mut methods = String::new();
        let mut members = Vec::new();
        let mut names = HashSet::new();
        for item in w.exports.values() {
            let WorldItem::Function(f) = item else {
                continue;
            };
            let what = format!("function '{}' of the world", f.name);
            let name = snake(&f.name);
            let member = format!("{name}_");
            names.insert(name.clone());
            let m = self.export_method(f, &ns, &what, false, &exports_of)?;
            methods += &doc(2, docs_of(&f.docs));
            methods += &inline_method(2, &m, &name, &member);
            members.push((member, m.signature, f.name.clone()));
        }
        let mut accessors = String::new();
        for iface in &exported {
            if !names.insert(iface.snake.clone()) {
                bail!(
                    "interface '{}': its accessor '{}' is taken in class {class}",
                    iface.wit_name,
                    iface.snake
                );
            }
            let exports = self.qualify(&iface.ns, "Exports", &ns);
            writeln!(
                accessors,
                "  /// The exports of interface `{}`.\n  [[nodiscard]] const {exports} &{}() const {{ return {}_; }}",
                iface.wit_name, iface.snake, iface.snake
            )
            .unwrap();
        }
        self.open(&ns);
        self.out += &doc(0, docs_of(&w.docs));
        self.out += &comment(
            0,
            &format!("The guest's exports of world `{}`, bound to an instance: valid while its `ComponentHost`'s instance lives. Calls throw `wasmhost::Error` (the kinds of `TypedFunc::call`). Neither copied nor moved (its resources point at it).", self.world_name()),
        );
        writeln!(self.out, "class {class} {{\npublic:").unwrap();
        writeln!(
            self.out,
            "  /// Binds the exports of `host` (instantiated). Throws `wasmhost::Error` (`Link`, `Signature`)\n  /// when the component's exports are not the world's."
        )
        .unwrap();
        let mut inits: Vec<String> = exported
            .iter()
            .map(|i| format!("{}_(host)", i.snake))
            .collect();
        inits.extend(
            members
                .iter()
                .map(|(m, _, wit)| format!("{m}(host.bindFunc(\"{wit}\"))")),
        );
        self.out += &initializers(
            2,
            &format!("explicit {class}({CH}::ComponentHost &host)"),
            &inits,
        );
        writeln!(
            self.out,
            "  {class}(const {class} &) = delete;\n  {class} &operator=(const {class} &) = delete;"
        )
        .unwrap();
        self.out += &accessors;
        self.out += &methods;
        self.out += "\nprivate:\n";
        for iface in &exported {
            let exports = self.qualify(&iface.ns, "Exports", &ns);
            writeln!(self.out, "  {exports} {}_;", iface.snake).unwrap();
        }
        for (m, sig, _) in &members {
            self.out += &member(2, &format!("{CH}::TypedFunc<{sig}>"), m);
        }
        self.out += "};\n";
        self.close(&ns);
        Ok(())
    }

    /// `use i.{r}` of a resource: an alias, after the resource's class.
    fn emit_resource_aliases(&mut self) -> Result<()> {
        let mut by_ns: Vec<(Ns, String)> = Vec::new();
        let mut owners: Vec<(Ns, TypeOwner)> = self
            .ifaces
            .iter()
            .map(|i| (i.ns.clone(), TypeOwner::Interface(i.id)))
            .collect();
        owners.push((self.world_ns.clone(), TypeOwner::World(self.world)));
        for (ns, owner) in owners {
            for ty in self.types_of(owner) {
                let def = &self.resolve.types[ty];
                if !matches!(def.kind, TypeDefKind::Type(_)) {
                    continue;
                }
                if let Some(resource) = self.resource_of_alias(ty) {
                    let target = self.qualify(
                        &self.ns_of(resource),
                        &pascal(&self.type_name(resource)),
                        &ns,
                    );
                    by_ns.push((
                        ns.clone(),
                        format!("using {} = {target};\n", pascal(def.name.as_ref().unwrap())),
                    ));
                }
            }
        }
        let mut current: Option<Ns> = None;
        for (ns, line) in by_ns {
            if current.as_ref() != Some(&ns) {
                if let Some(c) = current.take() {
                    self.close(&c);
                }
                self.open(&ns);
                current = Some(ns);
            }
            self.out += &line;
        }
        if let Some(c) = current {
            self.close(&c);
        }
        Ok(())
    }
}

/// A host function's parameters (type, name, whether a scalar) and result.
type HostSignature = (Vec<(String, String, bool)>, Option<String>);

enum Scalar {
    Number,
    Bool,
    Enum,
}

struct ExportMethod {
    decl: Vec<String>,
    result: String,
    signature: String,
    args: Vec<String>,
    /// For an `own<R>` result: R's class and the `Exports` its object keeps.
    wrap: Option<(String, String)>,
}

fn forward_args(params: &[(String, String, bool)]) -> String {
    params
        .iter()
        .map(|(_, n, scalar)| {
            if *scalar {
                n.clone()
            } else {
                format!("std::move({n})")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A registration statement `head` + lambda `capture(params) { [return] call; }` + `);`,
/// `head` being `f(a, b, ` or `f(`.
fn register(head: &str, capture: &str, params: &[String], call: &str, returns: bool) -> String {
    let body = if returns {
        format!("return {call};")
    } else {
        format!("{call};")
    };
    let lambda = format!("{capture}({}) {{ {body} }}", params.join(", "));
    let open = head.find('(').unwrap() + 1;
    let args: Vec<String> = head[open..]
        .trim_end_matches(", ")
        .split(", ")
        .filter(|a| !a.is_empty())
        .map(String::from)
        .collect();
    let call_head = &head[..open];
    let mut with_lambda = args.clone();
    with_lambda.push(lambda.clone());
    let one = format!("  {call_head}{});", with_lambda.join(", "));
    if one.len() <= COLUMNS {
        return one + "\n";
    }
    let opening = format!("{capture}({}) {{", params.join(", "));
    if args.is_empty() {
        // `f(` then the lambda at 4 more, or its body on its own lines.
        if 6 + lambda.len() + 2 <= COLUMNS {
            return format!("  {call_head}\n      {lambda});\n");
        }
        return format!("  {call_head}{opening}\n    {body}\n  }});\n");
    }
    let column = 2 + call_head.len();
    let lead = format!("  {call_head}{},", args.join(", "));
    if lead.len() <= COLUMNS && column + lambda.len() + 2 <= COLUMNS {
        return format!("{lead}\n{}{lambda});\n", " ".repeat(column));
    }
    let first = format!("  {call_head}{}, {opening}", args.join(", "));
    if first.len() <= COLUMNS {
        return format!("{first}\n    {body}\n  }});\n");
    }
    let pad = " ".repeat(column);
    format!("{lead}\n{pad}{opening}\n{pad}  {body}\n{pad}}});\n")
}

/// A function definition `head(params)tail { statement }`: on one line when
/// it fits, else with the statement on its own line.
fn function(indent: usize, head: &str, params: &[String], tail: &str, statement: &str) -> String {
    let pad = " ".repeat(indent);
    let one = format!("{pad}{head}{}{tail} {{ {statement} }}", params.join(", "));
    if one.len() <= COLUMNS {
        return one + "\n";
    }
    let mut out = declaration(indent, head, params, &format!("{tail} {{"));
    out += &statement_lines(indent + 2, statement);
    out += &format!("{pad}}}\n");
    out
}

/// A declaration `head(params)tail`, `head` being `[virtual] R name(`: on
/// one line when it fits, else with a break after the return type when the
/// rest then fits on a line (as clang-format prefers), else its parameters
/// packed.
fn declaration(indent: usize, head: &str, params: &[String], tail: &str) -> String {
    let pad = " ".repeat(indent);
    let one = format!("{pad}{head}{}{tail}", params.join(", "));
    if one.len() <= COLUMNS {
        return one + "\n";
    }
    // The return type ends at the last space before the name (outside <>).
    let name_start = head.rfind(' ').map(|p| p + 1).unwrap_or(0);
    let depth_ok =
        head[..name_start].matches('<').count() == head[..name_start].matches('>').count();
    let rest = format!("{pad}{}{}{tail}", &head[name_start..], params.join(", "));
    if name_start > 0 && depth_ok && rest.len() <= COLUMNS && !head.starts_with("inline ") {
        return format!("{pad}{}\n{rest}\n", head[..name_start].trim_end());
    }
    packed(indent, head, params, tail)
}

/// `return f(a, b);` or `f(a, b);` at `indent`, its arguments packed when too long.
fn statement_lines(indent: usize, statement: &str) -> String {
    let pad = " ".repeat(indent);
    let line = format!("{pad}{statement}");
    if line.len() <= COLUMNS {
        return line + "\n";
    }
    let open = statement.find('(').unwrap() + 1;
    let inner = &statement[open..statement.len() - 2];
    let args = split_top_level(inner);
    packed(indent, &statement[..open], &args, ");")
}

/// `a, f(b, c), d` -> `a`, `f(b, c)`, `d`.
fn split_top_level(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    for c in text.chars() {
        match c {
            '(' | '<' => depth += 1,
            ')' | '>' => depth -= 1,
            _ => {}
        }
        if c == ',' && depth == 0 {
            parts.push(current.trim().to_string());
            current.clear();
        } else {
            current.push(c);
        }
    }
    if !current.trim().is_empty() {
        parts.push(current.trim().to_string());
    }
    parts
}

fn call_expression(m: &ExportMethod, func: &str) -> String {
    let call = format!("{func}({})", m.args.join(", "));
    match &m.wrap {
        Some((class, exports)) => format!("{class}({exports}, {call})"),
        None => call,
    }
}

fn method_statement(m: &ExportMethod, func: &str) -> String {
    let ret = if m.result == "void" { "" } else { "return " };
    format!("{ret}{};", call_expression(m, func))
}

/// A method declared in its class and defined after (a resource's, which
/// calls through the `Exports` declared after it).
fn declare_only(indent: usize, m: &ExportMethod, name: &str, tail: &str) -> String {
    declaration(
        indent,
        &format!("{} {name}(", m.result),
        &m.decl,
        &format!("){tail}"),
    )
}

fn define_outside(m: &ExportMethod, qualified: &str, func: &str) -> String {
    function(
        0,
        &format!("inline {} {qualified}(", m.result),
        &m.decl,
        ") const",
        &method_statement(m, func),
    )
}

/// A method defined in its class.
fn inline_method(indent: usize, m: &ExportMethod, name: &str, func: &str) -> String {
    function(
        indent,
        &format!("{} {name}(", m.result),
        &m.decl,
        ") const",
        &method_statement(m, func),
    )
}

/// A data member `type name;`, broken before the name when too long.
fn member(indent: usize, ty: &str, name: &str) -> String {
    let pad = " ".repeat(indent);
    let one = format!("{pad}{ty} {name};");
    if one.len() <= COLUMNS {
        return one + "\n";
    }
    if pad.len() + ty.len() <= COLUMNS {
        return format!("{pad}{ty}\n{pad}    {name};\n");
    }
    // `TypedFunc<R(` then the parameters and `)>`, then the name.
    let open = ty.find('(').unwrap_or(ty.len() - 1) + 1;
    format!(
        "{pad}{}\n{pad}    {}\n{pad}    {name};\n",
        &ty[..open],
        &ty[open..]
    )
}

/// The CLI's error type: a message for `wasmhost-wit-cpp: error: ...`.
pub fn describe_error(error: &anyhow::Error) -> String {
    one_line(&format!("{error:#}"))
}
