using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

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

    /// <summary>
    /// The parameters as the contract's record for this error (from <see cref="ControlJsonContext"/>), or null when they
    /// do not fit it: a daemon of another version must not make the client fail on its error.
    /// </summary>
    public T? ParametersAs<T>(JsonTypeInfo<T> type)
        where T : class => Read(Parameters, type);

    private static T? Read<T>(JsonElement parameters, JsonTypeInfo<T> type)
        where T : class
    {
        if (parameters.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        try
        {
            return parameters.Deserialize(type);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Describe(string error, JsonElement parameters) =>
        Read(parameters, ControlJsonContext.Default.MessageError)?.Message is { } message ? $"{error}: {message}" : error;
}
