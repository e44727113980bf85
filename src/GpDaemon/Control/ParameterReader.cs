using System.Text.Json;
using GpControl;

namespace GpDaemon.Control;

/// <summary>Reads call parameters with precise errors: a wrong or missing parameter names itself. Unknown fields are ignored.</summary>
internal static class ParameterReader
{
    public static string? OptionalString(JsonElement parameters, string name)
    {
        if (!parameters.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw new InvalidParameterException(name);
    }

    public static string RequiredString(JsonElement parameters, string name) =>
        OptionalString(parameters, name) ?? throw new InvalidParameterException(name);
}

internal sealed class InvalidParameterException(string parameter) : Exception($"invalid parameter '{parameter}'")
{
    public string Parameter { get; } = parameter;
}
