using System.Text.Json.Serialization;

namespace GlobalProtect;

/// <summary>Source-generated JSON for the records a service persists (no reflection, trim and AOT safe).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SavedSession))]
public sealed partial class GlobalProtectJsonContext : JsonSerializerContext;
