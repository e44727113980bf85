using Tomlyn.Model;
using Tomlyn.Serialization;

namespace GpDaemon.Config;

// The config is read as a generic table and mapped by hand, for precise error messages; the generated context keeps it AOT-safe.
[TomlSerializable(typeof(TomlTable))]
internal sealed partial class ConfigTomlContext : TomlSerializerContext;
