using System.Text.Json;

namespace GpControl;

/// <summary>An error reply from the daemon: its varlink error name and parameters.</summary>
public sealed class VarlinkErrorException : Exception
{
    public VarlinkErrorException(string error, JsonElement parameters)
        : base(Describe(error, parameters))
    {
        Error = error;
        Parameters = parameters;
    }

    public string Error { get; }

    public JsonElement Parameters { get; }

    public string? GetStringParameter(string name) =>
        Parameters.ValueKind == JsonValueKind.Object && Parameters.TryGetProperty(name, out JsonElement value)
            && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Describe(string error, JsonElement parameters)
    {
        if (parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("message", out JsonElement m)
            && m.ValueKind == JsonValueKind.String)
        {
            return $"{error}: {m.GetString()}";
        }
        return error;
    }
}
